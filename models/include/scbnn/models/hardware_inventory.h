#pragma once
#include <string>
#include <vector>

namespace scbnn {

// One piece of instantiated hardware, sized in the unit its area and leakage scale with:
// an array's cells, a popcount tree's input bits, a buffer's bits, a controller instance.
// power/ multiplies `quantity` by the technology table's area and leakage per `basis`.
struct HardwareItem {
  std::string component;        // hierarchical instance name
  std::string component_class;  // e.g. "mram_2t2r_array"
  std::string basis;            // e.g. "cell", "input_bit", "bit", "instance"
  double quantity = 0;
  std::string detail;  // how the quantity arises, e.g. "256 x 256 cells"
};

class HardwareInventory {
 public:
  void add(std::string component, std::string component_class, std::string basis, double quantity,
           std::string detail) {
    items_.push_back({std::move(component), std::move(component_class), std::move(basis), quantity, std::move(detail)});
  }
  const std::vector<HardwareItem>& items() const { return items_; }

 private:
  std::vector<HardwareItem> items_;
};

// Implemented by every model that instantiates hardware with an area.
class DescribesHardware {
 public:
  virtual ~DescribesHardware() = default;
  virtual void collect_hardware(HardwareInventory& inventory) const = 0;
};

}  // namespace scbnn
