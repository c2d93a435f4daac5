// The XNOR-popcount row kernels: every instruction-set variant this CPU runs gives the
// numbers of an independent bit-by-bit reference (no model code), for row widths from one
// bit to several thousand, strides wider than the rows, garbage beyond each row's bits, and
// row counts that leave every remainder path; the variant choice follows SCBNN_ISA.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "scbnn/base/errors.h"
#include "scbnn/models/row_kernels.h"

using namespace scbnn;

namespace {

int32_t reference_dot(const uint64_t* w, const uint64_t* x, uint32_t bits) {
  int32_t dot = 0;
  for (uint32_t b = 0; b < bits; ++b) dot += ((w[b / 64] >> (b % 64)) & 1) == ((x[b / 64] >> (b % 64)) & 1) ? 1 : -1;
  return dot;
}

void expect_matches_reference(const RowKernels& k) {
  std::mt19937_64 rng(2026);
  for (uint32_t bits : {1u,   7u,   63u,  64u,  65u,  100u, 128u, 191u,  192u,  200u,  255u,
                        256u, 257u, 300u, 511u, 512u, 513u, 700u, 1024u, 1500u, 4096u, 5000u}) {
    const uint32_t words = (bits + 63) / 64;
    for (uint32_t extra : {0u, 1u, 3u}) {
      const size_t stride = words + extra;
      for (uint32_t n : {1u, 3u, 4u, 7u, 8u, 9u, 17u, 64u}) {
        std::vector<uint64_t> rows(stride * n), x(words + 2);
        for (auto& v : rows) v = rng();  // bits beyond the row's are random too: must be ignored
        for (auto& v : x) v = rng();
        if (bits % 3 == 0)  // all agreeing or all disagreeing rows: the extreme counts
          for (uint32_t i = 0; i < n; ++i)
            for (uint32_t w = 0; w < words; ++w) rows[i * stride + w] = i % 2 ? x[w] : ~x[w];
        std::vector<int32_t> out(n, 12345);
        k.dot_rows(rows.data(), stride, n, x.data(), bits, out.data());
        for (uint32_t i = 0; i < n; ++i)
          ASSERT_EQ(out[i], reference_dot(rows.data() + i * stride, x.data(), bits))
              << k.name << ": bits " << bits << ", stride " << stride << ", rows " << n << ", row " << i;
      }
    }
  }
}

void expect_bit_planes_match(const RowKernels& k) {
  std::mt19937_64 rng(7);
  for (uint32_t n : {1u, 7u, 8u, 9u, 63u, 64u, 65u, 100u, 784u, 1000u, 3072u}) {
    std::vector<uint8_t> bytes(n);
    for (auto& b : bytes) b = uint8_t(rng());
    for (uint32_t plane = 0; plane < 8; ++plane) {
      std::vector<uint64_t> out((n + 63) / 64, 0x5555555555555555ull), expected((n + 63) / 64, 0);
      for (uint32_t i = 0; i < n; ++i) expected[i / 64] |= uint64_t((bytes[i] >> plane) & 1u) << (i % 64);
      k.bit_plane(bytes.data(), n, plane, out.data());
      ASSERT_EQ(out, expected) << k.name << ": " << n << " bytes, plane " << plane;
    }
  }
}

}  // namespace

TEST(RowKernels, BitPlanesMatchTheReferenceInEveryVariant) {
  for (const RowKernels* k : supported_row_kernels()) expect_bit_planes_match(*k);
}

TEST(RowKernels, ComparatorPlanesMatchTheReferenceInEveryVariant) {
  std::mt19937_64 rng(11);
  for (const RowKernels* k : supported_row_kernels())
    for (uint32_t n : {1u, 31u, 32u, 33u, 63u, 64u, 65u, 96u, 100u, 784u, 1000u}) {
      std::vector<uint8_t> a(n), b(n);
      for (uint32_t i = 0; i < n; ++i) {
        a[i] = uint8_t(rng());
        b[i] = i % 5 == 0 ? a[i] : uint8_t(rng());  // equal bytes too: not less
      }
      a[0] = 0x7f, b[0] = 0x80;  // across the sign boundary
      std::vector<uint64_t> out((n + 63) / 64, 0x3333333333333333ull), expected((n + 63) / 64, 0);
      for (uint32_t i = 0; i < n; ++i) expected[i / 64] |= uint64_t(a[i] < b[i]) << (i % 64);
      k->less_plane(a.data(), b.data(), n, out.data());
      ASSERT_EQ(out, expected) << k->name << ": " << n << " bytes";
    }
}

