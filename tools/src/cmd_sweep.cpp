#include <boost/program_options.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <iostream>
#include <map>

#include "scbnn/base/atomic_file.h"
#include "scbnn/base/errors.h"
#include "scbnn/base/text.h"
#include "scbnn/tools/commands.h"
#include "scbnn/tools/json_file.h"
#include "scbnn/tools/outputs.h"
#include "scbnn/tools/progress.h"
#include "scbnn/tools/provenance.h"
#include "scbnn/tools/sweep.h"

extern char** environ;

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace scbnn {
namespace {

using json = nlohmann::ordered_json;

std::string self_executable() {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw InputError("cannot find the scbnn executable (/proc/self/exe): " + ec.message());
  return p.string();
}

// The last lines of a point's log: the error scbnn printed.
std::string tail_of(const fs::path& log) {
  std::string text;
  try {
    text = read_file(log.string(), "point log");
  } catch (const InputError& e) {
    text = e.what();  // the failure record says why its log is missing
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  const size_t keep = 2000;
  return text.size() > keep ? text.substr(text.size() - keep) : text;
}

json manifest_of(const SweepSpec& spec, const std::vector<SweepPoint>& points) {
  json m;
  m["schema_version"] = kSweepManifestSchemaVersion;
  m["spec_file"] = fs::absolute(spec.file).lexically_normal().string();
  m["name"] = spec.name;
  m["swept_keys"] = spec.swept_keys;
  json list = json::array();
  for (const auto& p : points) {
    json written = json::object();
    for (const auto& [k, v] : p.assignments) written[k] = v;
    json entry = {{"index", p.index}, {"hash", p.hash}, {"point", p.values}, {"as_written", written}};
    if (!p.config_error.empty()) entry["config_error"] = p.config_error;
    list.push_back(entry);
  }
  m["points"] = list;
  return m;
}

// A manifest's points without their hashes: the same points whose input files changed
// (a network retrained into the same file) are the same sweep, and run again.
json without_hashes(json points) {
  if (!points.is_array()) return points;
  for (auto& p : points)
    if (p.is_object()) p.erase("hash");
  return points;
}

// The sweep a directory holds, from its manifest.
std::pair<SweepSpec, std::vector<SweepPoint>> read_manifest(const fs::path& dir) {
  const fs::path file = dir / "sweep.json";
  if (!fs::exists(file)) throw InputError(dir.string() + ": no sweep.json (not a sweep output directory)");
  const json m = read_json_file(file.string(), "sweep manifest");
  SweepSpec spec;
  spec.file = m["spec_file"];
  spec.name = m["name"];
  spec.swept_keys = m["swept_keys"].get<std::vector<std::string>>();
  std::vector<SweepPoint> points;
  for (const auto& e : m["points"]) {
    SweepPoint p;
    p.index = e["index"];
    p.hash = e["hash"];
    // the values as the spec wrote them re-run the point; "point" has them typed
    const json written = e.value("as_written", e["point"]);
    for (const auto& [k, v] : written.items()) p.assignments.emplace_back(k, v.get<std::string>());
    p.values = e["point"];
    p.config_error = e.value("config_error", std::string());
    points.push_back(p);
  }
  return {spec, points};
}

void write_failure(const fs::path& dir, const SweepPoint& p, int exit_code, const std::string& message) {
  const json e = {{"index", p.index},
                  {"hash", p.hash},
                  {"point", p.values},
                  {"exit_code", exit_code},
                  {"message", message}};
  write_file_atomically((dir / (p.hash + ".error.json")).string(), to_json_text(e));
}

pid_t spawn_point(const std::string& exe, const SweepSpec& spec, const SweepPoint& p, const fs::path& dir) {
  std::vector<std::string> args = {exe, "run", "-q"};
  if (!spec.base_config.empty()) args.insert(args.end(), {"-c", spec.base_config});
  for (const auto& [k, v] : spec.set) args.insert(args.end(), {"-p", k + "=" + v});
  for (const auto& [k, v] : p.assignments) args.insert(args.end(), {"-p", k + "=" + v});
  args.insert(args.end(), {"--report", (dir / (p.hash + ".json")).string()});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string log = (dir / (p.hash + ".log")).string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw InputError("cannot start " + exe + ": " + std::strerror(rc));
  return pid;
}

}  // namespace

int cmd_sweep(const std::vector<std::string>& args) {
  std::string spec_file, out_dir, shard_text = "0/1";
  std::vector<std::string> overrides;
  int64_t jobs = 1;
  int64_t progress_every = 0;
  bool list = false;
  po::options_description desc(
      "scbnn sweep SPEC.yaml --out DIR: run every point of a sweep (docs/sweeps.md), each as its own process.\n"
      "Points are keyed by a hash of their effective configuration: a point whose report exists in DIR is\n"
      "skipped, so an interrupted or repeated sweep resumes. A failed point is recorded "
      "(DIR/points/<hash>.error.json)\n"
      "and the others go on. `scbnn merge DIR` then gives one table.\n\nOptions");
  desc.add_options()("help,h", "show this help")("spec", po::value(&spec_file),
                                                 "sweep specification (YAML); also the first positional argument")(
      "out,o", po::value(&out_dir), "output directory (created; holds sweep.json and points/)")(
      "jobs,j", po::value(&jobs), "points run in parallel on this machine (default 1)")(
      "shard", po::value(&shard_text), "run only shard i of N (i/N): points whose index is i modulo N")(
      "param,p", po::value(&overrides)->composing(), "set key=value for every point (after the spec's set:)")(
      "list", po::bool_switch(&list), "print the points (index, hash, values) without running them")(
      "progress", po::value(&progress_every),
      "print a progress line to standard error every N points run, also when it is not a terminal");
  po::variables_map vm;
  if (!parse_options(args, desc, vm, "spec")) return 0;
  // Everything is checked before any point runs or any file is written.
  if (spec_file.empty())
    throw InputError("scbnn sweep: give the sweep specification (scbnn sweep SPEC.yaml --out DIR)");
  checked_count(jobs, "--jobs", 1, "points run at a time");
  checked_count(progress_every, "--progress", 0, "points between lines (0: off)");
  const auto [shard, shards] = parse_shard(shard_text);
  if (!out_dir.empty()) check_output_path("--out", out_dir, true);
  SweepSpec spec = load_sweep(spec_file);
  add_overrides(spec, overrides);
  const std::vector<SweepPoint> points = expand_sweep(spec);
  if (list) {
    for (const auto& p : points) {
      std::cout << p.index << " " << p.hash << " " << (in_shard(p, shard, shards) ? "" : "(other shard) ");
      for (const auto& [k, v] : p.assignments) std::cout << k << "=" << v << " ";
      if (!p.config_error.empty()) std::cout << " INVALID: " << p.config_error;
      std::cout << "\n";
    }
    return 0;
  }
  if (out_dir.empty()) throw InputError("scbnn sweep: --out DIR is required");
  const fs::path dir = out_dir, point_dir = dir / "points";
  std::error_code ec;
  fs::create_directories(point_dir, ec);
  if (ec) throw InputError("--out " + out_dir + ": cannot create " + point_dir.string() + " (" + ec.message() + ")");
  const json manifest = manifest_of(spec, points);
  const fs::path manifest_file = dir / "sweep.json";
  if (fs::exists(manifest_file)) {
    json old;
    try {
      old = read_json_file(manifest_file.string(), "sweep manifest");
    } catch (const InputError&) {  // an unreadable old manifest is replaced
    }
    if (old.is_object() && without_hashes(old["points"]) != without_hashes(manifest["points"]))
      throw InputError(out_dir +
                       " holds results of another sweep (its sweep.json lists other points); use another --out");
  }
  write_file_atomically(manifest_file.string(), to_json_text(manifest));

  std::deque<const SweepPoint*> pending;
  size_t in_shard_count = 0, already = 0, refused = 0, failed = 0, done = 0;
  for (const auto& p : points) {
    if (!in_shard(p, shard, shards)) continue;
    ++in_shard_count;
    if (fs::exists(point_dir / (p.hash + ".json"))) {
      ++already;
    } else if (!p.config_error.empty()) {
      write_failure(point_dir, p, -1, p.config_error);
      ++refused;
    } else {
      pending.push_back(&p);
    }
  }
  const std::string exe = self_executable();
  std::map<pid_t, const SweepPoint*> running;
  const size_t to_run = pending.size();
  Progress progress("points", to_run, uint64_t(progress_every));
  while (!pending.empty() || !running.empty()) {
    while (!pending.empty() && running.size() < size_t(jobs)) {
      const SweepPoint* p = pending.front();
      pending.pop_front();
      running[spawn_point(exe, spec, *p, point_dir)] = p;
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw InputError(std::string("waiting for sweep points failed: ") + std::strerror(errno));
    }
    const auto it = running.find(pid);
    if (it == running.end()) continue;
    const SweepPoint& p = *it->second;
    running.erase(it);
    const fs::path log = point_dir / (p.hash + ".log");
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code == 0 && fs::exists(point_dir / (p.hash + ".json"))) {
      fs::remove(point_dir / (p.hash + ".error.json"));
      fs::remove(log);
    } else {
      write_failure(point_dir, p, code, tail_of(log));
      ++failed;
    }
    progress.update(++done);
  }
  progress.finish();
  // already + refused + run = the shard's points; the progress line counted the run ones.
  std::cout << "sweep " << (spec.name.empty() ? spec.file : spec.name) << ": " << in_shard_count << " points"
            << (shards > 1 ? " in shard " + shard_text : std::string()) << ": " << already << " already done, "
            << refused << " refused (invalid configuration), " << to_run << " run (" << to_run - failed << " done, "
            << failed << " failed)"
            << (failed + refused ? "; see " + point_dir.string() + "/*.error.json" : std::string()) << "\n";
  return failed + refused ? 1 : 0;
}

int cmd_merge(const std::vector<std::string>& args) {
  std::string dir_text;
  po::options_description desc(
      "scbnn merge DIR: one table of a sweep's points (DIR/results.csv and DIR/results.json), in the sweep's\n"
      "order, from every shard's results in DIR/points; points not run yet are listed as missing.\n\nOptions");
  desc.add_options()("help,h", "show this help")("dir", po::value(&dir_text), "sweep output directory");
  po::variables_map vm;
  if (!parse_options(args, desc, vm, "dir")) return 0;
  if (dir_text.empty()) throw InputError("scbnn merge: give the sweep output directory");
  const fs::path dir = dir_text;
  const auto [spec, points] = read_manifest(dir);
  const json rows = merge_rows(points, (dir / "points").string());
  const json means = seed_means(spec, rows);
  json merged = {{"schema_version", kResultsSchemaVersion},
                 {"sweep", spec.name},
                 {"swept_keys", spec.swept_keys},
                 {"merged", {{"tool", tool_stamp()}, {"started_utc", utc_now()}}},
                 {"rows", rows}};
  if (!means.empty()) merged["seed_means"] = means;
  write_file_atomically((dir / "results.json").string(), to_json_text(merged));
  write_file_atomically((dir / "results.csv").string(), rows_csv(spec, rows));
  if (!means.empty()) write_file_atomically((dir / "results_seeds.csv").string(), seed_means_csv(spec, means));
  std::map<std::string, size_t> counts;
  for (const auto& r : rows) ++counts[r["status"].get<std::string>()];
  std::cout << "merged " << rows.size() << " points: " << counts["done"] << " done, " << counts["failed"] << " failed, "
            << counts["missing"] << " missing -> " << (dir / "results.csv").string() << "\n";
  return 0;
}

}  // namespace scbnn
