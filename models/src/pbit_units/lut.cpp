// The LUT p-bit unit: a table of tanh over the integer local field, quantised to R bits,
// compared with the p-bit's R-bit random number from its SNG source (il.rng): m = +1 when
// r < T(I), T(I) = round(2^R (1 + tanh(I0 I)) / 2) in 0 .. 2^R (R + 1-bit entries). It
// is a comparator SNG whose value is the tanh: one stochastic bit per decision.
#include <cmath>

#include "scbnn/models/pbit_engine.h"

namespace scbnn {
namespace {

class LutUnit : public PbitUnit {
 public:
  explicit LutUnit(const PbitUnitContext& c)
      : max_field_(c.max_abs_field), random_(c), threshold_(2 * size_t(c.max_abs_field) + 1) {}
  void set_i0(double i0) override {
    const double full = std::ldexp(1.0, int(random_.bits()));
    fill_field_table(
        threshold_, max_field_,
        [&](int32_t f) { return uint32_t(std::lround(full / (1.0 + std::exp(-2.0 * i0 * f)))); },
        [&](uint32_t up, uint32_t down) { return up == uint32_t(full) && down == 0; });
  }
  bool decide(uint32_t i, int32_t field, PbitCounts& counts) override {
    ++counts.tanh_evaluations;
    return random_.draw(i, counts) < threshold_[size_t(field + max_field_)];
  }

 private:
  int32_t max_field_;
  PbitRandomBank random_;
  std::vector<uint32_t> threshold_;
};

PbitUnitRegistrar registrar(
    "lut", {"tanh look-up table over the local field, R bits, compared with an R-bit number of the p-bit's source",
            "Pervaiz et al., Sci. Rep. 7, 2017 (FPGA p-bits: LUT tanh, LFSR, comparator)",
            /*exact_boltzmann=*/false, [](const PbitUnitContext& c) { return std::make_unique<LutUnit>(c); }});

}  // namespace

SCBNN_LINK_ANCHOR(pbit_unit, lut)

}  // namespace scbnn
