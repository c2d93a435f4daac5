#include <gtest/gtest.h>

#include <fstream>

#include "scbnn/platforms/config.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/stimuli/errors.h"
#include "test_support.h"

using namespace scbnn;

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Config, DefaultsAndOrigins) {
  Config c;
  EXPECT_EQ(c.integer("accel.array.rows"), 256);
  EXPECT_EQ(c.origin("accel.array.rows"), Origin::default_value);
  c.load_yaml_text("accel:\n  array:\n    rows: 128\n  clock_mhz: 250\n", "cfg.yaml");
  c.apply_override("accel.array.count=40");
  EXPECT_EQ(c.integer("accel.array.rows"), 128);
  EXPECT_EQ(c.origin("accel.array.rows"), Origin::file);
  EXPECT_DOUBLE_EQ(c.real("accel.clock_mhz"), 250);
  EXPECT_EQ(c.integer("accel.array.count"), 40);
  EXPECT_EQ(c.origin("accel.array.count"), Origin::command_line);
  const auto j = c.effective();
  EXPECT_EQ(j["accel.array.rows"]["origin"], "file");
  EXPECT_EQ(j["accel.array.rows"]["file"], "cfg.yaml");
  EXPECT_EQ(j["accel.array.count"]["origin"], "command line");
  EXPECT_EQ(j["seed"]["origin"], "default");
  size_t plain_keys = 0;  // families (power.entry.*) have no default and appear only when set
  for (const auto& s : platform_schema()) plain_keys += s.key.back() != '*';
  EXPECT_EQ(j.size(), plain_keys);
}

TEST(Config, FamilyKeysAreAcceptedAndReportedWithTheirOrigin) {
  Config c;
  c.load_yaml_text("power:\n  entry:\n    pcsa:\n      sense_xnor: 3 fJ\n", "cfg.yaml");
  c.apply_override("power.entry.pcsa.area=2 um^2");
  const auto f = c.family("power.entry.*");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].key, "power.entry.pcsa.area");
  EXPECT_EQ(f[0].origin, Origin::command_line);
  EXPECT_EQ(f[1].value, "3 fJ");
  EXPECT_EQ(c.effective()["power.entry.pcsa.sense_xnor"]["file"], "cfg.yaml");
  EXPECT_THROW(c.apply_override("power.entry="), InputError);
  EXPECT_THROW(c.apply_override("power.entry.pcsa.area="), InputError);  // empty value
}

TEST(Config, UnknownKeysAreNamedWithASuggestion) {
  Config c;
  const std::string msg = error_of([&] { c.load_yaml_text("accel:\n  arrays:\n    rows: 3\n", "cfg.yaml"); });
  EXPECT_NE(msg.find("accel.arrays.rows"), std::string::npos) << msg;
  EXPECT_NE(msg.find("did you mean accel.array.rows"), std::string::npos) << msg;
  EXPECT_NE(error_of([&] { c.apply_override("nonsense=1"); }).find("unknown configuration key 'nonsense'"),
            std::string::npos);
}

TEST(Config, WrongTypesAndRangesNameKeyAndAcceptedValues) {
  Config c;
  std::string msg = error_of([&] { c.apply_override("accel.array.rows=abc"); });
  EXPECT_NE(msg.find("accel.array.rows"), std::string::npos) << msg;
  EXPECT_NE(msg.find("an integer from 1 to 65536"), std::string::npos) << msg;
  msg = error_of([&] { c.apply_override("accel.array.rows=0"); });
  EXPECT_NE(msg.find("accel.array.rows"), std::string::npos) << msg;
  msg = error_of([&] { c.apply_override("accel.clock_mhz=-5"); });
  EXPECT_NE(msg.find("a number from"), std::string::npos) << msg;
  msg = error_of([&] { c.apply_override("bus.width_bits=48"); });
  EXPECT_NE(msg.find("one of 32 64"), std::string::npos) << msg;
  msg = error_of([&] { c.apply_override("accel.array.rows=1.5"); });
  EXPECT_FALSE(msg.empty());
  msg = error_of([&] { c.apply_override("accel.clock_mhz=nan"); });
  EXPECT_FALSE(msg.empty());
  msg = error_of([&] { c.load_yaml_text("accel:\n  array:\n    rows: [1, 2]\n", "cfg.yaml"); });
  EXPECT_NE(msg.find("needs a single value"), std::string::npos) << msg;
  msg = error_of([&] { c.apply_override("noequals"); });
  EXPECT_NE(msg.find("key=value"), std::string::npos) << msg;
  // Nothing invalid was stored.
  EXPECT_EQ(c.integer("accel.array.rows"), 256);
}

TEST(Config, MalformedYamlGivesFileAndLine) {
  Config c;
  const std::string msg = error_of([&] { c.load_yaml_text("accel:\n  array: {rows: 3\n", "bad.yaml"); });
  EXPECT_NE(msg.find("bad.yaml:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("malformed YAML"), std::string::npos) << msg;
  EXPECT_NE(error_of([&] { c.load_yaml_text("- 1\n- 2\n", "list.yaml"); }).find("mapping"), std::string::npos);
  EXPECT_NE(error_of([&] { c.load_yaml_file("/nonexistent.yaml"); }).find("/nonexistent.yaml"), std::string::npos);
}

TEST(Config, AbsurdSizesAreRefusedUpFront) {
  Config c;
  c.apply_override("accel.array.rows=65536");
  c.apply_override("accel.array.columns=65536");
  c.apply_override("accel.array.count=65536");
  const std::string msg = error_of([&] { platform_params(c); });
  EXPECT_NE(msg.find("at most 1 GiB"), std::string::npos) << msg;
  Config d;
  d.apply_override("accel.array.columns=100");
  EXPECT_NE(error_of([&] { platform_params(d); }).find("multiple of 64"), std::string::npos);
}

TEST(Config, DocumentationMatchesTheSchema) {
  std::ifstream in(std::string(SCBNN_SOURCE_DIR) + "/docs/configuration.md");
  ASSERT_TRUE(in) << "docs/configuration.md is missing";
  const std::string doc((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(doc.find(schema_markdown(platform_schema())), std::string::npos)
      << "docs/configuration.md is out of date: regenerate its table with `scbnn config --markdown`";
}

TEST(Config, EveryDefaultHasASource) {
  for (const auto& s : platform_schema()) {
    EXPECT_FALSE(s.source.empty()) << s.key;
    EXPECT_FALSE(s.description.empty()) << s.key;
    if (s.key.back() == '*') continue;  // a family has no default
    Config c;  // the default itself passes validation
    EXPECT_NO_THROW(c.set(s.key, s.default_value, Origin::default_value, "test")) << s.key;
  }
}

// Found by fuzzing (tests/fuzz/regressions/sweep): bytes that are not UTF-8 reached the
// JSON writers and aborted them; they are now refused where they enter.
TEST(Config, TextThatIsNotUtf8IsRefusedWithTheKey) {
  Config c;
  EXPECT_NE(error_of([&] { c.apply_override("network.path=net\xff.scbnn"); }).find("network.path: not valid UTF-8"),
            std::string::npos);
  EXPECT_NE(error_of([&] { c.apply_override("power.entry.pcsa\x9f.area=1 um^2"); }).find("not valid UTF-8"),
            std::string::npos);
}
