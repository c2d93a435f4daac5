// The LFSR source kind: a Galois LFSR of accel.sng.lfsr_width bits per source.
#include <stdexcept>

#include "scbnn/base/target_attributes.h"
#include "scbnn/models/row_kernels.h"
#include "scbnn/models/sng.h"

namespace scbnn {

uint64_t lfsr_tap_mask(uint32_t width) {
  static const std::vector<std::vector<uint32_t>> taps = {
      {8, 6, 5, 4}, {9, 5},          {10, 7},          {11, 9},       {12, 6, 4, 1}, {13, 4, 3, 1}, {14, 5, 3, 1},
      {15, 14},     {16, 15, 13, 4}, {17, 14},         {18, 11},      {19, 6, 2, 1}, {20, 17},      {21, 19},
      {22, 21},     {23, 18},        {24, 23, 22, 17}, {25, 22},      {26, 6, 2, 1}, {27, 5, 2, 1}, {28, 25},
      {29, 27},     {30, 6, 4, 1},   {31, 28},         {32, 22, 2, 1}};
  if (width < 8 || width > 32)
    throw std::invalid_argument("accel.sng.lfsr_width = " + std::to_string(width) +
                                " has no tap table (supported: 8 to 32)");
  uint64_t mask = 0;
  for (uint32_t t : taps[width - 8]) mask |= uint64_t(1) << (t - 1);
  return mask;
}

LfsrSource::LfsrSource(uint32_t width, uint64_t seed)
    : width_(width), mask_((uint64_t(1) << width) - 1), taps_(lfsr_tap_mask(width)), start_(seed & mask_) {
  if (start_ == 0) start_ = 1;  // the all-zero state is the LFSR's only fixed point
  state_ = start_;
}

uint64_t LfsrSource::step() {
  state_ = (state_ >> 1) ^ (-(state_ & 1) & taps_);
  return state_;
}

uint8_t LfsrSource::next() { return uint8_t(step() >> (width_ - 8)); }

uint8_t LfsrSource::next_after(uint32_t steps) {
  for (uint32_t s = 0; s < steps; ++s) state_ = (state_ >> 1) ^ (-(state_ & 1) & taps_);
  return uint8_t(state_ >> (width_ - 8));
}

namespace {
// Product of two GF(2) matrices given by their columns: column j of a x b is a (b_j).
uint64_t apply_columns(const std::vector<uint64_t>& columns, uint64_t v) {
  uint64_t out = 0;
  for (size_t j = 0; v; ++j, v >>= 1)
    if (v & 1) out ^= columns[j];
  return out;
}
std::vector<uint64_t> multiply(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  std::vector<uint64_t> c(b.size());
  for (size_t j = 0; j < b.size(); ++j) c[j] = apply_columns(a, b[j]);
  return c;
}
}  // namespace

LfsrJump::LfsrJump(uint32_t width, uint64_t steps) : columns_(width) {
  std::vector<uint64_t> base(width);  // one step: bit j moves to j - 1; bit 0 feeds the taps
  base[0] = lfsr_tap_mask(width);
  for (uint32_t j = 1; j < width; ++j) base[j] = uint64_t(1) << (j - 1);
  for (uint32_t j = 0; j < width; ++j) columns_[j] = uint64_t(1) << j;
  for (; steps; steps >>= 1) {
    if (steps & 1) columns_ = multiply(base, columns_);
    if (steps > 1) base = multiply(base, base);
  }
}

uint64_t LfsrJump::apply(uint64_t state) const { return apply_columns(columns_, state); }

namespace {

// One step of `count` Galois LFSRs side by side (structure of arrays) and their numbers: a
// shift, an AND and an XOR per source, vectorised. One plain loop compiled twice (baseline
// x86-64, AVX-512: sixteen sources per instruction), picked with the row kernels (SCBNN_ISA).
#define SCBNN_LFSR_STEP_BODY                                              \
  for (size_t s = 0; s < count; ++s) {                                    \
    const uint32_t x = (state[s] >> 1) ^ ((0u - (state[s] & 1u)) & taps); \
    state[s] = x;                                                         \
    out[s] = uint8_t(x >> shift);                                         \
  }
void step_lfsrs_baseline(uint32_t* __restrict state, uint8_t* __restrict out, size_t count, uint32_t taps,
                         uint32_t shift) {
  SCBNN_LFSR_STEP_BODY
}
__attribute__((target("avx512f,avx512bw" SCBNN_VECTOR_WIDTH_512))) void step_lfsrs_avx512(uint32_t* __restrict state,
                                                                                          uint8_t* __restrict out,
                                                                                          size_t count, uint32_t taps,
                                                                                          uint32_t shift) {
  SCBNN_LFSR_STEP_BODY
}
#undef SCBNN_LFSR_STEP_BODY

// The bank's next `samples` numbers of every LFSR: the states gathered into one array,
// stepped together, written back.
void lfsr_next_all(const std::vector<std::unique_ptr<RandomSource>>& sources, const SngParams& p, uint32_t samples,
                   uint8_t* values) {
  static const auto step = [] {
    return row_kernels().isa == KernelIsa::avx512 ? step_lfsrs_avx512 : step_lfsrs_baseline;  // F and BW included
  }();
  const size_t count = sources.size();
  std::vector<uint32_t> state(count);  // widths up to 32 bits
  for (size_t s = 0; s < count; ++s) state[s] = uint32_t(static_cast<const LfsrSource&>(*sources[s]).state());
  const auto taps = uint32_t(lfsr_tap_mask(p.lfsr_width));
  for (uint32_t n = 0; n < samples; ++n) step(state.data(), values + size_t(n) * count, count, taps, p.lfsr_width - 8);
  for (size_t s = 0; s < count; ++s) static_cast<LfsrSource&>(*sources[s]).set_state(state[s]);
}

SngSourceRegistrar registrar(
    "lfsr",
    {"LFSR (maximal-length Galois LFSR of accel.sng.lfsr_width bits, top 8 bits compared)",
     "Alaghi & Hayes 2013 (LFSR + comparator); taps: Xilinx XAPP052",
     /*deterministic=*/false,
     /*uses_lfsr_width=*/true,
     {"lfsr",
      "bit",
      "LFSR random source, per register bit",
      {{"bit_step", Pricing::per_event, Stage::sng,
        "one register bit shifted (one source step of a w-bit LFSR counts w)"}}},
     "bit_step",
     [](const SngParams& p, uint64_t seed, uint32_t) { return std::make_unique<LfsrSource>(p.lfsr_width, seed); },
     [](const SngParams& p) { return p.lfsr_width; },
     [](const SngParams& p) { return p.lfsr_width; },
     [](const SngParams& p) { return double(p.lfsr_width); },
     [](uint32_t sources, const SngParams& p) {
       return std::to_string(sources) + " sources of " + std::to_string(p.lfsr_width) + " bits";
     },
     [](const SngParams& p) { lfsr_tap_mask(p.lfsr_width); },
     // One matrix power serves every LFSR of the bank.
     [](const std::vector<std::unique_ptr<RandomSource>>& sources, const SngParams& p, uint64_t position) {
       const LfsrJump jump(p.lfsr_width, position);
       for (const auto& s : sources) static_cast<LfsrSource&>(*s).jump_from_start(jump);
     },
     /*fresh_bits_per_step=*/1,
     lfsr_next_all});

}  // namespace

SCBNN_LINK_ANCHOR(sng_source, lfsr)

}  // namespace scbnn
