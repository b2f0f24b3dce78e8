// The checked arithmetic behind scenario times and sampled delays.
#include "core/time.h"

#include <gtest/gtest.h>

#include <limits>

namespace sluice {
namespace {

TEST(Time, NanosFromDoubleClampsWhatNanosCannotHold) {
  EXPECT_EQ(nanos_from_double(1234.9), 1234);
  EXPECT_EQ(nanos_from_double(-5.5), -5);  // in range: truncation, as before
  EXPECT_EQ(nanos_from_double(1e30), kMaxDuration);
  EXPECT_EQ(nanos_from_double(std::numeric_limits<double>::infinity()), kMaxDuration);
  EXPECT_EQ(nanos_from_double(-1e30), -kMaxDuration);
  EXPECT_EQ(nanos_from_double(std::numeric_limits<double>::quiet_NaN()), 0);
}

TEST(Time, SaturatingAddStopsAtNever) {
  EXPECT_EQ(saturating_add(5, 7), 12);
  EXPECT_EQ(saturating_add(kNever - 1, 1), kNever);
  EXPECT_EQ(saturating_add(kNever - 1, 2), kNever);
  EXPECT_EQ(saturating_add(9 * kMaxDuration, kMaxDuration), kNever);
  EXPECT_EQ(saturating_add(kMaxDuration, kMaxDuration), 2 * kMaxDuration);
}

}  // namespace
}  // namespace sluice
