// The C firmware driver (driver/, compiled as strict C99) run inside a SystemC platform of
// the project's own: a firmware CPU whose bus operations are TLM transactions on a 32-bit
// bus, the accelerator built as `scbnn run` builds it. Its predictions and scores must equal
// the independent references, by polling and by interrupt, for both accelerators. One
// simulation per test case (ctest runs each in its own process).
#include <gtest/gtest.h>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <fstream>
#include <functional>

#include "scbnn/driver/scbnn_driver.h"
#include "scbnn/platforms/configured_accelerator.h"
#include "scbnn/platforms/program_image.h"
#include "scbnn/stimuli/evaluate.h"
#include "scbnn/tlm/c_header.h"
#include "scbnn/tlm/protocol_checker.h"
#include "scbnn/tlm/router.h"
#include "test_support.h"

using namespace scbnn;

namespace {

constexpr uint64_t kBase = 0x4000'0000;

// A CPU running firmware: its thread calls `firmware`, whose driver calls come back here as
// bus transactions, timed by a quantum keeper (a polling loop lets simulated time pass). With
// `approximately_timed` it uses the 4-phase non-blocking protocol instead: each transaction
// starts at the CPU's synchronised time and waits for its BEGIN_RESP.
struct FirmwareCpu : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<FirmwareCpu, 32> socket;
  sc_core::sc_in<bool> irq;
  std::function<void(FirmwareCpu&)> firmware;
  tlm_utils::tlm_quantumkeeper keeper;
  uint64_t transactions = 0;
  bool failed = false;
  bool approximately_timed = false;
  sc_core::sc_event response;

  explicit FirmwareCpu(sc_core::sc_module_name n) : sc_core::sc_module(n), socket("socket"), irq("irq") {
    SC_HAS_PROCESS(FirmwareCpu);
    SC_THREAD(run);
    socket.register_nb_transport_bw(this, &FirmwareCpu::nb_transport_bw);
  }
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload&, tlm::tlm_phase& phase, sc_core::sc_time& delay) {
    if (phase == tlm::BEGIN_RESP) {
      response.notify(delay);
      return tlm::TLM_COMPLETED;  // ends the transaction: no END_RESP needed
    }
    return tlm::TLM_ACCEPTED;  // END_REQ
  }
  void run() {
    keeper.reset();
    firmware(*this);
    keeper.sync();
  }
  void transport(tlm::tlm_command cmd, uint64_t address, uint8_t* data, uint32_t length) {
    tlm::tlm_generic_payload tx;
    tx.set_command(cmd);
    tx.set_address(address);
    tx.set_data_ptr(data);
    tx.set_data_length(length);
    tx.set_streaming_width(length);
    tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    ++transactions;
    if (approximately_timed) {
      keeper.sync();
      tlm::tlm_phase phase = tlm::BEGIN_REQ;
      sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
      const tlm::tlm_sync_enum status = socket->nb_transport_fw(tx, phase, delay);
      if (status == tlm::TLM_COMPLETED)
        sc_core::wait(delay);
      else
        sc_core::wait(response);
      if (!tx.is_response_ok()) failed = true;
      return;
    }
    sc_core::sc_time delay = keeper.get_local_time();
    socket->b_transport(tx, delay);
    keeper.set(delay);
    if (!tx.is_response_ok()) failed = true;
    if (keeper.need_sync()) keeper.sync();
  }
  void wait_for_interrupt() {
    keeper.sync();
    if (!irq.read()) sc_core::wait(irq.posedge_event());
  }
  scbnn_device device() { return {&kOps, this, kBase}; }

  // The device's byte order is little-endian: words are composed byte by byte.
  static uint32_t read32(void* cpu, uint64_t address) {
    uint8_t b[4] = {};
    static_cast<FirmwareCpu*>(cpu)->transport(tlm::TLM_READ_COMMAND, address, b, 4);
    return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
  }
  static void write32(void* cpu, uint64_t address, uint32_t value) {
    uint8_t b[4] = {uint8_t(value), uint8_t(value >> 8), uint8_t(value >> 16), uint8_t(value >> 24)};
    static_cast<FirmwareCpu*>(cpu)->transport(tlm::TLM_WRITE_COMMAND, address, b, 4);
  }
  static void write8(void* cpu, uint64_t address, uint8_t value) {
    static_cast<FirmwareCpu*>(cpu)->transport(tlm::TLM_WRITE_COMMAND, address, &value, 1);
  }
  static constexpr scbnn_bus_ops kOps = {read32, write32, write8};
};

