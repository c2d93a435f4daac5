#pragma once
// The benchmark's yardstick (issue 19): a dense binarized network's inference as fast as this
// machine does it, written independently of the platform: no code of models/ (no row kernels,
// SNG bank, stream seeding or rescaling helpers) and no SystemC; only the network file's
// struct (stimuli/network.h). Its own parts:
// - weights re-laid eight rows to a group, word-major inside the group, so one 512-bit load
//   holds the same word of eight rows: a step is one XOR and one popcount for eight rows;
// - popcount kernels for AVX-512 VPOPCNTDQ, AVX2 (nibble table) and scalar popcnt, each
//   compiled with a function attribute and picked from the CPU (or forced, to time each);
// - the documented SNG (docs/stochastic-input.md): per input a 16-bit Galois LFSR (taps 16,
//   15, 13, 4) seeded from the master seed and "accel.core.sng.source_<i>", threshold =
//   state >> 8, bit = pixel > threshold, stream position image x N + sample; all inputs'
//   states stepped together as a vector, 32 comparisons per instruction;
// - the documented first-layer rescaling for M summed samples (threshold x M / 255 rounded
//   up for >=, down for <=; an output layer 0's offset rounded to nearest).
// Images must be classified in order from image 0 (the LFSRs free-run from there).

// GCC 12's AVX-512 intrinsics start from a deliberately undefined register, which
// -Wmaybe-uninitialized reports at every inlined use (this header is the bench's only).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "scbnn/stimuli/network.h"

namespace scbnn::bench::yardstick {

enum class Isa { scalar, avx2, avx512 };

inline const char* isa_name(Isa isa) {
  return isa == Isa::avx512 ? "AVX-512 VPOPCNTDQ" : isa == Isa::avx2 ? "AVX2 (vpshufb popcount)" : "scalar popcnt";
}

inline bool cpu_has(Isa isa) {
  __builtin_cpu_init();
  if (isa == Isa::avx512)
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vpopcntdq");
  if (isa == Isa::avx2) return __builtin_cpu_supports("avx2");
  return true;
}

inline Isa best_isa() { return cpu_has(Isa::avx512) ? Isa::avx512 : cpu_has(Isa::avx2) ? Isa::avx2 : Isa::scalar; }

// One layer's weights, groups of eight rows, word k of row 8g + r at w[(g * words + k) * 8 + r];
// padding rows and bits are zero.
struct PackedLayer {
  uint32_t inputs = 0, outputs = 0, words = 0, groups = 0;
  std::vector<uint64_t> w;

  explicit PackedLayer(const Layer& l) : inputs(l.inputs), outputs(l.outputs) {
    words = (inputs + 63) / 64;
    groups = (outputs + 7) / 8;
    w.assign(size_t(groups) * words * 8, 0);
    for (uint32_t j = 0; j < outputs; ++j) {
      const uint64_t* row = l.weights.row(j);
      for (uint32_t k = 0; k < words; ++k) {
        uint64_t v = row[k];
        if (k + 1 == words && inputs % 64) v &= (uint64_t(1) << (inputs % 64)) - 1;
        w[(size_t(j / 8) * words + k) * 8 + j % 8] = v;
      }
    }
  }
};

// miss[j] = popcount(w_j ^ x) for every row j (miss padded to groups x 8 entries); x must be
// zero beyond `inputs`.
inline void mismatches_scalar(const PackedLayer& l, const uint64_t* x, int32_t* miss) {
  for (uint32_t g = 0; g < l.groups; ++g) {
    int32_t c[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    const uint64_t* w = l.w.data() + size_t(g) * l.words * 8;
    for (uint32_t k = 0; k < l.words; ++k)
      for (uint32_t r = 0; r < 8; ++r) c[r] += __builtin_popcountll(w[k * 8 + r] ^ x[k]);
    for (uint32_t r = 0; r < 8; ++r) miss[g * 8 + r] = c[r];
  }
}

__attribute__((target("avx2"))) inline void mismatches_avx2(const PackedLayer& l, const uint64_t* x, int32_t* miss) {
  const __m256i table =
      _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  const __m256i low4 = _mm256_set1_epi8(0x0f);
  for (uint32_t g = 0; g < l.groups; ++g) {
    const uint64_t* w = l.w.data() + size_t(g) * l.words * 8;
    __m256i bytes_lo = _mm256_setzero_si256(), bytes_hi = _mm256_setzero_si256();
    __m256i acc_lo = _mm256_setzero_si256(), acc_hi = _mm256_setzero_si256();
    for (uint32_t k = 0; k < l.words; ++k) {
      const __m256i xk = _mm256_set1_epi64x(static_cast<long long>(x[k]));
      for (int half = 0; half < 2; ++half) {
        const __m256i d =
            _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + k * 8 + 4 * half)), xk);
        const __m256i c = _mm256_add_epi8(_mm256_shuffle_epi8(table, _mm256_and_si256(d, low4)),
                                          _mm256_shuffle_epi8(table, _mm256_and_si256(_mm256_srli_epi16(d, 4), low4)));
        (half ? bytes_hi : bytes_lo) = _mm256_add_epi8(half ? bytes_hi : bytes_lo, c);
      }
      if (k % 31 == 30 || k + 1 == l.words) {  // bytes hold at most 31 x 8 = 248
        acc_lo = _mm256_add_epi64(acc_lo, _mm256_sad_epu8(bytes_lo, _mm256_setzero_si256()));
        acc_hi = _mm256_add_epi64(acc_hi, _mm256_sad_epu8(bytes_hi, _mm256_setzero_si256()));
        bytes_lo = bytes_hi = _mm256_setzero_si256();
      }
    }
    alignas(32) int64_t c[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(c), acc_lo);
    _mm256_store_si256(reinterpret_cast<__m256i*>(c + 4), acc_hi);
    for (uint32_t r = 0; r < 8; ++r) miss[g * 8 + r] = int32_t(c[r]);
  }
}

