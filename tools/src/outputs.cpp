#include "scbnn/tools/outputs.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "scbnn/base/atomic_file.h"
#include "scbnn/base/errors.h"

namespace fs = std::filesystem;

namespace scbnn {
namespace {

[[noreturn]] void refuse(const std::string& option, const std::string& path, const std::string& why) {
  throw InputError(option + " " + path + ": " + why);
}

// Absolute and lexically normal; a trailing '/' names a directory.
fs::path normalised(const std::string& option, const std::string& path, bool directory) {
  fs::path p = fs::absolute(path).lexically_normal();
  if (p.has_filename() || p == p.root_path()) return p;
  if (!directory) refuse(option, path, "names a directory (expected a file name)");
  return p.parent_path();
}

// The path as the file system resolves it (symbolic links of existing parts followed), so
// that two spellings of one file compare equal.
fs::path identity(const fs::path& p) {
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(p, ec);
  return ec ? p : resolved;
}

std::string temporary_name(const fs::path& target) { return target.string() + ".tmp." + std::to_string(::getpid()); }

void remove_quietly(const fs::path& p) {
  std::error_code ec;
  fs::remove_all(p, ec);
}

}  // namespace

void check_output_path(const std::string& option, const std::string& path, bool directory) {
  const fs::path target = normalised(option, path, directory);
  const fs::path parent = target.parent_path();
  std::error_code ec;
  const fs::file_status parent_status = fs::status(parent, ec);
  if (!fs::exists(parent_status)) refuse(option, path, "directory " + parent.string() + " does not exist");
  if (!fs::is_directory(parent_status)) refuse(option, path, parent.string() + " is not a directory");
  if (::access(parent.c_str(), W_OK | X_OK) != 0)
    refuse(option, path, "cannot write in directory " + parent.string() + " (" + std::strerror(errno) + ")");
  const fs::file_status status = fs::status(target, ec);
  if (!fs::exists(status)) return;
  if (directory) {
    if (!fs::is_directory(status))
      refuse(option, path, "is a file, not a directory (expected a directory to write into)");
    if (::access(target.c_str(), W_OK | X_OK) != 0)
      refuse(option, path, std::string("cannot write in this directory (") + std::strerror(errno) + ")");
  } else {
    if (fs::is_directory(status)) refuse(option, path, "is a directory (expected a file name)");
    if (!fs::is_regular_file(status)) refuse(option, path, "is not a regular file (expected a file name)");
  }
}

OutputSet::~OutputSet() { remove_temporaries(); }

void OutputSet::claim(const fs::path& path, const std::string& what) {
  const fs::path id = identity(path);
  for (const auto& [other, other_what] : claimed_)
    if (other == id) throw InputError(what + " and " + other_what + " name the same path; give each output its own");
  claimed_.emplace_back(id, what);
}

void OutputSet::declare_file(const std::string& option, const std::string& path) {
  if (path.empty()) return;
  check_output_path(option, path, false);
  Output o;
  o.option = option;
  o.target = normalised(option, path, false);
  claim(o.target, option + " " + path);
  outputs_.push_back(std::move(o));
}

void OutputSet::declare_directory(const std::string& option, const std::string& path,
                                  const std::vector<std::string>& file_names) {
  if (path.empty()) return;
  check_output_path(option, path, true);
  Output o;
  o.option = option;
  o.directory = true;
  o.target = normalised(option, path, true);
  o.file_names = file_names;
  claim(o.target, option + " " + path);
  for (const auto& name : file_names) {
    if (fs::exists(o.target)) check_output_path(option, (o.target / name).string(), false);
    claim(o.target / name, option + " " + path + " (its " + name + ")");
  }
  outputs_.push_back(std::move(o));
}

bool OutputSet::declared(const std::string& option) const {
  return std::any_of(outputs_.begin(), outputs_.end(), [&](const Output& o) { return o.option == option; });
}

OutputSet::Output& OutputSet::find(const std::string& option) {
  for (auto& o : outputs_)
    if (o.option == option) return o;
  throw std::logic_error("output " + option + " was not declared");
}

void OutputSet::stage_file(const std::string& option, const std::string& contents) {
  Output& o = find(option);
  o.staged = temporary_name(o.target);
  write_file_atomically(o.staged.string(), contents);
}

void OutputSet::stage_directory(const std::string& option,
                                const std::vector<std::pair<std::string, std::string>>& files) {
  Output& o = find(option);
  for (const auto& [name, text] : files)
    if (std::find(o.file_names.begin(), o.file_names.end(), name) == o.file_names.end())
      throw std::logic_error(option + ": undeclared file " + name);
  if (fs::is_directory(o.target)) {
    // Other files in an existing directory stay; ours are staged beside them.
    for (const auto& [name, text] : files) {
      o.staged_members.emplace_back(temporary_name(o.target / name), o.target / name);
      write_file_atomically(o.staged_members.back().first.string(), text);
    }
    return;
  }
  o.staged = temporary_name(o.target);
  std::error_code ec;
  if (!fs::create_directory(o.staged, ec))
    refuse(option, o.target.string(), "cannot create " + o.staged.string() + " (" + ec.message() + ")");
  for (const auto& [name, text] : files) write_file_atomically((o.staged / name).string(), text);
}

void OutputSet::commit() {
  for (const auto& o : outputs_)
    if (o.staged.empty() && o.staged_members.empty()) throw std::logic_error("output " + o.option + " was not written");
  std::vector<fs::path> placed;
  for (auto& o : outputs_) {
    std::error_code ec;
    if (!o.staged.empty()) {
      fs::rename(o.staged, o.target, ec);
      if (!ec) {
        placed.push_back(o.target);
        o.staged.clear();
      }
    }
    for (auto& [temporary, final_path] : o.staged_members) {
      if (ec) break;
      fs::rename(temporary, final_path, ec);
      if (!ec) {
        placed.push_back(final_path);
        temporary.clear();
      }
    }
    if (ec) {
      // All or nothing: what this commit already placed goes too.
      for (const auto& p : placed) remove_quietly(p);
      remove_temporaries();
      refuse(o.option, o.target.string(), "could not be put in place (" + ec.message() + "); no result was written");
    }
  }
  outputs_.clear();
}

void OutputSet::remove_temporaries() {
  for (auto& o : outputs_) {
    if (!o.staged.empty()) remove_quietly(o.staged);
    for (const auto& member : o.staged_members)
      if (!member.first.empty()) remove_quietly(member.first);
    o.staged.clear();
    o.staged_members.clear();
  }
}

}  // namespace scbnn