struct Classified {
  std::vector<int32_t> scores;
  uint32_t predicted = 0;
  uint64_t cycles = 0;
};

// A platform of the project's own for firmware: CPU -> 32-bit router -> accelerator (built as
// `scbnn run` builds it), the names prefixed so that two rigs can share one simulation.
struct FirmwareRig {
  FirmwareCpu cpu;
  Router<32> bus;
  ConfiguredAccelerator<32> accel;
  sc_core::sc_signal<bool> irq;
  std::vector<Classified> out;

  std::unique_ptr<ProtocolChecker<32>> checker;  // between the CPU and the bus, when asked for

  FirmwareRig(const std::string& prefix, const PlatformParams& params, const Network& net, bool checked = false)
      : cpu((prefix + "cpu").c_str()),
        bus((prefix + "bus").c_str(), sc_core::sc_time(2, sc_core::SC_NS), 1),
        accel((prefix + "accel").c_str(), params, &net),
        irq((prefix + "irq").c_str()) {
    if (checked) {
      checker = std::make_unique<ProtocolChecker<32>>((prefix + "checker").c_str());
      checker->collect_only = true;
      cpu.socket.bind(checker->target_socket);
      checker->initiator_socket.bind(bus.target_socket);
    } else {
      cpu.socket.bind(bus.target_socket);
    }
    bus.initiator_socket.bind(accel.socket());
    bus.map(0, kBase, 0x4000'0000, "accel");
    accel.irq().bind(irq);
    cpu.irq.bind(irq);
  }

  // The firmware: program `image` with the C driver, then classify `count` images from
  // `first` by polling or by interrupt.
  void classify(const Network& net, const Dataset& data, uint32_t first, uint32_t count, bool by_interrupt,
                const std::vector<uint8_t>& image) {
    cpu.firmware = [this, &net, &data, first, count, by_interrupt, &image](FirmwareCpu& c) {
      const scbnn_device dev = c.device();
      uint32_t mismatch = 0;
      EXPECT_EQ(scbnn_program(&dev, image.data(), image.size(), &mismatch), SCBNN_OK) << "at offset " << mismatch;
      const uint32_t classes = net.classes();
      for (uint32_t i = 0; i < count; ++i) {
        Classified r;
        r.scores.resize(classes);
        scbnn_result result{};
        if (by_interrupt) {
          EXPECT_EQ(scbnn_load_input(&dev, data.image(first + i), data.values()), SCBNN_OK);
          scbnn_start(&dev);
          c.wait_for_interrupt();
          EXPECT_EQ(scbnn_done(&dev), 1);
          EXPECT_EQ(scbnn_finish(&dev, &result, r.scores.data(), classes), SCBNN_OK);
          EXPECT_EQ(scbnn_done(&dev), 0) << "the interrupt is cleared";
        } else {
          EXPECT_EQ(scbnn_classify(&dev, data.image(first + i), data.values(), &result, r.scores.data(), classes),
                    SCBNN_OK);
        }
        EXPECT_GT(result.cycles, 0u);
        r.predicted = result.predicted_class;
        r.cycles = result.cycles;
        out.push_back(std::move(r));
      }
    };
  }
};

std::vector<Classified> run_firmware(const PlatformParams& params, const Network& net, const Dataset& data,
                                     uint32_t first, uint32_t count, bool by_interrupt,
                                     const std::vector<uint8_t>& image) {
  FirmwareRig rig("", params, net);
  rig.classify(net, data, first, count, by_interrupt, image);
  sc_core::sc_start();
  EXPECT_FALSE(rig.cpu.failed) << "a bus transaction failed";
  return rig.out;
}

void binarized_network_by(bool by_interrupt) {
  const Network net = load_network(SCBNN_SOURCE_DIR "/stimuli/networks/fmnist_bnn_fixed.scbnn");
  const Dataset data = load_mnist_format(kFashionMnistDir, "test");
  const PlatformParams params = platform_params(Config());
  const uint32_t first = 200, count = 12;
  const std::vector<uint8_t> image =
      serialise(binarized_program_image(net, params.accel.core.array, program_settings(params, first)));
  const auto out = run_firmware(params, net, data, first, count, by_interrupt, image);
  ASSERT_EQ(out.size(), count);
  for (uint32_t i = 0; i < count; ++i) {
    const auto ref = test::reference_inference(net, data.image(first + i));
    EXPECT_EQ(std::vector<int64_t>(out[i].scores.begin(), out[i].scores.end()), ref.scores) << "image " << first + i;
    EXPECT_EQ(out[i].predicted, ref.predicted) << "image " << first + i;
  }
}

}  // namespace

