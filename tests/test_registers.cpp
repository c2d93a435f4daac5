// Elaboration-only tests of the accelerator's bus face: transactions are sent straight to
// b_transport / transport_dbg and the annotated delay is checked; no simulation runs.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "scbnn/base/byte_enables.h"
#include "scbnn/models/accounting.h"
#include "scbnn/models/mram_array.h"
#include "scbnn/platforms/platform.h"

#include <random>
#include <set>
#include "scbnn/tlm/accelerator.h"
#include "scbnn/tlm/address_map.h"

using namespace scbnn;
using namespace scbnn::addr;

namespace {

AcceleratorParams small_params() {
  AcceleratorParams p;
  p.core.array = {64, 128, 4};
  p.core.max_layers = 2;
  p.core.input_bytes = 64;
  p.core.param_entries = 16;
  p.core.max_classes = 4;
  return p;
}

struct Bus {
  explicit Bus(AcceleratorModel& t) : target(t) {}
  AcceleratorModel& target;
  tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;
  sc_core::sc_time delay;

  tlm::tlm_response_status send(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, uint32_t len,
                                const uint8_t* be = nullptr, uint32_t be_len = 0, uint32_t streaming = 0) {
    tlm::tlm_generic_payload tx;
    tx.set_command(cmd);
    tx.set_address(addr);
    tx.set_data_ptr(data);
    tx.set_data_length(len);
    tx.set_streaming_width(streaming ? streaming : len);
    tx.set_byte_enable_ptr(const_cast<uint8_t*>(be));
    tx.set_byte_enable_length(be_len);
    tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    delay = sc_core::SC_ZERO_TIME;
    target.b_transport(tx, delay);
    return status = tx.get_response_status();
  }
  uint32_t read32(uint64_t addr) {
    uint32_t v = 0;
    EXPECT_EQ(send(tlm::TLM_READ_COMMAND, addr, reinterpret_cast<uint8_t*>(&v), 4), tlm::TLM_OK_RESPONSE);
    return v;
  }
  tlm::tlm_response_status write32(uint64_t addr, uint32_t v) {
    return send(tlm::TLM_WRITE_COMMAND, addr, reinterpret_cast<uint8_t*>(&v), 4);
  }
  unsigned debug(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, uint32_t len) {
    tlm::tlm_generic_payload tx;
    tx.set_command(cmd);
    tx.set_address(addr);
    tx.set_data_ptr(data);
    tx.set_data_length(len);
    return target.transport_dbg(tx);
  }
};

}  // namespace

TEST(Registers, ResetValuesAndAccessRights) {
  Accelerator<64> accel("accel_reset", small_params());
  Bus bus(accel);
  const std::map<std::string, std::pair<uint32_t, RegAccess>> expected = {
      {"ID", {kIdValue, RegAccess::read_only}},
      {"VERSION", {kVersionValue, RegAccess::read_only}},
      {"CTRL", {0, RegAccess::read_write}},
      {"STATUS", {0, RegAccess::read_only}},
      {"IRQ_ENABLE", {0, RegAccess::read_write}},
      {"IRQ_STATUS", {0, RegAccess::write_one_to_clear}},
      {"INPUT_MODE", {0, RegAccess::read_write}},
      {"NUM_LAYERS", {0, RegAccess::read_write}},
      {"CYCLES_LO", {0, RegAccess::read_only}},
      {"CYCLES_HI", {0, RegAccess::read_only}},
      {"RESULT", {0, RegAccess::read_only}},
      {"ERROR_CODE", {0, RegAccess::read_only}},
      {"ARRAY_ROWS", {64, RegAccess::read_only}},
      {"ARRAY_COLUMNS", {128, RegAccess::read_only}},
      {"ARRAY_COUNT", {4, RegAccess::read_only}},
      {"MAX_LAYERS", {2, RegAccess::read_only}},
      {"PROG_PULSE_PS", {10000, RegAccess::read_write}},
      {"PROG_CURRENT_NA", {100000, RegAccess::read_write}},
      {"SC_LENGTH", {16, RegAccess::read_write}},
      {"IMAGE_INDEX", {0, RegAccess::read_write}},
      {"LAYER0_INPUTS", {0, RegAccess::read_write}},
      {"LAYER0_OUTPUTS", {0, RegAccess::read_write}},
      {"LAYER1_INPUTS", {0, RegAccess::read_write}},
      {"LAYER1_OUTPUTS", {0, RegAccess::read_write}},
  };
  ASSERT_EQ(accel.registers().registers().size(), expected.size());
  for (const Register& r : accel.registers().registers()) {
    ASSERT_TRUE(expected.count(r.name)) << r.name;
    const auto [reset, access] = expected.at(r.name);
    EXPECT_EQ(r.access, access) << r.name;
    EXPECT_EQ(bus.read32(r.offset), reset) << r.name;
    EXPECT_EQ(bus.delay, accel.clock_period() * 1.0) << r.name;
    const uint32_t probe = 0x00000000;  // writing 0 leaves START and W1C bits alone
    const auto status = bus.write32(r.offset, probe);
    if (access == RegAccess::read_only) {
      EXPECT_EQ(status, tlm::TLM_COMMAND_ERROR_RESPONSE) << r.name;
      EXPECT_EQ(bus.read32(r.offset), reset) << r.name << " changed by a refused write";
    } else {
      EXPECT_EQ(status, tlm::TLM_OK_RESPONSE) << r.name;
    }
  }
  EXPECT_EQ(bus.write32(NUM_LAYERS, 2), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.read32(NUM_LAYERS), 2u);
}

