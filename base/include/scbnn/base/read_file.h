#pragma once
#include <string>

namespace scbnn {

// Every reader of a user-named input file goes through these, so a missing file, a
// directory or an unreadable file is refused the same way, naming the path and `what`
// the file should have been ("configuration file", "network file", ...).

// Throws InputError unless `path` can be opened for reading as a file.
void require_readable_file(const std::string& path, const std::string& what);

// The whole contents of the file, byte for byte (after require_readable_file).
std::string read_file(const std::string& path, const std::string& what);

}  // namespace scbnn
