#include "scbnn/base/yaml_input.h"

#include <yaml-cpp/eventhandler.h>

#include <map>
#include <sstream>

#include "scbnn/base/errors.h"

namespace scbnn {
namespace {

std::string location(const std::string& where, const YAML::Mark& mark) {
  return mark.is_null() ? where : where + ":" + std::to_string(mark.line + 1);
}

bool is_plain_tag(const std::string& tag) {
  static const char* const plain_tags[] = {"?",
                                           "!",
                                           "tag:yaml.org,2002:str",
                                           "tag:yaml.org,2002:int",
                                           "tag:yaml.org,2002:float",
                                           "tag:yaml.org,2002:bool",
                                           "tag:yaml.org,2002:null",
                                           "tag:yaml.org,2002:map",
                                           "tag:yaml.org,2002:seq"};
  for (const char* t : plain_tags)
    if (tag == t) return true;
  return false;
}

std::string shown_tag(const std::string& tag) {
  const std::string core = "tag:yaml.org,2002:";
  return tag.compare(0, core.size(), core) == 0 ? "!!" + tag.substr(core.size()) : tag;
}

// Sees the stream as events, where aliases, tags and documents are still visible.
class StreamChecker : public YAML::EventHandler {
 public:
  explicit StreamChecker(const std::string& where) : where_(where) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1)
      throw InputError(location(where_, mark) + ": a second YAML document ('---'); the file must hold one");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    throw InputError(location(where_, mark) +
                     ": YAML aliases (*name) are not supported; write the value out where it is used");
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t, const std::string&) override {
    check_tag(mark, tag);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    check_tag(mark, tag);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t, YAML::EmitterStyle::value) override {
    check_tag(mark, tag);
  }
  void OnMapEnd() override {}

 private:
  void check_tag(const YAML::Mark& mark, const std::string& tag) const {
    if (!is_plain_tag(tag))
      throw InputError(location(where_, mark) + ": the YAML tag " + shown_tag(tag) +
                       " is not supported (values are plain numbers, names and lists)");
  }

  const std::string& where_;
  int documents_ = 0;
};

void check_stream(const std::string& text, const std::string& where) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  StreamChecker checker(where);
  while (parser.HandleNextDocument(checker)) {
  }
}

// Keys are plain names, each at most once per mapping.
void check_keys(const YAML::Node& node, const std::string& where) {
  if (node.IsSequence()) {
    for (const auto& item : node) check_keys(item, where);
    return;
  }
  if (!node.IsMap()) return;
  std::map<std::string, YAML::Mark> seen;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) throw InputError(yaml_location(where, kv.first) + ": a key must be a plain name");
    const auto [first, inserted] = seen.emplace(kv.first.Scalar(), kv.first.Mark());
    if (!inserted) refuse_repeated_key(where, kv.first.Scalar(), first->second, kv.first.Mark());
    check_keys(kv.second, where);
  }
}

}  // namespace

std::string yaml_location(const std::string& where, const YAML::Node& node) { return location(where, node.Mark()); }

void refuse_repeated_key(const std::string& where, const std::string& key, const YAML::Mark& first,
                         const YAML::Mark& again) {
  const std::string places = first.line == again.line
                                 ? "line " + std::to_string(first.line + 1) + ", columns " +
                                       std::to_string(first.column + 1) + " and " + std::to_string(again.column + 1)
                                 : "lines " + std::to_string(first.line + 1) + " and " + std::to_string(again.line + 1);
  throw InputError(location(where, again) + ": key '" + key + "' is given twice (" + places + ")");
}

YAML::Node parse_yaml(const std::string& text, const std::string& where) {
  YAML::Node root;
  try {
    check_stream(text, where);
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    const std::string column = e.mark.is_null() ? "" : ":" + std::to_string(e.mark.column + 1);
    throw InputError(location(where, e.mark) + column + ": malformed YAML: " + e.msg);
  }
  check_keys(root, where);
  return root;
}

}  // namespace scbnn
