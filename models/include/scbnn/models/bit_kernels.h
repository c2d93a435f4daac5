#pragma once
#include <cstddef>
#include <cstdint>

namespace scbnn {

inline int popcount64(uint64_t w) { return __builtin_popcountll(w); }

inline uint32_t ceil_log2(uint64_t v) {
  uint32_t d = 0;
  while ((uint64_t(1) << d) < v) ++d;
  return d;
}

// Mask of the valid bits in the last word of a `bits`-long packed vector.
inline uint64_t tail_mask(size_t bits) {
  const size_t r = bits % 64;
  return r == 0 ? ~uint64_t(0) : (uint64_t(1) << r) - 1;
}

// Up to 64 bits of a packed vector starting at bit `bit`.
inline uint64_t read_bits(const uint64_t* src, size_t bit, uint32_t n) {
  const size_t w = bit / 64, s = bit % 64;
  uint64_t v = src[w] >> s;
  if (s != 0 && s + n > 64) v |= src[w + 1] << (64 - s);
  return n == 64 ? v : v & ((uint64_t(1) << n) - 1);
}

// Writes the low `n` (<= 64) bits of `v` into a packed vector at bit `bit`.
inline void write_bits(uint64_t* dst, size_t bit, uint64_t v, uint32_t n) {
  const size_t w = bit / 64, s = bit % 64;
  const uint64_t mask = n == 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1;
  v &= mask;
  dst[w] = (dst[w] & ~(mask << s)) | (v << s);
  if (s != 0 && s + n > 64) dst[w + 1] = (dst[w + 1] & ~(mask >> (64 - s))) | (v >> (64 - s));
}

// Copies `n` bits from `src` at `src_bit` to `dst` at `dst_bit` (non-overlapping).
inline void copy_bits(uint64_t* dst, size_t dst_bit, const uint64_t* src, size_t src_bit, size_t n) {
  for (size_t done = 0; done < n; done += 64) {
    const uint32_t chunk = uint32_t(n - done < 64 ? n - done : 64);
    write_bits(dst, dst_bit + done, read_bits(src, src_bit + done, chunk), chunk);
  }
}

// Sets `n` bits of `dst` from `dst_bit` to `value`.
inline void fill_bits(uint64_t* dst, size_t dst_bit, size_t n, bool value) {
  for (size_t done = 0; done < n; done += 64) {
    const uint32_t chunk = uint32_t(n - done < 64 ? n - done : 64);
    write_bits(dst, dst_bit + done, value ? ~uint64_t(0) : 0, chunk);
  }
}

// Number of agreeing bits (XNOR then popcount) between two packed vectors of `bits`.
// Four independent sums keep several popcounts in flight (a single running sum
// serialises them), which matters for the 4-word rows of a 256-column tile.
inline uint32_t xnor_popcount(const uint64_t* a, const uint64_t* b, size_t bits) {
  const size_t full = bits / 64;
  uint32_t c0 = 0, c1 = 0, c2 = 0, c3 = 0;
  size_t i = 0;
  for (; i + 4 <= full; i += 4) {
    c0 += uint32_t(popcount64(~(a[i] ^ b[i])));
    c1 += uint32_t(popcount64(~(a[i + 1] ^ b[i + 1])));
    c2 += uint32_t(popcount64(~(a[i + 2] ^ b[i + 2])));
    c3 += uint32_t(popcount64(~(a[i + 3] ^ b[i + 3])));
  }
  for (; i < full; ++i) c0 += uint32_t(popcount64(~(a[i] ^ b[i])));
  if (bits % 64) c1 += uint32_t(popcount64(~(a[full] ^ b[full]) & tail_mask(bits)));
  return (c0 + c1) + (c2 + c3);
}

// +-1 dot product of two packed sign vectors: agreements minus disagreements.
inline int32_t pm1_dot(const uint64_t* a, const uint64_t* b, size_t bits) {
  return 2 * int32_t(xnor_popcount(a, b, bits)) - int32_t(bits);
}

}  // namespace scbnn
