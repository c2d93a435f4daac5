// The one table naming scbnn's actions in the Accelergy export (docs/power-model.md,
// "Accelergy export", lists it; a test checks it covers the whole catalogue).
#include "scbnn/base/component_names.h"
#include "scbnn/power/accelergy.h"

namespace scbnn {

namespace {
constexpr const char* kRead = "read";
constexpr const char* kWrite = "write";
constexpr const char* kCompute = "compute";
}  // namespace

const std::vector<AccelergyActionName>& accelergy_action_names() {
  using namespace action;
  static const std::vector<AccelergyActionName> table = {
      // Storage: a read or write of the component's unit (a row, a bit, an entry, a byte, a word).
      {kRowRead, kRead, nullptr},
      {kBitRead, kRead, nullptr},
      {kEntryRead, kRead, nullptr},
      {kRegisterRead, kRead, nullptr},
      {kSmtjRead, kRead, nullptr},
      {kWordWrite, kWrite, nullptr},
      {kBitWrite, kWrite, nullptr},
      {kByteWrite, kWrite, nullptr},
      {kRegisterWrite, kWrite, nullptr},
      // A weight array's word write carries its device pulses and the charge they drive
      // (fC: the per-charge actions are charge, not events).
      {kMtjWritePulse, nullptr, kWordWrite},
      {kMtjWriteCharge, nullptr, kWordWrite},
      {kWritePumpCharge, nullptr, kWordWrite},
      {kDevicePulse, nullptr, kWordWrite},
      {kSetCharge, nullptr, kWordWrite},
      {kResetCharge, nullptr, kWordWrite},
      // Arithmetic and decisions: Timeloop's compute action.
      {kSenseXnor, kCompute, nullptr},
      {kPopcountBit, kCompute, nullptr},
      {kAddBit, kCompute, nullptr},
      {kCompare, kCompute, nullptr},
      {kCompareBit, kCompute, nullptr},
      {kMultiply, kCompute, nullptr},
      {kMultiplyBit, kCompute, nullptr},
      {kScoreMac, kCompute, nullptr},
      {kArgmaxCompare, kCompute, nullptr},
      {kRequant, kCompute, nullptr},
      {kDecision, kCompute, nullptr},
      {kBitStep, kCompute, nullptr},
      {"select_bit", kCompute, nullptr},  // first_layer/adder_tree.cpp's operand_select
      // No Accelergy convention: parts of a read priced apart, write-verify, the clock.
      {kBitSensed, kBitSensed, nullptr},
      {kBitLineCell, kBitLineCell, nullptr},
      {kVerifyMtjRead, kVerifyMtjRead, nullptr},
      {kVerifyBitLineCell, kVerifyBitLineCell, nullptr},
      {kVerifySense, kVerifySense, nullptr},
      {kCycle, kCycle, nullptr},
  };
  return table;
}

const AccelergyActionName* find_accelergy_action_name(const std::string& scbnn_action) {
  for (const auto& row : accelergy_action_names())
    if (scbnn_action == row.scbnn) return &row;
  return nullptr;
}

}  // namespace scbnn
