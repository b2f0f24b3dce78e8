#include "sim/metrics/time_weighted.h"

#include <gtest/gtest.h>

#include <cmath>

namespace sluice {
namespace {

TEST(TimeWeightedGauge, WeighsEachValueByHowLongItHeld) {
  TimeWeightedGauge g;
  // 0 for 10 ns, then 4 for 30 ns: (0 * 10 + 4 * 30) / 40 = 3.
  g.set(10, 4);
  EXPECT_DOUBLE_EQ(g.mean(40), 3.0);
  EXPECT_EQ(g.integral(40), 120.0L);
  EXPECT_EQ(g.max(), 4);
  EXPECT_EQ(g.min(), 0);
  EXPECT_EQ(g.value(), 4);
}

TEST(TimeWeightedGauge, MeanAtStartIsTheCurrentValue) {
  TimeWeightedGauge g(100);
  EXPECT_EQ(g.mean(100), 0.0);
  g.set(100, 7);
  EXPECT_EQ(g.mean(100), 7.0);
  EXPECT_EQ(g.integral(100), 0.0L);
}

TEST(TimeWeightedGauge, MeasuresFromItsStart) {
  TimeWeightedGauge g(1'000);
  g.set(1'010, 2);
  // Half of [1000, 1020] at 0, half at 2.
  EXPECT_DOUBLE_EQ(g.mean(1'020), 1.0);
  EXPECT_EQ(g.integral(1'020), 20.0L);
}

TEST(TimeWeightedGauge, AddTracksDepthAndExtremes) {
  TimeWeightedGauge g;
  g.add(0, 3);   // 3 over [0, 5)
  g.add(5, -5);  // -2 over [5, 10)
  g.add(10, 1);  // -1 over [10, 20)
  EXPECT_EQ(g.value(), -1);
  EXPECT_EQ(g.min(), -2);
  EXPECT_EQ(g.max(), 3);
  EXPECT_EQ(g.integral(20), 15.0L - 10.0L - 10.0L);
  EXPECT_DOUBLE_EQ(g.mean(20), -5.0 / 20);
}

TEST(TimeWeightedGauge, ZeroLengthSpikeCountsInMaxButNotInMean) {
  TimeWeightedGauge g;
  g.set(10, 1'000);
  g.set(10, 1);
  EXPECT_EQ(g.max(), 1'000);
  EXPECT_DOUBLE_EQ(g.mean(20), 0.5);
}

TEST(TimeWeightedGauge, InitialValueHoldsUntilTheFirstSet) {
  TimeWeightedGauge g(0, 5);
  EXPECT_DOUBLE_EQ(g.mean(10), 5.0);
  EXPECT_EQ(g.min(), 5);
  EXPECT_EQ(g.max(), 5);
}

TEST(TimeWeightedGauge, IntegralIsExactBeyondSixtyFourBits) {
  TimeWeightedGauge g;
  g.set(0, std::int64_t{1} << 62);
  EXPECT_EQ(g.integral(1 << 10), std::ldexp(1.0L, 72));
  EXPECT_DOUBLE_EQ(g.mean(1 << 10), std::ldexp(1.0, 62));
}

TEST(TimeWeightedGauge, AppendEqualsOneContinuousGauge) {
  TimeWeightedGauge first(0, 0);
  first.set(5, 2);
  TimeWeightedGauge second(10, 2);
  second.set(15, 6);
  first.append(second);

  TimeWeightedGauge whole;
  whole.set(5, 2);
  whole.set(15, 6);
  EXPECT_EQ(first.integral(20), whole.integral(20));
  EXPECT_EQ(first.integral(20), 50.0L);
  EXPECT_EQ(first.mean(20), whole.mean(20));
  EXPECT_EQ(first.value(), 6);
  EXPECT_EQ(first.max(), 6);
  EXPECT_EQ(first.min(), 0);
}

}  // namespace
}  // namespace sluice
