// The ideal p-bit unit: P(+1) = (1 + tanh(I0 I)) / 2 in double precision against a 53-bit
// uniform number (a software reference; samples exp(-I0 H) / Z exactly).
#include <cmath>
#include <string>

#include "scbnn/models/pbit_engine.h"
#include "scbnn/models/random_stream.h"

namespace scbnn {
namespace {

class IdealUnit : public PbitUnit {
 public:
  explicit IdealUnit(const PbitUnitContext& c)
      : max_field_(c.max_abs_field),
        probability_(2 * size_t(c.max_abs_field) + 1),
        seeds_(c.pbits),
        counters_(c.pbits) {
    for (uint32_t i = 0; i < c.pbits; ++i)
      seeds_[i] = stream_seed(c.params.seed, c.name + ".pbit" + std::to_string(i) + ".rng");
  }
  void set_i0(double i0) override {
    // (1 + tanh(x)) / 2 = 1 / (1 + exp(-2x)), without the cancellation for x << 0.
    fill_field_table(
        probability_, max_field_, [&](int32_t f) { return 1.0 / (1.0 + std::exp(-2.0 * i0 * f)); },
        [](double up, double down) { return up == 1.0 && down == 0.0; });
  }
  bool decide(uint32_t i, int32_t field, PbitCounts& counts) override {
    // SplitMix64's counter-based output (as IdealSource), top 53 bits as a uniform in [0, 1).
    const double u = double(splitmix64(seeds_[i] + ++counters_[i] * 0x9e3779b97f4a7c15ull) >> 11) * 0x1p-53;
    ++counts.rng_draws;
    counts.rng_bits += 53;
    ++counts.tanh_evaluations;
    return u < probability_[size_t(field + max_field_)];
  }

 private:
  int32_t max_field_;
  std::vector<double> probability_;
  std::vector<uint64_t> seeds_, counters_;
};

PbitUnitRegistrar registrar("ideal", {"double-precision tanh against a 53-bit uniform number (software reference)",
                                      "Camsari et al., PRX 2017 (p-bit model)", /*exact_boltzmann=*/true,
                                      [](const PbitUnitContext& c) { return std::make_unique<IdealUnit>(c); }});

}  // namespace

SCBNN_LINK_ANCHOR(pbit_unit, ideal)

}  // namespace scbnn
