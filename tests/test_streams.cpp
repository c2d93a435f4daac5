// Random streams as docs/stochastic-input.md and docs/memory-model.md define them: the
// documented values from an independent re-implementation, and every image's draws a
// function of the seed, the component and the image index only (two halves of a run
// equal the whole).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "scbnn/models/mram_array.h"
#include "scbnn/models/mt19937_64.h"
#include "scbnn/models/random_stream.h"
#include "scbnn/models/sng.h"

using namespace scbnn;

namespace {

// ---- Independent re-implementation of the documented streams (no model code). ----
uint64_t doc_splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
uint64_t doc_stream_seed(uint64_t master, const std::string& name) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : name) h = (h ^ c) * 0x100000001b3ull;
  return doc_splitmix64(doc_splitmix64(master) ^ h);
}
// Width-16 Galois LFSR, taps 16, 15, 13, 4 (bits 15, 14, 12, 3), shifting right; steps
// `position` times from the start state, then once more for the number.
uint8_t doc_lfsr16(uint64_t seed, uint64_t position) {
  uint64_t s = seed & 0xffff;
  if (s == 0) s = 1;
  const uint64_t taps = (1u << 15) | (1u << 14) | (1u << 12) | (1u << 3);
  for (uint64_t k = 0; k <= position; ++k) s = (s >> 1) ^ ((s & 1) ? taps : 0);
  return uint8_t(s >> 8);
}
uint8_t doc_vdc(uint32_t source, uint64_t position, uint32_t samples) {
  uint32_t v = uint32_t((position % samples + 37u * source) & 0xff), r = 0;
  for (int b = 0; b < 8; ++b, v >>= 1) r = (r << 1) | (v & 1);
  return uint8_t(r);
}
uint8_t doc_ideal(uint64_t seed, uint64_t position) {
  return uint8_t(doc_splitmix64(seed + (position + 1) * 0x9e3779b97f4a7c15ull) >> 56);
}

// The threshold r of input `input` at stream position p, read back from the comparator:
// the smallest pixel value whose bit is 1 is r + 1.
std::vector<uint8_t> thresholds_seen(SngBank& bank, uint32_t input, uint64_t image, uint32_t samples) {
  std::vector<uint8_t> r(samples, 255);
  std::vector<std::vector<uint64_t>> out;
  for (uint32_t x = 256; x-- > 0;) {
    std::vector<uint8_t> px(bank.inputs(), uint8_t(x));
    bank.seek_image(image, samples);
    bank.generate(px.data(), bank.inputs(), samples, out);
    for (uint32_t n = 0; n < samples; ++n)
      if ((out[n][input / 64] >> (input % 64)) & 1) r[n] = uint8_t(x - 1);
  }
  return r;
}

}  // namespace

TEST(DocumentedStreams, LfsrFirstNumbersForSeedOneAndTheSngName) {
  const uint64_t seed = doc_stream_seed(1, "accel.core.sng.source_0");
  EXPECT_EQ(seed, 0x660c25ac04f9719cull);  // docs/stochastic-input.md
  EXPECT_EQ(stream_seed(1, "accel.core.sng.source_0"), seed);
  const std::vector<uint8_t> documented = {56, 28, 222, 191, 143, 71};
  for (uint64_t p = 0; p < documented.size(); ++p) EXPECT_EQ(doc_lfsr16(seed, p), documented[p]) << p;
  SngParams params;  // lfsr, width 16, per input, seed 1
  SngBank bank("accel.core.sng", params, 4);
  EXPECT_EQ(thresholds_seen(bank, 0, 0, 6), documented);
  // Image 3 of N = 5 samples starts at stream position 15 (the LFSR free-runs).
  const std::vector<uint8_t> image3 = thresholds_seen(bank, 2, 3, 5);
  for (uint64_t n = 0; n < 5; ++n)
    EXPECT_EQ(image3[n], doc_lfsr16(doc_stream_seed(1, "accel.core.sng.source_2"), 15 + n)) << n;
}

