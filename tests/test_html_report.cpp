// scbnn report's page data: the Pareto front, the JSON embedded in the page, what input is
// refused. The page itself is tested in a browser (tests/html_report_test.py).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "scbnn/base/errors.h"
#include "scbnn/tools/html_report.h"
#include "test_support.h"

using namespace scbnn;
using scbnn::test::error_of;
namespace fs = std::filesystem;

namespace {

std::string write(const std::string& name, const std::string& text) {
  const std::string path = test::temp_path(name);
  std::ofstream(path) << text;
  return path;
}

TEST(HtmlReport, ParetoFrontKeepsThePointsNothingBeats) {
  // (energy, accuracy): 1 is beaten by 0 (cheaper, as accurate), 3 by 2 (as cheap, less
  // accurate); 4 and 5 are equal, so neither beats the other.
  const std::vector<bool> front =
      pareto_front({{1, 0.5}, {2, 0.5}, {3, 0.9}, {3, 0.8}, {5, 0.95}, {5, 0.95}, {6, 0.7}});
  EXPECT_EQ(front, (std::vector<bool>{true, false, true, false, true, true, false}));
  EXPECT_TRUE(pareto_front({}).empty());
  EXPECT_EQ(pareto_front({{2, 0.1}}), std::vector<bool>{true});
}

TEST(HtmlReport, EmbeddedJsonCannotCloseItsScriptElement) {
  const nlohmann::ordered_json data = {{"source", "</script><script>alert(1)</script> & <!--"}};
  const std::string text = embedded_json(data);
  EXPECT_EQ(text.find('<'), std::string::npos);
  EXPECT_EQ(text.find('>'), std::string::npos);
  EXPECT_EQ(nlohmann::ordered_json::parse(text), data);  // the same data once parsed
  const std::string page = html_report_page({{"kind", "run"}, {"input", "dir/a<b>&c.json"}, {"run", data}});
  EXPECT_EQ(page.find("</script><script>alert"), std::string::npos);
  EXPECT_NE(page.find("<title>scbnn run report: a&lt;b&gt;&amp;c.json</title>"), std::string::npos);
}

TEST(HtmlReport, RefusesWhatIsNeitherARunReportNorMergedResults) {
  std::vector<std::string> warnings;
  const std::string out = test::temp_path("page.html");
  const std::string other = write("other.json", R"({"name": 1})");
  EXPECT_NE(error_of([&] { html_report_data(other, out, warnings); }).find(other + ": not a run report"),
            std::string::npos);
  const std::string rows = write("rows.json", R"({"rows": [{"status": "done", "hash": "ab", "point": {}}]})");
  EXPECT_NE(error_of([&] { html_report_data(rows, out, warnings); }).find("rows[0] has no 'correct'"),
            std::string::npos);
  const std::string typed = write("typed.json", R"({"rows": [{"status": 3}]})");
  EXPECT_NE(error_of([&] { html_report_data(typed, out, warnings); }).find(typed + ": unexpected contents"),
            std::string::npos);
  const std::string run = write("run.json", R"({"accuracy": {"correct": 3, "images": 2, "accuracy": 1.5},
                                                "cycles": {"per_inference": 1, "per_layer": []}})");
  EXPECT_NE(error_of([&] { html_report_data(run, out, warnings); }).find("correct is larger than"), std::string::npos);
}

TEST(HtmlReport, ASweepPointWithoutItsReportIsShownWithoutDetails) {
  const std::string results = write("results.json", R"({"sweep": "s", "swept_keys": ["seed"], "rows": [
      {"index": 0, "hash": "00ff", "status": "done", "point": {"seed": "1"}, "accuracy": 0.5, "correct": 5,
       "images": 10, "energy_nj_per_inference": 2.0},
      {"index": 1, "hash": "0100", "status": "failed", "point": {"seed": "2"}, "error": "boom"}]})");
  std::vector<std::string> warnings;
  const auto data = html_report_data(results, test::temp_path("page.html"), warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("00ff.json not found"), std::string::npos);
  const auto& row = data["sweep"]["rows"][0];
  EXPECT_TRUE(row["on_front"].get<bool>());
  EXPECT_EQ(row["report_href"], "points/00ff.json");                         // the page beside results.json
  EXPECT_NEAR(row["accuracy_interval"]["low"].get<double>(), 0.2366, 5e-5);  // Wilson, 5 of 10
  EXPECT_NEAR(row["accuracy_interval"]["high"].get<double>(), 0.7634, 5e-5);
  EXPECT_EQ(data["sweep"]["counts"]["failed"], 1);
  EXPECT_TRUE(data["sweep"]["details"].empty());
}

}  // namespace
