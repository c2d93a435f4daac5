// Issue 13, step 5: a variant is one registration next to its definition. This file
// registers a trivial SNG source kind (a counter) and runs it end to end through the
// configuration, the SNG bank, a stochastic platform and the power model, and a trivial
// memory technology (error-free arrays) that a platform then uses, editing no other file;
// it is its own test binary so they stay out of the shipped choices and catalogue that the
// other tests compare with the docs and presets.
#include <gtest/gtest.h>

#include <algorithm>

#include "scbnn/base/errors.h"
#include "scbnn/models/sng.h"
#include "scbnn/platforms/memory_technology.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/tools/power_setup.h"
#include "test_support.h"

using namespace scbnn;
using scbnn::test::error_of;

namespace {

// Source i's number at stream position p is (p + 5 i) mod 256: an 8-bit counter.
class CounterSource : public RandomSource {
 public:
  explicit CounterSource(uint32_t offset) : offset_(offset) {}
  uint8_t next() override { return uint8_t(position_++ + offset_); }
  void seek(uint64_t position, uint32_t) override { position_ = position; }

 private:
  uint64_t position_ = 0;
  uint32_t offset_;
};

SngSourceRegistrar counter_kind(
    "test_counter",
    {"test: an 8-bit counter per source, offset by 5 per source",
     "issue 13 test",
     /*deterministic=*/true,
     /*uses_lfsr_width=*/false,
     {"test_counter_rng",
      "bit",
      "test counter source, per register bit",
      {{"bit_step", Pricing::per_event, Stage::sng, "one counter bit per source step"}}},
     "bit_step",
     [](const SngParams&, uint64_t, uint32_t index) { return std::make_unique<CounterSource>(5 * index); },
     [](const SngParams&) { return 8u; },
     [](const SngParams&) { return 8u; },
     [](const SngParams&) { return 8.0; },
     [](uint32_t sources, const SngParams&) { return std::to_string(sources) + " counters"; },
     nullptr,
     nullptr});

// Error-free arrays (the WeightArray base), counting how many the platform asked for.
int error_free_arrays_built = 0;
MemoryTechnologyRegistrar error_free_technology("test_error_free",
                                                {"test: error-free arrays", "issue 13 test",
                                                 [](const PlatformParams&) -> WeightArrayFactory {
                                                   return [](const char* name, uint32_t rows, uint32_t columns) {
                                                     ++error_free_arrays_built;
                                                     return std::make_unique<WeightArray>(name, rows, columns);
                                                   };
                                                 }});

constexpr uint32_t kInputs = 64, kImages = 3, kSamples = 16;

Config counter_config() {
  Config c;
  for (const char* o : {"accel.input_mode=stochastic", "accel.sng.source=test_counter", "accel.sc.stream_length=16",
                        "accel.array.rows=32", "accel.array.columns=64", "accel.input_buffer.bytes=64"})
    c.apply_override(o);
  return c;
}

}  // namespace

TEST(SngKindRegistration, ConfigurationAcceptsTheRegisteredName) {
  const auto names = sng_source_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "test_counter"), names.end());
  for (const char* shipped : {"lfsr", "sobol", "ideal", "smtj"})
    EXPECT_NE(std::find(names.begin(), names.end(), shipped), names.end()) << shipped;
  const auto& schema = platform_schema();
  const auto spec =
      std::find_if(schema.begin(), schema.end(), [](const ParamSpec& p) { return p.key == "accel.sng.source"; });
  ASSERT_NE(spec, schema.end());
  EXPECT_EQ(spec->choices, names);
  EXPECT_EQ(platform_params(counter_config()).accel.core.sng.source, "test_counter");
  // A name nobody registered is refused naming the key, the name and the choices.
  SngParams p;
  p.source = "no_such_kind";
  const std::string message = error_of([&] { SngBank("bank", p, 4); });
  EXPECT_NE(message.find("accel.sng.source = 'no_such_kind'"), std::string::npos) << message;
  EXPECT_NE(message.find("test_counter"), std::string::npos) << message;
}

TEST(SngKindRegistration, BankComparesTheKindsNumbers) {
  SngParams p;
  p.source = "test_counter";
  SngBank bank("bank", p, 4);
  const std::vector<uint8_t> pixels = {3, 10, 200, 0};
  std::vector<std::vector<uint64_t>> out;
  bank.seek_image(2, kSamples);  // image 2 starts at position 2 x 16
  bank.generate(pixels.data(), 4, kSamples, out);
  for (uint32_t n = 0; n < kSamples; ++n)
    for (uint32_t i = 0; i < 4; ++i) {
      const uint32_t r = (2 * kSamples + n + 5 * i) % 256;
      EXPECT_EQ((out[n][0] >> i) & 1, uint64_t(r < pixels[i])) << "sample " << n << " input " << i;
    }
  EXPECT_EQ(bank.source_events(), uint64_t(kSamples) * 4 * 8);
}

