#pragma once
#include <string>

#include "scbnn/tlm/register_bank.h"

namespace scbnn {

// scbnn/driver/scbnn_regs.h, the register map as a C99 header for firmware: every register's
// offset (both accelerators' banks, with the optional DMA engine's registers; the per-layer
// registers as macros of the layer index),
// the reset values of the banks given (the default configuration's, for the hardware
// registers), the bit fields, codes, IDs and windows of address_map.h. `scbnn registers
// --c-header` prints it; a test keeps the committed header equal to it.
std::string registers_c_header(const RegisterBank& bnn, const RegisterBank& mac);

}  // namespace scbnn
