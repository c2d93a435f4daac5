#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>

namespace scbnn {

// A two-sided confidence interval of a proportion, as fractions in [0, 1].
struct ProportionInterval {
  double low = 0, high = 1;
};

// The 95 % two-sided normal quantile, z(0.975).
inline constexpr double kZ95 = 1.959963984540054;

// Wilson's score interval of `successes` in `trials` (E. B. Wilson, JASA 22, 1927): unlike
// the normal approximation it stays inside [0, 1] and is not empty at 0 or `trials`
// successes. No trials: the whole of [0, 1].
inline ProportionInterval wilson_interval(uint64_t successes, uint64_t trials, double z = kZ95) {
  if (trials == 0) return {};
  const double n = double(trials), p = double(successes) / n, z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  // at 0 or `trials` successes the bound is exactly 0 or 1 (the formula rounds near it)
  return {successes == 0 ? 0.0 : std::max(0.0, centre - half),
          successes == trials ? 1.0 : std::min(1.0, centre + half)};
}

}  // namespace scbnn