TEST(Registers, ErrorResponses) {
  Accelerator<64> accel("accel_errors", small_params());
  Bus bus(accel);
  uint8_t buf[16] = {};
  // Holes in the register block and addresses past every window.
  EXPECT_EQ(bus.send(tlm::TLM_READ_COMMAND, 0x050, buf, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(bus.send(tlm::TLM_READ_COMMAND, 0xFFC, buf, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(bus.send(tlm::TLM_READ_COMMAND, 0x8000'0000, buf, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  // An access running off the end of a window.
  EXPECT_EQ(bus.send(tlm::TLM_WRITE_COMMAND, INPUT_WINDOW + 60, buf, 8), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  // Misaligned and wrong-length register accesses.
  EXPECT_EQ(bus.send(tlm::TLM_READ_COMMAND, NUM_LAYERS + 2, buf, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(bus.send(tlm::TLM_READ_COMMAND, NUM_LAYERS, buf, 3), tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(bus.send(tlm::TLM_READ_COMMAND, NUM_LAYERS, buf, 16), tlm::TLM_BURST_ERROR_RESPONSE);
  // Streaming (width smaller than the data) is not supported.
  EXPECT_EQ(bus.send(tlm::TLM_WRITE_COMMAND, INPUT_WINDOW, buf, 8, nullptr, 0, 4), tlm::TLM_BURST_ERROR_RESPONSE);
  // Byte enables must be 0x00 or 0xff, with a non-zero length.
  const uint8_t odd_be[4] = {0xff, 0x0f, 0xff, 0xff};
  EXPECT_EQ(bus.send(tlm::TLM_WRITE_COMMAND, NUM_LAYERS, buf, 4, odd_be, 4), tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
  EXPECT_EQ(bus.send(tlm::TLM_WRITE_COMMAND, NUM_LAYERS, buf, 4, odd_be, 0), tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
  // The output window is read-only.
  EXPECT_EQ(bus.send(tlm::TLM_WRITE_COMMAND, OUTPUT_WINDOW, buf, 4), tlm::TLM_COMMAND_ERROR_RESPONSE);
  // Ignore commands are answered OK and change nothing.
  EXPECT_EQ(bus.send(tlm::TLM_IGNORE_COMMAND, NUM_LAYERS, buf, 4), tlm::TLM_OK_RESPONSE);
}

TEST(Registers, SubWordAndByteEnableAccesses) {
  Accelerator<64> accel("accel_be", small_params());
  Bus bus(accel);
  // 1- and 2-byte writes into one register.
  uint8_t b = 0x34;
  EXPECT_EQ(bus.send(tlm::TLM_WRITE_COMMAND, NUM_LAYERS, &b, 1), tlm::TLM_OK_RESPONSE);
  uint16_t h = 0xAB12;
  EXPECT_EQ(bus.send(tlm::TLM_WRITE_COMMAND, NUM_LAYERS + 2, reinterpret_cast<uint8_t*>(&h), 2), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.read32(NUM_LAYERS), 0xAB120034u);
  // Byte enables select bytes.
  uint32_t v = 0x11223344;
  const uint8_t be[4] = {0xff, 0x00, 0x00, 0xff};
  EXPECT_EQ(bus.send(tlm::TLM_WRITE_COMMAND, NUM_LAYERS, reinterpret_cast<uint8_t*>(&v), 4, be, 4),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.read32(NUM_LAYERS), 0x11120044u);
  // An 8-byte access spans two registers (64-bit buses).
  uint64_t pair = 0;
  EXPECT_EQ(bus.send(tlm::TLM_READ_COMMAND, ID, reinterpret_cast<uint8_t*>(&pair), 8), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(pair, (uint64_t(kVersionValue) << 32) | kIdValue);
  // An 8-byte write over two read-write registers (INPUT_MODE, NUM_LAYERS).
  uint64_t w = 0;
  EXPECT_EQ(bus.send(tlm::TLM_WRITE_COMMAND, INPUT_MODE, reinterpret_cast<uint8_t*>(&w), 8), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.read32(NUM_LAYERS), 0u);
  // A refused part refuses the whole access: CTRL (START) + STATUS (read-only).
  uint64_t start = CTRL_START;
  EXPECT_EQ(bus.send(tlm::TLM_WRITE_COMMAND, CTRL, reinterpret_cast<uint8_t*>(&start), 8),
            tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(bus.read32(STATUS), 0u) << "START must not have been taken";
}

TEST(Registers, WriteOneToClearAndIrqEnable) {
  Accelerator<64> accel("accel_w1c", small_params());
  Bus bus(accel);
  EXPECT_EQ(bus.write32(IRQ_ENABLE, 1), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.read32(IRQ_ENABLE), 1u);
  EXPECT_EQ(bus.write32(IRQ_STATUS, 1), tlm::TLM_OK_RESPONSE);  // clearing a clear bit is harmless
  EXPECT_EQ(bus.read32(IRQ_STATUS), 0u);
  EXPECT_EQ(bus.write32(CTRL, 0), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.read32(CTRL), 0u);
}

// IRQ_ENABLE and IRQ_STATUS have one bit (DONE); their reserved bits read 0 whatever is
// written, by words or by bytes.
TEST(Registers, ReservedInterruptBitsReadZero) {
  Accelerator<32> accel("accel_reserved", small_params());
  Bus bus(accel);
  EXPECT_EQ(bus.write32(IRQ_ENABLE, 0xffffffffu), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.read32(IRQ_ENABLE), IRQ_DONE);
  for (uint32_t byte = 0; byte < 4; ++byte) {
    uint8_t ones = 0xff;
    EXPECT_EQ(bus.send(tlm::TLM_WRITE_COMMAND, IRQ_ENABLE + byte, &ones, 1), tlm::TLM_OK_RESPONSE);
  }
  EXPECT_EQ(bus.read32(IRQ_ENABLE), IRQ_DONE);
  EXPECT_EQ(bus.write32(IRQ_ENABLE, 0xfffffffeu), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.read32(IRQ_ENABLE), 0u);
  EXPECT_EQ(bus.write32(IRQ_STATUS, 0xffffffffu), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.read32(IRQ_STATUS), 0u);
}

// Registers are little-endian byte lanes: the byte at offset + i is bits 8i+7..8i.
TEST(Registers, RegistersAreLittleEndian) {
  Accelerator<32> accel("accel_endian", small_params());
  Bus bus(accel);
  uint8_t id[4] = {};
  EXPECT_EQ(bus.send(tlm::TLM_READ_COMMAND, ID, id, 4), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(id[0], uint8_t(kIdValue));
  EXPECT_EQ(id[3], uint8_t(kIdValue >> 24));
  const uint8_t bytes[4] = {0x01, 0x02, 0x03, 0x04};
  uint8_t data[4] = {bytes[0], bytes[1], bytes[2], bytes[3]};
  EXPECT_EQ(bus.send(tlm::TLM_WRITE_COMMAND, NUM_LAYERS, data, 4), tlm::TLM_OK_RESPONSE);
  uint8_t high = 0;
  EXPECT_EQ(bus.send(tlm::TLM_READ_COMMAND, NUM_LAYERS + 3, &high, 1), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(high, 0x04);
  uint8_t word[4] = {};
  EXPECT_EQ(bus.send(tlm::TLM_READ_COMMAND, NUM_LAYERS, word, 4), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(uint32_t(word[0]) | uint32_t(word[1]) << 8 | uint32_t(word[2]) << 16 | uint32_t(word[3]) << 24,
            0x04030201u);
}

TEST(Registers, DebugTransportHasNoSideEffects) {
  Accelerator<64> accel("accel_dbg", small_params());
  Bus bus(accel);
  uint32_t v = 0;
  EXPECT_EQ(bus.debug(tlm::TLM_READ_COMMAND, ID, reinterpret_cast<uint8_t*>(&v), 4), 4u);
  EXPECT_EQ(v, kIdValue);
  // Debug writes to registers are refused and change nothing, START included.
  v = CTRL_START;
  EXPECT_EQ(bus.debug(tlm::TLM_WRITE_COMMAND, CTRL, reinterpret_cast<uint8_t*>(&v), 4), 0u);
  EXPECT_EQ(bus.read32(STATUS), 0u);
  v = 5;
  EXPECT_EQ(bus.debug(tlm::TLM_WRITE_COMMAND, NUM_LAYERS, reinterpret_cast<uint8_t*>(&v), 4), 0u);
  EXPECT_EQ(bus.read32(NUM_LAYERS), 0u);
  // Debug writes to weights would program cells: refused; buffers are plain memory.
  uint64_t w = ~uint64_t(0);
  EXPECT_EQ(bus.debug(tlm::TLM_WRITE_COMMAND, WEIGHT_WINDOW, reinterpret_cast<uint8_t*>(&w), 8), 0u);
  EXPECT_EQ(accel.core.array(0).peek(0, 0), 0u);
  uint8_t px[4] = {1, 2, 3, 4};
  EXPECT_EQ(bus.debug(tlm::TLM_WRITE_COMMAND, INPUT_WINDOW, px, 4), 4u);
  uint8_t back[4] = {};
  EXPECT_EQ(bus.debug(tlm::TLM_READ_COMMAND, INPUT_WINDOW, back, 4), 4u);
  EXPECT_EQ(std::memcmp(px, back, 4), 0);
  // The core's action counters did not move: debug is invisible to the power model (the
  // register bank counts the test's own non-debug STATUS and NUM_LAYERS reads).
  ActionLedger ledger;
  collect_actions_below(accel.core, ledger);
  for (const auto& a : ledger.entries()) EXPECT_EQ(a.count, 0u) << a.component << " " << a.action;
}

TEST(Registers, WeightWindowProgramsTheArrays) {
  Accelerator<64> accel("accel_w", small_params());
  Bus bus(accel);
  // Array 2, row 5, word 1: offset = (2 * 64 + 5) * 16 + 8.
  const uint64_t addr = WEIGHT_WINDOW + (2 * 64 + 5) * 16 + 8;
  uint64_t w = 0x0123456789ABCDEFull;
  EXPECT_EQ(bus.send(tlm::TLM_WRITE_COMMAND, addr, reinterpret_cast<uint8_t*>(&w), 8), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(accel.core.array(2).peek(5, 1), w);
  EXPECT_EQ(accel.program_cycles_per_word(), 5u);  // 10 ns pulse at 500 MHz, one pulse (technology-free array)
  EXPECT_EQ(bus.delay, accel.clock_period() * 5.0);
  // A byte-enabled write changes only the enabled bytes: a word written in part waits in the
  // write buffer until CTRL.PROG_COMMIT programs it.
  uint64_t z = 0;
  const uint8_t be[2] = {0x00, 0xff};
  EXPECT_EQ(bus.send(tlm::TLM_WRITE_COMMAND, addr, reinterpret_cast<uint8_t*>(&z), 8, be, 2), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.delay, sc_core::SC_ZERO_TIME) << "buffered, not yet programmed";
  EXPECT_EQ(accel.core.array(2).peek(5, 1), w);
  EXPECT_EQ(bus.write32(CTRL, CTRL_PROG_COMMIT), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.delay, accel.clock_period() * 6.0) << "the register access and the word's pulse";
  EXPECT_EQ(accel.core.array(2).peek(5, 1), 0x0023006700AB00EFull);
  uint64_t back = 0;
  EXPECT_EQ(bus.send(tlm::TLM_READ_COMMAND, addr, reinterpret_cast<uint8_t*>(&back), 8), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(back, 0x0023006700AB00EFull);
}

// The input and parameter buffers count every bit the bus moves (the power model prices
// it); a DMI pointer would bypass those counters, so only the uncounted output window is
// DMI (docs/registers.md).
TEST(Registers, DmiOnlyForTheUncountedOutputWindow) {
  Accelerator<64> accel("accel_dmi", small_params());
  {
    tlm::tlm_generic_payload tx;
    tx.set_address(OUTPUT_WINDOW);
    tlm::tlm_dmi dmi;
    EXPECT_TRUE(accel.get_direct_mem_ptr(tx, dmi));
    EXPECT_EQ(dmi.get_start_address(), OUTPUT_WINDOW);
    EXPECT_NE(dmi.get_dmi_ptr(), nullptr);
    EXPECT_TRUE(dmi.is_read_allowed());
    EXPECT_FALSE(dmi.is_write_allowed());
  }
  for (uint64_t addr : {uint64_t(ID), INPUT_WINDOW, PARAM_WINDOW, WEIGHT_WINDOW}) {
    tlm::tlm_generic_payload tx;
    tx.set_address(addr);
    tlm::tlm_dmi dmi;
    EXPECT_FALSE(accel.get_direct_mem_ptr(tx, dmi)) << std::hex << addr;
    EXPECT_TRUE(dmi.is_none_allowed()) << std::hex << addr;
  }
  // Transport to the counted buffers does not hint at DMI, and is counted.
  Bus bus(accel);
  for (uint64_t addr : {INPUT_WINDOW, PARAM_WINDOW}) {
    uint8_t bytes[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    tlm::tlm_generic_payload tx;
    tx.set_command(tlm::TLM_WRITE_COMMAND);
    tx.set_address(addr);
    tx.set_data_ptr(bytes);
    tx.set_data_length(8);
    tx.set_streaming_width(8);
    sc_core::sc_time delay;
    accel.b_transport(tx, delay);
    EXPECT_EQ(tx.get_response_status(), tlm::TLM_OK_RESPONSE);
    EXPECT_FALSE(tx.is_dmi_allowed()) << std::hex << addr;
  }
  ActionLedger ledger;
  collect_actions_below(accel, ledger);
  std::map<std::string, uint64_t> counts;
  for (const auto& a : ledger.entries()) counts[a.component_class + "." + a.action] += a.count;
  EXPECT_EQ(counts["input_buffer.bit_write"], 64u);
  EXPECT_EQ(counts["param_memory.byte_write"], 8u);
}

namespace {
// Every action the accelerator counted, by component and action.
std::map<std::string, uint64_t> counted_actions(const sc_core::sc_object& root) {
  ActionLedger ledger;
  collect_actions_below(root, ledger);
  std::map<std::string, uint64_t> counts;
  for (const auto& e : ledger.entries()) {
    const size_t dot = e.component.find('.');  // without the accelerator's own name
    counts[(dot == std::string::npos ? std::string() : e.component.substr(dot)) + " " + e.action] += e.count;
  }
  return counts;
}
}  // namespace

// A 32-bit bus writes a 64-bit weight word in two halves; the write buffer programs it once,
// on its last byte, so programming costs the same pulses, cycles and actions as on a 64-bit
// bus: the bus width changes bus time only.
TEST(Registers, HalfWordWritesProgramEachWordOnce) {
  Accelerator<64> wide("accel_wide", small_params());
  Accelerator<32> narrow("accel_narrow", small_params());
  Bus wide_bus(wide), narrow_bus(narrow);
  std::mt19937_64 rng(3);
  sc_core::sc_time wide_time, narrow_time;
  for (uint32_t r = 0; r < 64; ++r)
    for (uint32_t word = 0; word < 2; ++word) {
      uint64_t value = rng();
      const uint64_t addr = WEIGHT_WINDOW + r * 16 + word * 8;
      ASSERT_EQ(wide_bus.send(tlm::TLM_WRITE_COMMAND, addr, reinterpret_cast<uint8_t*>(&value), 8),
                tlm::TLM_OK_RESPONSE);
      wide_time += wide_bus.delay;
      for (uint32_t half = 0; half < 2; ++half) {
        ASSERT_EQ(
            narrow_bus.send(tlm::TLM_WRITE_COMMAND, addr + 4 * half, reinterpret_cast<uint8_t*>(&value) + 4 * half, 4),
            tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(narrow_bus.delay, half == 0 ? sc_core::SC_ZERO_TIME : narrow.clock_period() * 5.0);
        narrow_time += narrow_bus.delay;
      }
      ASSERT_EQ(narrow.core.array(0).peek(r, word), value);
    }
  EXPECT_EQ(narrow_time, wide_time);
  const auto wide_counts = counted_actions(wide), narrow_counts = counted_actions(narrow);
  EXPECT_EQ(narrow_counts, wide_counts);
  EXPECT_EQ(narrow_counts.at(".core.array_0 word_write"), 64u * 2) << "each word programmed once";
}

// A partial word is programmed when a write to another word arrives, or on CTRL.PROG_COMMIT; a
// commit with nothing pending costs only the register access.
TEST(Registers, WriteBufferCommitsOnAnotherWordAndOnProgCommit) {
  Accelerator<32> accel("accel_buffer", small_params());
  Bus bus(accel);
  const uint64_t word0 = WEIGHT_WINDOW, word1 = WEIGHT_WINDOW + 8;
  EXPECT_EQ(bus.write32(word0, 0x11223344u), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(accel.core.array(0).peek(0, 0), 0u);
  EXPECT_EQ(bus.write32(word1 + 4, 0x55667788u), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.delay, accel.clock_period() * 5.0) << "word 0 programmed, word 1 buffered";
  EXPECT_EQ(accel.core.array(0).peek(0, 0), 0x11223344u);
  EXPECT_EQ(accel.core.array(0).peek(0, 1), 0u);
  EXPECT_EQ(bus.write32(CTRL, CTRL_PROG_COMMIT), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.delay, accel.clock_period() * 6.0);
  EXPECT_EQ(accel.core.array(0).peek(0, 1), uint64_t(0x55667788u) << 32);
  EXPECT_EQ(bus.write32(CTRL, CTRL_PROG_COMMIT), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.delay, accel.clock_period() * 1.0) << "nothing pending";
  EXPECT_EQ(bus.read32(CTRL), 0u) << "a strobe";
  EXPECT_EQ(bus.read32(STATUS), 0u) << "no run started";
}

TEST(Registers, ThirtyTwoBitBusVariant) {
  Accelerator<32> accel("accel_32", small_params());
  Bus bus(accel);
  EXPECT_EQ(bus.read32(ID), kIdValue);
}

TEST(Registers, DocumentationMatchesTheRegisterBank) {
  // docs/registers.md embeds the table generated from the default configuration.
  std::ifstream in(std::string(SCBNN_SOURCE_DIR) + "/docs/registers.md");
  ASSERT_TRUE(in) << "docs/registers.md is missing";
  const std::string doc((std::istreambuf_iterator<char>(in)), {});
  Accelerator<64> accel("accel_doc", platform_params(Config()).accel);
  EXPECT_NE(doc.find(to_markdown(accel.registers())), std::string::npos)
      << "docs/registers.md is out of date: regenerate its table with `scbnn registers --markdown`";
}

TEST(SystemCReports, AWarningFailsTheTest) {
  EXPECT_NONFATAL_FAILURE(SC_REPORT_WARNING("scbnn/test", "deliberate warning"), "deliberate warning");
}

TEST(Registers, ProgrammingPulseRegisterDrivesMramWriteErrors) {
  MramParams m;
  m.cell = CellType::one_t_one_r;
  m.write_errors = WriteErrorSource::pulse;
  std::vector<MramArray::WriteErrorEvent> log;
  auto params = small_params();
  Accelerator<64> accel("accel_mram", params, [&](const char* name, uint32_t rows, uint32_t columns) {
    auto a = std::make_unique<MramArray>(name, rows, columns, m);
    a->record_write_errors(&log);
    return std::unique_ptr<WeightArray>(std::move(a));
  });
  Bus bus(accel);
  EXPECT_EQ(bus.write32(PROG_PULSE_PS, 4000), tlm::TLM_OK_RESPONSE);  // 4 ns at 100 uA: WER ~0.05
  EXPECT_NEAR(accel.current_pulse().duration_ns, 4.0, 1e-12);
  const double wer = precessional_wer(m.mtj, 4.0, 100.0);
  std::mt19937_64 rng(5);
  std::vector<uint64_t> written(64 * 2);
  for (uint32_t r = 0; r < 64; ++r) {
    written[r * 2] = rng();
    written[r * 2 + 1] = rng();
    EXPECT_EQ(bus.send(tlm::TLM_WRITE_COMMAND, WEIGHT_WINDOW + r * 16, reinterpret_cast<uint8_t*>(&written[r * 2]), 16),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(bus.delay, accel.clock_period() * 8.0) << "two words, two pulse phases of 2 cycles each (4 ns pulse)";
  }
  EXPECT_EQ(accel.program_cycles_per_word(), 4u);
  std::set<std::pair<uint32_t, uint32_t>> logged;
  for (const auto& e : log) logged.insert({e.row, e.column});
  uint64_t differing = 0;
  for (uint32_t r = 0; r < 64; ++r) {
    uint64_t stored[2];
    ASSERT_EQ(bus.debug(tlm::TLM_READ_COMMAND, WEIGHT_WINDOW + r * 16, reinterpret_cast<uint8_t*>(stored), 16), 16u);
    for (uint32_t c = 0; c < 128; ++c) {
      const bool differs = ((stored[c / 64] ^ written[r * 2 + c / 64]) >> (c % 64)) & 1;
      differing += differs;
      EXPECT_EQ(differs, logged.count({r, c}) == 1) << "row " << r << " column " << c;
    }
  }
  EXPECT_EQ(differing, log.size());
  // Only the MTJs that had to switch can fail: the +1 weights over the initial -1.
  uint64_t switching = 0;
  for (uint64_t w : written) switching += uint64_t(__builtin_popcountll(w));
  EXPECT_NEAR(double(differing), double(switching) * wer, 5 * std::sqrt(double(switching) * wer) + 1);
}

// With write-verify a word takes its pulse phases, then per verify round one sense step per
// MTJ branch at the sense latency, then a re-pulse phase per polarity that failed: the bus
// delay of each weight write is that many cycles.
TEST(Registers, WriteVerifyTimesEachWordByItsPulsesAndVerifyReads) {
  MramParams m;
  m.write_errors = WriteErrorSource::ber;
  m.ber = 0.3;
  m.write_verify = WriteVerify::on;
  m.write_verify_iterations = 3;
  auto params = small_params();
  params.core.read_cycles = 3;
  std::vector<const MramArray*> arrays;
  Accelerator<64> accel("accel_verify", params, [&](const char* name, uint32_t rows, uint32_t columns) {
    auto a = std::make_unique<MramArray>(name, rows, columns, m);
    arrays.push_back(a.get());
    return std::unique_ptr<WeightArray>(std::move(a));
  });
  Bus bus(accel);
  EXPECT_EQ(accel.program_cycles_per_word(), 10u);  // two 10 ns pulses at 500 MHz, without the verify
  std::mt19937_64 rng(9);
  uint64_t repulse_rounds = 0;
  for (uint32_t r = 0; r < 16; ++r) {
    uint64_t w = rng();
    const uint64_t before = arrays[0]->verify_repulse_rounds();
    ASSERT_EQ(bus.send(tlm::TLM_WRITE_COMMAND, WEIGHT_WINDOW + r * 16, reinterpret_cast<uint8_t*>(&w), 8),
              tlm::TLM_OK_RESPONSE);
    const ProgramSteps steps = arrays[0]->last_program_steps();
    const uint64_t rounds = arrays[0]->verify_repulse_rounds() - before;
    repulse_rounds += rounds;
    EXPECT_EQ(steps.verify_steps, 2 * (1 + rounds));  // BL then BLb against the reference, per read
    EXPECT_EQ(bus.delay, accel.clock_period() * double(steps.pulse_phases * 5 + steps.verify_steps * 3)) << r;
  }
  EXPECT_GT(repulse_rounds, 0u);
}

TEST(ByteEnables, ThePatternRepeatsOverTheDataAndZeroDisablesAByte) {
  const uint8_t src[6] = {1, 2, 3, 4, 5, 6};
  uint8_t dst[6] = {0, 0, 0, 0, 0, 0};
  const uint8_t be[2] = {0xff, 0x00};
  copy_enabled_bytes(dst, src, 6, be, 2);
  EXPECT_EQ(std::vector<uint8_t>(dst, dst + 6), (std::vector<uint8_t>{1, 0, 3, 0, 5, 0}));
  copy_enabled_bytes(dst, src, 6, nullptr, 0);  // no byte enables: every byte
  EXPECT_EQ(std::vector<uint8_t>(dst, dst + 6), (std::vector<uint8_t>{1, 2, 3, 4, 5, 6}));
}
