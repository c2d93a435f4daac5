#pragma once
#include <systemc>

#include <cstdint>
#include <vector>

#include "scbnn/base/action_ledger.h"
#include "scbnn/base/hardware_inventory.h"
#include "scbnn/base/layer_shape.h"

namespace scbnn {

// SRAM holding one image's 8-bit pixels, written by the host, read bit-plane by
// bit-plane (or sample by sample) by the first layer.
class InputBuffer : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  InputBuffer(sc_core::sc_module_name name, uint32_t capacity_bytes);
  InputBuffer(const InputBuffer&) = delete;
  InputBuffer& operator=(const InputBuffer&) = delete;

  uint32_t capacity() const { return uint32_t(bytes_.size()); }
  // `count` false for debug accesses, which the power model must not see.
  void write(uint32_t offset, const uint8_t* data, uint32_t len, const uint8_t* byte_enable, uint32_t be_len,
             bool count);
  void read(uint32_t offset, uint8_t* data, uint32_t len, bool count) const;
  // Counts `bits` read by a datapath that took its copy of the pixels uncounted.
  void count_read(uint64_t bits) const { bits_read_.add(bits); }
  // Packs bit `plane` of the first `n` pixels into `out` (n bits).
  void bit_plane(uint32_t plane, uint32_t n, std::vector<uint64_t>& out);

  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;

 private:
  std::vector<uint8_t> bytes_;
  mutable LayerCounter bits_read_;
  LayerCounter bits_written_;
};

// Ping-pong SRAM for activations between layers (bits in the BNN, bytes in the MAC-array
// core): layer l reads bank l % 2 and writes bank (l + 1) % 2.
class ActivationBuffer : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  ActivationBuffer(sc_core::sc_module_name name, uint32_t capacity_bits, uint32_t port_bits);
  ActivationBuffer(const ActivationBuffer&) = delete;
  ActivationBuffer& operator=(const ActivationBuffer&) = delete;

  uint32_t capacity_bits() const { return capacity_bits_; }
  uint32_t port_bits() const { return port_bits_; }
  uint32_t access_cycles(uint32_t bits) const { return (bits + port_bits_ - 1) / port_bits_; }

  std::vector<uint64_t>& bank(size_t i) { return banks_[i % 2]; }
  // The same bank as bytes, for multi-bit activations (one byte each; capacity_bits / 8 of them).
  uint8_t* bank_bytes(size_t i) { return reinterpret_cast<uint8_t*>(banks_[i % 2].data()); }
  void count_read(uint64_t bits) { bits_read_.add(bits); }
  void count_write(uint64_t bits) { bits_written_.add(bits); }

  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;

 private:
  uint32_t capacity_bits_, port_bits_;
  std::vector<uint64_t> banks_[2];
  LayerCounter bits_read_, bits_written_;
};

// The convolution's input reuse: a line buffer holding `kernel` rows of the padded input
// tensor (every value with all its pass bits: bit-planes or stochastic samples for the
// first layer), filled once per layer from the activation bank (each input read once),
// from which the window of every output position is read. Functionally it cuts the window
// out of the input tensor; it counts the bits written into it and read out of it.
class LineBuffer : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  LineBuffer(sc_core::sc_module_name name, uint32_t capacity_bits);
  LineBuffer(const LineBuffer&) = delete;
  LineBuffer& operator=(const LineBuffer&) = delete;

  uint64_t capacity_bits() const { return capacity_bits_; }
  // Bits a convolution needs: kernel rows x (width + 2 padding) columns x channels x
  // `bits_per_value` (its input passes).
  static uint64_t bits_needed(const LayerShape& layer, uint32_t bits_per_value);
  void fill(uint64_t bits) { bits_written_.add(bits); }
  // The window of output position (oy, ox) of `layer` over `tensor` (HWC bits), padded
  // positions set to the layer's padding value: `layer.inputs` bits into `window`.
  void window(const LayerShape& layer, const uint64_t* tensor, uint32_t oy, uint32_t ox, uint64_t* window);

  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;

 private:
  uint64_t capacity_bits_;
  LayerCounter bits_read_, bits_written_;
};

// The arrays' input latches: each array latches the input slices it senses against (one
// slice, or every pass's slice of a neuron row in the pass_inner loop order; docs/timing.md).
class InputLatches : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  InputLatches(sc_core::sc_module_name name, uint32_t arrays, uint64_t bits_per_array)
      : sc_core::sc_module(name), arrays_(arrays), bits_per_array_(bits_per_array) {}
  InputLatches(const InputLatches&) = delete;
  InputLatches& operator=(const InputLatches&) = delete;

  uint64_t bits_per_array() const { return bits_per_array_; }
  void latch(uint64_t bits) { bits_written_.add(bits); }

  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;

 private:
  uint32_t arrays_;
  uint64_t bits_per_array_;
  LayerCounter bits_written_;
};

// Per-neuron parameters (threshold and direction, or output scale and offset), 8 bytes
// an entry, written by the host; `banks` single-port banks (one per reduce lane), entry i
// in bank i mod banks, so consecutive neurons are read in parallel.
class ParamMemory : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  struct Entry {
    int32_t first = 0, second = 0;
  };
  ParamMemory(sc_core::sc_module_name name, uint32_t entries, uint32_t banks = 1);
  ParamMemory(const ParamMemory&) = delete;
  ParamMemory& operator=(const ParamMemory&) = delete;

  uint32_t entries() const { return uint32_t(entries_.size()); }
  uint32_t banks() const { return banks_; }
  uint32_t size_bytes() const { return entries() * 8; }
  void write(uint32_t offset, const uint8_t* data, uint32_t len, const uint8_t* byte_enable, uint32_t be_len,
             bool count);
  void read(uint32_t offset, uint8_t* data, uint32_t len) const;
  uint8_t* data() { return reinterpret_cast<uint8_t*>(entries_.data()); }
  const Entry& entry(uint32_t i) {
    entry_reads_.add();
    return entries_[i];
  }
  // Entries first .. first + n - 1, read in order (n reads counted).
  const Entry* entries(uint32_t first, uint32_t n) {
    entry_reads_.add(n);
    return entries_.data() + first;
  }

  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;

 private:
  std::vector<Entry> entries_;
  uint32_t banks_;
  LayerCounter entry_reads_, bytes_written_;
};

}  // namespace scbnn
