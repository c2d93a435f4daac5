#include "scbnn/models/row_kernels.h"

// GCC 12's AVX-512 intrinsics start from a deliberately undefined register
// (_mm512_undefined_epi32), which -Wmaybe-uninitialized reports at every inlined use.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <cstdlib>
#include <cstring>

#include "scbnn/base/errors.h"
#include "scbnn/base/target_attributes.h"
#include "scbnn/models/bit_kernels.h"

namespace scbnn {
namespace {

// ---- Scalar: one 64-bit popcount per word. Whole-word rows of up to four words keep the
// input in registers across the rows (the common tile widths). ----

template <uint32_t W>
void dot_words_scalar(const uint64_t* rows, size_t stride, uint32_t n, const uint64_t* x, int32_t* out) {
  uint64_t xw[W];
  for (uint32_t k = 0; k < W; ++k) xw[k] = x[k];
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t* w = rows + i * stride;
    int32_t agree = 0;
    for (uint32_t k = 0; k < W; ++k) agree += popcount64(~(w[k] ^ xw[k]));
    out[i] = 2 * agree - int32_t(64 * W);
  }
}

void dot_rows_scalar(const uint64_t* rows, size_t stride, uint32_t n, const uint64_t* x, uint32_t bits, int32_t* out) {
  switch (bits) {
    case 64: return dot_words_scalar<1>(rows, stride, n, x, out);
    case 128: return dot_words_scalar<2>(rows, stride, n, x, out);
    case 192: return dot_words_scalar<3>(rows, stride, n, x, out);
    case 256: return dot_words_scalar<4>(rows, stride, n, x, out);
    default:
      for (uint32_t i = 0; i < n; ++i) out[i] = pm1_dot(rows + i * stride, x, bits);
  }
}

// Eight bytes' bit `plane` per multiply: the masked bits sit at 8k; x 0x0102040810204080
// moves bit 8k to 56 + k without carries (every other product lands on its own bit).
void bit_plane_scalar(const uint8_t* bytes, uint32_t n, uint32_t plane, uint64_t* out) {
  for (uint32_t w = 0; w * 64 < n; ++w) {
    uint64_t word = 0;
    const uint32_t in_word = n - w * 64 < 64 ? n - w * 64 : 64;
    uint32_t k = 0;
    for (; k + 8 <= in_word; k += 8) {
      uint64_t v;
      std::memcpy(&v, bytes + w * 64 + k, 8);
      word |= ((((v >> plane) & 0x0101010101010101ull) * 0x0102040810204080ull) >> 56) << k;
    }
    for (; k < in_word; ++k) word |= uint64_t((bytes[w * 64 + k] >> plane) & 1u) << k;
    out[w] = word;
  }
}

void less_plane_scalar(const uint8_t* a, const uint8_t* b, uint32_t n, uint64_t* out) {
  for (uint32_t w = 0; w * 64 < n; ++w) {
    uint64_t word = 0;
    const uint32_t in_word = n - w * 64 < 64 ? n - w * 64 : 64;
    for (uint32_t k = 0; k < in_word; ++k) word |= uint64_t(a[w * 64 + k] < b[w * 64 + k]) << k;
    out[w] = word;
  }
}

// Unsigned byte comparison as signed after flipping the top bits; 32 results per movemask.
__attribute__((target("avx2"))) void less_plane_avx2(const uint8_t* a, const uint8_t* b, uint32_t n, uint64_t* out) {
  const __m256i flip = _mm256_set1_epi8(char(0x80));
  uint32_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256i x = _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i)), flip);
    const __m256i y = _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + i)), flip);
    const auto half = uint64_t(uint32_t(_mm256_movemask_epi8(_mm256_cmpgt_epi8(y, x))));
    if (i % 64 == 0)
      out[i / 64] = half;
    else
      out[i / 64] |= half << 32;
  }
  if (i < n) {  // the tail: fewer than 32 bytes
    uint64_t word = i % 64 == 0 ? 0 : out[i / 64];
    for (; i < n; ++i) word |= uint64_t(a[i] < b[i]) << (i % 64);
    out[(n - 1) / 64] = word;
  }
}

