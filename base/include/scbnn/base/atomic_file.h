#pragma once
#include <string>

namespace scbnn {

// Writes `contents` to a temporary file beside `path`, flushes it, then renames it over
// `path`: readers see the old file or the complete new one, never a truncated one.
void write_file_atomically(const std::string& path, const std::string& contents);

}  // namespace scbnn
