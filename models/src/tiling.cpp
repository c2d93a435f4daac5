#include "scbnn/models/tiling.h"

#include <stdexcept>

namespace scbnn {

Mapping map_dense_layers(const std::vector<LayerShape>& shapes, const ArrayGeometry& g,
                         const FirstLayerPlacement& placement) {
  if (g.rows == 0 || g.columns == 0 || g.columns % 64 != 0)
    throw std::invalid_argument("array geometry: rows must be positive and columns a positive multiple of 64");
  Mapping m;
  m.geometry = g;
  m.first_layer = placement;
  uint64_t next_array = 0;
  for (size_t l = 0; l < shapes.size(); ++l) {
    const LayerShape s = shapes[l];
    LayerMapping lm;
    lm.shape = s;
    lm.row_tiles = (s.outputs + g.rows - 1) / g.rows;
    lm.col_tiles = (s.inputs + g.columns - 1) / g.columns;
    for (uint32_t rt = 0; rt < lm.row_tiles; ++rt)
      for (uint32_t ct = 0; ct < lm.col_tiles; ++ct) {
        Tile t;
        t.array = uint32_t(next_array++);
        t.first_output = rt * g.rows;
        t.outputs = std::min(g.rows, s.outputs - t.first_output);
        t.first_input = ct * g.columns;
        t.inputs = std::min(g.columns, s.inputs - t.first_input);
        lm.tiles.push_back(t);
      }
    m.layers.push_back(std::move(lm));
  }
  const uint64_t first_tiles = m.layers.empty() ? 0 : m.layers[0].tiles.size();
  if (placement.arrays > 0 && first_tiles > placement.arrays)
    throw std::invalid_argument("the first layer (" + std::to_string(m.layers[0].shape.inputs) + "x" +
                                std::to_string(m.layers[0].shape.outputs) + ") needs " + std::to_string(first_tiles) +
                                " weight arrays of " + std::to_string(g.rows) + "x" + std::to_string(g.columns) +
                                " but " + placement.arrays_key + " is " + std::to_string(placement.arrays));
  const uint64_t needed = next_array + placement.copy_arrays();
  if (needed > g.count) {
    std::string detail;
    for (size_t l = 0; l < m.layers.size(); ++l)
      detail += (l ? ", " : "") + std::string("layer ") + std::to_string(l) + " " +
                std::to_string(m.layers[l].shape.inputs) + "x" + std::to_string(m.layers[l].shape.outputs) + " -> " +
                std::to_string(m.layers[l].tiles.size());
    if (placement.copy_arrays() > 0)
      detail += ", copies of the first layer's arrays " + std::to_string(placement.copies - 1) + " x " +
                std::to_string(placement.arrays) + " (" + placement.arrays_key + ") -> " +
                std::to_string(placement.copy_arrays());
    throw std::invalid_argument("the network needs " + std::to_string(needed) + " weight arrays of " +
                                std::to_string(g.rows) + "x" + std::to_string(g.columns) + " (" + detail +
                                ") but accel.array.count is " + std::to_string(g.count));
  }
  m.arrays_used = uint32_t(next_array + (placement.copies - 1) * first_tiles);
  return m;
}

WeightLocation locate_weight(const Mapping& m, uint32_t layer, uint32_t output, uint32_t input) {
  const LayerMapping& lm = m.layers.at(layer);
  const Tile& t = lm.tile(output / m.geometry.rows, input / m.geometry.columns);
  return {t.array, output - t.first_output, input - t.first_input};
}

}  // namespace scbnn