void fire_bits_scalar(const int64_t* acc, const int32_t* pairs, uint32_t n, uint64_t* bits) {
  for (uint32_t from = 0; from < n; from += 64) {
    const uint32_t count = n - from < 64 ? n - from : 64;
    uint64_t word = 0;
    for (uint32_t k = 0; k < count; ++k) {
      const int64_t a = acc[from + k], t = pairs[2 * (from + k)];
      const uint64_t up = pairs[2 * (from + k) + 1] > 0, ge = a >= t, le = a <= t;
      word |= ((ge & up) | (le & (up ^ 1))) << k;  // up ? a >= t : a <= t, as data
    }
    bits[from / 64] |= word;
  }
}

// One plain loop compiled per instruction set (GCC vectorises it: sign extension, shift, add).
#define SCBNN_ACCUMULATE_BODY \
  for (uint32_t i = 0; i < n; ++i) acc[i] += int64_t(partial[i]) * (int64_t(1) << shift);
void accumulate_scalar(int64_t* __restrict acc, const int32_t* __restrict partial, uint32_t n, uint32_t shift) {
  SCBNN_ACCUMULATE_BODY
}
__attribute__((target("avx2"))) void accumulate_avx2(int64_t* __restrict acc, const int32_t* __restrict partial,
                                                     uint32_t n, uint32_t shift) {
  SCBNN_ACCUMULATE_BODY
}
__attribute__((target("avx512f" SCBNN_VECTOR_WIDTH_512))) void accumulate_avx512(int64_t* __restrict acc,
                                                                                 const int32_t* __restrict partial,
                                                                                 uint32_t n, uint32_t shift) {
  SCBNN_ACCUMULATE_BODY
}
#undef SCBNN_ACCUMULATE_BODY

// The input with the bits beyond `bits` cleared, and the matching mask, padded with zero
// words to a multiple of `lanes` words: mismatches = popcount((w ^ x) & mask) word by word.
struct MaskedInput {
  static constexpr uint32_t kMaxWords = 1024;  // counts below 65 536 fit the 16-bit fields
  alignas(64) uint64_t x[kMaxWords + 8];
  alignas(64) uint64_t mask[kMaxWords + 8];
  uint32_t words = 0, padded = 0;

  MaskedInput(const uint64_t* input, uint32_t bits, uint32_t lanes) {
    words = (bits + 63) / 64;
    padded = (words + lanes - 1) / lanes * lanes;
    for (uint32_t k = 0; k < padded; ++k) {
      mask[k] = k + 1 < words ? ~uint64_t(0) : k + 1 == words ? tail_mask(bits) : 0;
      x[k] = k < words ? input[k] & mask[k] : 0;
    }
  }
};

// ---- AVX2: nibble-table popcount (vpshufb) summed per 64-bit lane (vpsadbw); four rows'
// lane counts are packed into 16-bit fields of one register and summed across lanes once. ----

__attribute__((target("avx2"))) inline __m256i popcount_lanes_avx2(__m256i d) {
  const __m256i table =
      _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  const __m256i low4 = _mm256_set1_epi8(0x0f);
  const __m256i lo = _mm256_and_si256(d, low4), hi = _mm256_and_si256(_mm256_srli_epi16(d, 4), low4);
  const __m256i bytes = _mm256_add_epi8(_mm256_shuffle_epi8(table, lo), _mm256_shuffle_epi8(table, hi));
  return _mm256_sad_epu8(bytes, _mm256_setzero_si256());
}

// Per-lane mismatch counts of one row (words beyond the row are not read).
__attribute__((target("avx2"))) inline __m256i row_mismatches_avx2(const uint64_t* w, const MaskedInput& in,
                                                                   __m256i last_load) {
  __m256i acc = _mm256_setzero_si256();
  for (uint32_t k = 0; k < in.padded; k += 4) {
    const __m256i v = k + 4 <= in.words ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + k))
                                        : _mm256_maskload_epi64(reinterpret_cast<const long long*>(w + k), last_load);
    const __m256i d =
        _mm256_and_si256(_mm256_xor_si256(v, _mm256_load_si256(reinterpret_cast<const __m256i*>(in.x + k))),
                         _mm256_load_si256(reinterpret_cast<const __m256i*>(in.mask + k)));
    acc = _mm256_add_epi64(acc, popcount_lanes_avx2(d));
  }
  return acc;
}

__attribute__((target("avx2"))) inline uint64_t sum_lanes_avx2(__m256i v) {
  v = _mm256_add_epi64(v, _mm256_permute4x64_epi64(v, 0x4e));  // swap the 128-bit halves
  v = _mm256_add_epi64(v, _mm256_shuffle_epi32(v, 0x4e));      // swap the 64-bit lanes of each half
  return uint64_t(_mm_cvtsi128_si64(_mm256_castsi256_si128(v)));
}

