#pragma once
#include <cstdint>

// The accelerator's memory map (offsets from its base address); docs/registers.md
// describes every register and window.
namespace scbnn::addr {

inline constexpr uint32_t kRegisterBlockSize = 0x1000;
inline constexpr uint32_t ID = 0x000;
inline constexpr uint32_t VERSION = 0x004;
inline constexpr uint32_t CTRL = 0x008;
inline constexpr uint32_t STATUS = 0x00C;
inline constexpr uint32_t IRQ_ENABLE = 0x010;
inline constexpr uint32_t IRQ_STATUS = 0x014;
inline constexpr uint32_t INPUT_MODE = 0x018;
inline constexpr uint32_t NUM_LAYERS = 0x01C;
inline constexpr uint32_t CYCLES_LO = 0x020;
inline constexpr uint32_t CYCLES_HI = 0x024;
inline constexpr uint32_t RESULT = 0x028;
inline constexpr uint32_t ERROR_CODE = 0x02C;
inline constexpr uint32_t ARRAY_ROWS = 0x030;
inline constexpr uint32_t ARRAY_COLUMNS = 0x034;
inline constexpr uint32_t ARRAY_COUNT = 0x038;
inline constexpr uint32_t MAX_LAYERS = 0x03C;
inline constexpr uint32_t PROG_PULSE_PS = 0x040;    // programming pulse duration, ps
inline constexpr uint32_t PROG_CURRENT_NA = 0x044;  // programming pulse current, nA
inline constexpr uint32_t SC_LENGTH = 0x048;        // stochastic stream length N
inline constexpr uint32_t IMAGE_INDEX = 0x04C;      // image the next START classifies (positions the random streams)
inline constexpr uint32_t QUANT_BITS = 0x050;       // MAC array: bits 7:0 weight bits, 15:8 activation bits
// The optional DMA engine (accel.dma.enabled): a system-bus address, an accelerator offset, a
// length, then DMA_CTRL START; DMA_STATUS and IRQ bit 1 say when it is done.
inline constexpr uint32_t DMA_SYSTEM_LO = 0x060;
inline constexpr uint32_t DMA_SYSTEM_HI = 0x064;
inline constexpr uint32_t DMA_LOCAL = 0x068;   // offset in the accelerator's map (a window)
inline constexpr uint32_t DMA_LENGTH = 0x06C;  // bytes
inline constexpr uint32_t DMA_CTRL = 0x070;    // bit 0 START (strobe), bit 1 TO_SYSTEM (else from system)
inline constexpr uint32_t DMA_STATUS = 0x074;  // bit 0 BUSY, bit 1 DONE, bit 2 ERROR
// Fields of QUANT_BITS and MAC_PRECISION: 8-bit fields at these shifts.
inline constexpr uint32_t kWeightBitsShift = 0;
inline constexpr uint32_t kActivationBitsShift = 8;
inline constexpr uint32_t kStreamBitsPerCycleShift = 16;  // MAC_PRECISION only
// The MAC-array accelerator's hardware registers (RO), at the BNN's ARRAY_* offsets.
inline constexpr uint32_t MAC_ROWS = 0x030;
inline constexpr uint32_t MAC_COLUMNS = 0x034;
inline constexpr uint32_t MAC_PRECISION = 0x038;  // bits 7:0 most weight bits, 15:8 most activation bits, 23:16 k
inline constexpr uint32_t LAYER_BASE = 0x100;     // LAYERn_INPUTS at +8n, LAYERn_OUTPUTS at +8n+4
inline constexpr uint32_t layer_inputs(uint32_t n) { return LAYER_BASE + 8 * n; }
inline constexpr uint32_t layer_outputs(uint32_t n) { return LAYER_BASE + 8 * n + 4; }
// MAC array: byte offset of layer n's weights in the WEIGHT window (8-byte aligned).
inline constexpr uint32_t LAYER_WEIGHT_BASE = 0x300;
inline constexpr uint32_t layer_weight_base(uint32_t n) { return LAYER_WEIGHT_BASE + 4 * n; }
// Layer geometry descriptors, 8 words per layer from LAYER_GEOMETRY_BASE + 0x20 n (all 0: dense).
inline constexpr uint32_t LAYER_GEOMETRY_BASE = 0x400;
inline constexpr uint32_t kLayerGeometryStride = 0x20;
inline constexpr uint32_t layer_geometry(uint32_t n, uint32_t word) {
  return LAYER_GEOMETRY_BASE + kLayerGeometryStride * n + 4 * word;
}
// The words of a layer's geometry descriptor, in order.
enum LayerGeometryWord : uint32_t {
  kLayerKind = 0,        // 0 dense, 1 conv2d
  kLayerInHeight = 1,    // convolution input tensor rows
  kLayerInWidth = 2,     // columns
  kLayerInChannels = 3,  // channels
  kLayerKernel = 4,      // square kernel size
  kLayerStride = 5,      // convolution stride
  kLayerPadding = 6,     // bits 15:0 padding; bit 16: padded positions are +1 (else -1)
  kLayerPool = 7,        // bits 15:0 max-pool window (0: none); bits 31:16 its stride
  kLayerGeometryWords = 8
};
inline constexpr uint32_t kLayerPadWithOnes = 1u << 16;

inline constexpr uint32_t kIdValue = 0x5CB11001;     // "SC-BNN", register map version 1
inline constexpr uint32_t kMacIdValue = 0x5CB11002;  // the MAC-array accelerator (docs/registers.md)
inline constexpr uint32_t kVersionValue = 0x00000100;

inline constexpr uint32_t CTRL_START = 1u << 0;
inline constexpr uint32_t CTRL_PROG_COMMIT = 1u << 1;  // BNN: program the weight word pending in the write buffer
inline constexpr uint32_t STATUS_BUSY = 1u << 0;
inline constexpr uint32_t STATUS_DONE = 1u << 1;
inline constexpr uint32_t STATUS_ERROR = 1u << 2;
inline constexpr uint32_t IRQ_DONE = 1u << 0;
inline constexpr uint32_t IRQ_DMA = 1u << 1;  // the DMA engine finished a transfer (accel.dma.enabled)
inline constexpr uint32_t DMA_CTRL_START = 1u << 0;
inline constexpr uint32_t DMA_CTRL_TO_SYSTEM = 1u << 1;

// ERROR_CODE values. kErrBadProgram: the layer program does not fit the hardware or the
// input mode is unsupported (the platform reports the accelerator's message).
enum ErrorCode : uint32_t { kErrNone = 0, kErrBadProgram = 1, kErrStartWhileBusy = 2 };
inline constexpr uint32_t kInputModeFixed = 0;
inline constexpr uint32_t kInputModeStochasticSum = 1;
inline constexpr uint32_t kInputModeStochasticVote = 2;

inline constexpr uint64_t INPUT_WINDOW = 0x0001'0000;    // pixels, one byte each (RW, DMI)
inline constexpr uint64_t OUTPUT_WINDOW = 0x0002'0000;   // class scores, int32 each (RO, DMI)
inline constexpr uint64_t PARAM_WINDOW = 0x0010'0000;    // per-neuron parameters, 8 bytes each (MAC: 16) (RW)
inline constexpr uint64_t WEIGHT_WINDOW = 0x0100'0000;   // arrays x rows x columns/8 bytes (MAC: int8 weights) (RW)
inline constexpr uint64_t kWindowLimit = 0x1'0000'0000;  // the accelerator decodes 4 GiB

}  // namespace scbnn::addr
