// The SNG bank as a TLM-2.0 peripheral (tlm/sng_peripheral.h): what software reads from its
// stream window is what an SNG bank of the same name, parameters and position generates; the
// streams estimate the pixels; timing and refusals. Elaboration only.
#include <gtest/gtest.h>

#include <random>

#include "scbnn/models/accounting.h"
#include "scbnn/tlm/sng_peripheral.h"
#include "test_support.h"

using namespace scbnn;
using namespace scbnn::sng_addr;

namespace {
struct Port : test::DirectPort<SngPeripheralModel> {
  uint32_t read32(uint64_t address) {
    uint32_t v = 0;
    EXPECT_EQ(send(tlm::TLM_READ_COMMAND, address, &v, 4), tlm::TLM_OK_RESPONSE);
    return v;
  }
  void write32(uint64_t address, uint32_t v) {
    EXPECT_EQ(send(tlm::TLM_WRITE_COMMAND, address, &v, 4), tlm::TLM_OK_RESPONSE);
  }
};
}  // namespace

TEST(SngPeripheral, StreamsEqualTheBanksAndEstimateThePixels) {
  SngParams params;
  params.comparators = 64;
  params.seed = 7;
  const uint32_t inputs = 100, samples = 256;
  SngPeripheral<32> sng("sng", params, inputs, 256, sc_core::sc_time(2, sc_core::SC_NS));
  Port port{sng, {}};
  EXPECT_EQ(port.read32(ID), kIdValue);
  EXPECT_EQ(port.read32(INPUTS), inputs);
  std::mt19937 rng(4);
  std::vector<uint8_t> pixels(inputs);
  for (auto& p : pixels) p = uint8_t(rng());
  ASSERT_EQ(port.send(tlm::TLM_WRITE_COMMAND, PIXEL_WINDOW, pixels.data(), inputs), tlm::TLM_OK_RESPONSE);
  port.write32(SAMPLES, samples);
  port.write32(IMAGE, 3);
  port.write32(CTRL, CTRL_GENERATE);
  EXPECT_EQ(port.delay, sc_core::sc_time(2, sc_core::SC_NS) * double(1 + samples * 2)) << "256 samples of 2 cycles";
  EXPECT_EQ(port.read32(STATUS), STATUS_DONE);
  EXPECT_EQ(port.read32(CYCLES), samples * 2);
  const uint32_t words = 2;
  std::vector<uint64_t> streams(size_t(samples) * words);
  ASSERT_EQ(port.send(tlm::TLM_READ_COMMAND, STREAM_WINDOW, streams.data(), uint32_t(streams.size() * 8)),
            tlm::TLM_OK_RESPONSE);
  // An independent bank of the same name and parameters at the same position.
  SngBank reference("sng.sngs", params, inputs);
  reference.seek_image(3, samples);
  std::vector<std::vector<uint64_t>> expected;
  reference.generate(pixels.data(), inputs, samples, expected);
  for (uint32_t n = 0; n < samples; ++n)
    for (uint32_t w = 0; w < words; ++w) ASSERT_EQ(streams[n * words + w], expected[n][w]) << "sample " << n;
  // The comparisons are counted for the power model: one per input and sample.
  ActionLedger ledger;
  collect_actions_below(sng, ledger);
  uint64_t comparisons = 0;
  for (const auto& e : ledger.entries()) comparisons += e.action == "compare" ? e.count : 0;
  EXPECT_EQ(comparisons, uint64_t(inputs) * samples);
  // Each stream's mean estimates pixel / 256 (LFSR streams: within 4/sqrt(N) of it).
  for (uint32_t i = 0; i < inputs; ++i) {
    uint32_t ones = 0;
    for (uint32_t n = 0; n < samples; ++n) ones += (streams[n * words + i / 64] >> (i % 64)) & 1;
    EXPECT_NEAR(double(ones) / samples, pixels[i] / 256.0, 4.0 / std::sqrt(double(samples))) << "input " << i;
  }
}

TEST(SngPeripheral, RefusesWhatItCannotDo) {
  SngPeripheral<64> sng("sng_refusing", SngParams{}, 16, 8, sc_core::sc_time(2, sc_core::SC_NS));
  Port port{sng, {}};
  port.write32(SAMPLES, 9);
  port.write32(CTRL, CTRL_GENERATE);
  EXPECT_EQ(port.read32(STATUS), STATUS_ERROR) << "more samples than the window holds";
  uint64_t v = 0;
  EXPECT_EQ(port.send(tlm::TLM_WRITE_COMMAND, STREAM_WINDOW, &v, 8), tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(port.send(tlm::TLM_READ_COMMAND, PIXEL_WINDOW + 12, &v, 8), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(port.send(tlm::TLM_WRITE_COMMAND, INPUTS, &v, 4), tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_THROW(SngPeripheral<64>("sng_none", SngParams{}, 0, 8, sc_core::sc_time(2, sc_core::SC_NS)),
               std::invalid_argument);
}