TEST(DocumentedStreams, VanDerCorputAndIdealSources) {
  SngParams params;
  params.source = "sobol";
  SngBank vdc("accel.core.sng", params, 4);
  const std::vector<uint8_t> seen = thresholds_seen(vdc, 3, 7, 8);
  for (uint32_t n = 0; n < 8; ++n) EXPECT_EQ(seen[n], doc_vdc(3, 7 * 8 + n, 8)) << n;
  params.source = "ideal";
  SngBank ideal("accel.core.sng", params, 4);
  const std::vector<uint8_t> drawn = thresholds_seen(ideal, 1, 2, 6);
  const uint64_t seed = doc_stream_seed(1, "accel.core.sng.source_1");
  for (uint32_t n = 0; n < 6; ++n) EXPECT_EQ(drawn[n], doc_ideal(seed, 2 * 6 + n)) << n;
  EXPECT_EQ(doc_ideal(doc_stream_seed(1, "accel.core.sng.source_0"), 0), 9);  // docs/stochastic-input.md
}

TEST(DocumentedStreams, LfsrJumpEqualsSteppingForEveryWidth) {
  for (uint32_t w = 8; w <= 32; ++w)
    for (uint64_t steps : {0ull, 1ull, 7ull, 1000ull, 4097ull}) {
      LfsrSource stepped(w, 12345), jumped(w, 12345);
      for (uint64_t k = 0; k < steps; ++k) stepped.step();
      jumped.seek(steps, 0);
      EXPECT_EQ(jumped.state(), stepped.state()) << "width " << w << " steps " << steps;
    }
}

namespace {

using Streams = std::vector<std::vector<uint64_t>>;

std::vector<Streams> run_images(const SngParams& p, uint32_t inputs, uint64_t first, uint64_t count, uint32_t samples) {
  SngBank bank("accel.core.sng", p, inputs);
  std::vector<uint8_t> px(inputs);
  for (uint32_t i = 0; i < inputs; ++i) px[i] = uint8_t(37 * i + 11);
  std::vector<Streams> out(count);
  for (uint64_t k = 0; k < count; ++k) {
    bank.seek_image(first + k, samples);
    bank.generate(px.data(), inputs, samples, out[k]);
  }
  return out;
}

}  // namespace

TEST(SplitRuns, SngStreamsOfTwoHalvesEqualTheWhole) {
  for (const std::string& source : sng_source_names())
    for (SngSharing sharing : {SngSharing::per_input, SngSharing::shared_offset, SngSharing::shared_rotate})
      for (uint32_t samples : {1u, 5u, 16u}) {
        SngParams p;
        p.source = source;
        p.sharing = sharing;
        p.shared_sources = sharing == SngSharing::per_input ? 1 : 3;
        const uint32_t inputs = 70;  // shared_offset delays reach 23 samples back, over image boundaries
        const auto whole = run_images(p, inputs, 0, 20, samples);
        const auto first = run_images(p, inputs, 0, 10, samples), second = run_images(p, inputs, 10, 10, samples);
        for (size_t k = 0; k < 10; ++k) {
          EXPECT_EQ(first[k], whole[k]) << source << "/" << int(sharing) << " N " << samples << " image " << k;
          EXPECT_EQ(second[k], whole[10 + k])
              << source << "/" << int(sharing) << " N " << samples << " image " << 10 + k;
        }
      }
}

