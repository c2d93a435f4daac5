#pragma once
#include <string>
#include <vector>

namespace scbnn {

// The area of one unit when the model's device parameters fix it (an MRAM cell: its MTJs
// x accel.mram.mtj.area_f2), in F^2 of the technology's feature size, and which
// parameters give it. f2 = 0: the technology table's area entry prices the unit.
struct DeviceArea {
  double f2 = 0;
  std::string source = {};
};

// One piece of instantiated hardware, sized in the unit its area and leakage scale with:
// an array's cells, a popcount tree's input bits, a buffer's bits, a controller instance.
// power/ multiplies `quantity` by the technology table's area and leakage per `basis`
// (or, for the area, by `device_area` when the model fixes it).
struct HardwareItem {
  std::string component;        // hierarchical instance name
  std::string component_class;  // e.g. "mram_2t2r_array"
  std::string basis;            // e.g. "cell", "input_bit", "bit", "instance"
  double quantity = 0;
  std::string detail;  // how the quantity arises, e.g. "256 x 256 cells"
  DeviceArea device_area = {};
};

class HardwareInventory {
 public:
  void add(std::string component, std::string component_class, std::string basis, double quantity, std::string detail,
           DeviceArea device_area = {}) {
    items_.push_back({std::move(component), std::move(component_class), std::move(basis), quantity, std::move(detail),
                      std::move(device_area)});
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