__attribute__((target("avx2"))) void dot_rows_avx2(const uint64_t* rows, size_t stride, uint32_t n, const uint64_t* x,
                                                   uint32_t bits, int32_t* out) {
  if (bits >= 64 * MaskedInput::kMaxWords) return dot_rows_scalar(rows, stride, n, x, bits, out);
  const MaskedInput in(x, bits, 4);
  const uint32_t in_last = in.words - (in.padded - 4);  // words of the last 4-word load inside the row
  const __m256i last_load = _mm256_cmpgt_epi64(_mm256_set1_epi64x(in_last), _mm256_setr_epi64x(0, 1, 2, 3));
  const int32_t b = int32_t(bits);
  uint32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    __m256i packed = row_mismatches_avx2(rows + i * stride, in, last_load);
    for (uint32_t r = 1; r < 4; ++r)
      packed = _mm256_add_epi64(packed, _mm256_sll_epi64(row_mismatches_avx2(rows + (i + r) * stride, in, last_load),
                                                         _mm_cvtsi32_si128(int(16 * r))));
    const uint64_t fields = sum_lanes_avx2(packed);
    for (uint32_t r = 0; r < 4; ++r) out[i + r] = b - 2 * int32_t((fields >> (16 * r)) & 0xffff);
  }
  for (; i < n; ++i) out[i] = b - 2 * int32_t(sum_lanes_avx2(row_mismatches_avx2(rows + i * stride, in, last_load)));
}

// ---- AVX-512 (VPOPCNTDQ): one popcount instruction for eight words. Rows of up to four
// words go two to a register; rows of more words one (eight words per step). The counts of
// four registers are packed into 16-bit fields and summed across lanes once. ----

#define SCBNN_AVX512 __attribute__((target("avx512f,avx512vl,avx512bw,avx512vpopcntdq")))

// Mismatch counts per lane of the rows at `w` (two rows of up to four words, or one row).
SCBNN_AVX512 inline __m512i pair_mismatches(const uint64_t* w, size_t stride, __mmask8 inside, __m512i x,
                                            __m512i mask) {
  const __m256i lo = _mm256_maskz_loadu_epi64(inside, w), hi = _mm256_maskz_loadu_epi64(inside, w + stride);
  const __m512i v = _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
  return _mm512_popcnt_epi64(_mm512_and_si512(_mm512_xor_si512(v, x), mask));
}
// Two whole 256-bit rows stored back to back.
SCBNN_AVX512 inline __m512i whole_pair_mismatches(const uint64_t* w, __m512i xx) {
  return _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(w), xx));
}
SCBNN_AVX512 inline __m512i row_mismatches(const uint64_t* w, const MaskedInput& in) {
  __m512i acc = _mm512_setzero_si512();
  for (uint32_t k = 0; k < in.padded; k += 8) {
    const __mmask8 inside = k + 8 <= in.words ? __mmask8(0xff) : __mmask8((1u << (in.words - k)) - 1);
    const __m512i d =
        _mm512_and_si512(_mm512_xor_si512(_mm512_maskz_loadu_epi64(inside, w + k), _mm512_load_si512(in.x + k)),
                         _mm512_load_si512(in.mask + k));
    acc = _mm512_add_epi64(acc, _mm512_popcnt_epi64(d));
  }
  return acc;
}
// a + b << 16 + c << 32 + d << 48, lane by lane.
SCBNN_AVX512 inline __m512i pack4(__m512i a, __m512i b, __m512i c, __m512i d) {
  return _mm512_add_epi64(_mm512_add_epi64(a, _mm512_slli_epi64(b, 16)),
                          _mm512_add_epi64(_mm512_slli_epi64(c, 32), _mm512_slli_epi64(d, 48)));
}

// The eight rows' dots from four pair registers packed by pack4 (16-bit fields: lanes 0-3 hold
// rows 0, 2, 4, 6, lanes 4-7 rows 1, 3, 5, 7, four words each): each half's lanes summed,
// the fields of lanes 0 and 4 widened and put in row order, bits - 2 x mismatches stored.
SCBNN_AVX512 inline void store_eight_dots(__m512i t, __m256i bits, int32_t* out) {
  t = _mm512_add_epi64(t, _mm512_permutex_epi64(t, 0x4e));
  t = _mm512_add_epi64(t, _mm512_permutex_epi64(t, 0xb1));
  const __m128i fields = _mm512_castsi512_si128(_mm512_permutexvar_epi64(_mm512_setr_epi64(0, 4, 0, 0, 0, 0, 0, 0), t));
  const __m256i m =
      _mm256_permutevar8x32_epi32(_mm256_cvtepu16_epi32(fields), _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), _mm256_sub_epi32(bits, _mm256_slli_epi32(m, 1)));
}