TEST(SngKindRegistration, PlatformRunsAndThePowerModelPricesTheKind) {
  const Network net = test::random_network({kInputs, 32, 10}, 3, 8, 8);
  const Dataset data = test::random_dataset(kImages, 8, 8, 4);
  Config c = counter_config();
  const PlatformParams params = platform_params(c);
  Platform platform(params, net, data, 0, kImages);
  // No preset prices the new class: the run is refused before simulating, naming the entries
  // it needs. (Checked before the simulation: an exception thrown after SystemC's coroutines
  // ran trips AddressSanitizer's stale stack bounds.)
  EXPECT_NE(error_of([&] {
              require_preset_covers(technology_from(c), platform.actions().entries(), platform.hardware().items());
            }).find("test_counter_rng"),
            std::string::npos);
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.records.size(), kImages);
  uint64_t steps = 0;
  for (const auto& a : out.actions.entries())
    if (a.component_class == "test_counter_rng") {
      EXPECT_EQ(a.action, "bit_step");
      steps += a.count;
    }
  // per_input: one source per input-buffer byte (64 here), each stepping once per sample.
  ASSERT_EQ(params.accel.core.input_bytes, kInputs);
  EXPECT_EQ(steps, uint64_t(kImages) * kSamples * kInputs * 8);
  const auto item = std::find_if(out.hardware.items().begin(), out.hardware.items().end(),
                                 [](const HardwareItem& h) { return h.component_class == "test_counter_rng"; });
  ASSERT_NE(item, out.hardware.items().end());
  EXPECT_EQ(item->quantity, kInputs * 8.0);

  // With its entries (here as overrides; a shipped kind adds them to the preset files) it is priced.
  for (const char* o : {"power.entry.test_counter_rng.bit_step=2 fJ", "power.entry.test_counter_rng.area=1 um^2/bit",
                        "power.entry.test_counter_rng.leakage=1 nW/bit"})
    c.apply_override(o);
  const PowerReport report = price_outcome(technology_from(c), params, net, out);
  double energy_pj = 0;
  for (const auto& a : report.actions)
    if (a.component_class == "test_counter_rng") energy_pj += a.energy_pj;
  EXPECT_NEAR(energy_pj, steps * 0.002, 1e-9 * steps);
}

TEST(MemoryTechnologyRegistration, PlatformBuildsTheSelectedTechnologysArrays) {
  const auto names = memory_technology_names();
  EXPECT_EQ(names, (std::vector<std::string>{"rram", "st-mram", "test_error_free"}));
  const Network net = test::random_network({kInputs, 32, 10}, 5, 8, 8);
  const Dataset data = test::random_dataset(4, 8, 8, 6);
  // An unregistered technology is refused naming the key (before the simulation: see above).
  EXPECT_NE(error_of([] {
              Config bad;
              bad.apply_override("accel.memory.technology=pcm");
            }).find("accel.memory.technology"),
            std::string::npos);
  Config c;
  for (const char* o : {"accel.memory.technology=test_error_free", "accel.array.rows=32", "accel.array.columns=64"})
    c.apply_override(o);
  const PlatformParams params = platform_params(c);
  EXPECT_EQ(params.memory_technology, "test_error_free");
  Platform platform(params, net, data, 0, 4);
  const RunOutcome out = platform.run();
  EXPECT_EQ(error_free_arrays_built, int(params.accel.core.array.count));
  ASSERT_EQ(out.records.size(), 4u);
  for (size_t i = 0; i < out.records.size(); ++i) {
    const auto reference = test::reference_inference(net, data.image(uint32_t(i)));
    ASSERT_EQ(out.records[i].scores.size(), reference.scores.size());
    for (size_t k = 0; k < reference.scores.size(); ++k)
      EXPECT_EQ(out.records[i].scores[k], reference.scores[k]) << "image " << i << " class " << k;
  }
  bool arrays_of_the_base_class = false;
  for (const auto& h : out.hardware.items()) arrays_of_the_base_class |= h.component_class == "weight_array";
  EXPECT_TRUE(arrays_of_the_base_class);
}
