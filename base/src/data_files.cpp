#include "scbnn/base/data_files.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "scbnn/base/errors.h"

namespace fs = std::filesystem;

namespace scbnn {
namespace {

const char* subdirectory(ShippedData kind) { return kind == ShippedData::networks ? "networks" : "presets"; }

fs::path running_executable_directory() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

std::vector<std::string> shipped_data_directories(ShippedData kind) {
  if (const char* env = std::getenv("SCBNN_DATA_DIR"); env && *env)
    return {(fs::path(env) / subdirectory(kind)).string()};
  const fs::path exe_dir = running_executable_directory();
  if (exe_dir.empty()) return {};
  return {(exe_dir / SCBNN_BIN_TO_DATA_DIR / "scbnn" / subdirectory(kind)).lexically_normal().string()};
}

std::vector<std::string> file_stems_in(const std::string& directory, const std::string& extension) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string file = it->path().filename().string();
    if (ends_with(file, extension) && file.size() > extension.size() && it->is_regular_file(ec))
      names.push_back(file.substr(0, file.size() - extension.size()));
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> shipped_data_names(ShippedData kind, const std::string& extension) {
  std::error_code ec;
  for (const auto& dir : shipped_data_directories(kind))
    if (fs::is_directory(dir, ec)) return file_stems_in(dir, extension);
  return {};
}

std::string resolve_shipped_file(const std::string& name_or_path, ShippedData kind, const std::string& key,
                                 const std::string& extension) {
  std::error_code ec;
  if (fs::exists(name_or_path, ec) || name_or_path.find('/') != std::string::npos) return name_or_path;
  std::vector<std::string> names = {name_or_path};
  if (!extension.empty() && !ends_with(name_or_path, extension)) names.push_back(name_or_path + extension);
  const std::vector<std::string> dirs = shipped_data_directories(kind);
  for (const auto& dir : dirs)
    for (const auto& name : names) {
      const fs::path candidate = fs::path(dir) / name;
      if (fs::is_regular_file(candidate, ec)) return candidate.string();
    }
  std::string searched;
  for (const auto& dir : dirs) searched += (searched.empty() ? "" : ", ") + dir;
  throw InputError(key + " = '" + name_or_path + "': no such file, and no shipped " +
                   (kind == ShippedData::networks ? "network" : "preset") + " of that name in " +
                   (searched.empty() ? std::string("(no data directory: /proc/self/exe unreadable)") : searched) +
                   " (set SCBNN_DATA_DIR to the directory holding networks/ and presets/)");
}

}  // namespace scbnn
