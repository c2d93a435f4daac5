#include "scbnn/platforms/host_driver.h"

#include <cstdio>
#include <stdexcept>

#include "scbnn/models/stochastic_scaling.h"
#include "scbnn/platforms/program_image.h"
#include "scbnn/tlm/address_map.h"

namespace scbnn {
namespace {
std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}
}  // namespace

void check_stochastic_scores(const HostJob& job) {
  const Network& net = *job.network;
  if (job.input_mode == addr::kInputModeFixed || net.layers.size() != 1) return;
  const Layer& layer = net.layers[0];
  const bool sum = job.input_mode == addr::kInputModeStochasticSum;
  const auto fits = [&](uint32_t samples) {
    for (uint32_t j = 0; j < layer.outputs; ++j)
      if (stochastic_score_bound(layer.scale[j], layer.offset[j], layer.inputs, samples) > INT32_MAX) return false;
    return true;
  };
  const uint32_t samples = samples_per_decision(sum, job.stream_length);
  if (fits(samples)) return;
  uint32_t longest = samples;
  while (longest > 1 && !fits(longest)) --longest;
  throw std::invalid_argument("accel.sc.stream_length = " + std::to_string(job.stream_length) +
                              " is too long for this single-layer network: summed over " + std::to_string(samples) +
                              " samples its class scores can exceed the accelerator's 32-bit scores; at most " +
                              std::to_string(longest) + " fits (or use accel.sc.combine = vote)");
}

HostDriverModel::HostDriverModel(sc_core::sc_module_name name, const HostJob& job)
    : sc_core::sc_module(name), irq("irq"), job_(job) {
  SC_HAS_PROCESS(HostDriverModel);
  SC_THREAD(run);
}

void HostDriverModel::transfer(tlm::tlm_command cmd, uint64_t address, void* data, uint32_t length) {
  tlm::tlm_generic_payload tx;
  tx.set_command(cmd);
  tx.set_address(address);
  tx.set_data_ptr(static_cast<unsigned char*>(data));
  tx.set_data_length(length);
  tx.set_streaming_width(length);
  tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = quantum_keeper_.get_local_time();
  bus_transport(tx, delay);
  quantum_keeper_.set(delay);
  ++transactions_;
  if (quantum_keeper_.need_sync()) quantum_keeper_.sync();
  if (!tx.is_response_ok())
    throw std::runtime_error(std::string(cmd == tlm::TLM_WRITE_COMMAND ? "write to" : "read from") + " address " +
                             hex(address) + " failed: " + tx.get_response_string());
}

uint32_t HostDriverModel::read32(uint64_t offset) {
  uint32_t v = 0;
  transfer(tlm::TLM_READ_COMMAND, job_.accel_base + offset, &v, 4);
  return v;
}

void HostDriverModel::run() {
  try {
    quantum_keeper_.reset();
    const sc_core::sc_time t0 = now();
    program_network();
    programming_time_ = now() - t0;
    log_.info("programmed the network's " + std::to_string(job_.network->layers.size()) + " layers in " +
              programming_time_.to_string());
    for (uint32_t i = 0; i < job_.images; ++i) {
      classify(i);
      if (log_.enabled(LogLevel::debug)) {
        const InferenceRecord& done = records_.back();
        log_.debug("image " + std::to_string(i + 1) + " of " + std::to_string(job_.images) + " (data set index " +
                   std::to_string(job_.first_image + i) + "): class " + std::to_string(done.predicted) + ", " +
                   std::to_string(done.cycles) + " cycles, latency " + done.latency.to_string());
      }
      if (on_image_done_) on_image_done_(i + 1);
    }
    quantum_keeper_.sync();
    finished_ = true;
  } catch (const std::exception& e) {
    error_ = std::string(name()) + ": " + e.what();
  }
  stopped_.notify(sc_core::SC_ZERO_TIME);
}

