#include "scbnn/models/mtj.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "scbnn/base/errors.h"
#include "scbnn/base/read_file.h"

namespace scbnn {

double precessional_wer(const MtjParams& m, double pulse_ns, double current_ua) {
  const double overdrive = current_ua / m.ic0_ua - 1;
  if (overdrive <= 0 || pulse_ns <= 0) return 1.0;
  const double x = (M_PI * M_PI * m.delta / 4) * std::exp(-2 * overdrive * pulse_ns / m.tau_d_ns);
  return -std::expm1(-x);
}

double thermal_flip_probability(const MtjParams& m, double time_ns, double current_ua) {
  if (time_ns <= 0) return 0;
  const double barrier = m.delta * (1 - current_ua / m.ic0_ua);
  const double rate_times_t = (time_ns / m.tau0_ns) * std::exp(-barrier);  // t / (tau0 e^barrier)
  return -std::expm1(-rate_times_t);
}

WerTable::WerTable(std::vector<std::pair<double, double>> points) : points_(std::move(points)) {}

WerTable WerTable::load(const std::string& path, const std::string& key) {
  std::istringstream in(read_file(path, "WER table (" + key + ")"));
  std::vector<std::pair<double, double>> pts;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::replace(line.begin(), line.end(), ',', ' ');
    std::istringstream fields(line);
    double t, w;
    std::string extra;
    if (!(fields >> t >> w) || (fields >> extra)) {
      if (pts.empty() && number == 1) continue;  // a header line
      throw InputError(key + ": " + path + ":" + std::to_string(number) + ": expected 'pulse_ns,wer'");
    }
    if (!(t > 0) || !(w > 0 && w <= 1) || !std::isfinite(t))
      throw InputError(key + ": " + path + ":" + std::to_string(number) + ": pulse must be > 0 ns and WER in (0, 1]");
    if (!pts.empty() && t <= pts.back().first)
      throw InputError(key + ": " + path + ":" + std::to_string(number) + ": pulses must increase");
    pts.emplace_back(t, w);
  }
  if (pts.size() < 2) throw InputError(key + ": " + path + " needs at least two 'pulse_ns,wer' points");
  return WerTable(std::move(pts));
}

double WerTable::wer_at(double pulse_ns) const {
  if (points_.empty()) return 1.0;
  if (pulse_ns <= points_.front().first) return points_.front().second;
  if (pulse_ns >= points_.back().first) return points_.back().second;
  for (size_t i = 1; i < points_.size(); ++i)
    if (pulse_ns <= points_[i].first) {
      const auto [t0, w0] = points_[i - 1];
      const auto [t1, w1] = points_[i];
      const double f = (pulse_ns - t0) / (t1 - t0);
      return std::exp(std::log(w0) + f * (std::log(w1) - std::log(w0)));
    }
  return points_.back().second;
}

}  // namespace scbnn
