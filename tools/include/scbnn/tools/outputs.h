#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace scbnn {

// Checks that `path` can be written as a file (`directory` false) or a directory of files
// (`directory` true) before any work starts: its parent exists, is a directory and is
// writable; the target, if it exists, is a regular file for a file (a directory for a
// directory). Throws InputError naming the option, the path and the reason.
void check_output_path(const std::string& option, const std::string& path, bool directory);

// The result files of one command, written all together or not at all. Each output is
// declared (and checked, and compared with the others: two outputs naming the same path
// are refused) before the work starts; its contents are then written to a temporary
// beside its target, and commit() renames every temporary into place once all are
// written. A failure, or destruction without commit(), removes every temporary, so a
// command that fails leaves no result behind.
class OutputSet {
 public:
  OutputSet() = default;
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;
  ~OutputSet();

  // An empty path declares nothing (the option was not given).
  void declare_file(const std::string& option, const std::string& path);
  // A directory holding the named files (created if missing; other files in it are kept).
  void declare_directory(const std::string& option, const std::string& path,
                         const std::vector<std::string>& file_names);
  bool declared(const std::string& option) const;

  // Writes a declared output's contents to its temporaries.
  void stage_file(const std::string& option, const std::string& contents);
  void stage_directory(const std::string& option, const std::vector<std::pair<std::string, std::string>>& files);
  // Renames every staged output into place; every declared output must have been staged.
  void commit();

 private:
  struct Output {
    std::string option;
    std::filesystem::path target;         // normalised
    std::vector<std::string> file_names;  // directories only
    bool directory = false;
    std::filesystem::path staged;  // temporary file, or temporary directory
    // In an existing directory: each file's temporary and final path.
    std::vector<std::pair<std::filesystem::path, std::filesystem::path>> staged_members;
  };
  Output& find(const std::string& option);
  void claim(const std::filesystem::path& path, const std::string& what);
  void remove_temporaries();

  std::vector<Output> outputs_;
  std::vector<std::pair<std::filesystem::path, std::string>> claimed_;  // path -> "--option (what)"
};

}  // namespace scbnn