void HostDriverModel::program_network() {
  using namespace addr;
  const Network& net = *job_.network;
  ProgramSettings settings;
  settings.input_mode = job_.input_mode;
  settings.stream_length = job_.stream_length;
  settings.pulse = job_.pulse;
  settings.first_image = job_.first_image;
  ProgramImage image;
  if (net.quantised()) {
    // A quantised network on the MAC array (docs/registers.md, "MAC-array accelerator").
    if (read32(ID) != kMacIdValue) throw std::runtime_error("no MAC-array accelerator at the configured address");
    image = quantised_program_image(net, settings);
  } else {
    // The driver compiles the network for the hardware it finds (the array geometry it reads
    // from the accelerator) with the one network compiler, which places tiles with the same
    // mapping the sequencer uses.
    check_stochastic_scores(job_);
    if (read32(ID) != kIdValue) throw std::runtime_error("no SC-BNN accelerator at the configured address");
    ArrayGeometry g;
    g.rows = read32(ARRAY_ROWS);
    g.columns = read32(ARRAY_COLUMNS);
    g.count = read32(ARRAY_COUNT);
    image = binarized_program_image(net, g, settings);
  }
  // The hardware was read above; the image's expect records are for firmware.
  const DmaLayout layout = job_.dma ? dma_layout(image, kDmaMinBytes) : DmaLayout{};
  for (size_t i = 0; i < image.records.size(); ++i) {
    ProgramRecord& r = image.records[i];
    if (r.kind != ProgramRecord::kWrite) continue;
    if (job_.dma && layout.offsets[i] >= 0)
      dma(job_.program_base + uint64_t(layout.offsets[i]), r.offset, uint32_t(r.bytes.size()), false);
    else
      transfer(tlm::TLM_WRITE_COMMAND, job_.accel_base + r.offset, r.bytes.data(), uint32_t(r.bytes.size()));
  }
}

void HostDriverModel::dma(uint64_t system_address, uint32_t local_offset, uint32_t length, bool to_system) {
  using namespace addr;
  write32(DMA_SYSTEM_LO, uint32_t(system_address));
  write32(DMA_SYSTEM_HI, uint32_t(system_address >> 32));
  write32(DMA_LOCAL, local_offset);
  write32(DMA_LENGTH, length);
  write32(DMA_CTRL, DMA_CTRL_START | (to_system ? DMA_CTRL_TO_SYSTEM : 0));
  uint32_t status = 0;
  do {
    quantum_keeper_.sync();  // lets the engine run
    status = read32(DMA_STATUS);
  } while (!(status & STATUS_DONE));
  if (status & STATUS_ERROR) throw std::runtime_error("the accelerator's DMA transfer failed (DMA_STATUS ERROR)");
  write32(IRQ_STATUS, IRQ_DMA);  // the engine raised IRQ bit 1 too
}

void HostDriverModel::classify(uint32_t image) {
  using namespace addr;
  const sc_core::sc_time t0 = now();
  if (job_.dma) {
    dma(job_.image_base + uint64_t(image) * job_.image_bytes, uint32_t(INPUT_WINDOW), job_.image_bytes, false);
  } else {
    std::vector<uint8_t> pixels(job_.image_bytes);
    transfer(tlm::TLM_READ_COMMAND, job_.image_base + uint64_t(image) * job_.image_bytes, pixels.data(),
             job_.image_bytes);
    transfer(tlm::TLM_WRITE_COMMAND, job_.accel_base + INPUT_WINDOW, pixels.data(), job_.image_bytes);
  }
  write32(CTRL, CTRL_START);
  quantum_keeper_.sync();  // hand over: the accelerator runs while the host sleeps
  if (!irq.read()) sc_core::wait(irq.posedge_event());

  InferenceRecord rec;
  const uint32_t status = read32(STATUS);
  if (status & STATUS_ERROR)
    throw std::runtime_error("accelerator reported error code " + std::to_string(read32(ERROR_CODE)));
  rec.predicted = read32(RESULT);
  rec.cycles = read32(CYCLES_LO) | (uint64_t(read32(CYCLES_HI)) << 32);
  rec.scores.resize(job_.network->classes());
  transfer(tlm::TLM_READ_COMMAND, job_.accel_base + OUTPUT_WINDOW, rec.scores.data(), uint32_t(rec.scores.size() * 4));
  write32(IRQ_STATUS, IRQ_DONE);
  rec.latency = now() - t0;
  records_.push_back(std::move(rec));
}

}  // namespace scbnn
