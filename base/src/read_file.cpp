#include "scbnn/base/read_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "scbnn/base/errors.h"

namespace scbnn {

void require_readable_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found)
    throw InputError(path + ": cannot open " + what + ": no such file");
  // An ifstream opens a directory without complaint and then reads nothing.
  if (status.type() == std::filesystem::file_type::directory)
    throw InputError(path + ": cannot open " + what + ": it is a directory");
  std::ifstream probe(path, std::ios::binary);
  if (!probe) throw InputError(path + ": cannot open " + what + " (" + std::strerror(errno) + ")");
}

std::string read_file(const std::string& path, const std::string& what) {
  require_readable_file(path, what);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw InputError(path + ": cannot read " + what + " (" + std::strerror(errno) + ")");
  return buf.str();
}

}  // namespace scbnn