__attribute__((target("avx512f,avx512vpopcntdq"))) inline void mismatches_avx512(const PackedLayer& l,
                                                                                 const uint64_t* x, int32_t* miss) {
  for (uint32_t g = 0; g < l.groups; ++g) {
    const uint64_t* w = l.w.data() + size_t(g) * l.words * 8;
    __m512i acc = _mm512_setzero_si512();
    for (uint32_t k = 0; k < l.words; ++k)
      acc = _mm512_add_epi64(acc, _mm512_popcnt_epi64(_mm512_xor_si512(
                                      _mm512_loadu_si512(w + k * 8), _mm512_set1_epi64(static_cast<long long>(x[k])))));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(miss + g * 8), _mm512_cvtepi64_epi32(acc));
  }
}

inline void mismatches(Isa isa, const PackedLayer& l, const uint64_t* x, int32_t* miss) {
  if (isa == Isa::avx512) return mismatches_avx512(l, x, miss);
  if (isa == Isa::avx2) return mismatches_avx2(l, x, miss);
  mismatches_scalar(l, x, miss);
}

inline uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
inline uint64_t named_seed(uint64_t master, const std::string& name) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : name) h = (h ^ c) * 0x100000001b3ull;
  return mix64(mix64(master) ^ h);
}

// The per-input LFSR16 stochastic number generator, all inputs stepped together.
class LfsrSng {
 public:
  LfsrSng(uint32_t inputs, uint64_t master_seed) : states_((inputs + 31) / 32 * 32, 1), inputs_(inputs) {
    for (uint32_t i = 0; i < inputs; ++i) {
      const uint16_t s = uint16_t(named_seed(master_seed, "accel.core.sng.source_" + std::to_string(i)) & 0xffff);
      states_[i] = s == 0 ? 1 : s;
    }
  }
  // The next sample of every input: bit i of `plane` = pixel i > its LFSR's next threshold.
  void next_plane(Isa isa, const uint16_t* pixels, uint64_t* plane) {
    if (isa == Isa::avx512) return next_plane_avx512(pixels, plane);
    step_all();
    for (uint32_t w = 0; w < (inputs_ + 63) / 64; ++w) {
      uint64_t bits = 0;
      for (uint32_t b = 0; b < 64 && w * 64 + b < inputs_; ++b)
        bits |= uint64_t(pixels[w * 64 + b] > (states_[w * 64 + b] >> 8)) << b;
      plane[w] = bits;
    }
  }

