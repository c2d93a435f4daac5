#include <gtest/gtest.h>

#include <fstream>

#include "scbnn/base/errors.h"
#include "scbnn/platforms/config.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/power/technology.h"
#include "scbnn/tools/sweep.h"
#include "test_support.h"

using namespace scbnn;
using scbnn::test::error_of;

namespace {

void expect_has(const std::string& message, const std::vector<std::string>& fragments) {
  EXPECT_FALSE(message.empty()) << "no error";
  for (const auto& f : fragments) EXPECT_NE(message.find(f), std::string::npos) << "'" << f << "' not in: " << message;
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

// The MRAM read current flows within one sense step: a longer read pulse is refused, naming
// both keys; an unknown write-verify mode names the accepted ones.
TEST(Config, TheMramReadPulseFitsInTheSenseStep) {
  Config c;
  c.apply_override("accel.mram.read_pulse_ns=3");
  const std::string msg = error_of([&] { platform_params(c); });
  EXPECT_NE(msg.find("accel.mram.read_pulse_ns = 3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("accel.array.read_ns = 2"), std::string::npos) << msg;
  c.apply_override("accel.array.read_ns=3");
  EXPECT_NO_THROW(platform_params(c));
  const std::string verify = error_of([&] { c.apply_override("accel.mram.write_verify=sometimes"); });
  EXPECT_NE(verify.find("accel.mram.write_verify"), std::string::npos) << verify;
  EXPECT_NE(verify.find("one of off on"), std::string::npos) << verify;
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
    Config c;                           // the default itself passes validation
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

TEST(Config, AKeyGivenTwiceInOneFileIsRefusedWithBothLines) {
  Config c;
  expect_has(error_of([&] { c.load_yaml_text("seed: 1\nrun.images: 5\nseed: 2\n", "twice.yaml"); }),
             {"twice.yaml:3", "'seed'", "given twice", "lines 1 and 3"});
  // The same key flat and nested is the same key.
  expect_has(error_of([&] {
               c.load_yaml_text("accel.mram.ber: 1e-3\naccel:\n  clock_mhz: 250\n  mram:\n    ber: 1e-2\n",
                                "mixed.yaml");
             }),
             {"mixed.yaml:5", "'accel.mram.ber'", "given twice", "lines 1 and 5"});
  expect_has(error_of([&] { c.load_yaml_text("accel: {mram: {ber: 0.1, ber: 0.2}}\n", "inner.yaml"); }),
             {"inner.yaml:1", "'ber'", "given twice (line 1, columns 16 and 26)"});
  // A refused file changes nothing.
  EXPECT_EQ(c.origin("run.images"), Origin::default_value);
  EXPECT_EQ(c.origin("accel.clock_mhz"), Origin::default_value);
}

// Several -p of one key: the last wins (a wrapper script's -p can be overridden by one
// appended after it), and the report records the value and its origin, the command line.
TEST(Config, TheLastOfSeveralOverridesOfOneKeyWins) {
  Config c;
  c.load_yaml_text("seed: 7\n", "cfg.yaml");
  c.apply_override("seed=1");
  c.apply_override("seed=2");
  EXPECT_EQ(c.integer("seed"), 2);
  EXPECT_EQ(c.origin("seed"), Origin::command_line);
  EXPECT_EQ(c.effective()["seed"]["value"], 2);
}

// Every YAML reader goes through one parser (stimuli/yaml_input.h): each refuses a
// repeated key the same way.
TEST(YamlFiles, EveryReaderRefusesARepeatedKey) {
  const std::vector<std::string> sweeps = {
      "set: {run.images: 10, run.images: 20}\nsweep:\n  - product: {seed: [1, 2]}\n",
      "sweep:\n  - product: {seed: [1, 2], seed: [3]}\n",
      "sweep:\n  - points: [{seed: 1, seed: 2}]\n",
      "name: a\nname: b\nsweep:\n  - product: {seed: [1, 2]}\n",
  };
  for (const auto& text : sweeps)
    expect_has(error_of([&] { parse_sweep(text, "spec.yaml"); }), {"spec.yaml:", "given twice"});
  const std::string preset =
      "name: t\nfeature_size_nm: 28\ncomponents:\n  pcsa:\n"
      "    area: {value: 2, unit: um^2, per: instance, source: s}\n"
      "    area: {value: 3, unit: um^2, per: instance, source: s}\n";
  expect_has(error_of([&] { parse_preset(preset, "preset.yaml"); }), {"preset.yaml:6", "'area'", "lines 5 and 6"});
}

TEST(YamlFiles, AliasesTagsSecondDocumentsAndScalarRootsAreNamedWithTheFile) {
  Config c;
  // A mapping that contains itself used to recurse without end.
  expect_has(error_of([&] { c.load_yaml_text("accel: &a\n  mram: *a\n", "alias.yaml"); }), {"alias.yaml:2", "alias"});
  expect_has(error_of([&] { c.load_yaml_text("x: &n 5\nseed: *n\n", "alias.yaml"); }), {"alias.yaml:2", "alias"});
  expect_has(error_of([&] { c.load_yaml_text("seed: !!binary aGVsbG8=\n", "bin.yaml"); }),
             {"bin.yaml:1", "!!binary", "not supported"});
  expect_has(error_of([&] { c.load_yaml_text("seed: 1\n---\nseed: 2\n", "docs.yaml"); }),
             {"docs.yaml:2", "second YAML document"});
  expect_has(error_of([&] { c.load_yaml_text("just a string\n", "scalar.yaml"); }), {"scalar.yaml", "mapping"});
  expect_has(error_of([&] { c.load_yaml_text("? [a, b]\n: 1\n", "key.yaml"); }), {"key.yaml:1", "plain name"});
  expect_has(error_of([&] { parse_sweep("seed: *x\n", "spec.yaml"); }), {"spec.yaml:1", "malformed YAML"});
  expect_has(error_of([&] { parse_sweep("42\n", "spec.yaml"); }), {"spec.yaml", "mapping"});
  expect_has(error_of([&] { parse_preset("name: !custom t\n", "p.yaml"); }), {"p.yaml:1", "!custom"});
  // Plain YAML types stay accepted.
  c.load_yaml_text("seed: !!int 3\nnetwork.path: !!str 5.scbnn\n", "typed.yaml");
  EXPECT_EQ(c.integer("seed"), 3);
}

TEST(YamlFiles, ADirectoryIsRefusedAsAFile) {
  const std::string dir = test::temp_path("a_directory");
  std::filesystem::create_directories(dir);
  Config c;
  expect_has(error_of([&] { c.load_yaml_file(dir); }), {dir, "configuration file", "directory"});
  expect_has(error_of([&] { load_sweep(dir); }), {dir, "sweep specification", "directory"});
  expect_has(error_of([&] { parse_sweep("config: " + dir + "\nsweep:\n  - product: {seed: [1]}\n", "spec.yaml"); }),
             {dir, "configuration file (spec.yaml: config)", "directory"});
  expect_has(error_of([&] { load_preset(dir); }), {dir, "technology preset", "directory"});
  expect_has(error_of([&] { c.load_yaml_file(dir + "/missing.yaml"); }), {dir + "/missing.yaml", "no such file"});
  Config wer;
  wer.apply_override("accel.mram.write_errors=table");
  wer.apply_override("accel.mram.wer_table=" + dir);
  expect_has(error_of([&] { platform_params(wer); }), {dir, "WER table", "accel.mram.wer_table", "directory"});
}

// The first layer's inputs are the image, not a previous layer; a mismatch between the
// network and the data set names both files.
TEST(Config, AnInputSizeMismatchNamesTheImageAndTheFiles) {
  Network net = test::random_network({64, 32, 10}, 1, 8, 8);
  net.input.cols = 9;
  expect_has(error_of([&] { validate_network(net, "net.scbnn"); }),
             {"net.scbnn", "layer 0 (dense) has 64 inputs, expected 72 (the input image, 8 x 9 pixels x 1 channel)"});
  net = test::random_network({64, 32, 10}, 1, 8, 8);
  net.file = "net.scbnn";
  Dataset data = test::random_dataset(4, 7, 7, 1);
  data.images_file = "ds/t10k-images-idx3-ubyte.gz";
  const PlatformParams params = platform_params(Config());
  expect_has(error_of([&] { Platform platform(params, net, data, 0, 4); }),
             {"net.scbnn takes 8 x 8 pixels x 1 channel = 64 inputs",
              "ds/t10k-images-idx3-ubyte.gz holds images of 7 x 7 pixels x 1 channel = 49 values"});
  // Equal value counts are not enough: the shape rows x cols x channels must agree.
  net = test::random_network({192, 32, 10}, 1, 8, 8);
  net.input.channels = 3;
  net.file = "net.scbnn";
  data = test::random_dataset(4, 24, 8, 1);
  data.images_file = "ds/test_batch.bin";
  expect_has(error_of([&] { Platform platform(params, net, data, 0, 4); }),
             {"net.scbnn takes 8 x 8 pixels x 3 channels = 192 inputs",
              "ds/test_batch.bin holds images of 24 x 8 pixels x 1 channel = 192 values"});
}
