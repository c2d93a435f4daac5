#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace scbnn {

// Versions of the sweep's JSON files (docs/schemas/): 2 added typed swept values, the
// accuracy interval, provenance and the means over seeds.
inline constexpr int kSweepManifestSchemaVersion = 2;
inline constexpr int kResultsSchemaVersion = 2;

using Assignment = std::pair<std::string, std::string>;  // configuration key, value

// A sweep specification (docs/sweeps.md):
//   config: base.yaml          optional base configuration (relative to the spec file)
//   set: {key: value, ...}     optional overrides for every point
//   sweep:                     groups; the points are the cartesian product of the groups
//     - product: {key: [v1, v2], key2: [...]}    every combination
//     - zip: {key: [v1, v2], key2: [w1, w2]}     lists taken side by side (equal lengths)
//     - points: [{key: v, key2: w}, ...]         explicit points
//   seeds: [1, 2, 3] or seeds: 3 (= 1, 2, 3)  optional: every point repeated with each master
//                              seed (the innermost group of key `seed`); merge adds the mean
//                              and spread over the seeds
struct SweepSpec {
  std::string name;
  std::string file;         // where it was read from
  std::string base_config;  // absolute path, or empty
  std::vector<Assignment> set;
  std::vector<std::vector<std::vector<Assignment>>> groups;  // group -> its points -> assignments
  std::vector<std::string> swept_keys;                       // in order of first appearance
};

// Parses a sweep specification; malformed specs, unknown configuration keys, empty or
// unequal lists and keys swept twice throw InputError naming the file, line and key.
SweepSpec parse_sweep(const std::string& yaml_text, const std::string& file);
SweepSpec load_sweep(const std::string& path);
// Adds `-p key=value` settings for every point (after the spec's set:). Like set:, each is
// checked before anything runs: the key exists, is not swept, and the value is valid.
void add_overrides(SweepSpec& spec, const std::vector<std::string>& overrides);

struct SweepPoint {
  size_t index = 0;                     // position in the expansion (merge order)
  std::vector<Assignment> assignments;  // the swept keys' values
  std::string hash;               // 16 hex digits of the point's effective configuration and its input files' contents
  nlohmann::ordered_json values;  // the swept keys' values typed as the configuration reads them (numbers stay numbers)
  std::string config_error;       // non-empty: the point's values are not a valid configuration
};

// Every point of the sweep, in expansion order (first group outermost). A point whose
// values the configuration refuses is kept, with its error, so that it is reported.
std::vector<SweepPoint> expand_sweep(const SweepSpec& spec);

// Shard `i` of `n` (0 <= i < n) holds the points whose index is i modulo n.
bool in_shard(const SweepPoint& point, uint32_t shard, uint32_t shards);
// Parses "i/N"; throws InputError otherwise.
std::pair<uint32_t, uint32_t> parse_shard(const std::string& text);

// 64-bit FNV-1a of a text, as 16 hex digits (stable across machines and builds).
std::string fnv1a_hex(const std::string& text);

// One merged row per point, in expansion order, from the per-point files in `points_dir`
// (<hash>.json reports and <hash>.error.json failures); status done, failed or missing.
// Wall-clock figures are left out so that merged tables do not depend on the machine.
nlohmann::ordered_json merge_rows(const std::vector<SweepPoint>& points, const std::string& points_dir);
std::string rows_csv(const SweepSpec& spec, const nlohmann::ordered_json& rows);

// The swept values of a point as the configuration types them (a number stays a number);
// the text as written for a point the configuration refuses.
nlohmann::ordered_json typed_values(const SweepSpec& spec, const std::vector<Assignment>& assignments);

// Mean and spread over the master seeds (key `seed` swept): one row per combination of the
// other swept keys, in order of first appearance, over its finished rows: seeds, the mean,
// sample standard deviation, minimum and maximum of accuracy, the Wilson 95 % interval of
// all its images pooled, and the mean and standard deviation of the other figures.
// Empty when `seed` is not swept.
nlohmann::ordered_json seed_means(const SweepSpec& spec, const nlohmann::ordered_json& rows);
std::string seed_means_csv(const SweepSpec& spec, const nlohmann::ordered_json& means);

}  // namespace scbnn
