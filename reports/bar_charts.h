// Bar charts for the reports: horizontal bars per category (stage busy
// fraction) and stacked histograms (a metric across the seeds of a sweep).
#pragma once

#include <string>
#include <vector>

namespace sluice::reports {

// One part of a stacked bar (a stage's busy, blocked and idle shares).
struct BarSegment {
  double value;
  std::string css;
  std::string title;
};
// Horizontal bars, one per category, on a numeric x axis from 0.
struct Bar {
  std::string label;
  double value;
  std::string css;          // e.g. "bar", "bar hot"
  std::string title;        // hover text
  std::string value_label;  // printed at the end of the bar
  std::vector<BarSegment> segments = {};  // when given, drawn end to end instead of one bar of `value`
};
// Tick labels read `tick_scale` times the value (100 for fractions shown in %).
std::string render_bar_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                             const std::vector<Bar>& bars, double x_max, double tick_scale = 1.0);

// A histogram: vertical bins over a numeric axis, each split into a passing
// and a failing part (stacked), e.g. max queue depth across the seeds of a sweep.
struct HistogramBin {
  double lo, hi;
  double ok, failed;
};
// Bins covering the values with nice edges; integer-valued data get integer edges.
std::vector<HistogramBin> histogram_bins(const std::vector<double>& values, const std::vector<bool>& failed,
                                         int max_bins, bool integer_valued);
std::string render_histogram(const std::string& title, const std::string& x_label, const std::string& y_label,
                             const std::vector<HistogramBin>& bins, bool integer_ticks);

}  // namespace sluice::reports