 private:
  static constexpr uint16_t kTaps = (1u << 15) | (1u << 14) | (1u << 12) | (1u << 3);
  void step_all() {
    for (auto& s : states_) s = uint16_t((s >> 1) ^ (-(s & 1u) & kTaps));
  }
  __attribute__((target("avx512f,avx512bw"))) void next_plane_avx512(const uint16_t* pixels, uint64_t* plane) {
    const __m512i taps = _mm512_set1_epi16(short(kTaps)), one = _mm512_set1_epi16(1);
    for (uint32_t i = 0; i < states_.size(); i += 32) {
      __m512i s = _mm512_loadu_si512(states_.data() + i);
      const __m512i low = _mm512_sub_epi16(_mm512_setzero_si512(), _mm512_and_si512(s, one));
      s = _mm512_xor_si512(_mm512_srli_epi16(s, 1), _mm512_and_si512(low, taps));
      _mm512_storeu_si512(states_.data() + i, s);
      const __mmask32 bits = _mm512_cmpgt_epu16_mask(_mm512_loadu_si512(pixels + i), _mm512_srli_epi16(s, 8));
      reinterpret_cast<uint32_t*>(plane)[i / 32] = bits;  // little-endian: 32-bit halves of the words
    }
  }

  std::vector<uint16_t> states_;  // padded to 32 inputs; padding pixels are 0, so their bits are 0
  uint32_t inputs_;
};

// Inference modes: fixed-point pixels (8 bit-planes shift-added), N stochastic samples summed
// before the first layer's decision, or the whole network run per sample with a majority vote.
enum class Mode { fixed, sc_sum, sc_vote };

class Kernel {
 public:
  Kernel(const Network& net, Mode mode, uint32_t samples, Isa isa, uint64_t sng_seed = 1)
      : net_(net), mode_(mode), n_(mode == Mode::fixed ? 8 : samples), isa_(isa), sng_(net.layers[0].inputs, sng_seed) {
    for (const Layer& l : net.layers) layers_.emplace_back(l);
    const Layer& first = net.layers[0];
    const uint32_t m = mode == Mode::sc_sum ? samples : 1;  // samples per first-layer decision
    for (uint32_t j = 0; j < first.outputs; ++j) {
      if (net.layers.size() > 1) {
        const double scaled = double(first.threshold[j]) * m / 255.0;
        threshold0_.push_back(mode == Mode::fixed
                                  ? first.threshold[j]
                                  : int32_t(first.direction[j] > 0 ? std::ceil(scaled) : std::floor(scaled)));
      } else {
        offset0_.push_back(mode == Mode::fixed ? first.offset[j]
                                               : int32_t(std::llround(double(first.offset[j]) * m / 255.0)));
      }
    }
    pixels_.assign((first.inputs + 31) / 32 * 32, 0);
    planes_.assign(n_, std::vector<uint64_t>((first.inputs + 63) / 64 + 1, 0));
    uint32_t widest = 0;
    for (const PackedLayer& l : layers_) widest = std::max(widest, l.groups * 8);
    miss_.assign(widest, 0);
    acc_.assign(widest, 0);
    bits_.assign(widest / 64 + 2, 0);
    votes_.assign(net.layers.back().outputs, 0);
  }

  Isa isa() const { return isa_; }

  uint32_t classify(const uint8_t* pixels) {
    const uint32_t inputs = net_.layers[0].inputs;
    if (mode_ == Mode::fixed) {
      if (isa_ == Isa::avx512) {
        bit_planes_avx512(pixels, inputs);
      } else {
        for (auto& p : planes_) std::fill(p.begin(), p.end(), 0);
        for (uint32_t i = 0; i < inputs; ++i)
          for (uint32_t b = 0; b < 8; ++b) planes_[b][i / 64] |= uint64_t((pixels[i] >> b) & 1u) << (i % 64);
      }
    } else {
      for (uint32_t i = 0; i < inputs; ++i) pixels_[i] = pixels[i];
      for (uint32_t n = 0; n < n_; ++n) sng_.next_plane(isa_, pixels_.data(), planes_[n].data());
    }
    if (mode_ != Mode::sc_vote) return run_from_planes(0, n_);
    std::fill(votes_.begin(), votes_.end(), 0);
    for (uint32_t n = 0; n < n_; ++n) ++votes_[run_from_planes(n, 1)];
    uint32_t best = 0;
    for (uint32_t c = 1; c < votes_.size(); ++c)
      if (votes_[c] > votes_[best]) best = c;
    return best;
  }

  // 64-bit XNOR-popcount words one inference takes (padding rows included: what is computed).
  uint64_t words_per_inference() const {
    uint64_t w = 0;
    for (size_t l = 0; l < layers_.size(); ++l)
      w += uint64_t(layers_[l].groups) * 8 * layers_[l].words * (l == 0 ? n_ : (mode_ == Mode::sc_vote ? n_ : 1));
    return w;
  }

