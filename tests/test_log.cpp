// Logging through SystemC's report handler: per-instance levels from log.* keys.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scbnn/base/errors.h"
#include "scbnn/platforms/platform.h"
#include "test_support.h"

using namespace scbnn;

namespace {

struct Message {
  std::string type, text;
};
std::vector<Message> recorded;

void record_report(const sc_core::sc_report& report, const sc_core::sc_actions& actions) {
  if (report.get_severity() >= sc_core::SC_WARNING)
    ADD_FAILURE() << "SystemC report: " << report.get_msg_type() << ": " << report.get_msg();
  recorded.push_back({report.get_msg_type(), report.get_msg()});
  sc_core::sc_report_handler::default_handler(report, actions & ~sc_core::SC_DISPLAY);
}

// Runs a small network on 64 x 64 arrays (MTJ write errors at 1e-3) with the given
// overrides and returns the messages reported through the handler.
std::vector<Message> run_logged(const std::vector<std::string>& overrides) {
  const Network net = test::random_network({128, 64, 10}, 3, 8, 16);
  const Dataset data = test::random_dataset(2, 8, 16, 4);
  Config c;
  for (const char* o : {"accel.array.rows=64", "accel.array.columns=64", "accel.array.count=4",
                        "accel.mram.write_errors=ber", "accel.mram.ber=1e-3"})
    c.apply_override(o);
  for (const auto& o : overrides) c.apply_override(o);
  recorded.clear();
  const auto previous = sc_core::sc_report_handler::set_handler(record_report);
  Platform platform(platform_params(c), net, data, 0, 2);
  platform.run();
  sc_core::sc_report_handler::set_handler(previous);
  return recorded;
}

size_t count_from(const std::vector<Message>& messages, const std::string& type, const std::string& instance) {
  size_t n = 0;
  for (const auto& m : messages) n += m.type == type && m.text.rfind(instance + " @ ", 0) == 0;
  return n;
}

bool any_containing(const std::vector<Message>& messages, const std::string& part) {
  for (const auto& m : messages)
    if (m.text.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(Log, InstanceTakesItsOwnLevelElseTheNearestAncestorsElseTheDefault) {
  LogLevels levels;
  levels.fallback = LogLevel::off;
  levels.instances = {{"accel.core", LogLevel::info}, {"accel.core.array_3", LogLevel::debug}};
  EXPECT_EQ(levels.level_of("accel.core.array_3"), LogLevel::debug);
  EXPECT_EQ(levels.level_of("accel.core.array_3.sa"), LogLevel::debug);
  EXPECT_EQ(levels.level_of("accel.core.array_30"), LogLevel::info);
  EXPECT_EQ(levels.level_of("accel.core"), LogLevel::info);
  EXPECT_EQ(levels.level_of("accel"), LogLevel::off);
  EXPECT_EQ(levels.level_of("host"), LogLevel::off);
}

TEST(Log, LevelsOutsideTheListAreRefusedNamingTheKey) {
  Config c;
  EXPECT_NO_THROW(c.apply_override("log.accel.core=info"));
  EXPECT_NO_THROW(c.apply_override("log.default=off"));
  for (const char* bad : {"log.accel.core=loud", "log.default=verbose"}) {
    try {
      c.apply_override(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const InputError& e) {
      const std::string key = std::string(bad).substr(0, std::string(bad).find('='));
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("off error warning info debug"), std::string::npos) << e.what();
    }
  }
}

TEST(Log, OneArrayAtDebugLogsItsProgrammingAndErrorsAndNoOtherArray) {
  // A sense-amplifier offset of 4 kohm makes read errors frequent (p ~ 3 %).
  const auto messages = run_logged({"log.accel.core.array_0=debug", "accel.sa.offset_sigma_ohm=4000"});
  const size_t from_array0 = count_from(messages, "scbnn/mram", "accel.core.array_0");
  EXPECT_GT(from_array0, 0u);
  EXPECT_EQ(from_array0, messages.size()) << "only array_0 logs";
  EXPECT_TRUE(any_containing(messages, "accel.core.array_0 @ ")) << "messages carry the instance and time";
  EXPECT_TRUE(any_containing(messages, "programmed 64 words with 10 ns / 100 uA pulses"));
  EXPECT_TRUE(any_containing(messages, "write error at row "));
  EXPECT_TRUE(any_containing(messages, "read errors"));
}

TEST(Log, CoreLogsItsLayerProgramAndHostItsImages) {
  const auto messages = run_logged({"log.accel.core=info", "log.host=debug"});
  // (The platform's fit check and START each load the program today.)
  EXPECT_GE(count_from(messages, "scbnn/core", "accel.core"), 1u) << "the layer program";
  EXPECT_TRUE(any_containing(messages, "layer program 128-64-10 mapped on 3 of 4 arrays"));
  EXPECT_EQ(count_from(messages, "scbnn/mram", "accel.core.array_0"), 0u) << "info hides the arrays' debug messages";
  EXPECT_EQ(count_from(messages, "scbnn/host", "host"), 3u) << "programming, then one message per image";
  EXPECT_TRUE(any_containing(messages, "image 2 of 2 (data set index 1): class "));
}

TEST(Log, CoreAtDebugLogsEachLayersStartAndEnd) {
  const auto debug = run_logged({"log.accel.core=debug", "log.accel.core.array_1=off", "log.accel.core.array_2=off"});
  EXPECT_TRUE(any_containing(debug, "8 input passes over 2 tiles"));
  EXPECT_TRUE(any_containing(debug, "layer1 ends: "));
}

TEST(Log, DefaultRunReportsNothing) { EXPECT_TRUE(run_logged({}).empty()); }

TEST(Log, UnknownInstanceIsRefusedWithTheNearestNames) {
  const Network net = test::random_network({128, 64, 10}, 3, 8, 16);
  const Dataset data = test::random_dataset(1, 8, 16, 4);
  Config c;
  c.apply_override("log.accel.core.aray_0=debug");
  try {
    Platform platform(platform_params(c), net, data, 0, 1);
    ADD_FAILURE() << "a misspelt instance was accepted";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("log.accel.core.aray_0"), std::string::npos) << what;
    EXPECT_NE(what.find("nearest: accel.core.array_0"), std::string::npos) << what;
  }
}