TEST(RowKernels, ThresholdDecisionsMatchTheReferenceInEveryVariant) {
  std::mt19937_64 rng(13);
  for (const RowKernels* k : supported_row_kernels())
    for (uint32_t n : {1u, 7u, 8u, 9u, 63u, 64u, 65u, 100u, 1024u}) {
      std::vector<int64_t> acc(n);
      std::vector<int32_t> pairs(2 * n);
      for (uint32_t j = 0; j < n; ++j) {
        pairs[2 * j] = int32_t(rng() % 2001) - 1000;
        pairs[2 * j + 1] = j % 3 == 0 ? -1 : j % 3 == 1 ? 1 : 0;            // a zero direction counts as down
        acc[j] = j % 4 == 0 ? pairs[2 * j] : int64_t(rng() % 2001) - 1000;  // equality too
      }
      acc[0] = int64_t(1) << 40;  // beyond 32 bits
      std::vector<uint64_t> bits((n + 63) / 64 + 1, 0x8000000000000000ull), expected = bits;
      for (uint32_t j = 0; j < n; ++j) {
        const bool fire = pairs[2 * j + 1] > 0 ? acc[j] >= pairs[2 * j] : acc[j] <= pairs[2 * j];
        expected[j / 64] |= uint64_t(fire) << (j % 64);
      }
      k->fire_bits(acc.data(), pairs.data(), n, bits.data());
      ASSERT_EQ(bits, expected) << k->name << ": " << n << " neurons";
    }
}

TEST(RowKernels, AccumulationMatchesTheReferenceInEveryVariant) {
  std::mt19937_64 rng(9);
  for (const RowKernels* k : supported_row_kernels())
    for (uint32_t n : {1u, 5u, 16u, 255u, 256u, 1000u})
      for (uint32_t shift : {0u, 1u, 7u, 20u}) {
        std::vector<int32_t> partial(n);
        std::vector<int64_t> acc(n), expected(n);
        for (uint32_t i = 0; i < n; ++i) {
          partial[i] = int32_t(rng() % 200001) - 100000;
          acc[i] = expected[i] = int64_t(rng() % 2000000001) - 1000000000;
          expected[i] += int64_t(partial[i]) * (int64_t(1) << shift);
        }
        k->accumulate(acc.data(), partial.data(), n, shift);
        ASSERT_EQ(acc, expected) << k->name << ": n " << n << ", shift " << shift;
      }
}

TEST(RowKernels, ScalarMatchesTheReference) {
  const RowKernels* k = row_kernels_named("scalar");
  ASSERT_NE(k, nullptr);
  expect_matches_reference(*k);
}

TEST(RowKernels, Avx2MatchesTheReference) {
  const RowKernels* k = row_kernels_named("avx2");
  if (k == nullptr) GTEST_SKIP() << "this CPU has no AVX2";
  expect_matches_reference(*k);
}

TEST(RowKernels, Avx512MatchesTheReference) {
  const RowKernels* k = row_kernels_named("avx512");
  if (k == nullptr) GTEST_SKIP() << "this CPU has no AVX-512 with VPOPCNTDQ";
  expect_matches_reference(*k);
}

TEST(RowKernels, TheChoiceIsTheWidestSupportedOrTheForcedOne) {
  const std::vector<const RowKernels*> supported = supported_row_kernels();
  ASSERT_FALSE(supported.empty());
  EXPECT_STREQ(supported.front()->name, "scalar");
  const char* forced = std::getenv("SCBNN_ISA");
  EXPECT_STREQ(row_kernels().name, forced != nullptr && *forced != '\0' ? forced : supported.back()->name);
}
