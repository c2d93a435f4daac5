// Sweep specifications: expansion, hashing, shards and malformed specs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "scbnn/base/errors.h"
#include "scbnn/base/text.h"
#include "scbnn/tools/sweep.h"
#include "test_support.h"

using namespace scbnn;

namespace {

std::string error_of(const std::string& text) {
  try {
    parse_sweep(text, "spec.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

std::vector<std::string> values_of(const SweepPoint& p) {
  std::vector<std::string> v;
  for (const auto& [key, value] : p.assignments) v.push_back(key + "=" + value);
  return v;
}

}  // namespace

TEST(Sweep, ProductsZipsAndPointsExpandInOrder) {
  const SweepSpec s = parse_sweep(
      "set: {run.images: 10}\n"
      "sweep:\n"
      "  - product: {accel.sc.stream_length: [1, 2, 4], accel.sng.source: [lfsr, sobol]}\n"
      "  - zip: {accel.mram.pulse_ns: [10, 6], accel.mram.pulse_ua: [100, 90]}\n"
      "  - points: [{accel.input_mode: fixed}, {accel.input_mode: stochastic}]\n",
      "spec.yaml");
  const auto points = expand_sweep(s);
  ASSERT_EQ(points.size(), 3u * 2 * 2 * 2);
  EXPECT_EQ(values_of(points[0]),
            (std::vector<std::string>{"accel.sc.stream_length=1", "accel.sng.source=lfsr", "accel.mram.pulse_ns=10",
                                      "accel.mram.pulse_ua=100", "accel.input_mode=fixed"}));
  EXPECT_EQ(values_of(points[1]).back(), "accel.input_mode=stochastic");  // last group innermost
  EXPECT_EQ(values_of(points[2])[2], "accel.mram.pulse_ns=6");
  EXPECT_EQ(values_of(points[2])[3], "accel.mram.pulse_ua=90");  // zipped, not crossed
  EXPECT_EQ(values_of(points[4])[1], "accel.sng.source=sobol");
  EXPECT_EQ(values_of(points.back())[0], "accel.sc.stream_length=4");
  EXPECT_EQ(s.swept_keys, (std::vector<std::string>{"accel.sc.stream_length", "accel.sng.source", "accel.mram.pulse_ns",
                                                    "accel.mram.pulse_ua", "accel.input_mode"}));
  std::set<std::string> hashes;
  for (size_t i = 0; i < points.size(); ++i) {
    EXPECT_EQ(points[i].index, i);
    EXPECT_EQ(points[i].hash.size(), 16u);
    EXPECT_TRUE(points[i].config_error.empty());
    hashes.insert(points[i].hash);
  }
  EXPECT_EQ(hashes.size(), points.size());  // different configurations, different keys
}

TEST(Sweep, HashesFollowTheEffectiveConfigurationOnly) {
  const auto one = expand_sweep(parse_sweep("sweep:\n  - product: {accel.mram.pulse_ns: [6]}\n", "a.yaml"));
  // The same configuration written differently (set or swept, 6 or 6.0e0, a default
  // stated or not) has the same key.
  const auto two =
      expand_sweep(parse_sweep("set: {accel.mram.pulse_ns: 6.0e0}\nsweep:\n  - points: [{seed: 1}]\n", "b.yaml"));
  ASSERT_TRUE(two[0].config_error.empty()) << two[0].config_error;
  EXPECT_EQ(one[0].hash, two[0].hash);
  const auto three = expand_sweep(parse_sweep("sweep:\n  - product: {accel.mram.pulse_ns: [7]}\n", "c.yaml"));
  EXPECT_NE(one[0].hash, three[0].hash);
  EXPECT_EQ(fnv1a_hex(""), "cbf29ce484222325");   // FNV-1a 64 offset basis
  EXPECT_EQ(fnv1a_hex("a"), "af63dc4c8601ec8c");  // published FNV-1a test vector
}

TEST(Sweep, APointWithABadValueIsKeptWithItsError) {
  const auto points = expand_sweep(parse_sweep("sweep:\n  - product: {accel.sc.stream_length: [4, 0, 8]}\n", "s.yaml"));
  ASSERT_EQ(points.size(), 3u);
  EXPECT_TRUE(points[0].config_error.empty());
  EXPECT_NE(points[1].config_error.find("accel.sc.stream_length"), std::string::npos);
  EXPECT_TRUE(points[2].config_error.empty());
}

TEST(Sweep, ShardsCoverEveryPointExactlyOnce) {
  const auto points =
      expand_sweep(parse_sweep("sweep:\n  - product: {accel.sc.stream_length: [1, 2, 3, 4, 5, 6, 7]}\n"
                               "  - product: {seed: [1, 2, 3]}\n",
                               "s.yaml"));
  for (uint32_t shards : {1u, 2u, 3u, 5u, 21u, 40u}) {
    std::vector<int> seen(points.size(), 0);
    for (uint32_t i = 0; i < shards; ++i)
      for (const auto& p : points) seen[p.index] += in_shard(p, i, shards);
    for (int s : seen) EXPECT_EQ(s, 1) << shards << " shards";
  }
  EXPECT_EQ(parse_shard("2/5"), (std::pair<uint32_t, uint32_t>{2, 5}));
  for (const char* bad : {"5/5", "1/0", "a/2", "1/2x", "-1/3", "3"}) EXPECT_THROW(parse_shard(bad), InputError) << bad;
}

TEST(Sweep, MalformedSpecsNameTheKeyAndTheExpectedForm) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"sweep: [unclosed", "malformed YAML"},
      {"name: x\n", "'sweep' needs a list of groups"},
      {"sweeps: []\n", "unknown field 'sweeps'"},
      {"sweep:\n  - cross: {seed: [1]}\n", "unknown sweep group 'cross'"},
      {"sweep:\n  - product: {accel.array.rowz: [1, 2]}\n", "accel.array.rowz"},
      {"sweep:\n  - product: {seed: []}\n", "seed needs a non-empty list"},
      {"sweep:\n  - product: {seed: 3}\n", "seed needs a non-empty list"},
      {"sweep:\n  - zip: {seed: [1, 2], accel.sc.stream_length: [1]}\n", "equal lengths"},
      {"sweep:\n  - product: {seed: [1]}\n  - points: [{seed: 2}]\n", "seed is swept by two groups"},
      {"sweep:\n  - product: {seed: [[1, 2]]}\n", "plain values"},
      {"set: {accel.clock_mhz: 1}\nconfig: /no/such/base.yaml\nsweep:\n  - product: {seed: [1]}\n", "does not exist"},
      {"set: {no.such.key: 1}\nsweep:\n  - product: {seed: [1]}\n", "no.such.key"},
      {"set: {accel.clock_mhz: 0}\nsweep:\n  - product: {seed: [1]}\n", "accel.clock_mhz = '0' is not valid"},
  };
  for (const auto& [text, expected] : cases) {
    const std::string message = error_of(text);
    EXPECT_NE(message.find("spec.yaml"), std::string::npos) << message;
    EXPECT_NE(message.find(expected), std::string::npos) << "expected '" << expected << "' in: " << message;
  }
}

