#include "visualizer/time_view.h"

#include <gtest/gtest.h>

namespace sluice::viz {
namespace {

TEST(TimeView, FitsTheExtentAndFollowsItWhileFitted) {
  TimeView view;
  view.set_extent(10 * kNanosPerSecond);
  view.fit();
  EXPECT_EQ(view.begin(), 0);
  EXPECT_EQ(view.end(), 10 * kNanosPerSecond);
  view.set_extent(20 * kNanosPerSecond);  // a live run grows
  EXPECT_EQ(view.end(), 20 * kNanosPerSecond);
}

TEST(TimeView, AZoomedViewStaysPutWhenTheExtentGrows) {
  TimeView view;
  view.set_extent(100);
  view.set_extent(10 * kNanosPerSecond);
  view.show(kNanosPerSecond, 2 * kNanosPerSecond);
  view.set_extent(20 * kNanosPerSecond);
  EXPECT_EQ(view.begin(), kNanosPerSecond);
  EXPECT_EQ(view.end(), 2 * kNanosPerSecond);
}

TEST(TimeView, ZoomKeepsTheAnchorAtItsPixel) {
  TimeView view;
  view.set_extent(1000 * kNanosPerSecond);
  view.fit();
  const Nanos anchor = 250 * kNanosPerSecond;
  const double x_before = view.to_x(anchor, 0, 1000);
  view.zoom(0.5, anchor);
  EXPECT_EQ(view.span(), 500 * kNanosPerSecond);
  EXPECT_NEAR(view.to_x(anchor, 0, 1000), x_before, 1e-6);
}

TEST(TimeView, ZoomAndPanStayInsideTheData) {
  TimeView view;
  view.set_extent(10 * kNanosPerSecond);
  view.fit();
  view.zoom(4.0, 0);
  EXPECT_EQ(view.begin(), 0);
  EXPECT_EQ(view.end(), 10 * kNanosPerSecond);
  view.zoom(1e-12, 5 * kNanosPerSecond);
  EXPECT_EQ(view.span(), TimeView::kMinSpan);
  view.pan(-100 * kNanosPerSecond);
  EXPECT_EQ(view.begin(), 0);
  view.pan(100 * kNanosPerSecond);
  EXPECT_EQ(view.end(), 10 * kNanosPerSecond);
}

TEST(TimeView, PixelsAndTimesMapBothWays) {
  TimeView view;
  view.set_extent(2000);
  view.show(1000, 2000);
  EXPECT_DOUBLE_EQ(view.to_x(1500, 100, 200), 200.0);
  EXPECT_EQ(view.to_time(200, 100, 200), 1500);
  EXPECT_EQ(view.to_time(100, 100, 200), 1000);
}

TEST(TimeView, RevealPansJustEnough) {
  TimeView view;
  view.set_extent(100 * kNanosPerSecond);
  view.show(0, 10 * kNanosPerSecond);
  view.reveal(5 * kNanosPerSecond);
  EXPECT_EQ(view.begin(), 0);
  view.reveal(30 * kNanosPerSecond);
  EXPECT_GT(view.end(), 30 * kNanosPerSecond);
  EXPECT_EQ(view.span(), 10 * kNanosPerSecond);
}

TEST(TimeTicks, PicksRoundSteps) {
  Ticks ticks = time_ticks(0, 10 * kNanosPerSecond, 10);
  EXPECT_EQ(ticks.step, kNanosPerSecond);
  ASSERT_EQ(ticks.at.size(), 11u);
  EXPECT_EQ(ticks.at.front(), 0);
  ticks = time_ticks(1'234, 9'876, 5);
  EXPECT_EQ(ticks.step, 2'000);
  EXPECT_EQ(ticks.at.front(), 2'000);
  ticks = time_ticks(0, 3600 * kNanosPerSecond, 8);
  EXPECT_EQ(ticks.step, 900 * kNanosPerSecond);
  ticks = time_ticks(0, 12LL * 86400 * kNanosPerSecond, 6);
  EXPECT_EQ(ticks.step % (86400 * kNanosPerSecond), 0);
  EXPECT_LE(ticks.at.size(), 7u);
}

TEST(FormatTime, ReadsLikeAClock) {
  EXPECT_EQ(format_time(12'345'000'000, kNanosPerMilli), "12.345s");
  EXPECT_EQ(format_time(840 * kNanosPerMilli, kNanosPerMilli), "840ms");
  EXPECT_EQ(format_time(245'300'000'000, 100 * kNanosPerMilli), "4m 05.3s");
  EXPECT_EQ(format_time(3 * 3600 * kNanosPerSecond + 4 * 60 * kNanosPerSecond + 5 * kNanosPerSecond, kNanosPerSecond),
            "3h 04m 05s");
  EXPECT_EQ(format_time(11LL * 86400 * kNanosPerSecond + 14 * 3600 * kNanosPerSecond, kNanosPerSecond),
            "11d 14h 00m 00s");
  EXPECT_EQ(format_time(59'990'000'000, 100 * kNanosPerMilli), "1m 00.0s");
  EXPECT_EQ(format_time(0, kNanosPerSecond), "0s");
}

TEST(FormatTime, CoarseResolutionsDropMeaninglessUnits) {
  const Nanos minute = 60 * kNanosPerSecond, hour = 60 * minute, day = 24 * hour;
  EXPECT_EQ(format_time(2 * day, day), "2d");
  EXPECT_EQ(format_time(2 * day + 3 * hour, 3 * hour), "2d 03h");
  EXPECT_EQ(format_time(6 * hour, 3 * hour), "6h");
  EXPECT_EQ(format_time(hour + 15 * minute, 15 * minute), "1h 15m");
  EXPECT_EQ(format_time(5 * minute, 5 * minute), "5m");
  EXPECT_EQ(format_time(day + 30 * minute, 30 * minute), "1d 00h 30m");
}

TEST(FormatSpanRateCount, Basics) {
  EXPECT_EQ(format_span(250'000), "250us");
  EXPECT_EQ(format_span(1'500'000'000), "1.5s");
  EXPECT_EQ(format_rate(0), "0/s");
  EXPECT_EQ(format_rate(83.88), "83.9/s");
  EXPECT_EQ(format_rate(12'345), "12.3k/s");
  EXPECT_EQ(format_count(11'000'002), "11,000,002");
  EXPECT_EQ(format_count(999), "999");
}

}  // namespace
}  // namespace sluice::viz