SCBNN_AVX512 void dot_rows_avx512(const uint64_t* rows, size_t stride, uint32_t n, const uint64_t* x, uint32_t bits,
                                  int32_t* out) {
  if (bits >= 64 * MaskedInput::kMaxWords) return dot_rows_scalar(rows, stride, n, x, bits, out);
  const MaskedInput in(x, bits, 8);
  const __m256i b8 = _mm256_set1_epi32(int32_t(bits));
  uint32_t i = 0;
  if (stride == 4 && bits == 256) {  // whole 256-bit rows back to back: two rows per plain load
    const __m256i x4 = _mm256_load_si256(reinterpret_cast<const __m256i*>(in.x));
    const __m512i xx = _mm512_inserti64x4(_mm512_castsi256_si512(x4), x4, 1);
    for (; i + 8 <= n; i += 8) {
      const uint64_t* w = rows + i * 4;
      __m512i t = pack4(whole_pair_mismatches(w, xx), whole_pair_mismatches(w + 8, xx),
                        whole_pair_mismatches(w + 16, xx), whole_pair_mismatches(w + 24, xx));
      store_eight_dots(t, b8, out + i);
    }
  } else if (in.words <= 4) {
    const __mmask8 inside = __mmask8((1u << in.words) - 1);
    const __m256i x4 = _mm256_load_si256(reinterpret_cast<const __m256i*>(in.x));
    const __m256i m4 = _mm256_load_si256(reinterpret_cast<const __m256i*>(in.mask));
    const __m512i xx = _mm512_inserti64x4(_mm512_castsi256_si512(x4), x4, 1);
    const __m512i mm = _mm512_inserti64x4(_mm512_castsi256_si512(m4), m4, 1);
    for (; i + 8 <= n; i += 8) {
      const uint64_t* w = rows + i * stride;
      __m512i t =
          pack4(pair_mismatches(w, stride, inside, xx, mm), pair_mismatches(w + 2 * stride, stride, inside, xx, mm),
                pair_mismatches(w + 4 * stride, stride, inside, xx, mm),
                pair_mismatches(w + 6 * stride, stride, inside, xx, mm));
      store_eight_dots(t, b8, out + i);
    }
  } else {
    for (; i + 4 <= n; i += 4) {
      const uint64_t* w = rows + i * stride;
      const __m512i t = pack4(row_mismatches(w, in), row_mismatches(w + stride, in), row_mismatches(w + 2 * stride, in),
                              row_mismatches(w + 3 * stride, in));
      const uint64_t fields = uint64_t(_mm512_reduce_add_epi64(t));
      for (uint32_t r = 0; r < 4; ++r) out[i + r] = int32_t(bits) - 2 * int32_t((fields >> (16 * r)) & 0xffff);
    }
  }
  for (; i < n; ++i)
    out[i] = int32_t(bits) - 2 * int32_t(_mm512_reduce_add_epi64(row_mismatches(rows + i * stride, in)));
}

// Eight neurons per step: thresholds and directions split from the entry pairs by shifts,
// both comparisons as masks, the direction choosing between them.
SCBNN_AVX512 void fire_bits_avx512(const int64_t* acc, const int32_t* pairs, uint32_t n, uint64_t* bits) {
  for (uint32_t from = 0; from < n; from += 64) {
    const uint32_t count = n - from < 64 ? n - from : 64;
    uint64_t word = 0;
    for (uint32_t k = 0; k < count; k += 8) {
      const uint32_t in_step = count - k < 8 ? count - k : 8;
      const auto inside = __mmask8((1u << in_step) - 1);
      const __m512i a = _mm512_maskz_loadu_epi64(inside, acc + from + k);
      const __m512i e = _mm512_maskz_loadu_epi64(inside, pairs + 2 * (from + k));  // (t, d) per lane
      const __m512i t = _mm512_srai_epi64(_mm512_slli_epi64(e, 32), 32), d = _mm512_srai_epi64(e, 32);
      const __mmask8 up = _mm512_cmpgt_epi64_mask(d, _mm512_setzero_si512());
      const __mmask8 fire = (_mm512_cmpge_epi64_mask(a, t) & up) | (_mm512_cmple_epi64_mask(a, t) & __mmask8(~up));
      word |= uint64_t(fire & inside) << k;
    }
    bits[from / 64] |= word;
  }
}

