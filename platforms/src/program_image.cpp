#include "scbnn/platforms/program_image.h"

#include <cmath>

#include "scbnn/base/errors.h"
#include "scbnn/platforms/compiled_network.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/tlm/address_map.h"

namespace scbnn {
namespace {

constexpr uint32_t kImageMagic = 0x49424353;  // "SCBI" little-endian
constexpr uint32_t kImageVersion = 1;

void put32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(uint8_t(v >> (8 * i)));
}

std::vector<uint8_t> le32(uint32_t v) {
  std::vector<uint8_t> b;
  put32(b, v);
  return b;
}

// A layer's descriptor registers: inputs, outputs and, for a convolution, its geometry
// words (they reset to 0: dense); PADDING bit 16 for a BNN layer padded with +1.
void write_layer_descriptor(ProgramImage& image, uint32_t l, const LayerShape& s) {
  using namespace addr;
  image.write32(layer_inputs(l), s.inputs);
  image.write32(layer_outputs(l), s.outputs);
  if (!s.is_conv()) return;
  const uint32_t geometry[kLayerGeometryWords] = {uint32_t(LayerType::conv2d),
                                                  s.conv.in_height,
                                                  s.conv.in_width,
                                                  s.conv.in_channels,
                                                  s.conv.kernel,
                                                  s.conv.stride,
                                                  s.conv.padding | (s.conv.pads_with_ones() ? kLayerPadWithOnes : 0),
                                                  s.pool.window | (s.pool.stride << 16)};
  for (uint32_t w = 0; w < kLayerGeometryWords; ++w) image.write32(layer_geometry(l, w), geometry[w]);
}

// One layer's parameter entries (`entry_bytes` a neuron) from neuron `first_neuron` on.
void write_parameters(ProgramImage& image, uint32_t first_neuron, const std::vector<int32_t>& words,
                      uint32_t entry_bytes) {
  std::vector<uint8_t> bytes;
  for (int32_t w : words) put32(bytes, uint32_t(w));
  image.write(uint32_t(addr::PARAM_WINDOW + uint64_t(first_neuron) * entry_bytes), bytes.data(),
              uint32_t(bytes.size()));
}

}  // namespace

void ProgramImage::expect32(uint32_t offset, uint32_t value) {
  records.push_back({ProgramRecord::kExpect, offset, le32(value)});
}

void ProgramImage::write32(uint32_t offset, uint32_t value) {
  records.push_back({ProgramRecord::kWrite, offset, le32(value)});
}

void ProgramImage::write(uint32_t offset, const void* data, uint32_t length) {
  const auto* p = static_cast<const uint8_t*>(data);
  records.push_back({ProgramRecord::kWrite, offset, std::vector<uint8_t>(p, p + length)});
}

ProgramSettings program_settings(const PlatformParams& params, uint32_t first_image) {
  ProgramSettings s;
  s.input_mode = uint32_t(first_layer_mode(params.accel.core));
  s.stream_length = params.accel.stream_length;
  s.pulse = params.accel.pulse;
  s.first_image = first_image;
  return s;
}

ProgramImage binarized_program_image(const Network& net, const ArrayGeometry& g, const ProgramSettings& settings) {
  using namespace addr;
  const CompiledNetwork compiled = compile_network(net, g, FirstLayerMode(settings.input_mode), settings.stream_length);
  ProgramImage image;
  image.expect32(ID, kIdValue);
  image.expect32(ARRAY_ROWS, g.rows);
  image.expect32(ARRAY_COLUMNS, g.columns);
  image.expect32(ARRAY_COUNT, g.count);
  image.write32(NUM_LAYERS, uint32_t(compiled.program.size()));
  for (uint32_t l = 0; l < compiled.program.size(); ++l) write_layer_descriptor(image, l, compiled.program[l]);
  image.write32(INPUT_MODE, settings.input_mode);
  image.write32(SC_LENGTH, settings.stream_length);
  image.write32(IMAGE_INDEX, settings.first_image);  // the accelerator counts on from here
  image.write32(PROG_PULSE_PS, uint32_t(std::llround(settings.pulse.duration_ns * 1000)));
  image.write32(PROG_CURRENT_NA, uint32_t(std::llround(settings.pulse.current_ua * 1000)));
  image.write32(IRQ_ENABLE, IRQ_DONE);

  const uint64_t row_bytes = g.columns / 8, array_bytes = row_bytes * g.rows;
  uint32_t param_base = 0;
  for (uint32_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    for (const Tile& t : compiled.mapping.layers[l].tiles) {
      const uint32_t words = (t.inputs + 63) / 64;
      for (uint32_t r = 0; r < t.outputs; ++r) {
        const uint64_t* src = layer.weights.row(t.first_output + r) + t.first_input / 64;
        std::vector<uint8_t> row;
        for (uint32_t w = 0; w < words; ++w) {
          put32(row, uint32_t(src[w]));
          put32(row, uint32_t(src[w] >> 32));
        }
        image.write(uint32_t(WEIGHT_WINDOW + t.array * array_bytes + r * row_bytes), row.data(), uint32_t(row.size()));
      }
    }
    write_parameters(image, param_base, compiled.parameters[l], 8);
    param_base += layer.outputs;
  }
  return image;
}

