#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scbnn/base/registry.h"
#include "scbnn/models/sng.h"

namespace scbnn {

struct CoreParams;
class InputBuffer;
class CycleLedger;

// The first-layer input passes of one image: one bit vector of the layer's inputs per pass
// (or, in vote mode, per round of the whole network).
using InputPasses = std::vector<std::vector<uint64_t>>;

// One built first-layer datapath of a core: how the first layer sees the image. BnnCore
// builds one per datapath in its hardware (accel.first_layer_hardware) and calls through it.
class FirstLayerDatapath {
 public:
  virtual ~FirstLayerDatapath() = default;
  // Rejects a job this datapath cannot run (before the inference starts); throws
  // std::invalid_argument naming the register.
  virtual void check_job(uint32_t stream_length, bool vote) const = 0;
  // Fills `passes` for the image in the input buffer (`inputs` first-layer inputs; `image`
  // positions any random stream) and returns the cycles this adds, entered in `ledger`.
  virtual uint64_t prepare(InputBuffer& input, uint32_t inputs, uint32_t stream_length, uint64_t image,
                           InputPasses& passes, CycleLedger& ledger) = 0;
  // Passes the first layer sums per decision (vote mode: one per round).
  virtual uint32_t pass_count(uint32_t stream_length, bool vote) const = 0;
  // Weight of pass `pass` in the sum, as a left shift (shift-add of bit-planes: 2^pass).
  virtual uint32_t pass_shift(uint32_t pass) const = 0;
  // Stream quality of its random sources at `lengths`; nullopt when it has none.
  virtual std::optional<std::vector<StreamMetrics>> stream_quality(const std::vector<uint32_t>&) const {
    return std::nullopt;
  }
};

// A registered first-layer datapath (models/src/first_layer/, one file each). Its name is
// the one accel.first_layer_hardware and accel.input_mode use.
struct FirstLayerKind {
  std::string description;
  // Largest first-layer sum its passes can produce (sizes the partial-sum accumulators).
  std::function<uint64_t(const CoreParams&)> largest_sum;
  // Most input passes one decision of it can take (sizes the arrays' input latches in the
  // pass_inner loop order: docs/timing.md).
  std::function<uint32_t(const CoreParams&)> max_passes;
  // Builds the datapath inside BnnCore's constructor: any sc_module it creates (its
  // hardware, counted by the accounting walker) becomes a child of the core.
  std::function<std::unique_ptr<FirstLayerDatapath>(const CoreParams&)> build;
};

const Registry<FirstLayerKind>& first_layer_registry();
const FirstLayerKind& first_layer_kind(const std::string& name);

// Registers a datapath at static initialisation, next to its definition:
//   FirstLayerRegistrar registrar("fixed", {...});  // in an anonymous namespace
struct FirstLayerRegistrar {
  FirstLayerRegistrar(const std::string& name, FirstLayerKind kind);
};

}  // namespace scbnn
