#pragma once
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "scbnn/base/errors.h"

namespace scbnn {

// Named variants of one family (SNG source kinds, memory technologies, ...): each
// implementation registers itself next to its definition, and whatever selects one by
// name (a configuration key) asks the registry, so nothing switches on a kind.
template <class Kind>
class Registry {
 public:
  // `family` names the variants in messages ("SNG source kind"); `key` is the
  // configuration key that selects one ("accel.sng.source").
  Registry(std::string family, std::string key) : family_(std::move(family)), key_(std::move(key)) {}

  // A name registered twice is a programming error, reported at start-up.
  void add(const std::string& name, Kind kind) {
    if (name.empty() || !kinds_.emplace(name, std::move(kind)).second)
      throw std::logic_error(family_ + " '" + name + "' is registered twice (or has no name)");
  }
  const Kind* find(const std::string& name) const {
    const auto it = kinds_.find(name);
    return it == kinds_.end() ? nullptr : &it->second;
  }
  // The kind called `name`; a name nobody registered is the user's mistake.
  const Kind& at(const std::string& name) const {
    if (const Kind* kind = find(name)) return *kind;
    std::string list;
    for (const auto& n : names()) list += (list.empty() ? "" : ", ") + n;
    throw InputError(key_ + " = '" + name + "' is not a registered " + family_ + " (expected one of: " + list + ")");
  }
  // Registered names in alphabetical order (the order of the docs and of `scbnn config`).
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& kv : kinds_) out.push_back(kv.first);
    return out;
  }
  const std::map<std::string, Kind>& kinds() const { return kinds_; }
  const std::string& key() const { return key_; }

 private:
  std::string family_, key_;
  std::map<std::string, Kind> kinds_;
};

}  // namespace scbnn

// Marks a variant's file for the linker: scbnn_registered_variants() in
// cmake/scbnn_helpers.cmake generates one function calling the anchor of every file of a
// variants folder, so a static library keeps each file (and its registrar) although
// nothing else refers to it. `stem` is the file's name without ".cpp"; use it inside
// namespace scbnn.
#define SCBNN_LINK_ANCHOR(family, stem) \
  void scbnn_link_##family##_##stem() {}
