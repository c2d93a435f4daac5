#include <gtest/gtest.h>

#include <map>
#include <set>

#include "scbnn/base/params.h"
#include "scbnn/platforms/config.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/tlm/accelerator.h"

using namespace scbnn;

namespace {

using Printed = std::vector<std::pair<std::string, std::string>>;

std::map<std::string, std::string> as_map(const Printed& printed) { return {printed.begin(), printed.end()}; }

// What the command line builds from no configuration at all.
PlatformParams command_line_defaults() { return platform_params(Config()); }

// A valid value other than the default, as configuration text.
std::string other_value(const ParamSpec& s) {
  switch (s.kind) {
    case ParamKind::integer: {
      const int64_t d = std::stoll(s.default_value);
      return std::to_string(double(d + 1) <= s.max ? d + 1 : d - 1);
    }
    case ParamKind::real: {
      const double d = std::stod(s.default_value);
      for (double v : {d * 2, d / 2, (s.min + s.max) / 2, s.max, s.min})
        if (v != d && v >= s.min && v <= s.max) return shortest_number_text(v);
      break;
    }
    case ParamKind::boolean: return s.default_value == "true" ? "false" : "true";
    case ParamKind::choice:
      for (const auto& c : s.choices)
        if (c != s.default_value) return c;
      break;
    case ParamKind::text: return s.default_value + "_other";
  }
  ADD_FAILURE() << s.key << ": no other value to try";
  return s.default_value;
}

// Where each declared key's member lives.
class ParamAddresses : public ParamVisitorBase<ParamAddresses> {
 public:
  template <class T, class... Doc>
  void operator()(const char* name, T& member, const Doc&...) {
    addresses.emplace_back(key(name), static_cast<const void*>(&member));
  }
  std::vector<std::pair<std::string, const void*>> addresses;
};

}  // namespace

// A library user's default-constructed parameters and the command line's defaults build the
// same hardware (they used to differ: accel.sc.max_stream_length 1024 against 64,
// accel.first_layer_hardware both against auto).
TEST(Params, LibraryDefaultsEqualTheCommandLineDefaults) {
  PlatformParams library;
  PlatformParams cli = command_line_defaults();
  const auto lib_values = ParamPrinter::of(library);
  const auto cli_values = as_map(ParamPrinter::of(cli));
  ASSERT_EQ(lib_values.size(), cli_values.size());
  for (const auto& [key, value] : lib_values) {
    ASSERT_TRUE(cli_values.count(key)) << key;
    EXPECT_EQ(value, cli_values.at(key)) << key << ": library default differs from the command line's";
  }
  // Values derived from declared ones.
  EXPECT_EQ(library.accel.core.read_cycles, cli.accel.core.read_cycles);
  EXPECT_EQ(library.accel.core.sng.seed, cli.accel.core.sng.seed);
  EXPECT_EQ(library.mram.seed, cli.mram.seed);
  EXPECT_EQ(int(library.accel.core.built_first_layer()), int(cli.accel.core.built_first_layer()));
  EXPECT_EQ(accumulator_bits(library.accel.core), accumulator_bits(cli.accel.core));
}

// The accelerator module built through the library API equals the one the platform builds.
TEST(Params, LibraryAcceleratorEqualsTheCommandLineOne) {
  Accelerator<64> library("library_accel", AcceleratorParams{});
  Accelerator<64> cli("cli_accel", command_line_defaults().accel);
  AcceleratorParams a = library.params(), b = cli.params();
  EXPECT_EQ(ParamPrinter::of(a), ParamPrinter::of(b));
  EXPECT_EQ(accumulator_bits(library.core.params()), accumulator_bits(cli.core.params()));
}

// Each key, set alone to another value, changes its own member and nothing else: a key
// bound to a member another key also sets, or read back differently, fails here.
TEST(Params, EveryKeySetsItsOwnMember) {
  const PlatformParams defaults;
  PlatformParams mutable_defaults;
  const auto default_values = as_map(ParamPrinter::of(mutable_defaults));
  size_t keys = 0;
  for (const ParamSpec& s : platform_schema()) {
    if (s.key.back() == '*') continue;  // a family: read by its consumer
    ++keys;
    if (s.kind == ParamKind::choice && s.choices.size() == 1) continue;  // one registered variant: no other value
    Config c;
    const std::string value = other_value(s);
    c.set(s.key, value, Origin::command_line, "test");
    PlatformParams p;
    ParamSetter setter([&c](const std::string& key) { return c.value_text(key); });
    p.declare(setter);
    for (const auto& [key, printed] : ParamPrinter::of(p)) {
      if (key == s.key)
        EXPECT_EQ(printed, c.value_text(s.key)) << key << " does not read back what was set";
      else
        EXPECT_EQ(printed, default_values.at(key)) << "setting " << s.key << " changed " << key;
    }
  }
  EXPECT_EQ(keys, default_values.size());
}

TEST(Params, EveryKeyHasAMemberOfItsOwn) {
  PlatformParams p;
  ParamAddresses v;
  p.declare(v);
  std::map<const void*, std::string> owner;
  for (const auto& [key, address] : v.addresses) {
    const auto [it, fresh] = owner.emplace(address, key);
    EXPECT_TRUE(fresh) << key << " and " << it->second << " set the same member";
  }
}

// One name table per enum: the configuration's choices are the table's names, in order;
// a registered variant's choices are the registry's names.
TEST(Params, ChoicesComeFromTheEnumNameTablesAndTheRegistries) {
  std::map<std::string, ParamSpec> schema;
  for (const auto& s : platform_schema()) schema[s.key] = s;
  EXPECT_EQ(schema.at("accel.sng.source").choices, sng_source_names());
  EXPECT_EQ(schema.at("accel.memory.technology").choices, memory_technology_names());
  EXPECT_EQ(schema.at("accel.mram.cell").choices, (std::vector<std::string>{"2T2R", "1T1R"}));
  EXPECT_EQ(schema.at("accel.first_layer_hardware").default_value, "auto");
  EXPECT_EQ(schema.at("accel.sc.max_stream_length").default_value, "64");
  SngSharing sharing;
  EXPECT_TRUE(enum_from_name("shared_rotate", sharing));
  EXPECT_EQ(sharing, SngSharing::shared_rotate);
  EXPECT_FALSE(enum_from_name("quantum", sharing));
}

// auto builds the datapath the input mode uses; fixed or stochastic build that one only.
TEST(Params, AutoFirstLayerHardwareFollowsTheInputMode) {
  CoreParams core;
  EXPECT_EQ(int(core.built_first_layer()), int(FirstLayerHardware::fixed));
  core.input_mode = InputMode::stochastic;
  EXPECT_EQ(int(core.built_first_layer()), int(FirstLayerHardware::stochastic));
  core.first_layer_hardware = FirstLayerHardware::both;
  EXPECT_EQ(int(core.built_first_layer()), int(FirstLayerHardware::both));
}