ProgramImage quantised_program_image(const Network& net, const ProgramSettings& settings) {
  using namespace addr;
  const CompiledQuantisedNetwork compiled = compile_quantised_network(net);
  const MacProgram& program = compiled.program;
  ProgramImage image;
  image.expect32(ID, kMacIdValue);
  image.write32(QUANT_BITS, program.weight_bits | (program.activation_bits << 8));
  image.write32(NUM_LAYERS, uint32_t(program.layers.size()));
  for (uint32_t l = 0; l < program.layers.size(); ++l) {
    write_layer_descriptor(image, l, program.layers[l]);
    image.write32(layer_weight_base(l), program.weight_bases[l]);
  }
  image.write32(IMAGE_INDEX, settings.first_image);
  image.write32(IRQ_ENABLE, IRQ_DONE);
  uint32_t param_base = 0;
  for (uint32_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    for (uint32_t j = 0; j < layer.outputs; ++j)
      image.write(uint32_t(WEIGHT_WINDOW + program.weight_bases[l] + uint64_t(j) * layer.inputs),
                  layer.qweights.data() + int64_t(j) * layer.inputs, layer.inputs);
    write_parameters(image, param_base, compiled.parameters[l], 16);
    param_base += layer.outputs;
  }
  return image;
}

DmaLayout dma_layout(const ProgramImage& image, uint32_t min_bytes) {
  DmaLayout layout;
  for (const ProgramRecord& r : image.records) {
    if (r.kind != ProgramRecord::kWrite || r.bytes.size() < min_bytes) {
      layout.offsets.push_back(-1);
      continue;
    }
    layout.offsets.push_back(int64_t(layout.bytes.size()));
    layout.bytes.insert(layout.bytes.end(), r.bytes.begin(), r.bytes.end());
    layout.bytes.resize((layout.bytes.size() + 7) / 8 * 8, 0);
  }
  return layout;
}

std::vector<uint8_t> serialise(const ProgramImage& image) {
  std::vector<uint8_t> out;
  put32(out, kImageMagic);
  put32(out, kImageVersion);
  put32(out, uint32_t(image.records.size()));
  for (const ProgramRecord& r : image.records) {
    put32(out, r.kind);
    put32(out, r.offset);
    put32(out, uint32_t(r.bytes.size()));
    out.insert(out.end(), r.bytes.begin(), r.bytes.end());
    out.resize((out.size() + 3) / 4 * 4, 0);
  }
  return out;
}

ProgramImage parse_program_image(const std::vector<uint8_t>& bytes, const std::string& where) {
  size_t at = 0;
  const auto get32 = [&](const char* what) {
    if (bytes.size() - at < 4)
      throw InputError(where + ": program image ends inside " + std::string(what) + " at byte " + std::to_string(at));
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t(bytes[at + i]) << (8 * i);
    at += 4;
    return v;
  };
  if (get32("the header") != kImageMagic) throw InputError(where + ": not a program image (no 'SCBI' header)");
  const uint32_t version = get32("the header");
  if (version != kImageVersion)
    throw InputError(where + ": program image version " + std::to_string(version) + ", expected " +
                     std::to_string(kImageVersion));
  const uint32_t count = get32("the header");
  ProgramImage image;
  for (uint32_t i = 0; i < count; ++i) {
    ProgramRecord r;
    const uint32_t kind = get32("a record");
    if (kind != ProgramRecord::kExpect && kind != ProgramRecord::kWrite)
      throw InputError(where + ": record " + std::to_string(i) + " has kind " + std::to_string(kind) +
                       " (expected 1 = expect or 2 = write)");
    r.kind = ProgramRecord::Kind(kind);
    r.offset = get32("a record");
    const uint32_t length = get32("a record");
    if (kind == ProgramRecord::kExpect && length != 4)
      throw InputError(where + ": expect record " + std::to_string(i) + " has " + std::to_string(length) +
                       " bytes (expected 4)");
    const uint64_t padded = (uint64_t(length) + 3) / 4 * 4;
    if (bytes.size() - at < padded)
      throw InputError(where + ": record " + std::to_string(i) + " runs past the end of the image");
    r.bytes.assign(bytes.begin() + int64_t(at), bytes.begin() + int64_t(at + length));
    for (uint64_t pad = length; pad < padded; ++pad)
      if (bytes[at + pad] != 0)
        throw InputError(where + ": record " + std::to_string(i) + " is not padded with zeros to a whole word");
    at += padded;
    image.records.push_back(std::move(r));
  }
  if (at != bytes.size())
    throw InputError(where + ": " + std::to_string(bytes.size() - at) + " bytes after the last record");
  return image;
}

}  // namespace scbnn
