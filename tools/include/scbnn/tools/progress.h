#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace scbnn {

// Count, rate and ETA of a long job on standard error. With `every` = 0: one status line,
// redrawn at most a few times a second, only when standard error is a terminal (and CI is
// not set); silent otherwise. With `every` > 0: one line per `every` items done (and one
// at the end), wherever standard error goes (logs, pipes).
class Progress {
 public:
  Progress(std::string what, uint64_t total, uint64_t every = 0);
  ~Progress();
  void update(uint64_t done);
  void finish();
  bool enabled() const { return enabled_; }

 private:
  std::string what_;
  uint64_t total_;
  uint64_t every_;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace scbnn
