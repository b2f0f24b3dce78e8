#include "reports/bar_charts.h"

#include <algorithm>
#include <cmath>

#include "reports/number_format.h"
#include "reports/svg_frame.h"
#include "reports/svg_path.h"
#include "reports/xml_escape.h"

namespace sluice::reports {

std::string render_bar_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                             const std::vector<Bar>& bars, double x_max, double tick_scale) {
  Frame f;
  f.title = title;
  f.x_label = x_label;
  f.y_label = y_label;
  f.y_grid = false;
  f.x_grid = true;
  double widest = 0;
  for (const Bar& b : bars) widest = std::max(widest, text_width(b.label));
  f.left = std::clamp(widest + 16, 80.0, 260.0);
  f.right = kPlotRight - 40;  // room for the value at the end of a full bar
  constexpr double kRow = 24, kBarHeight = 14;
  f.top = kTitleBand + 4;
  f.bottom = f.top + kRow * static_cast<double>(std::max<std::size_t>(bars.size(), 1));
  if (!(x_max > 0)) x_max = 1;
  Scale x{0, x_max, f.left, f.right, false};
  std::vector<Tick> ticks = linear_ticks(0, x_max * tick_scale, 5);
  f.x_ticks = placed(ticks, x, 1 / tick_scale);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    f.y_ticks.emplace_back(f.top + kRow * (static_cast<double>(i) + 0.5), bars[i].label);
  }
  std::string out = frame_open(f);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    double y0 = f.top + kRow * static_cast<double>(i) + (kRow - kBarHeight) / 2;
    double w = std::max(x(std::clamp(b.value, 0.0, x_max)) - f.left, b.value > 0 ? 1.0 : 0.0);
    if (b.segments.empty()) {
      out += "<rect class=\"" + b.css + "\" x=\"" + svg_number(f.left) + "\" y=\"" + svg_number(y0) + "\" width=\"" +
             svg_number(w) + "\" height=\"" + svg_number(kBarHeight) + "\"><title>" + xml_escape(b.title) +
             "</title></rect>";
    }
    double at = 0;
    for (const BarSegment& seg : b.segments) {
      const double x0 = x(std::clamp(at, 0.0, x_max)), x1 = x(std::clamp(at + seg.value, 0.0, x_max));
      at += seg.value;
      if (x1 <= x0) continue;
      out += "<rect class=\"" + seg.css + "\" x=\"" + svg_number(x0) + "\" y=\"" + svg_number(y0) + "\" width=\"" +
             svg_number(x1 - x0) + "\" height=\"" + svg_number(kBarHeight) + "\"><title>" + xml_escape(seg.title) +
             "</title></rect>";
    }
    out += "<text class=\"bar-value\" x=\"" + svg_number(f.left + w + 5) + "\" y=\"" + svg_number(y0 + 11) + "\">" +
           xml_escape(b.value_label) + "</text>";
  }
  return out + frame_close(f);
}

std::vector<HistogramBin> histogram_bins(const std::vector<double>& values, const std::vector<bool>& failed,
                                         int max_bins, bool integer_valued) {
  std::vector<HistogramBin> bins;
  if (values.empty()) return bins;
  auto [lo_it, hi_it] = std::minmax_element(values.begin(), values.end());
  double lo = *lo_it, hi = *hi_it;
  double step = nice_step((hi - lo) / std::max(max_bins, 1));
  if (integer_valued) step = std::max(step, 1.0);
  double first = std::floor(lo / step) * step;
  // Integer data binned one value per bin are centred on their value.
  if (integer_valued && step == 1) first -= 0.5;
  std::size_t count = static_cast<std::size_t>(std::floor((hi - first) / step)) + 1;
  for (std::size_t i = 0; i < count; ++i) {
    double edge = first + step * static_cast<double>(i);
    bins.push_back({edge, edge + step, 0, 0});
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::size_t k = std::min(count - 1, static_cast<std::size_t>(std::floor((values[i] - first) / step)));
    bool is_failed = i < failed.size() && failed[i];
    (is_failed ? bins[k].failed : bins[k].ok) += 1;
  }
  return bins;
}

std::string render_histogram(const std::string& title, const std::string& x_label, const std::string& y_label,
                             const std::vector<HistogramBin>& bins, bool integer_ticks) {
  Frame f;
  f.title = title;
  f.x_label = x_label;
  f.y_label = y_label;
  f.legend = {{LegendItem::band, "passing seeds", "hist-ok"}, {LegendItem::band, "failing seeds", "hist-fail"}};
  f.top = kTitleBand + kLegendRow + 4;
  f.bottom = f.top + 160;
  double lo = bins.empty() ? 0 : bins.front().lo, hi = bins.empty() ? 1 : bins.back().hi;
  double tallest = 1;
  for (const HistogramBin& b : bins) tallest = std::max(tallest, b.ok + b.failed);
  tallest *= 1.08;  // headroom, so the tallest bar does not touch the frame
  double y_step = nice_step(tallest / 4);
  Scale x{lo, hi, f.left, f.right, false};
  Scale y{0, std::max(1.0, std::ceil(tallest / y_step - 1e-9) * y_step), f.bottom, f.top, false};
  std::vector<Tick> x_ticks = linear_ticks(lo, hi, 8);
  if (integer_ticks) {
    std::erase_if(x_ticks, [](const Tick& t) { return t.value != std::floor(t.value); });
  }
  f.x_ticks = placed(x_ticks, x);
  f.y_ticks = placed(linear_ticks(y.d0, y.d1, 4), y);
  std::string out = frame_open(f);
  for (const HistogramBin& b : bins) {
    double x0 = x(b.lo) + 0.5, w = std::max(x(b.hi) - x(b.lo) - 1, 1.0);
    std::string tip = "<title>" + xml_escape(format_number(b.lo) + " to " + format_number(b.hi) + ": " +
                                             format_count(b.ok + b.failed) + " seeds, " + format_count(b.failed) +
                                             " failing") + "</title>";
    double ok_top = y(b.ok), all_top = y(b.ok + b.failed);
    if (b.ok > 0) {
      out += "<rect class=\"band hist-ok\" x=\"" + svg_number(x0) + "\" y=\"" + svg_number(ok_top) + "\" width=\"" +
             svg_number(w) + "\" height=\"" + svg_number(f.bottom - ok_top) + "\">" + tip + "</rect>";
    }
    if (b.failed > 0) {
      out += "<rect class=\"band hist-fail\" x=\"" + svg_number(x0) + "\" y=\"" + svg_number(all_top) +
             "\" width=\"" + svg_number(w) + "\" height=\"" + svg_number(ok_top - all_top) + "\">" + tip + "</rect>";
    }
  }
  return out + frame_close(f);
}

}  // namespace sluice::reports