TEST(Sweep, ABadBaseConfigurationStopsTheSweepBeforeAnyPoint) {
  const std::string dir = testing::TempDir();
  const std::string base = dir + "/sweep_base_dup.yaml";
  std::ofstream(base) << "seed: 1\nseed: 2\n";
  try {
    parse_sweep("config: " + base + "\nsweep:\n  - product: {accel.clock_mhz: [100, 200]}\n", dir + "/spec.yaml");
    FAIL() << "a base configuration with a repeated key was accepted";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("sweep_base_dup.yaml"), std::string::npos) << message;
    EXPECT_NE(message.find("'seed' is given twice"), std::string::npos) << message;
  }
}

TEST(Sweep, MergedRowsFollowTheSweepOrderWithStatus) {
  const SweepSpec spec = parse_sweep("sweep:\n  - product: {accel.sc.stream_length: [1, 0, 3]}\n", "s.yaml");
  const auto points = expand_sweep(spec);
  const std::string dir = test::temp_path("merge_points");
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/" + points[2].hash + ".error.json") << R"({"message": "it broke"})";
  const auto rows = merge_rows(points, dir);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["status"], "missing");
  EXPECT_EQ(rows[1]["status"], "failed");
  EXPECT_EQ(rows[2]["status"], "failed");
  EXPECT_EQ(rows[2]["error"], "it broke");
  const std::string csv = rows_csv(spec, rows);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "index,hash,status,accel.sc.stream_length,accuracy,accuracy_ci95_low,accuracy_ci95_high,correct,images,"
            "cycles_per_inference,latency_ns,energy_nj_per_inference,dynamic_nj_per_inference,leakage_nj_per_inference,"
            "programming_uj,area_mm2,area_raw_mm2,tops_per_w,weight_error_rate,stage.sng_nj,stage.array_nj,"
            "stage.reduce_nj,stage.writeback_nj,stage.control_nj,revision,tree_modified,network_sha256,dataset_sha256,"
            "preset_sha256,error");
}