TEST(CDriver, BinarizedNetworkByPollingEqualsTheReference) { binarized_network_by(false); }
TEST(CDriver, BinarizedNetworkByInterruptEqualsTheReference) { binarized_network_by(true); }

TEST(CDriver, QuantisedNetworkOnTheMacArrayEqualsTheIntegerReference) {
  const Network net = load_network(SCBNN_SOURCE_DIR "/stimuli/networks/fmnist_qcnn_w4a4.scbnn");
  const Dataset data = load_mnist_format(kFashionMnistDir, "test");
  Config config;
  config.apply_override("accel.datapath=mac");
  config.apply_override("accel.mac.pe=binary_mac");
  const PlatformParams params = platform_params(config);
  const uint32_t first = 30, count = 3;
  const std::vector<uint8_t> image = serialise(quantised_program_image(net, program_settings(params, first)));
  const auto out = run_firmware(params, net, data, first, count, true, image);
  ASSERT_EQ(out.size(), count);
  for (uint32_t i = 0; i < count; ++i) {
    const std::vector<int32_t> ref = quantised_scores(net, data.image(first + i));
    EXPECT_EQ(out[i].scores, ref) << "image " << first + i;
    EXPECT_EQ(out[i].predicted, predicted_class(ref)) << "image " << first + i;
  }
}

// The same firmware over the 4-phase non-blocking protocol (AT: the router forwards it, the
// accelerator answers with its accept and response delays) and over the blocking one (LT),
// side by side in one simulation, each behind the base-protocol checker: identical scores,
// classes and accelerator cycle counts, and no protocol violation.
TEST(CDriver, ApproximatelyTimedAndLooselyTimedGiveTheSameResults) {
  const Network net = load_network(SCBNN_SOURCE_DIR "/stimuli/networks/fmnist_bnn_fixed.scbnn");
  const Dataset data = load_mnist_format(kFashionMnistDir, "test");
  Config config;
  config.apply_override("accel.at.accept_cycles=3");
  config.apply_override("accel.at.response_cycles=2");
  const PlatformParams params = platform_params(config);
  const uint32_t first = 500, count = 6;
  const std::vector<uint8_t> image =
      serialise(binarized_program_image(net, params.accel.core.array, program_settings(params, first)));
  FirmwareRig lt("lt_", params, net, true), at("at_", params, net, true);
  at.cpu.approximately_timed = true;
  lt.classify(net, data, first, count, true, image);
  at.classify(net, data, first, count, true, image);
  sc_core::sc_start();
  EXPECT_FALSE(lt.cpu.failed);
  EXPECT_FALSE(at.cpu.failed);
  ASSERT_EQ(lt.out.size(), count);
  ASSERT_EQ(at.out.size(), count);
  for (uint32_t i = 0; i < count; ++i) {
    EXPECT_EQ(at.out[i].scores, lt.out[i].scores) << "image " << first + i;
    EXPECT_EQ(at.out[i].predicted, lt.out[i].predicted);
    EXPECT_EQ(at.out[i].cycles, lt.out[i].cycles) << "accelerator cycles of image " << first + i;
    const auto ref = test::reference_inference(net, data.image(first + i));
    EXPECT_EQ(std::vector<int64_t>(at.out[i].scores.begin(), at.out[i].scores.end()), ref.scores);
  }
  EXPECT_EQ(at.cpu.transactions, lt.cpu.transactions);
  EXPECT_TRUE(at.checker->violations().empty()) << at.checker->violations().front();
  EXPECT_TRUE(lt.checker->violations().empty()) << lt.checker->violations().front();
  EXPECT_EQ(at.checker->transactions_checked(), at.cpu.transactions) << "every AT transaction checked";
  EXPECT_EQ(at.bus.transactions(), lt.bus.transactions());
}

