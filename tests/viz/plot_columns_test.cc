#include "visualizer/plot_columns.h"

#include <gtest/gtest.h>

namespace sluice::viz {
namespace {

TEST(PlotColumns, MergesNarrowBucketsKeepingExtremes) {
  // 100 buckets of 10ns over 100 pixels: 1 px each, merged into 4-px columns.
  std::vector<Nanos> t;
  std::vector<double> lo, hi, mid;
  for (int i = 0; i < 100; ++i) {
    t.push_back(i * 10);
    lo.push_back(i);
    hi.push_back(i == 37 ? 1000 : i + 1);  // a spike in one bucket
    mid.push_back(i + 0.5);
  }
  TimeView view;
  view.set_extent(1000);
  view.fit();
  std::vector<std::size_t> runs;
  const auto columns = plot_columns(BucketValues{&t, 10, 1000, &lo, &hi, &mid, nullptr}, view, 0, 100, 4.0, &runs);
  ASSERT_EQ(columns.size(), 25u);
  EXPECT_EQ(runs, std::vector<std::size_t>{0});
  EXPECT_DOUBLE_EQ(columns[0].x0, 0);
  EXPECT_DOUBLE_EQ(columns[0].x1, 4);
  EXPECT_DOUBLE_EQ(columns[0].lo, 0);
  EXPECT_DOUBLE_EQ(columns[0].hi, 4);
  EXPECT_DOUBLE_EQ(columns[0].mid, 2.0);  // mean of 0.5, 1.5, 2.5, 3.5
  EXPECT_DOUBLE_EQ(columns[9].hi, 1000);  // buckets 36..39 hold the spike
}

TEST(PlotColumns, WideBucketsStayOneColumnEachAndClipToTheView) {
  // Times in microseconds: a view is never narrower than TimeView::kMinSpan.
  std::vector<Nanos> t = {0, 100'000, 200'000, 300'000};
  std::vector<double> v = {1, 2, 3, 4};
  TimeView view;
  view.set_extent(400'000);
  view.show(150'000, 250'000);
  const auto columns = plot_columns(BucketValues{&t, 100'000, 400'000, &v, &v, &v, nullptr}, view, 10, 100, 2.0);
  ASSERT_EQ(columns.size(), 2u);  // buckets 1 and 2 overlap [150, 250]
  EXPECT_DOUBLE_EQ(columns[0].x0, 10);   // clipped at the plot's left edge
  EXPECT_DOUBLE_EQ(columns[0].x1, 60);
  EXPECT_DOUBLE_EQ(columns[1].x1, 110);  // and at its right edge
  EXPECT_DOUBLE_EQ(columns[1].mid, 3);
}

TEST(PlotColumns, EmptyBucketsSplitRuns) {
  std::vector<Nanos> t = {0, 10'000, 20'000, 30'000, 40'000};
  std::vector<double> v = {1, 2, 3, 4, 5};
  std::vector<double> weight = {1, 1, 0, 1, 1};
  TimeView view;
  view.set_extent(50'000);
  view.fit();
  std::vector<std::size_t> runs;
  const auto columns = plot_columns(BucketValues{&t, 10'000, 50'000, &v, &v, &v, &weight}, view, 0, 50, 1.0, &runs);
  ASSERT_EQ(columns.size(), 4u);
  EXPECT_EQ(runs, (std::vector<std::size_t>{0, 2}));
  EXPECT_DOUBLE_EQ(columns[2].mid, 4);
}

TEST(PlotColumns, NothingToDraw) {
  std::vector<Nanos> t;
  std::vector<double> v;
  TimeView view;
  EXPECT_TRUE(plot_columns(BucketValues{&t, 10, 0, &v, &v, &v, nullptr}, view, 0, 100, 2).empty());
  EXPECT_TRUE(plot_columns(BucketValues{}, view, 0, 100, 2).empty());
}

}  // namespace
}  // namespace sluice::viz