namespace {

struct ImageReads {
  std::vector<uint64_t> sensed;  // every row as sensed, in order
  uint64_t read_events = 0, disturb_events = 0, flip_events = 0;
};

// Programs a fixed pattern into a fresh array, then senses every row once per image for
// images [first, first + count).
std::vector<ImageReads> read_images(const MramParams& p, uint64_t first, uint64_t count) {
  MramArray a("split_array", 64, 128, p);
  std::mt19937_64 pattern(99);
  for (uint32_t r = 0; r < 64; ++r)
    for (uint32_t w = 0; w < 2; ++w) a.program(r, w, pattern(), ~uint64_t(0), WritePulse{});
  std::vector<ImageReads> out(count);
  ErrorTally before;
  for (uint64_t k = 0; k < count; ++k) {
    a.begin_inference(sc_core::SC_ZERO_TIME, first + k);
    const SensedRows rows = a.sense_rows(0, 64, 2);
    for (uint32_t r = 0; r < 64; ++r) out[k].sensed.insert(out[k].sensed.end(), rows.row(r), rows.row(r) + 2);
    ErrorTally now;
    a.collect_errors(now);
    out[k].read_events = now["read"].events - before["read"].events;
    out[k].disturb_events = now["disturb"].events - before["disturb"].events;
    out[k].flip_events = now["inference_flip"].events - before["inference_flip"].events;
    before = now;
  }
  return out;
}

void expect_split_equals_whole(const MramParams& p, bool compare_sensed, const std::string& what) {
  const auto whole = read_images(p, 0, 12);
  const auto second = read_images(p, 6, 6);
  uint64_t events = 0;
  for (size_t k = 0; k < 6; ++k) {
    const ImageReads &w = whole[6 + k], &s = second[k];
    if (compare_sensed) {
      EXPECT_EQ(s.sensed, w.sensed) << what << " image " << 6 + k;
    }
    EXPECT_EQ(s.read_events, w.read_events) << what << " image " << 6 + k;
    EXPECT_EQ(s.disturb_events, w.disturb_events) << what << " image " << 6 + k;
    EXPECT_EQ(s.flip_events, w.flip_events) << what << " image " << 6 + k;
    events += w.read_events + w.disturb_events + w.flip_events;
  }
  EXPECT_GT(events, 0u) << what << ": the test needs errors to compare";
}

}  // namespace

TEST(SplitRuns, MemoryErrorDrawsOfTwoHalvesEqualTheWhole) {
  MramParams read;  // sense decision errors only: 1T1R with a large SA offset
  read.cell = CellType::one_t_one_r;
  read.sa.offset_sigma_ohm = 2000;
  expect_split_equals_whole(read, true, "read decision errors");

  MramParams flips;
  flips.error_mode = MramErrorMode::per_inference;
  flips.ber = 0.01;
  expect_split_equals_whole(flips, true, "per-inference flips");

  // Read disturb: the draws (events per image) are positioned by the image; the flipped
  // MTJs stay flipped, a history a split run does not have (docs/memory-model.md).
  MramParams disturb;
  disturb.read_current_ua = 45;
  disturb.mtj.delta = 40;
  expect_split_equals_whole(disturb, false, "read disturb");
}

// ---- The lazily seeded engine against the standard one it replaces. ----

TEST(MersenneTwister64, EqualsTheStandardEngineAcrossBlocksAndReseeds) {
  const uint64_t seeds[] = {0, 1, 5489, 0x123456789abcdefull, ~uint64_t(0), doc_splitmix64(7)};
  MersenneTwister64 lazy;
  for (uint64_t seed : seeds) {
    std::mt19937_64 standard(seed);
    lazy.seed(seed);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(lazy(), standard()) << "seed " << seed << ", output " << i;
  }
  std::mt19937_64 standard;  // default seed
  MersenneTwister64 fresh;
  for (int i = 0; i < 400; ++i) ASSERT_EQ(fresh(), standard());
}

namespace {
struct FixedDraw {               // an engine that always draws v
  using result_type = uint64_t;  // NOLINT(readability-identifier-naming): the standard's name
  uint64_t v;
  static constexpr uint64_t min() { return 0; }
  static constexpr uint64_t max() { return ~uint64_t(0); }
  uint64_t operator()() const { return v; }
};
}  // namespace