// An image compiled for another array geometry is refused before anything is written,
// naming the register that differs.
TEST(CDriver, AnImageForOtherHardwareIsRefused) {
  const Network net = load_network(SCBNN_SOURCE_DIR "/stimuli/networks/fmnist_bnn_fixed.scbnn");
  const PlatformParams params = platform_params(Config());
  ArrayGeometry other = params.accel.core.array;
  other.count += 4;
  const std::vector<uint8_t> image = serialise(binarized_program_image(net, other, program_settings(params, 0)));
  FirmwareCpu cpu("cpu");
  Router<32> bus("bus", sc_core::sc_time(2, sc_core::SC_NS), 1);
  ConfiguredAccelerator<32> accel("accel", params, &net);
  sc_core::sc_signal<bool> irq("irq");
  cpu.socket.bind(bus.target_socket);
  bus.initiator_socket.bind(accel.socket());
  bus.map(0, kBase, 0x4000'0000, "accel");
  accel.irq().bind(irq);
  cpu.irq.bind(irq);
  int status = SCBNN_OK;
  uint32_t mismatch = 0;
  uint64_t writes_before = 0;
  cpu.firmware = [&](FirmwareCpu& c) {
    const scbnn_device dev = c.device();
    status = scbnn_program(&dev, image.data(), image.size(), &mismatch);
    writes_before = c.transactions;
  };
  sc_core::sc_start();
  EXPECT_EQ(status, SCBNN_E_HARDWARE);
  EXPECT_EQ(mismatch, uint32_t(SCBNN_ARRAY_COUNT));
  EXPECT_EQ(writes_before, 4u) << "only the four expect reads (ID, ARRAY_ROWS, ARRAY_COLUMNS, ARRAY_COUNT)";
}

// Malformed images are refused by the C driver without a bus access, and by the C++ reader
// with the reason.
TEST(CDriver, MalformedImagesAreRefused) {
  const Network net = load_network(SCBNN_SOURCE_DIR "/stimuli/networks/fmnist_bnn_fixed.scbnn");
  const PlatformParams params = platform_params(Config());
  const std::vector<uint8_t> good =
      serialise(binarized_program_image(net, params.accel.core.array, program_settings(params, 0)));
  EXPECT_EQ(serialise(parse_program_image(good, "good")), good);
  uint64_t accesses = 0;
  const auto count_read = [](void* n, uint64_t) -> uint32_t {
    ++*static_cast<uint64_t*>(n);
    return 0;
  };
  const auto count_write = [](void* n, uint64_t, uint32_t) { ++*static_cast<uint64_t*>(n); };
  const auto count_byte = [](void* n, uint64_t, uint8_t) { ++*static_cast<uint64_t*>(n); };
  const scbnn_bus_ops counting = {count_read, count_write, count_byte};
  const scbnn_device dev = {&counting, &accesses, kBase};
  std::vector<uint8_t> truncated(good.begin(), good.end() - 4), bad_magic = good, bad_kind = good;
  bad_magic[0] ^= 1;
  bad_kind[12] = 7;
  for (const auto* bad : {&truncated, &bad_magic, &bad_kind}) {
    EXPECT_EQ(scbnn_program(&dev, bad->data(), bad->size(), nullptr), SCBNN_E_IMAGE);
    EXPECT_THROW(parse_program_image(*bad, "bad.img"), InputError);
  }
  EXPECT_EQ(accesses, 0u);
  EXPECT_EQ(scbnn_program(&dev, nullptr, 0, nullptr), SCBNN_E_ARGUMENT);
}

// driver/include/scbnn/driver/scbnn_regs.h is the generator's output for the default
// configuration.
TEST(CDriver, RegisterHeaderIsUpToDate) {
  std::ifstream in(SCBNN_SOURCE_DIR "/driver/include/scbnn/driver/scbnn_regs.h");
  ASSERT_TRUE(in);
  const std::string committed((std::istreambuf_iterator<char>(in)), {});
  AcceleratorParams bnn_params = platform_params(Config()).accel, mac_params = bnn_params;
  mac_params.datapath = DatapathKind::mac;
  bnn_params.dma_enabled = mac_params.dma_enabled = true;
  const Accelerator<64> bnn("bnn", bnn_params);
  const MacAccelerator<64> mac("mac", mac_params);
  EXPECT_EQ(committed, registers_c_header(bnn.registers(), mac.registers()))
      << "regenerate it: scbnn registers --c-header > driver/include/scbnn/driver/scbnn_regs.h";
  static_assert(SCBNN_IRQ_ENABLE == addr::IRQ_ENABLE && SCBNN_WEIGHT_WINDOW == addr::WEIGHT_WINDOW &&
                    SCBNN_LAYER_GEOMETRY(2, 5) == addr::layer_geometry(2, 5) &&
                    SCBNN_LAYER_WEIGHT_BASE(3) == addr::layer_weight_base(3),
                "the C header agrees with address_map.h");
}
