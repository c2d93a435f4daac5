#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace scbnn {

// How this binary was built: generated at build time (cmake/build_info.cmake).
struct BuildInfo {
  std::string version;         // the project's version (CMakeLists.txt)
  std::string revision;        // git commit of the source tree, or "unknown" outside a work tree
  bool tree_modified = false;  // tracked files differed from that commit when it was built
  std::string compiler, flags, build_type;
};
const BuildInfo& build_info();

// SHA-256 of a file's bytes, as 64 lower-case hex digits (OpenSSL); InputError naming the
// file when it cannot be read or is not a regular file. Remembered per path, size and modification time, so a sweep
// that names one file in many points reads it once.
std::string sha256_file(const std::string& path);

// The input files a run read: the network, the data set split's files, the technology preset
// (empty when the run is not priced).
struct InputFiles {
  std::string network;
  std::vector<std::string> dataset;
  std::string preset;
};

// The report's "tool" object: name, version, SystemC, and the build (revision, whether the
// tree was modified, compiler, flags, build type).
nlohmann::ordered_json tool_stamp();
// Where and when a run ran and what it read: host, CPU model, start time (UTC, ISO 8601),
// and each input file's path and SHA-256 ("none" for a file that is not a regular file).
nlohmann::ordered_json run_provenance(const InputFiles& files, const std::string& started_utc);
// Now, as "2026-12-03T14:05:09Z".
std::string utc_now();
// One text naming every input file's contents (their SHA-256s; "missing" for a file that
// cannot be read), for the sweep's point hash: retraining into the same file changes it.
std::string input_files_digest(const InputFiles& files);

}  // namespace scbnn