TEST(BernoulliGaps, CanonicalDoubleIsTheStandardLibrarys) {
  std::mt19937_64 a(7), b(7);
  for (int i = 0; i < 200000; ++i) ASSERT_EQ(canonical_double(a()), (std::generate_canonical<double, 53>(b))) << i;
  // The extremes: 0, the largest draws (rounding up to 2^64) and just below.
  for (uint64_t v : {uint64_t(0), uint64_t(1), ~uint64_t(0), ~uint64_t(0) - 1024, ~uint64_t(0) - 4096,
                     uint64_t(1) << 63, (uint64_t(1) << 63) + 1}) {
    FixedDraw f{v};
    EXPECT_EQ(canonical_double(v), (std::generate_canonical<double, 53>(f))) << v;
  }
}

TEST(MersenneTwister64, DiscardAndCanonicalDrawsMatchTheStandardEngine) {
  std::mt19937_64 standard(99);
  MersenneTwister64 lazy(99);
  standard.discard(500);
  lazy.discard(500);
  for (int i = 0; i < 50; ++i)
    ASSERT_EQ((std::generate_canonical<double, 53>(lazy)), (std::generate_canonical<double, 53>(standard)));
}

TEST(MersenneTwister64, SparseSeedingEqualsTheStandardEngine) {
  for (uint64_t seed : {uint64_t(0), uint64_t(3), uint64_t(0xfedcba9876543210ull)}) {
    uint64_t w = seed, word1 = 0;
    for (size_t i = 1; i <= MersenneTwister64::kShift; ++i) {
      w = MersenneTwister64::seeding_step(w, i);
      if (i == 1) word1 = w;
    }
    MersenneTwister64 sparse;
    sparse.seed_sparse(seed, word1, w);
    std::mt19937_64 standard(seed);
    for (int i = 0; i < 700; ++i) ASSERT_EQ(sparse(), standard()) << "seed " << seed << ", output " << i;
  }
}

TEST(BernoulliGaps, AReseedBatchEqualsReseedingOneByOne) {
  for (size_t count : {size_t(1), size_t(7), size_t(8), size_t(9), size_t(108)}) {
    std::vector<BernoulliGaps> batched, alone;
    for (size_t j = 0; j < count; ++j) {
      batched.emplace_back(1, 0.003 * double(j % 17 + 1));
      alone.emplace_back(1, 0.003 * double(j % 17 + 1));
    }
    ReseedBatch batch;
    for (size_t j = 0; j < count; ++j) batch.add(batched[j], doc_splitmix64(500 + j));
    batch.run();
    for (size_t j = 0; j < count; ++j) {
      alone[j].reseed(doc_splitmix64(500 + j));
      std::vector<uint64_t> a, b;
      batched[j].draw_events(100000, a);
      alone[j].draw_events(100000, b);
      ASSERT_EQ(a, b) << count << " processes, process " << j;
    }
  }
}

// The shortcut for draws whose gap is beyond any run: every u from the threshold on gives a
// gap of at least kNeverGap by the exact formula (the threshold's margin covers rounding).
TEST(BernoulliGaps, DrawsAboveTheNeverThresholdHaveEndlessGaps) {
  std::mt19937_64 rng(5);
  for (double p : {1e-300, 1e-40, 1.5e-28, 1.4e-21, 4.8e-23, 1e-20, 3e-20, 5e-20, 1e-19, 1e-18, 1e-12, 1e-3}) {
    const double log_q = std::log1p(-p), threshold = BernoulliGaps::never_threshold(log_q);
    const auto gap = [&](double u) { return std::floor(std::log1p(-u) / log_q); };
    if (threshold >= 1) continue;  // no shortcut at this rate
    double u = threshold;
    for (int k = 0; k < 2000; ++k, u = std::nextafter(u, 1.0))
      ASSERT_GE(gap(u), BernoulliGaps::kNeverGap) << p << " " << u;
    for (int k = 0; k < 20000; ++k) {
      const double v = threshold + (1 - threshold) * std::generate_canonical<double, 53>(rng);
      ASSERT_GE(gap(v), BernoulliGaps::kNeverGap) << p << " " << v;
    }
    // The margin is small: just below the threshold / (1 + 1e-8) the gap is finite.
    EXPECT_LT(gap(threshold / (1 + 1e-8)), BernoulliGaps::kNeverGap) << p;
  }
}
