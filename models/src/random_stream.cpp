#include "scbnn/models/random_stream.h"

#include <algorithm>
#include <cmath>
#include "scbnn/base/target_attributes.h"
#include "scbnn/models/row_kernels.h"

namespace scbnn {

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

uint64_t stream_seed(uint64_t master_seed, const std::string& name) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a of the name
  for (unsigned char c : name) h = (h ^ c) * 0x100000001b3ull;
  return splitmix64(splitmix64(master_seed) ^ h);
}

namespace {

// Runs the seeding chains of n engines side by side (structure of arrays): word[j] starts as
// seed j; after the call word1[j] and word156[j] hold seed words 1 and 156 of chain j. One
// plain loop compiled twice: baseline x86-64 and AVX-512 DQ (vpmullq, eight chains per
// instruction), picked with the row kernels (SCBNN_ISA) and the CPU.
#define SCBNN_SEEDING_CHAINS_BODY                                                                      \
  for (size_t i = 1; i <= MersenneTwister64::kShift; ++i) {                                            \
    for (size_t j = 0; j < n; ++j) word[j] = 6364136223846793005ull * (word[j] ^ (word[j] >> 62)) + i; \
    if (i == 1)                                                                                        \
      for (size_t j = 0; j < n; ++j) word1[j] = word[j];                                               \
  }
void seeding_chains_baseline(uint64_t* __restrict word, uint64_t* __restrict word1, size_t n) {
  SCBNN_SEEDING_CHAINS_BODY
}
__attribute__((target("avx512f,avx512dq" SCBNN_VECTOR_WIDTH_512))) void seeding_chains_avx512(
    uint64_t* __restrict word, uint64_t* __restrict word1, size_t n) {
  SCBNN_SEEDING_CHAINS_BODY
}
#undef SCBNN_SEEDING_CHAINS_BODY

using SeedingChainsFn = void (*)(uint64_t*, uint64_t*, size_t);
SeedingChainsFn seeding_chains() {
  static const SeedingChainsFn chosen = [] {
    __builtin_cpu_init();
    return row_kernels().isa == KernelIsa::avx512 && __builtin_cpu_supports("avx512dq") ? seeding_chains_avx512
                                                                                        : seeding_chains_baseline;
  }();
  return chosen;
}

}  // namespace

void ReseedBatch::run() {
  const size_t n = processes_.size();
  words_.assign(seeds_.begin(), seeds_.end());  // become seed word 156 of each chain
  word1_.resize(n);
  seeding_chains()(words_.data(), word1_.data(), n);
  for (size_t j = 0; j < n; ++j) {
    BernoulliGaps& g = *processes_[j];
    g.rng_.seed_sparse(seeds_[j], word1_[j], words_[j]);
    g.gap_ = g.draw_gap();
  }
  processes_.clear();
  seeds_.clear();
}

void BernoulliGaps::set_probability(double p) {
  if (p != p_ || log_q_ == 0) {  // the logarithms once per rate (retention sets its rate every image)
    p_ = p;
    log_q_ = p > 0 && p < 1 ? std::log1p(-p) : 0;
    never_from_ = p > 0 && p < 1 ? never_threshold(log_q_) : 2;
  }
  gap_ = draw_gap();
}

// The gap is kNever once log1p(-u) / log(1 - p) >= kNeverGap, i.e. from u0 = 1 - (1 - p)^kNeverGap
// on. Above u0 (1 + 1e-9) the quotient exceeds kNeverGap by a relative 1e-9 at least (the
// log's relative growth is at least u's), far beyond the few ulps by which log1p, the
// division and expm1 may err, so the exact computation would give kNever too.
double BernoulliGaps::never_threshold(double log_q) {
  const double u0 = -std::expm1(kNeverGap * log_q);
  return u0 * (1 + 1e-9);  // at or above 1: draws never take the shortcut
}

// std::generate_canonical<double, 53> of a 64-bit engine, computed as libstdc++ does it
// (the draw converted to double, scaled by 2^-64, kept below 1) without the long-double
// logarithms it evaluates on every call; tested equal to it.
double canonical_double(uint64_t draw) {
  const double u = double(draw) * 0x1p-64;
  return u < 1.0 ? u : std::nextafter(1.0, 0.0);
}

// Inverse-transform geometric sampling. std::geometric_distribution computes log(1 - p),
// which is 0 for p below ~1e-16 (and then divides by it); log1p keeps tiny rates exact.
uint64_t BernoulliGaps::draw_gap() {
  if (p_ <= 0) return kNever;
  if (p_ >= 1) return 0;
  const double u = canonical_double(rng_());
  if (u >= never_from_) return kNever;                   // tiny rates: the usual draw, without the logarithm
  const double g = std::floor(std::log1p(-u) / log_q_);  // u in [0,1): log1p(-u) in (-inf, 0]
  return g >= kNeverGap ? kNever : uint64_t(g);
}

}  // namespace scbnn
