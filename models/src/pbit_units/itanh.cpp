// The integral-stochastic-computing p-bit unit: a saturating up/down counter (the Itanh
// FSM of integral SC) integrates the drift I0 I and the p-bit's random number; the p-bit is
// +1 while the counter is in its upper half. In units of half a random-number step:
//   c <- clamp(c + d(I) + r, -K, K - 1),  m = +1 iff c >= 0,
//   r = 2 u - (2^R - 1) for the R-bit number u (odd, mean zero),
//   d(I) = round(2^R I0 I / (3 D)),  K = D 2^R  (D = il.itanh_depth).
// For a fixed field the counter is a reflected random walk (drift d, step variance
// 2^(2R) / 3) whose stationary P(c >= 0) is (1 + tanh(3 D d / 2^R)) / 2 in the diffusion
// limit, i.e. (1 + tanh(I0 I)) / 2: the 1 / (3 D) folds the walk's gain into I0. The
// counter's memory makes coupled p-bits lag, so the network samples exp(-I0 H) / Z only
// approximately (docs/invertible-logic.md).
#include <algorithm>
#include <cmath>

#include "scbnn/models/pbit_engine.h"

namespace scbnn {
namespace {

class ItanhUnit : public PbitUnit {
 public:
  explicit ItanhUnit(const PbitUnitContext& c)
      : max_field_(c.max_abs_field),
        depth_(c.params.itanh_depth),
        random_(c),
        full_(int32_t(1) << random_.bits()),
        limit_(int32_t(depth_) * full_),
        drift_(2 * size_t(c.max_abs_field) + 1),
        counter_(c.pbits, -1) {}
  void set_i0(double i0) override {
    const long bound = 2L * limit_;  // a larger drift saturates the counter in one step anyway
    fill_field_table(
        drift_, max_field_,
        [&](int32_t f) {
          return int32_t(std::clamp(std::lround(double(full_) * i0 * f / (3.0 * depth_)), -bound, bound));
        },
        [&](int32_t up, int32_t down) { return up == bound && down == -bound; });
  }
  bool decide(uint32_t i, int32_t field, PbitCounts& counts) override {
    ++counts.tanh_evaluations;
    const int32_t r = 2 * int32_t(random_.draw(i, counts)) - (full_ - 1);
    int32_t& c = counter_[i];
    c = std::clamp(c + drift_[size_t(field + max_field_)] + r, -limit_, limit_ - 1);
    return c >= 0;
  }
  void state_set(uint32_t i, bool up) override { counter_[i] = up ? 0 : -1; }

 private:
  int32_t max_field_;
  uint32_t depth_;
  PbitRandomBank random_;
  int32_t full_, limit_;
  std::vector<int32_t> drift_;
  std::vector<int32_t> counter_;
};

PbitUnitRegistrar registrar(
    "itanh",
    {"integral-SC tanh: saturating up/down counter of the drift I0 I plus a mean-zero R-bit random number, sign out",
     "Ardakani et al., IEEE TVLSI 2017 (Itanh FSM); Smithson et al., IEEE TCAS-I 2019 (SC invertible logic)",
     /*exact_boltzmann=*/false, [](const PbitUnitContext& c) { return std::make_unique<ItanhUnit>(c); }});

}  // namespace

SCBNN_LINK_ANCHOR(pbit_unit, itanh)

}  // namespace scbnn
