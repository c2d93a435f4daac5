// A user's virtual platform that also uses Boost iostreams, log and program_options: reads
// an accelerator configuration (YAML, the keys of docs/configuration.md), builds the
// accelerator for the shipped network as `scbnn run` does (ST-MRAM weight arrays with the
// configured error rate, both first-layer datapaths) and a MAC-array accelerator for the
// shipped quantised CNN beside it, an ST-MRAM scratchpad and the SNG bank as a peripheral,
// binds all four to its own 32-bit bus, reads the accelerators' IDs, stores and loads a word
// in the scratchpad and generates stochastic streams.
// SCBNN_DATA_DIR names the installed share/scbnn.
#include <scbnn/base/data_files.h>
#include <scbnn/base/errors.h>
#include <scbnn/models/mram_array.h>
#include <scbnn/platforms/configured_accelerator.h>
#include <scbnn/tlm/router.h>
#include <scbnn/tlm/sng_peripheral.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <boost/iostreams/device/mapped_file.hpp>
#include <boost/log/trivial.hpp>
#include <boost/program_options.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

namespace po = boost::program_options;

struct Cpu : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Cpu, 32> socket;
  uint32_t ids[2] = {0, 0};
  uint32_t scratch_value = 0;
  explicit Cpu(sc_core::sc_module_name n) : sc_core::sc_module(n), socket("socket") {
    SC_HAS_PROCESS(Cpu);
    SC_THREAD(run);
  }
  void run() {
    for (int i = 0; i < 2; ++i) transfer(tlm::TLM_READ_COMMAND, 0x4000'0000 + 0x1000'0000 * uint64_t(i), &ids[i]);
    uint32_t pattern = 0xDEADBEEF;  // the ST-MRAM scratchpad: a store, then a load
    transfer(tlm::TLM_WRITE_COMMAND, 0x6000'0010, &pattern);
    transfer(tlm::TLM_READ_COMMAND, 0x6000'0010, &scratch_value);
    // The SNG peripheral: four pixels of 255 (always 1 but one sample in 256) and 0, 8 samples.
    uint32_t pixels = 0x00FF00FF, samples = 8, generate = scbnn::sng_addr::CTRL_GENERATE;
    transfer(tlm::TLM_WRITE_COMMAND, 0x7000'0000 + scbnn::sng_addr::PIXEL_WINDOW, &pixels);
    transfer(tlm::TLM_WRITE_COMMAND, 0x7000'0000 + scbnn::sng_addr::SAMPLES, &samples);
    transfer(tlm::TLM_WRITE_COMMAND, 0x7000'0000 + scbnn::sng_addr::CTRL, &generate);
    for (uint32_t n = 0; n < 8; ++n)
      transfer(tlm::TLM_READ_COMMAND, 0x7000'0000 + scbnn::sng_addr::STREAM_WINDOW + 8 * n, &stream_words[n]);
  }
  uint32_t stream_words[8] = {};
  void transfer(tlm::tlm_command cmd, uint64_t address, uint32_t* data) {
    tlm::tlm_generic_payload tx;
    tx.set_command(cmd);
    tx.set_address(address);
    tx.set_data_ptr(reinterpret_cast<unsigned char*>(data));
    tx.set_data_length(4);
    tx.set_streaming_width(4);
    sc_core::sc_time delay;
    socket->b_transport(tx, delay);
    if (!tx.is_response_ok()) ok = false;
  }
  bool ok = true;
};

int sc_main(int argc, char* argv[]) {
  po::options_description options("consumer_vp");
  options.add_options()("ber", po::value<double>()->default_value(0.01), "MRAM bit error rate");
  po::variables_map vm;
  po::store(po::parse_command_line(argc, argv, options), vm);
  const double ber = vm["ber"].as<double>();

  const std::string path = "consumer_accel.yaml";
  std::ofstream(path) << "accel:\n  mram:\n    error_mode: per_inference\n    ber: " << ber << "\n";
  boost::iostreams::mapped_file_source yaml(path);
  scbnn::Config config;
  config.load_yaml_text(std::string(yaml.data(), yaml.size()), path);
  BOOST_LOG_TRIVIAL(info) << "configuration read from " << path;

  config.apply_override("accel.first_layer_hardware=both");
  const scbnn::Network network = scbnn::load_network(
      scbnn::resolve_shipped_file("fmnist_bnn_fixed.scbnn", scbnn::ShippedData::networks, "network.path"));
  scbnn::ConfiguredAccelerator<32> accel("accel", scbnn::platform_params(config), &network);
  config.apply_override("accel.datapath=mac");
  const scbnn::Network quantised = scbnn::load_network(
      scbnn::resolve_shipped_file("fmnist_qcnn_w8a8.scbnn", scbnn::ShippedData::networks, "network.path"));
  scbnn::ConfiguredAccelerator<32> mac("mac", scbnn::platform_params(config), &quantised);
  // A binarized network on the MAC array is refused, naming the key.
  bool refused = false;
  try {
    scbnn::ConfiguredAccelerator<32> wrong("wrong", scbnn::platform_params(config), &network);
  } catch (const scbnn::InputError& e) {
    refused = std::string(e.what()).find("accel.datapath") != std::string::npos;
  }

  Cpu cpu("cpu");
  scbnn::Router<32> bus("bus", sc_core::sc_time(2, sc_core::SC_NS), 1);
  sc_core::sc_signal<bool> irq("irq"), mac_irq("mac_irq");
  cpu.socket.bind(bus.target_socket);
  bus.initiator_socket.bind(accel.socket());
  bus.initiator_socket.bind(mac.socket());
  // A 64 KiB ST-MRAM scratchpad of the default configuration (physical errors).
  const scbnn::PlatformParams memory_params = scbnn::platform_params(scbnn::Config());
  scbnn::ArrayMemory<32> scratchpad("scratchpad", 64 * 1024, scbnn::array_memory_timing(memory_params),
                                    scbnn::weight_array_factory(memory_params));
  bus.initiator_socket.bind(scratchpad.socket);
  // The SNG bank as a peripheral: 4 inputs, LFSR sources of the default configuration.
  scbnn::SngPeripheral<32> sng("sng", memory_params.accel.core.sng, 4, 64, sc_core::sc_time(2, sc_core::SC_NS));
  bus.initiator_socket.bind(sng.socket);
  bus.map(0, 0x4000'0000, 0x1000'0000, "accel");
  bus.map(1, 0x5000'0000, 0x1000'0000, "mac");
  bus.map(2, 0x6000'0000, scratchpad.size(), "scratchpad");
  bus.map(3, 0x7000'0000, 0x1000'0000, "sng");
  accel.irq().bind(irq);
  mac.irq().bind(mac_irq);
  sc_core::sc_start();

  const auto* array = dynamic_cast<const scbnn::MramArray*>(&accel.bnn()->core.array(0));
  std::printf("accelerator ID 0x%08X, MAC accelerator ID 0x%08X\n", cpu.ids[0], cpu.ids[1]);
  std::printf("weight arrays: %s, ber %g\n", array ? "ST-MRAM" : "not ST-MRAM", array ? array->params().ber : -1.0);
  std::printf("ST-MRAM scratchpad read back 0x%08X\n", cpu.scratch_value);
  // Inputs 0 and 2 (255) give ones nearly always, inputs 1 and 3 (0) never.
  int ones[4] = {0, 0, 0, 0};
  for (uint32_t n = 0; n < 8; ++n)
    for (int i = 0; i < 4; ++i) ones[i] += (cpu.stream_words[n] >> i) & 1;
  std::printf("SNG streams of 8 samples: ones per input %d %d %d %d\n", ones[0], ones[1], ones[2], ones[3]);
  const bool streams_ok = ones[0] >= 7 && ones[2] >= 7 && ones[1] == 0 && ones[3] == 0;
  const bool ok = cpu.ids[0] == scbnn::addr::kIdValue && cpu.ids[1] == scbnn::addr::kMacIdValue && array &&
                  array->params().ber == ber && mac.mac() && !mac.bnn() && refused && cpu.ok &&
                  cpu.scratch_value == 0xDEADBEEF && dynamic_cast<scbnn::MramArray*>(&scratchpad.array()) && streams_ok;
  std::printf("%s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
