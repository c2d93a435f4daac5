#include <gtest/gtest.h>

#include <set>
#include <string>

#include "scbnn/base/regex.h"
#include "scbnn/platforms/config.h"
#include "scbnn/tools/plot.h"

namespace scbnn {
namespace {

using json = nlohmann::ordered_json;

const ParamSpec& spec_of(const std::string& key) {
  for (const auto& s : platform_schema())
    if (s.key == key) return s;
  throw std::runtime_error("no key " + key);
}

json row_with(const json& point) { return json{{"point", point}}; }

TEST(PlotColours, AreAllDifferentHexColoursForAnyCount) {
  const std::regex hex("^#[0-9a-f]{6}$");
  for (size_t n : {1u, 8u, 16u, 17u, 20u, 21u, 40u, 64u}) {
    const std::vector<std::string> colours = distinct_colours(n);
    ASSERT_EQ(colours.size(), n);
    EXPECT_EQ(std::set<std::string>(colours.begin(), colours.end()).size(), n) << n << " colours";
    for (const auto& c : colours) EXPECT_TRUE(std::regex_match(c, hex)) << c;
  }
}

TEST(PlotAxes, PowersOfTwoAreRecognised) {
  EXPECT_TRUE(all_powers_of_two({1, 2, 4, 64}));
  EXPECT_TRUE(all_powers_of_two({0.25, 0.5, 1024}));
  EXPECT_FALSE(all_powers_of_two({1, 2, 3}));
  EXPECT_FALSE(all_powers_of_two({0, 1, 2}));
  EXPECT_FALSE(all_powers_of_two({-2, 4}));
  EXPECT_FALSE(all_powers_of_two({1e-3, 1e-2}));
}

TEST(PlotAxes, TitlesPrintUnitsAsPeopleDo) {
  EXPECT_EQ(axis_title("programming pulse current", "uA"), "programming pulse current (µA)");
  EXPECT_EQ(axis_title("area", "mm^2"), "area (mm²)");
  EXPECT_EQ(axis_title("cycles per inference", ""), "cycles per inference");
  EXPECT_EQ(axis_title("duration", "ns"), "duration (ns)");
}

// The names come from the schema's descriptions: these keys' descriptions are
// "programming pulse duration (reset value of PROG_PULSE_PS)" and so on.
TEST(PlotAxes, ParameterNamesComeFromTheSchema) {
  EXPECT_EQ(parameter_name(spec_of("accel.mram.pulse_ns"), {}), "programming pulse duration");
  EXPECT_EQ(parameter_name(spec_of("network.path"), {}), "network file");
  EXPECT_EQ(parameter_name(spec_of("accel.sc.stream_length"), {}), "stochastic samples per pixel N");
  // a description that explains each choice ("physical: ...; per_inference: ...") names none
  EXPECT_EQ(parameter_name(spec_of("accel.mram.error_mode"), {}), "error mode");
  // a choice's description "bit cell: two complementary devices ..." names it before the colon
  EXPECT_EQ(parameter_name(spec_of("accel.rram.cell"), {}), "bit cell");
}

TEST(PlotAxes, ConditionalClausesFollowThePlottedPoints) {
  const ParamSpec& ber = spec_of("accel.mram.ber");
  const std::vector<json> physical = {
      row_with({{"accel.mram.error_mode", "physical"}, {"accel.mram.write_errors", "ber"}, {"accel.mram.ber", "0"}})};
  const std::vector<json> per_inference = {
      row_with({{"accel.mram.error_mode", "per_inference"}, {"accel.mram.ber", "0"}})};
  EXPECT_EQ(parameter_name(ber, physical), "MTJ write error rate");
  EXPECT_EQ(parameter_name(ber, per_inference), "weight sign-flip rate");
  // a setting no point sweeps, from the run's configuration
  json unswept = row_with({{"accel.mram.ber", "0"}});
  unswept["config"] = {{"accel.mram.error_mode", {{"value", "per_inference"}, {"origin", "file"}}}};
  EXPECT_EQ(parameter_name(ber, {unswept}), "weight sign-flip rate");
  // neither condition known: both readings, not a guess
  EXPECT_EQ(parameter_name(ber, {row_with({{"accel.mram.ber", "0"}})}),
            "MTJ write error rate or weight sign-flip rate");
}

TEST(PlotAxes, EveryParameterHasAShortName) {
  for (const auto& s : platform_schema()) {
    const std::string name = parameter_name(s, {});
    EXPECT_FALSE(name.empty()) << s.key;
    EXPECT_LE(name.size(), 80u) << s.key;
    EXPECT_EQ(name.find('('), std::string::npos) << s.key << ": " << name;
  }
}

}  // namespace
}  // namespace scbnn
