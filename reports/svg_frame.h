// The frame every report chart shares: title, legend, grid, axes with tick
// marks and tick labels, and axis labels with units. A chart draws its data
// between frame_open() and frame_close().
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "reports/svg_scale.h"

namespace sluice::reports {

inline constexpr double kChartWidth = 800;
// Every time chart has the same plot edges, so time axes line up down the page.
inline constexpr double kPlotLeft = 68, kPlotRight = 784;
inline constexpr double kTitleBand = 28, kLegendRow = 16, kBottomBand = 46;

// The width of `text` at the charts' 11 px font, estimated (no font metrics offline).
double text_width(const std::string& text);

// One legend entry: a swatch drawn like the thing it names, and a label.
struct LegendItem {
  enum Kind { line, band, dashed, span, marker } kind;
  std::string label, css;
};

// The plot box, its ticks (pixel position and label) and labels.
struct Frame {
  std::string title, x_label, y_label;
  double width = kChartWidth;
  double left = kPlotLeft, right = kPlotRight;
  double top = kTitleBand, bottom = kTitleBand;  // each chart sets its plot height
  std::vector<std::pair<double, std::string>> x_ticks, y_ticks;
  bool x_grid = false, y_grid = true;
  std::string data_attributes;  // for the hover script
  std::vector<LegendItem> legend;
};

// How many legend rows the items need between the plot's left and right edges.
int legend_rows(const std::vector<LegendItem>& items, double left, double right);
// <svg>, title, legend and grid: drawn before the data.
std::string frame_open(const Frame& f);
// Axes, ticks and axis labels over the data, then `extra`, then </svg>.
std::string frame_close(const Frame& f, const std::string& extra = "");
// Ticks placed in pixels; tick values are in display units, `unit` of the scale's domain each.
std::vector<std::pair<double, std::string>> placed(const std::vector<Tick>& ticks, const Scale& s, double unit = 1);

}  // namespace sluice::reports