// 64 unsigned byte comparisons into one mask.
SCBNN_AVX512 void less_plane_avx512(const uint8_t* a, const uint8_t* b, uint32_t n, uint64_t* out) {
  for (uint32_t w = 0; w * 64 < n; ++w) {
    const uint32_t in_word = n - w * 64 < 64 ? n - w * 64 : 64;
    const __mmask64 inside = in_word == 64 ? ~__mmask64(0) : (__mmask64(1) << in_word) - 1;
    out[w] = _mm512_mask_cmplt_epu8_mask(inside, _mm512_maskz_loadu_epi8(inside, a + w * 64),
                                         _mm512_maskz_loadu_epi8(inside, b + w * 64));
  }
}

// Bit `plane` of 64 bytes in one byte-mask test.
SCBNN_AVX512 void bit_plane_avx512(const uint8_t* bytes, uint32_t n, uint32_t plane, uint64_t* out) {
  const __m512i bit = _mm512_set1_epi8(char(1u << plane));
  for (uint32_t w = 0; w * 64 < n; ++w) {
    const uint32_t in_word = n - w * 64 < 64 ? n - w * 64 : 64;
    const __mmask64 inside = in_word == 64 ? ~__mmask64(0) : (__mmask64(1) << in_word) - 1;
    out[w] = _mm512_test_epi8_mask(_mm512_maskz_loadu_epi8(inside, bytes + w * 64), bit);
  }
}

#undef SCBNN_AVX512

// clang-format off
constexpr RowKernels kScalar{KernelIsa::scalar, "scalar", "64-bit popcnt per word",
                             dot_rows_scalar, bit_plane_scalar, less_plane_scalar, accumulate_scalar,
                             fire_bits_scalar};
constexpr RowKernels kAvx2{KernelIsa::avx2, "avx2", "AVX2 nibble-table popcount (vpshufb, vpsadbw), 4 rows packed",
                           dot_rows_avx2, bit_plane_scalar, less_plane_avx2, accumulate_avx2, fire_bits_scalar};
constexpr RowKernels kAvx512{KernelIsa::avx512, "avx512", "AVX-512 VPOPCNTDQ, rows packed into 16-bit fields",
                             dot_rows_avx512, bit_plane_avx512, less_plane_avx512, accumulate_avx512,
                             fire_bits_avx512};
// clang-format on

bool cpu_runs(KernelIsa isa) {
  __builtin_cpu_init();
  switch (isa) {
    case KernelIsa::scalar: return true;
    case KernelIsa::avx2: return __builtin_cpu_supports("avx2");
    case KernelIsa::avx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
             __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vpopcntdq");
  }
  return false;
}

const RowKernels* const kAll[] = {&kScalar, &kAvx2, &kAvx512};

std::string supported_names() {
  std::string names;
  for (const RowKernels* s : supported_row_kernels()) names += (names.empty() ? "" : ", ") + std::string(s->name);
  return names;
}

const RowKernels& choose_row_kernels() {
  const char* forced = std::getenv("SCBNN_ISA");
  if (forced == nullptr || *forced == '\0') return *supported_row_kernels().back();
  for (const RowKernels* k : kAll)
    if (k->name == std::string(forced)) {
      if (!cpu_runs(k->isa))
        throw InputError(std::string("SCBNN_ISA=") + forced +
                         ": this CPU does not support it (supported: " + supported_names() + ")");
      return *k;
    }
  throw InputError(std::string("SCBNN_ISA=") + forced + ": unknown instruction set (expected scalar, avx2 or avx512)");
}

}  // namespace

std::vector<const RowKernels*> supported_row_kernels() {
  std::vector<const RowKernels*> out;
  for (const RowKernels* k : kAll)
    if (cpu_runs(k->isa)) out.push_back(k);
  return out;
}

const RowKernels& row_kernels() {
  static const RowKernels& chosen = choose_row_kernels();
  return chosen;
}

const RowKernels* row_kernels_named(const std::string& name) {
  for (const RowKernels* k : kAll)
    if (k->name == name && cpu_runs(k->isa)) return k;
  return nullptr;
}

}  // namespace scbnn
