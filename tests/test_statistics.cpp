#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "scbnn/base/statistics.h"
#include "scbnn/base/text.h"

namespace scbnn {
namespace {

// Newcombe, Statistics in Medicine 17 (1998) 857-872, Table II, method 3 (Wilson score,
// no continuity correction), printed to four decimals.
TEST(WilsonInterval, MatchesNewcombesTable) {
  struct Case {
    uint64_t x, n;
    double low, high;
  };
  for (const Case& c : {Case{81, 263, 0.2553, 0.3662}, Case{15, 148, 0.0624, 0.1605}, Case{0, 20, 0.0, 0.1611},
                        Case{1, 29, 0.0061, 0.1718}}) {
    const ProportionInterval i = wilson_interval(c.x, c.n);
    EXPECT_NEAR(i.low, c.low, 5e-5) << c.x << "/" << c.n;
    EXPECT_NEAR(i.high, c.high, 5e-5) << c.x << "/" << c.n;
  }
}

TEST(WilsonInterval, StaysInsideTheUnitIntervalAndCoversTheEstimate) {
  for (uint64_t n : {1u, 7u, 1000u})
    for (uint64_t x = 0; x <= n; x += (n > 10 ? 97 : 1)) {
      const ProportionInterval i = wilson_interval(x, n);
      EXPECT_GE(i.low, 0.0);
      EXPECT_LE(i.high, 1.0);
      EXPECT_LE(i.low, double(x) / n);
      EXPECT_GE(i.high, double(x) / n);
    }
  const ProportionInterval none = wilson_interval(0, 0);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_EQ(none.high, 1.0);
}

TEST(ShortestNumber, RoundTripsWithTheFewestDigits) {
  EXPECT_EQ(shortest_number(0.3), "0.3");
  EXPECT_EQ(shortest_number(291.5), "291.5");
  EXPECT_EQ(shortest_number(1e-21), "1e-21");
  EXPECT_EQ(shortest_number(12), "12");
  for (double v : {0.1 + 0.2, 1.0 / 3, 6.02214076e23, -4.9e-324})
    EXPECT_EQ(std::strtod(shortest_number(v).c_str(), nullptr), v) << shortest_number(v);
}

}  // namespace
}  // namespace scbnn