// A point's per-layer costs become layerL.* columns (with the layer's energy by stage,
// layerL.STAGE_nj), its energy by stage stage.STAGE_nj and its bare area area_raw_mm2; a
// point without them (an older report) leaves its cells empty, and the columns cover the
// deepest network.
TEST(Sweep, MergedRowsCarryPerLayerColumns) {
  const SweepSpec spec = parse_sweep("sweep:\n  - product: {accel.clock_mhz: [100, 200]}\n", "s.yaml");
  const auto points = expand_sweep(spec);
  const std::string dir = test::temp_path("merge_layers");
  std::filesystem::create_directories(dir);
  const std::string common = R"("accuracy": {"accuracy": 0.5, "correct": 1, "images": 2},
      "cycles": {"per_inference": 30}, "latency": {"accelerator_ns_per_inference": 300},
      "errors_injected": {"weight_error_rate_at_end": 0},)";
  const std::string power = R"(
      "power": {"energy_per_inference_pj": 5000, "dynamic_per_inference_pj": 4000, "leakage_per_inference_pj": 1000,
                "programming_pj": 1e6, "area_um2": 2e5, "efficiency": {"tops_per_w": 1},
                "per_class": {}, "area_per_class": {})";
  std::ofstream(dir + "/" + points[0].hash + ".json") << "{" << common << power << R"(,
                "area": {"raw_um2": 1.5e5},
                "per_stage": {"sng": {"energy_pj_per_inference": 0}, "array": {"energy_pj_per_inference": 3000},
                              "reduce": {"energy_pj_per_inference": 1100},
                              "writeback": {"energy_pj_per_inference": 150},
                              "control": {"energy_pj_per_inference": 750}}},
      "layers": [
        {"layer": "layer0", "cycles": 20, "energy_pj": 3000, "dynamic_pj": 2500, "leakage_pj": 500,
         "stage_energy_pj": {"sng": 0, "array": 2000, "reduce": 700, "writeback": 100, "control": 200},
         "row_reads": 64, "bits_sensed": 4096, "buffer_bits_read": 128, "buffer_bits_written": 32},
        {"layer": "layer1", "cycles": 10, "energy_pj": 1500, "dynamic_pj": 1400, "leakage_pj": 100,
         "stage_energy_pj": {"sng": 0, "array": 1000, "reduce": 400, "writeback": 50, "control": 50},
         "row_reads": 10, "bits_sensed": 640, "buffer_bits_read": 32, "buffer_bits_written": 0}]})";
  std::ofstream(dir + "/" + points[1].hash + ".json") << "{" << common << power << "}}";
  const auto rows = merge_rows(points, dir);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["layer0.cycles"], 20);
  EXPECT_DOUBLE_EQ(rows[0]["layer0.energy_nj"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(rows[0]["layer1.leakage_nj"].get<double>(), 0.1);
  EXPECT_DOUBLE_EQ(rows[0]["layer1.reduce_nj"].get<double>(), 0.4);
  EXPECT_DOUBLE_EQ(rows[0]["stage.control_nj"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(rows[0]["area_raw_mm2"].get<double>(), 0.15);
  EXPECT_EQ(rows[0]["layer1.row_reads"], 10);
  EXPECT_FALSE(rows[1].contains("layer0.cycles"));
  EXPECT_FALSE(rows[1].contains("stage.array_nj"));
  const std::string csv = rows_csv(spec, rows);
  const std::string header = csv.substr(0, csv.find('\n'));
  EXPECT_NE(header.find(",area_mm2,area_raw_mm2,tops_per_w,weight_error_rate,stage.sng_nj,stage.array_nj,"
                        "stage.reduce_nj,stage.writeback_nj,stage.control_nj,layer0.cycles,layer0.energy_nj,"
                        "layer0.dynamic_nj,layer0.leakage_nj,layer0.row_reads,layer0.bits_sensed,"
                        "layer0.buffer_bits_read,layer0.buffer_bits_written,layer0.sng_nj,layer0.array_nj,"
                        "layer0.reduce_nj,layer0.writeback_nj,layer0.control_nj,layer1.cycles,"),
            std::string::npos)
      << header;
  EXPECT_NE(header.find(",layer1.writeback_nj,layer1.control_nj,revision,tree_modified,network_sha256,"
                        "dataset_sha256,preset_sha256,error"),
            std::string::npos)
      << header;
  const std::string first = csv.substr(header.size() + 1, csv.find('\n', header.size() + 1) - header.size() - 1);
  EXPECT_NE(first.find(",0.2,0.15,1,0,0.0,3.0,1.1,0.15,0.75,20,3.0,2.5,0.5,64,4096,128,32,0.0,2.0,0.7,0.1,0.2,10,1.5,"
                       "1.4,0.1,10,640,32,0,0.0,1.0,0.4,0.05,0.05,"),
            std::string::npos)
      << first;
  const std::string second = csv.substr(csv.find('\n', header.size() + 1) + 1);
  // no bare area, 5 empty stage cells, 26 empty layer cells, 5 empty provenance cells (a
  // report from before provenance), then the error
  EXPECT_NE(second.find(",0.2,,1,0,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n"), std::string::npos) << second;
}

TEST(Sweep, SeedsRepeatEveryPointInnermostWithTypedValues) {
  const SweepSpec s = parse_sweep("sweep:\n  - product: {accel.mram.ber: [0, 1e-2]}\nseeds: 3\n", "spec.yaml");
  ASSERT_EQ(s.swept_keys, (std::vector<std::string>{"accel.mram.ber", "seed"}));
  const auto points = expand_sweep(s);
  ASSERT_EQ(points.size(), 6u);
  EXPECT_EQ(points[1].values["seed"], 2);
  EXPECT_EQ(points[3].values["accel.mram.ber"], 0.01);  // a number, not the text "1e-2"
  EXPECT_EQ(points[3].assignments[0].second, "1e-2");   // the text re-runs the point
  EXPECT_EQ(parse_sweep("sweep:\n  - product: {run.images: [1]}\nseeds: [7, 9]\n", "s.yaml").groups.back().size(), 2u);
  for (const char* bad : {"seeds: 0", "seeds: many", "seeds: [1, -x]", "seeds: []"})
    EXPECT_THROW(parse_sweep(std::string("sweep:\n  - product: {run.images: [1]}\n") + bad + "\n", "s.yaml"),
                 InputError)
        << bad;
}

TEST(Sweep, EitherConcatenatesAlternativesBeforeTheProduct) {
  const SweepSpec s = parse_sweep(
      "sweep:\n"
      "  - product: {network.path: [a.scbnn, b.scbnn]}\n"
      "  - either:\n"
      "      - - points: [{accel.input_mode: fixed}]\n"
      "      - - points: [{accel.input_mode: stochastic}]\n"
      "        - product: {accel.sc.stream_length: [1, 8]}\n",
      "spec.yaml");
  const auto points = expand_sweep(s);
  ASSERT_EQ(points.size(), 2u * (1 + 2));
  EXPECT_EQ(values_of(points[0]), (std::vector<std::string>{"network.path=a.scbnn", "accel.input_mode=fixed"}));
  EXPECT_EQ(values_of(points[2]), (std::vector<std::string>{"network.path=a.scbnn", "accel.input_mode=stochastic",
                                                            "accel.sc.stream_length=8"}));
  EXPECT_EQ(values_of(points[3])[0], "network.path=b.scbnn");
  EXPECT_NE(
      error_of("sweep:\n  - either: [[{product: {seed: [1]}}, {product: {seed: [2]}}]]\n").find("seed is swept by two"),
      std::string::npos);
  EXPECT_NE(error_of("sweep:\n  - either: {seed: 1}\n").find("either needs a list"), std::string::npos);
}

TEST(Sweep, AbsurdlyLargeSweepsAreRefusedBeforeTheyAreBuilt) {
  std::string list = "[";
  for (int i = 1; i <= 200; ++i) list += std::to_string(i) + (i < 200 ? ", " : "]");
  const std::string spec = "sweep:\n  - product: {seed: " + list + ", accel.sc.stream_length: " + list +
                           "}\n  - product: {run.images: " + list + "}\n";  // 8 million points
  EXPECT_NE(error_of(spec).find("more than 1000000 points"), std::string::npos) << error_of(spec);
}

TEST(Sweep, CommandLineSettingsAreCheckedLikeSet) {
  SweepSpec spec = parse_sweep("sweep:\n  - product: {seed: [1, 2]}\n", "spec.yaml");
  const auto refusal = [&](const std::string& assignment) {
    SweepSpec copy = spec;
    try {
      add_overrides(copy, {assignment});
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_NE(refusal("bogus=1").find("-p bogus=1: unknown configuration key"), std::string::npos) << refusal("bogus=1");
  EXPECT_NE(refusal("accel.clock_mhz=0").find("-p accel.clock_mhz=0: accel.clock_mhz = '0' is not valid"),
            std::string::npos);
  EXPECT_NE(refusal("seed=3").find("seed is swept"), std::string::npos);
  EXPECT_NE(refusal("=3").find("expected key=value"), std::string::npos);
  add_overrides(spec, {"run.images=5"});
  ASSERT_EQ(spec.set.size(), 1u);
  EXPECT_EQ(spec.set[0], (Assignment{"run.images", "5"}));
}

TEST(Sweep, APointReportThatCannotBeReadIsRefusedNamingIt) {
  const SweepSpec spec = parse_sweep("sweep:\n  - product: {accel.sc.stream_length: [1, 3]}\n", "s.yaml");
  const auto points = expand_sweep(spec);
  const std::string dir = test::temp_path("merge_unreadable");
  std::filesystem::create_directories(dir + "/" + points[1].hash + ".json");  // a directory, not a report
  const std::string message = test::error_of([&] { merge_rows(points, dir); });
  EXPECT_NE(message.find(points[1].hash + ".json: cannot open point report: it is a directory"), std::string::npos)
      << message;
  std::filesystem::remove(dir + "/" + points[1].hash + ".json");
  std::ofstream(dir + "/" + points[1].hash + ".json") << "{ not json";
  const std::string parse_message = test::error_of([&] { merge_rows(points, dir); });
  EXPECT_NE(parse_message.find(points[1].hash + ".json: cannot parse point report"), std::string::npos)
      << parse_message;
}

TEST(Text, SplitAssignmentSplitsAtTheFirstEqualsAndNamesTheOptionWhenRefusing) {
  const KeyValue kv = split_assignment("a.b=c=d", "-p", "key=value");
  EXPECT_EQ(kv.key, "a.b");
  EXPECT_EQ(kv.value, "c=d");
  EXPECT_EQ(split_assignment("k=", "-p", "key=value").value, "");
  EXPECT_EQ(test::error_of([] { split_assignment("=3", "--where", "KEY=VALUE"); }), "--where '=3': expected KEY=VALUE");
  EXPECT_EQ(test::error_of([] { split_assignment("k", "-p", "key=value"); }), "-p 'k': expected key=value");
}
