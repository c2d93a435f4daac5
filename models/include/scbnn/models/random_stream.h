#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "scbnn/models/mt19937_64.h"

namespace scbnn {

// Seed of a component's own random stream: the master seed mixed with the component's
// hierarchical name, so streams are independent, replay bit-exactly, and adding a
// component does not disturb the others.
uint64_t stream_seed(uint64_t master_seed, const std::string& hierarchical_name);

// SplitMix64's output function (Steele, Lea & Flood 2014).
uint64_t splitmix64(uint64_t x);

// Seed of a stream's draws for one image: splitmix64(stream ^ splitmix64(image)). Streams
// redrawn per image use it, so an image's draws depend on the seed, the component and
// the image index only, never on the images simulated before it.
inline uint64_t image_stream_seed(uint64_t stream, uint64_t image) { return splitmix64(stream ^ splitmix64(image)); }

// std::generate_canonical<double, 53> of an engine whose draw was `draw` (64-bit engines).
double canonical_double(uint64_t draw);

// A Bernoulli(p) process over a sequence of positions (bits, MTJs, reads), sampled by
// the gaps between events: visiting n positions costs O(1 + events), not O(n). The gap
// left over at the end of one call carries to the next, so the process is the same
// however the positions are split into calls.
class BernoulliGaps {
 public:
  static constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();

  BernoulliGaps(uint64_t seed, double p) : rng_(seed) { set_probability(p); }

  double probability() const { return p_; }
  // Restarts the process from a new seed (the pending gap is redrawn).
  void reseed(uint64_t seed) {
    rng_.seed(seed);
    gap_ = draw_gap();
  }
  // Changing p restarts the gap (valid by memorylessness).
  void set_probability(double p);

  static constexpr double kNeverGap = 1.8e19;  // gaps from here on are kNever (beyond uint64_t)
  // A uniform draw u at or above this gives a gap of kNever for log_q = log(1 - p): the
  // logarithm is skipped for such draws (nearly all of them at the memories' tiny rates).
  static double never_threshold(double log_q);

  // Calls on_event(i) for each event among positions 0 .. n-1 of the next n positions.
  template <typename F>
  void for_each_event(uint64_t n, F&& on_event) {
    uint64_t pos = 0;
    while (gap_ != kNever && gap_ < n - pos) {
      pos += gap_;
      on_event(pos);
      ++pos;
      gap_ = draw_gap();
    }
    if (gap_ != kNever) gap_ -= n - pos;
  }

  // Replaces `positions` with the events among the next n positions, in increasing order.
  void draw_events(uint64_t n, std::vector<uint64_t>& positions) {
    positions.clear();
    for_each_event(n, [&](uint64_t pos) { positions.push_back(pos); });
  }

  // Number of events among the next n positions (positions not reported).
  uint64_t count_events(uint64_t n) {
    uint64_t events = 0;
    for_each_event(n, [&](uint64_t) { ++events; });
    return events;
  }

 private:
  friend class ReseedBatch;
  uint64_t draw_gap();

  MersenneTwister64 rng_;  // std::mt19937_64's sequence
  double p_ = 0;
  double log_q_ = 0;       // log(1 - p)
  double never_from_ = 2;  // draws u at or above this give kNever without computing the gap
  uint64_t gap_ = kNever;
};

// Processes to reseed at the start of an image, gathered from many components (every weight
// array of a core) and reseeded together: the seeding chains of all of them run side by
// side (vectorised where the CPU has 64-bit vector multiplies), which is the cost of a
// per-image restart. The draws are those of reseeding each process on its own.
class ReseedBatch {
 public:
  void add(BernoulliGaps& process, uint64_t seed) {
    processes_.push_back(&process);
    seeds_.push_back(seed);
  }
  // Reseeds every process added, then forgets them.
  void run();

 private:
  std::vector<BernoulliGaps*> processes_;
  std::vector<uint64_t> seeds_, words_, word1_;
};

}  // namespace scbnn
