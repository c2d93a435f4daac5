#include "scbnn/tools/progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace scbnn {

Progress::Progress(std::string what, uint64_t total, uint64_t every)
    : what_(std::move(what)),
      total_(total),
      every_(every),
      enabled_(every > 0 || (isatty(STDERR_FILENO) && !std::getenv("CI"))),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() { finish(); }

void Progress::update(uint64_t done) {
  if (!enabled_ || finished_) return;
  const auto now = std::chrono::steady_clock::now();
  if (every_ > 0) {
    if (done % every_ != 0 && done < total_) return;
  } else if (done < total_ && now - last_draw_ < std::chrono::milliseconds(250)) {
    return;
  }
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? double(done) / elapsed : 0;
  const double eta = rate > 0 ? double(total_ - done) / rate : 0;
  std::fprintf(stderr, "%s  %s %llu/%llu  %.1f/s  ETA %.0f s%s", every_ ? "" : "\r", what_.c_str(),
               static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_), rate, eta,
               every_ ? "\n" : "   ");
  std::fflush(stderr);
}

void Progress::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  if (every_ > 0) return;  // lines, nothing to erase
  std::fprintf(stderr, "\r%*s\r", 60, "");
  std::fflush(stderr);
}

}  // namespace scbnn
