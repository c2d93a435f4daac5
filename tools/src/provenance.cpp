#include "scbnn/tools/provenance.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <systemc>

#include <array>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>

#include "scbnn/base/errors.h"

namespace scbnn {
namespace {

std::string hex(const unsigned char* bytes, unsigned length) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  for (unsigned i = 0; i < length; ++i) {
    s += digits[bytes[i] >> 4];
    s += digits[bytes[i] & 15];
  }
  return s;
}

std::string sha256_of_stream(std::istream& in, const std::string& path) {
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("OpenSSL could not start a SHA-256 digest");
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buffer.data(), size_t(in.gcount()));
  }
  if (in.bad()) throw InputError(path + ": read error while hashing it");
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest.data(), &length);
  return hex(digest.data(), length);
}

// The first "model name" of /proc/cpuinfo ("unknown" where there is none).
std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  return "unknown";
}

std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "unknown";
  return name.data();
}

// A file's path and SHA-256; a file that is not a regular one (a pipe the run read) has
// "sha256": "none" instead.
nlohmann::ordered_json file_entry(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return {{"path", path}, {"sha256", "none"}};
  return {{"path", path}, {"sha256", sha256_file(path)}};
}

}  // namespace

std::string sha256_file(const std::string& path) {
  struct Seen {
    uintmax_t size;
    std::filesystem::file_time_type modified;
    std::string digest;
  };
  static std::mutex mutex;
  static std::map<std::string, Seen> seen;
  std::error_code error;
  // a pipe or device has no contents to hash (and reading it would consume or block)
  if (!std::filesystem::is_regular_file(path, error))
    throw InputError(path + ": not a regular file, so it has no SHA-256");
  const uintmax_t size = std::filesystem::file_size(path, error);
  const auto modified = std::filesystem::last_write_time(path, error);
  if (error) throw InputError(path + ": cannot be read to hash it (" + error.message() + ")");
  const std::lock_guard<std::mutex> lock(mutex);
  if (const auto it = seen.find(path); it != seen.end() && it->second.size == size && it->second.modified == modified)
    return it->second.digest;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot be opened to hash it");
  const std::string digest = sha256_of_stream(in, path);
  seen[path] = {size, modified, digest};
  return digest;
}

nlohmann::ordered_json tool_stamp() {
  const BuildInfo& b = build_info();
  return {{"name", "scbnn"},
          {"version", b.version},
          {"systemc", sc_core::sc_version()},
          {"revision", b.revision},
          {"tree_modified", b.tree_modified},
          {"compiler", b.compiler},
          {"flags", b.flags},
          {"build_type", b.build_type}};
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text.data();
}

nlohmann::ordered_json run_provenance(const InputFiles& files, const std::string& started_utc) {
  using json = nlohmann::ordered_json;
  json dataset = json::array();
  for (const auto& f : files.dataset) dataset.push_back(file_entry(f));
  json inputs = json::object();
  if (!files.network.empty()) inputs["network"] = file_entry(files.network);
  inputs["dataset"] = dataset;
  if (!files.preset.empty()) inputs["preset"] = file_entry(files.preset);
  return {{"host", host_name()}, {"cpu", cpu_model()}, {"started_utc", started_utc}, {"files", inputs}};
}

std::string input_files_digest(const InputFiles& files) {
  const auto digest = [](const std::string& path) {
    try {
      return sha256_file(path);
    } catch (const InputError&) {
      return std::string("missing");
    }
  };
  std::string text = "network " + digest(files.network);
  for (const auto& f : files.dataset) text += "\ndataset " + digest(f);
  if (!files.preset.empty()) text += "\npreset " + digest(files.preset);
  return text;
}

}  // namespace scbnn
