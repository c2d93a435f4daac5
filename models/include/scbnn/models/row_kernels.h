#pragma once
// XNOR-popcount of many weight rows against one input vector: the functional work of every
// PE step; the bit-plane extraction of fixed-point inputs; the accumulation of a tile's
// partial sums. Compiled once per instruction set (function attributes, no -march flag on the
// build) and picked at run time: the widest the CPU offers, or the one SCBNN_ISA names
// (scalar, avx2, avx512; docs/performance.md). Every variant gives the same numbers
// (tests/test_row_kernels.cpp runs them all on the same inputs).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace scbnn {

enum class KernelIsa { scalar, avx2, avx512 };

// out[i] = +-1 dot product of row i (rows + i * stride, `bits` bits) with `x`: agreements
// minus disagreements. Bits of the last word beyond `bits` are ignored in both operands.
using DotRowsFn = void (*)(const uint64_t* rows, size_t stride, uint32_t n, const uint64_t* x, uint32_t bits,
                           int32_t* out);

// out = bit `plane` of each of the n bytes, packed (byte i to bit i % 64 of word i / 64);
// the last word's bits beyond n are 0.
using BitPlaneFn = void (*)(const uint8_t* bytes, uint32_t n, uint32_t plane, uint64_t* out);
// Bit i of out = a[i] < b[i] (unsigned bytes), for i < n, packed as bit_plane packs; the
// SNG comparators of a sample.
using LessPlaneFn = void (*)(const uint8_t* a, const uint8_t* b, uint32_t n, uint64_t* out);
// Threshold decisions of n neurons ORed into `bits` (neuron j to bit j % 64 of word j / 64):
// neuron j fires when acc[j] >= t_j if d_j > 0, acc[j] <= t_j otherwise, where
// pairs[2j] = t_j and pairs[2j + 1] = d_j (the parameter memory's entries).
using FireBitsFn = void (*)(const int64_t* acc, const int32_t* pairs, uint32_t n, uint64_t* bits);
// acc[i] += partial[i] x 2^shift for i < n (shift < 32).
using AccumulateFn = void (*)(int64_t* acc, const int32_t* partial, uint32_t n, uint32_t shift);

struct RowKernels {
  KernelIsa isa;
  const char* name;         // "scalar", "avx2", "avx512"
  const char* description;  // the instructions it uses, for reports
  DotRowsFn dot_rows;
  BitPlaneFn bit_plane;
  LessPlaneFn less_plane;
  AccumulateFn accumulate;
  FireBitsFn fire_bits;
};

// The variants this CPU can run, narrowest first (scalar is always there).
std::vector<const RowKernels*> supported_row_kernels();
// The variant in use (other per-instruction-set code, the seeding chains and the LFSR steps,
// takes its AVX-512 path only when this is avx512, so SCBNN_ISA selects it too): SCBNN_ISA's when set (InputError
// naming it when unknown or not supported by this CPU), else the widest supported. Chosen once per process.
const RowKernels& row_kernels();
// The variant called `name` if this CPU runs it, else nullptr.
const RowKernels* row_kernels_named(const std::string& name);

}  // namespace scbnn
