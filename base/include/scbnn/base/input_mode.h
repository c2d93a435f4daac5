#pragma once
#include <array>
#include <cstdint>

#include "scbnn/base/params.h"

namespace scbnn {

// How a network's first layer sees the image: 8-bit pixels bit-plane by bit-plane (the
// conventional BNN) or stochastic bitstreams. One name table serves the network file
// (input.mode), the configuration (accel.input_mode) and the reports.
enum class InputMode : uint32_t { fixed = 0, stochastic = 1 };
inline constexpr std::array<EnumName<InputMode>, 2> kInputModeNames{
    {{InputMode::fixed, "fixed"}, {InputMode::stochastic, "stochastic"}}};
constexpr const auto& enum_names(InputMode) { return kInputModeNames; }

}  // namespace scbnn
