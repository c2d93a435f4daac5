// The weight-array memory as a TLM-2.0 target (tlm/array_memory.h): byte-addressed reads
// and writes over 64-bit words, its timing, its refusals, and the configured ST-MRAM's write
// errors, read draws per epoch and counted actions. Elaboration only: transactions are sent
// straight to b_transport.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "scbnn/models/accounting.h"
#include "scbnn/models/mram_array.h"
#include "scbnn/platforms/configured_accelerator.h"
#include "test_support.h"

using namespace scbnn;

namespace {

using Port = test::DirectPort<ArrayMemoryModel>;

std::map<std::string, uint64_t> actions_of(const sc_core::sc_object& root) {
  ActionLedger ledger;
  collect_actions_below(root, ledger);
  std::map<std::string, uint64_t> counts;
  for (const auto& e : ledger.entries()) counts[e.action] += e.count;
  return counts;
}

}  // namespace

TEST(ArrayMemory, BytesHalfWordsAndWordsReadBackWithTheirTiming) {
  ArrayMemoryTiming timing;
  timing.sense_ns = 3;
  timing.pulse.duration_ns = 20;
  ArrayMemory<32> memory("scratch", 4096, timing);  // an ideal array
  Port port{memory, {}};
  uint32_t word = 0x11223344;
  EXPECT_EQ(port.send(tlm::TLM_WRITE_COMMAND, 12, &word, 4), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(port.delay, sc_core::sc_time(20, sc_core::SC_NS)) << "one word touched: one pulse";
  uint16_t half = 0xBEEF;
  EXPECT_EQ(port.send(tlm::TLM_WRITE_COMMAND, 6, &half, 2), tlm::TLM_OK_RESPONSE);
  uint8_t bytes[16] = {};
  EXPECT_EQ(port.send(tlm::TLM_READ_COMMAND, 0, bytes, 16), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(port.delay, sc_core::sc_time(6, sc_core::SC_NS)) << "two words sensed";
  const uint8_t expected[16] = {0, 0, 0, 0, 0, 0, 0xEF, 0xBE, 0, 0, 0, 0, 0x44, 0x33, 0x22, 0x11};
  for (int i = 0; i < 16; ++i) EXPECT_EQ(bytes[i], expected[i]) << "byte " << i;
  // An unaligned 8-byte write spans two words: two pulses, the other bytes kept.
  uint64_t wide = 0x0102030405060708ull;
  EXPECT_EQ(port.send(tlm::TLM_WRITE_COMMAND, 4, &wide, 8), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(port.delay, sc_core::sc_time(40, sc_core::SC_NS));
  EXPECT_EQ(memory.array().peek(0, 0), 0x0506070800000000ull);
  EXPECT_EQ(memory.array().peek(1, 0), 0x1122334401020304ull);
  // Byte enables select bytes.
  uint32_t ones = 0xffffffff;
  const uint8_t be[2] = {0xff, 0x00};
  EXPECT_EQ(port.send(tlm::TLM_WRITE_COMMAND, 8, &ones, 4, be, 2), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(memory.array().peek(1, 0), 0x1122334401FF03FFull);
  const auto counts = actions_of(memory);
  EXPECT_EQ(counts.at("word_write"), 5u);
  EXPECT_EQ(counts.at("row_read"), 2u);
}

TEST(ArrayMemory, RefusesWhatItCannotDo) {
  ArrayMemory<64> memory("refusing", 64, ArrayMemoryTiming{});
  Port port{memory, {}};
  uint64_t v = 0;
  EXPECT_EQ(port.send(tlm::TLM_READ_COMMAND, 60, &v, 8), tlm::TLM_ADDRESS_ERROR_RESPONSE) << "runs past the end";
  EXPECT_EQ(port.send(tlm::TLM_READ_COMMAND, 64, &v, 1), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  tlm::tlm_generic_payload tx;
  tx.set_command(tlm::TLM_WRITE_COMMAND);
  tx.set_address(0);
  tx.set_data_ptr(reinterpret_cast<uint8_t*>(&v));
  tx.set_data_length(8);
  EXPECT_EQ(memory.transport_dbg(tx), 0u) << "debug writes are refused: programming has physical effects";
  tlm::tlm_dmi dmi;
  EXPECT_FALSE(memory.get_direct_mem_ptr(tx, dmi)) << "DMI withheld: every access must be seen";
  EXPECT_THROW(ArrayMemory<64>("odd", 12, ArrayMemoryTiming{}), std::invalid_argument);
}

// The configured ST-MRAM (physical errors, write errors at a set rate): every bit that reads
// back wrong is a write error the array drew, at about the set rate among the MTJs that had to
// switch; reads in a later epoch redraw the per-epoch draws.
TEST(ArrayMemory, ConfiguredMramDrawsWriteErrorsAtTheirRate) {
  Config config;
  config.apply_override("accel.mram.write_errors=ber");
  config.apply_override("accel.mram.ber=0.01");
  config.apply_override("accel.mram.cell=1T1R");
  const PlatformParams params = platform_params(config);
  ArrayMemory<32> memory("mram", 8 * 4096, array_memory_timing(params), weight_array_factory(params));
  Port port{memory, {}};
  ASSERT_NE(dynamic_cast<MramArray*>(&memory.array()), nullptr);
  std::mt19937_64 rng(9);
  std::vector<uint64_t> written(4096);
  uint64_t switching = 0;
  for (uint32_t w = 0; w < written.size(); ++w) {
    written[w] = rng();
    switching += uint64_t(__builtin_popcountll(written[w]));  // 1T1R cells start at 0 (antiparallel)
    ASSERT_EQ(port.send(tlm::TLM_WRITE_COMMAND, 8 * w, &written[w], 8), tlm::TLM_OK_RESPONSE);
  }
  uint64_t wrong = 0;
  for (uint32_t w = 0; w < written.size(); ++w)
    wrong += uint64_t(__builtin_popcountll(memory.array().peek(w, 0) ^ written[w]));
  ErrorTally tally;
  memory.array().collect_errors(tally);
  EXPECT_EQ(wrong, tally.at("write").events);
  const double expected = 0.01 * double(switching);
  EXPECT_NEAR(double(wrong), expected, 5 * std::sqrt(expected));
  EXPECT_EQ(memory.epoch(), 0u);
  uint64_t v = 0;
  sc_core::sc_time later(5, sc_core::SC_US);
  tlm::tlm_generic_payload tx;
  tx.set_command(tlm::TLM_READ_COMMAND);
  tx.set_address(0);
  tx.set_data_ptr(reinterpret_cast<uint8_t*>(&v));
  tx.set_data_length(8);
  tx.set_streaming_width(8);
  memory.b_transport(tx, later);
  EXPECT_TRUE(tx.is_response_ok());
  EXPECT_EQ(memory.epoch(), 1u) << "an access 5 us on starts a new epoch";
}