 private:
  // Bit b of 64 pixels at once: one byte-mask test per plane word.
  __attribute__((target("avx512f,avx512bw"))) void bit_planes_avx512(const uint8_t* pixels, uint32_t inputs) {
    for (uint32_t w = 0; w * 64 < inputs; ++w) {
      const uint32_t n = std::min(64u, inputs - w * 64);
      const __mmask64 inside = n == 64 ? ~__mmask64(0) : (__mmask64(1) << n) - 1;
      const __m512i v = _mm512_maskz_loadu_epi8(inside, pixels + w * 64);
      for (uint32_t b = 0; b < 8; ++b) planes_[b][w] = _mm512_test_epi8_mask(v, _mm512_set1_epi8(char(1u << b)));
    }
  }

  // Layer 0 on planes first .. first + count - 1 (shift-added in fixed mode), then the rest.
  uint32_t run_from_planes(uint32_t first, uint32_t count) {
    const PackedLayer& l0 = layers_[0];
    std::fill(acc_.begin(), acc_.end(), 0);
    for (uint32_t p = first; p < first + count; ++p) {
      mismatches(isa_, l0, planes_[p].data(), miss_.data());
      const int64_t weight = mode_ == Mode::fixed ? int64_t(1) << p : 1;
      for (uint32_t j = 0; j < l0.outputs; ++j) acc_[j] += weight * (int64_t(l0.inputs) - 2 * miss_[j]);
    }
    for (size_t l = 0;; ++l) {
      const Layer& layer = net_.layers[l];
      if (l + 1 == net_.layers.size()) {
        uint32_t best = 0;
        int32_t best_score = 0;
        for (uint32_t j = 0; j < layer.outputs; ++j) {
          const int32_t s = int32_t(acc_[j] * layer.scale[j] + (l == 0 ? offset0_[j] : layer.offset[j]));
          if (j == 0 || s > best_score) best = j, best_score = s;
        }
        return best;
      }
      const std::vector<int32_t>& t = l == 0 ? threshold0_ : layer.threshold;
      std::fill(bits_.begin(), bits_.end(), 0);
      for (uint32_t j = 0; j < layer.outputs; ++j) {
        const bool fire = layer.direction[j] > 0 ? acc_[j] >= t[j] : acc_[j] <= t[j];
        bits_[j / 64] |= uint64_t(fire) << (j % 64);
      }
      const PackedLayer& next = layers_[l + 1];
      mismatches(isa_, next, bits_.data(), miss_.data());
      for (uint32_t j = 0; j < next.outputs; ++j) acc_[j] = int64_t(next.inputs) - 2 * miss_[j];
    }
  }

  const Network& net_;
  Mode mode_;
  uint32_t n_;
  Isa isa_;
  LfsrSng sng_;
  std::vector<PackedLayer> layers_;
  std::vector<int32_t> threshold0_, offset0_, miss_;
  std::vector<uint16_t> pixels_;
  std::vector<std::vector<uint64_t>> planes_;
  std::vector<int64_t> acc_;
  std::vector<uint64_t> bits_;
  std::vector<uint32_t> votes_;
};

// The machine's XNOR-popcount rate with `isa`: 64-bit words per second of the yardstick's
// own kernel on a 64-row x 512-bit layer (4 KiB, L1-resident), best of `seconds`.
template <class Clock>
double xnor_popcount_rate(Isa isa, double seconds) {
  Layer l;
  l.inputs = 512;
  l.outputs = 64;
  l.weights = BitMatrix(64, 512);
  for (uint32_t r = 0; r < 64; ++r)
    for (uint32_t i = 0; i < 512; ++i) l.weights.set(r, i, ((r * 7 + i * 13) % 5) < 2);
  const PackedLayer packed(l);
  std::vector<uint64_t> x(8);
  for (size_t k = 0; k < x.size(); ++k) x[k] = 0x9E3779B97F4A7C15ull * (k + 1);
  std::vector<int32_t> miss(64);
  int64_t sink = 0;
  uint64_t words = 0;
  const auto t0 = Clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    for (int r = 0; r < 1000; ++r) {
      x[r & 7] ^= uint64_t(r);  // a changing input keeps the work from being hoisted
      mismatches(isa, packed, x.data(), miss.data());
      sink += miss[r & 63];
    }
    words += 1000ull * 64 * 8;
    elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  }
  if (sink == 42) std::puts("");
  return double(words) / elapsed;
}

}  // namespace scbnn::bench::yardstick
