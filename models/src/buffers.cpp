#include "scbnn/models/buffers.h"

#include <algorithm>
#include <cstring>

#include "scbnn/base/byte_enables.h"
#include "scbnn/models/bit_kernels.h"
#include "scbnn/models/row_kernels.h"

namespace scbnn {
InputBuffer::InputBuffer(sc_core::sc_module_name name, uint32_t capacity_bytes)
    : sc_core::sc_module(name), bytes_(capacity_bytes, 0) {}

void InputBuffer::write(uint32_t offset, const uint8_t* data, uint32_t len, const uint8_t* be, uint32_t be_len,
                        bool count) {
  copy_enabled_bytes(bytes_.data() + offset, data, len, be, be_len);
  if (count) bits_written_.add(uint64_t(len) * 8);
}

void InputBuffer::read(uint32_t offset, uint8_t* data, uint32_t len, bool count) const {
  std::memcpy(data, bytes_.data() + offset, len);
  if (count) bits_read_.add(uint64_t(len) * 8);
}

void InputBuffer::bit_plane(uint32_t plane, uint32_t n, std::vector<uint64_t>& out) {
  out.resize((size_t(n) + 63) / 64);
  row_kernels().bit_plane(bytes_.data(), n, plane, out.data());
  bits_read_.add(n);
}

void InputBuffer::collect_actions(ActionLedger& ledger) const {
  ledger.add(name(), component_class::kInputBuffer, action::kBitRead, bits_read_.by_layer());
  ledger.add(name(), component_class::kInputBuffer, action::kBitWrite, bits_written_.by_layer());
}

void InputBuffer::collect_hardware(HardwareInventory& inventory) const {
  inventory.add(name(), component_class::kInputBuffer, "bit", 8.0 * capacity(), std::to_string(capacity()) + " bytes");
}

ActivationBuffer::ActivationBuffer(sc_core::sc_module_name name, uint32_t capacity_bits, uint32_t port_bits)
    : sc_core::sc_module(name), capacity_bits_(capacity_bits), port_bits_(port_bits) {
  for (auto& b : banks_) b.assign((size_t(capacity_bits) + 63) / 64, 0);
}

void ActivationBuffer::collect_actions(ActionLedger& ledger) const {
  ledger.add(name(), component_class::kActivationBuffer, action::kBitRead, bits_read_.by_layer());
  ledger.add(name(), component_class::kActivationBuffer, action::kBitWrite, bits_written_.by_layer());
}

void ActivationBuffer::collect_hardware(HardwareInventory& inventory) const {
  inventory.add(name(), component_class::kActivationBuffer, "bit", 2.0 * capacity_bits_,
                "two banks of " + std::to_string(capacity_bits_) + " bits");
}

LineBuffer::LineBuffer(sc_core::sc_module_name name, uint32_t capacity_bits)
    : sc_core::sc_module(name), capacity_bits_(capacity_bits) {}

uint64_t LineBuffer::bits_needed(const LayerShape& layer, uint32_t bits_per_value) {
  if (!layer.is_conv()) return 0;
  const ConvGeometry& g = layer.conv;
  return uint64_t(g.kernel) * (uint64_t(g.in_width) + 2 * g.padding) * g.in_channels * bits_per_value;
}

void LineBuffer::window(const LayerShape& layer, const uint64_t* tensor, uint32_t oy, uint32_t ox, uint64_t* out) {
  const ConvGeometry& g = layer.conv;
  const int64_t k = g.kernel, c = g.in_channels, w = g.in_width;
  const bool pad = g.pads_with_ones();
  const int64_t x0 = int64_t(ox) * g.stride - g.padding;
  const int64_t left = std::max<int64_t>(0, -x0), right = std::max<int64_t>(0, x0 + k - w);
  const int64_t valid = std::max<int64_t>(0, k - left - right);
  for (int64_t ky = 0; ky < k; ++ky) {
    const int64_t y = int64_t(oy) * g.stride - g.padding + ky;
    const size_t row = size_t(ky * k * c);
    if (y < 0 || y >= int64_t(g.in_height) || valid == 0) {
      fill_bits(out, row, size_t(k * c), pad);
      continue;
    }
    fill_bits(out, row, size_t(left * c), pad);
    copy_bits(out, row + size_t(left * c), tensor, size_t((y * w + x0 + left) * c), size_t(valid * c));
    fill_bits(out, row + size_t((left + valid) * c), size_t(right * c), pad);
  }
  bits_read_.add(layer.inputs);
}

void LineBuffer::collect_actions(ActionLedger& ledger) const {
  ledger.add(name(), component_class::kLineBuffer, action::kBitRead, bits_read_.by_layer());
  ledger.add(name(), component_class::kLineBuffer, action::kBitWrite, bits_written_.by_layer());
}

void LineBuffer::collect_hardware(HardwareInventory& inventory) const {
  if (capacity_bits_ == 0) return;
  inventory.add(name(), component_class::kLineBuffer, "bit", double(capacity_bits_),
                std::to_string(capacity_bits_) + " bits");
}

void InputLatches::collect_actions(ActionLedger& ledger) const {
  ledger.add(name(), component_class::kInputLatch, action::kBitWrite, bits_written_.by_layer());
}

void InputLatches::collect_hardware(HardwareInventory& inventory) const {
  inventory.add(name(), component_class::kInputLatch, "bit", double(arrays_) * double(bits_per_array_),
                std::to_string(arrays_) + " x " + std::to_string(bits_per_array_) + " bits (per array)");
}

ParamMemory::ParamMemory(sc_core::sc_module_name name, uint32_t entries, uint32_t banks)
    : sc_core::sc_module(name), entries_(entries), banks_(std::max(1u, banks)) {}

void ParamMemory::write(uint32_t offset, const uint8_t* data, uint32_t len, const uint8_t* be, uint32_t be_len,
                        bool count) {
  copy_enabled_bytes(reinterpret_cast<uint8_t*>(entries_.data()) + offset, data, len, be, be_len);
  if (count) bytes_written_.add(len);
}

void ParamMemory::read(uint32_t offset, uint8_t* data, uint32_t len) const {
  std::memcpy(data, reinterpret_cast<const uint8_t*>(entries_.data()) + offset, len);
}

void ParamMemory::collect_actions(ActionLedger& ledger) const {
  ledger.add(name(), component_class::kParamMemory, action::kEntryRead, entry_reads_.by_layer());
  ledger.add(name(), component_class::kParamMemory, action::kByteWrite, bytes_written_.by_layer());
}

void ParamMemory::collect_hardware(HardwareInventory& inventory) const {
  inventory.add(name(), component_class::kParamMemory, "bit", 64.0 * entries(),
                std::to_string(entries()) + " entries of 64 bits in " + std::to_string(banks_) + " single-port bank" +
                    (banks_ == 1 ? "" : "s"));
}

}  // namespace scbnn
