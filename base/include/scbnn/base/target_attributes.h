#pragma once
// Function attributes for code compiled once per instruction set and picked at run time (the
// build has no -march flag). GCC vectorises plain loops with 512-bit registers only when told
// prefer-vector-width=512; clang does not know that option (it would drop the whole
// attribute) and uses the widest registers of the target anyway.
#if defined(__clang__)
#define SCBNN_VECTOR_WIDTH_512 ""
#else
#define SCBNN_VECTOR_WIDTH_512 ",prefer-vector-width=512"
#endif
