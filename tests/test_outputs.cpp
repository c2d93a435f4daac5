// Result files written all together or not at all, checked before the work starts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "scbnn/base/errors.h"
#include "scbnn/tools/outputs.h"
#include "test_support.h"

using namespace scbnn;
using scbnn::test::error_of;
namespace fs = std::filesystem;

namespace {

// A fresh, empty directory for one test.
fs::path fresh_dir(const std::string& name) {
  const fs::path dir = test::temp_path(name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

size_t entries_in(const fs::path& dir) {
  return size_t(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

const std::vector<std::string> kNames = {"a.yaml", "b.yaml"};
const std::vector<std::pair<std::string, std::string>> kFiles = {{"a.yaml", "a\n"}, {"b.yaml", "b\n"}};

// Stages a report file, a new directory and files into the existing directory dir/existing.
void stage_report_new_and_existing(OutputSet& outputs, const fs::path& dir) {
  outputs.declare_file("--report", (dir / "r.json").string());
  outputs.declare_directory("--new", (dir / "new").string(), kNames);
  outputs.declare_directory("--existing", (dir / "existing").string(), kNames);
  outputs.stage_file("--report", "{}\n");
  outputs.stage_directory("--new", kFiles);
  outputs.stage_directory("--existing", kFiles);
}

}  // namespace

TEST(Outputs, EverythingAppearsAtCommitAndNothingBefore) {
  const fs::path dir = fresh_dir("outputs_commit");
  fs::create_directory(dir / "existing");
  std::ofstream(dir / "existing" / "other.txt") << "kept";
  OutputSet outputs;
  stage_report_new_and_existing(outputs, dir);
  EXPECT_FALSE(fs::exists(dir / "r.json"));
  EXPECT_FALSE(fs::exists(dir / "new"));
  EXPECT_FALSE(fs::exists(dir / "existing" / "a.yaml"));
  outputs.commit();
  EXPECT_TRUE(fs::exists(dir / "r.json"));
  EXPECT_TRUE(fs::exists(dir / "new" / "b.yaml"));
  EXPECT_TRUE(fs::exists(dir / "existing" / "a.yaml"));
  EXPECT_TRUE(fs::exists(dir / "existing" / "other.txt"));
  EXPECT_EQ(entries_in(dir), 3u);  // no temporaries left
  EXPECT_EQ(entries_in(dir / "existing"), 3u);
}

TEST(Outputs, AFailureBeforeCommitLeavesNothing) {
  const fs::path dir = fresh_dir("outputs_abandoned");
  fs::create_directory(dir / "existing");
  {
    OutputSet outputs;
    stage_report_new_and_existing(outputs, dir);
  }  // destroyed without commit, as when the run throws
  EXPECT_EQ(entries_in(dir), 1u);
  EXPECT_EQ(entries_in(dir / "existing"), 0u);
}

TEST(Outputs, AFailedCommitTakesBackWhatItPlaced) {
  const fs::path dir = fresh_dir("outputs_failed_commit");
  OutputSet outputs;
  outputs.declare_file("--report", (dir / "r.json").string());
  outputs.declare_directory("--accelergy", (dir / "acc").string(), kNames);
  outputs.stage_file("--report", "{}\n");
  outputs.stage_directory("--accelergy", kFiles);
  // Someone else fills the directory after the checks: it cannot be put in place.
  fs::create_directory(dir / "acc");
  std::ofstream(dir / "acc" / "theirs") << "x";
  const std::string message = error_of([&] { outputs.commit(); });
  EXPECT_NE(message.find("--accelergy"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(dir / "r.json"));
  EXPECT_EQ(entries_in(dir), 1u);
  EXPECT_EQ(entries_in(dir / "acc"), 1u);
}

TEST(Outputs, UnwritablePathsAreRefusedWithOptionPathAndReason) {
  const fs::path dir = fresh_dir("outputs_checks");
  std::ofstream(dir / "file") << "x";
  fs::create_directory(dir / "sub");
  const auto file_error = [&](const fs::path& p) {
    return error_of([&] { check_output_path("--report", p.string(), false); });
  };
  const auto dir_error = [&](const fs::path& p) {
    return error_of([&] { check_output_path("--accelergy", p.string(), true); });
  };
  EXPECT_NE(file_error(dir / "none" / "r.json").find("does not exist"), std::string::npos);
  EXPECT_NE(file_error(dir / "file" / "r.json").find("is not a directory"), std::string::npos);
  EXPECT_NE(file_error(dir / "sub").find("--report " + (dir / "sub").string() + ": is a directory"), std::string::npos);
  EXPECT_NE(file_error((dir / "new").string() + "/").find("names a directory"), std::string::npos);
  EXPECT_NE(file_error("/dev/null").find("not a regular file"), std::string::npos);
  EXPECT_NE(dir_error(dir / "file").find("--accelergy " + (dir / "file").string() + ": is a file"), std::string::npos);
  fs::create_directories(dir / "acc" / "a.yaml");
  OutputSet outputs;
  EXPECT_NE(error_of([&] {
              outputs.declare_directory("--accelergy", (dir / "acc").string(), kNames);
            }).find("a.yaml: is a directory"),
            std::string::npos);
  EXPECT_EQ(file_error(dir / "file"), "");  // replaced
  EXPECT_EQ(dir_error(dir / "sub"), "");
  EXPECT_EQ(dir_error((dir / "fresh").string() + "/"), "");
}

TEST(Outputs, TwoOutputsOnOnePathAreRefused) {
  const fs::path dir = fresh_dir("outputs_same");
  fs::create_directory(dir / "real");
  fs::create_directory_symlink(dir / "real", dir / "link");
  {
    OutputSet outputs;
    outputs.declare_file("--report", (dir / "real" / "x.csv").string());
    const std::string message =
        error_of([&] { outputs.declare_file("--predictions", (dir / "link" / ".." / "link" / "x.csv").string()); });
    EXPECT_NE(message.find("--predictions"), std::string::npos) << message;
    EXPECT_NE(message.find("--report"), std::string::npos) << message;
    EXPECT_NE(message.find("name the same path"), std::string::npos) << message;
  }
  {
    OutputSet outputs;
    outputs.declare_file("--report", (dir / "real" / "b.yaml").string());
    EXPECT_NE(
        error_of([&] { outputs.declare_directory("--accelergy", (dir / "real").string(), kNames); }).find("its b.yaml"),
        std::string::npos);
  }
  {
    OutputSet outputs;
    outputs.declare_directory("--accelergy", (dir / "real").string(), kNames);
    EXPECT_NE(error_of([&] { outputs.declare_file("--report", (dir / "real").string()); }).find("is a directory"),
              std::string::npos);
  }
}
