#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "scbnn/base/registry.h"
#include "scbnn/models/sng.h"
#include "scbnn/models/tiling.h"

namespace scbnn {

struct CoreParams;
class InputBuffer;
class CycleLedger;
class WeightArray;
class XnorPopcountPe;

// One tile of the first layer with every input pass at once, for a datapath that fuses
// its passes (FirstLayerDatapath::fuses_passes): the core's arrays and PEs (by index), the
// loaded mapping (where the copies of the tile's array are), and each pass's input bits
// of the tile (bit 0 = the tile's first input).
struct FusedTile {
  const std::vector<std::unique_ptr<WeightArray>>* arrays = nullptr;
  const std::vector<std::unique_ptr<XnorPopcountPe>>* pes = nullptr;
  const Mapping* mapping = nullptr;
  const Tile* tile = nullptr;
  std::vector<const uint64_t*> inputs;  // one per pass
};

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
  // True when the hardware runs every pass of a first-layer tile in one step (the
  // bit-planes on copies of the arrays at the same time, or one read of each row feeding
  // a multi-bit adder tree): the core then runs one step instead of pass_count() passes,
  // with the same row interval, and lets fused_tile() compute each tile; the fetch still
  // moves every pass's input. Default: the passes run one after another on the shared
  // arrays, each sensing the rows, partial sums shift-added by the accumulators.
  virtual bool fuses_passes() const { return false; }
  // fuses_passes(): the rows of `tile` summed over every pass, pass p weighing
  // 2^pass_shift(p), into sums[0 .. rows), sensing the arrays it uses and counting its own
  // hardware's actions (the core adds each sum to its accumulator once).
  virtual void fused_tile(const FusedTile& tile, int32_t* sums) {
    (void)tile, (void)sums;
    throw std::logic_error("this first-layer datapath does not fuse its passes");
  }
  // fuses_passes(): pipeline depth of a fused step (what fills and drains once per step)
  // given the XNOR/popcount PE's depth.
  virtual uint32_t fused_depth(uint32_t pe_depth) const { return pe_depth; }
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
  // Where the first layer must sit and the copies of its arrays the datapath's hardware
  // wires (empty: anywhere, no copies).
  std::function<FirstLayerPlacement(const CoreParams&)> placement = {};
};

const Registry<FirstLayerKind>& first_layer_registry();
const FirstLayerKind& first_layer_kind(const std::string& name);
// The placement the datapaths `names` need (at most one of them may ask for one).
FirstLayerPlacement first_layer_placement(const CoreParams& params, const std::vector<std::string>& names);

// Registers a datapath at static initialisation, next to its definition:
//   FirstLayerRegistrar registrar("fixed", {...});  // in an anonymous namespace
struct FirstLayerRegistrar {
  FirstLayerRegistrar(const std::string& name, FirstLayerKind kind);
};

}  // namespace scbnn
