#include "reports/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "reports/svg_frame.h"
#include "reports/svg_path.h"
#include "reports/xml_escape.h"

namespace sluice::reports {

TimeUnit time_unit_for(double span_ns) {
  if (span_ns < 2e6) return {"\u00b5s", 1e3};
  if (span_ns < 2e9) return {"ms", 1e6};
  if (span_ns < 7200e9) return {"s", 1e9};
  if (span_ns < 48 * 3600e9) return {"min", 60e9};
  return {"h", 3600e9};
}

std::vector<Column> downsample(const std::vector<Bucket>& buckets, const Scale& x) {
  std::vector<Column> columns;
  long long current_pixel = std::numeric_limits<long long>::min();
  double weight = 0, weighted_sum = 0, min_at = 0, max_at = 0;
  for (const Bucket& b : buckets) {
    long long pixel = static_cast<long long>(std::floor(x((b.t0_ns + b.t1_ns) / 2)));
    if (columns.empty() || pixel != current_pixel) {
      columns.push_back(Column{x(b.t0_ns), x(b.t1_ns), 0, 0, 0, true, false, false});
      current_pixel = pixel;
      weight = weighted_sum = 0;
    }
    Column& c = columns.back();
    c.x1 = x(b.t1_ns);
    if (!b.has_data) continue;
    double duration = std::max(b.t1_ns - b.t0_ns, 1e-9);
    if (!c.has_data) {
      c.min = b.min;
      c.max = b.max;
      min_at = max_at = b.t0_ns;
      c.has_data = true;
    } else {
      c.merged = true;
      if (b.min < c.min) {
        c.min = b.min;
        min_at = b.t0_ns;
      }
      if (b.max > c.max) {
        c.max = b.max;
        max_at = b.t0_ns;
      }
    }
    weight += duration;
    weighted_sum += duration * b.mean;
    c.mean = weighted_sum / weight;
    c.min_first = min_at <= max_at;
  }
  return columns;
}

namespace {

constexpr double kPlotHeight = 200;

// Where a column is drawn: its two edges when it is wide, its centre otherwise.
template <typename Emit>
void column_points(const Column& c, Emit&& emit, bool forward) {
  if (c.x1 - c.x0 >= 2) {
    emit(forward ? c.x0 : c.x1);
    emit(forward ? c.x1 : c.x0);
  } else {
    emit((c.x0 + c.x1) / 2);
  }
}

// One closed outline per run of columns with data: the maxima left to right,
// then the minima back.
std::string band_path(const std::vector<Column>& columns, const Scale& y) {
  PathData d;
  std::size_t i = 0;
  while (i < columns.size()) {
    if (!columns[i].has_data) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < columns.size() && columns[end].has_data) ++end;
    bool first = true;
    for (std::size_t k = i; k < end; ++k) {
      double py = y(columns[k].max);
      column_points(columns[k], [&](double px) {
        if (first) d.move_to(px, py);
        else d.line_to(px, py);
        first = false;
      }, true);
    }
    for (std::size_t k = end; k-- > i;) {
      double py = y(columns[k].min);
      column_points(columns[k], [&](double px) { d.line_to(px, py); }, false);
    }
    d.close();
    i = end;
  }
  return d.str();
}

// One subpath per run of columns with data (gaps stay gaps); a lone point is a dot.
std::string line_path(const std::vector<Column>& columns, const Scale& y, LineMode mode) {
  PathData d;
  std::size_t points_in_run = 0;
  auto add = [&](double px, double value) {
    if (points_in_run == 0) d.move_to(px, y(value));
    else d.line_to(px, y(value));
    ++points_in_run;
  };
  auto end_run = [&] {
    if (points_in_run == 1) d.dot();
    points_in_run = 0;
  };
  for (const Column& c : columns) {
    if (!c.has_data) {
      if (mode != LineMode::bridged) end_run();
      continue;
    }
    double px = (c.x0 + c.x1) / 2;
    if ((mode == LineMode::envelope || mode == LineMode::bridged) && c.min != c.max) {
      add(px, c.min_first ? c.min : c.max);
      add(px, c.min_first ? c.max : c.min);
    } else {
      add(px, mode == LineMode::mean ? c.mean : c.max);
    }
  }
  end_run();
  return d.str();
}

}  // namespace

TimeChart::TimeChart(std::string title, std::string y_label, double end_ns)
    : title_(std::move(title)), y_label_(std::move(y_label)), end_ns_(end_ns > 0 ? end_ns : 1) {}

void TimeChart::band(std::string label, std::string css, std::vector<Bucket> buckets) {
  series_.push_back({Series::band, std::move(label), std::move(css), std::move(buckets), LineMode::mean});
}

void TimeChart::line(std::string label, std::string css, std::vector<Bucket> buckets, LineMode mode) {
  series_.push_back({Series::line, std::move(label), std::move(css), std::move(buckets), mode});
}

void TimeChart::hline(std::string label, std::string css, double value) {
  hlines_.push_back({std::move(label), std::move(css), value});
}

void TimeChart::span(std::string legend, std::string css, double t0_ns, double t1_ns, std::string title) {
  marks_.push_back({std::move(legend), std::move(css), std::move(title), t0_ns, t1_ns, true});
}

void TimeChart::marker(std::string legend, std::string css, double t_ns, std::string title) {
  marks_.push_back({std::move(legend), std::move(css), std::move(title), t_ns, t_ns, false});
}

Scale TimeChart::y_scale(double top, double bottom) const {
  double lo = 0, hi = y_floor_top_, lowest_positive = std::numeric_limits<double>::infinity();
  for (const Series& s : series_) {
    for (const Bucket& b : s.buckets) {
      if (!b.has_data) continue;
      hi = std::max(hi, b.max);
      lo = std::min(lo, b.min);
      for (double v : {b.min, b.mean, b.max}) {
        if (v > 0) lowest_positive = std::min(lowest_positive, v);
      }
    }
  }
  // Headroom, so a reference line never sits on the top edge of the plot.
  for (const HLine& h : hlines_) hi = std::max(hi, h.value * 1.08);
  if (log_y_ && std::isfinite(lowest_positive) && hi > 0) {
    double lo = std::pow(10.0, std::floor(std::log10(lowest_positive)));
    double top_value = std::pow(10.0, std::ceil(std::log10(hi)));
    if (top_value <= lo) top_value = lo * 10;
    return Scale{lo, top_value, bottom, top, true};
  }
  if (!(hi > 0) || !std::isfinite(hi)) hi = 1;
  if (!std::isfinite(lo)) lo = 0;
  double step = nice_step((hi - lo) / 5);
  return Scale{std::floor(lo / step + 1e-9) * step, std::ceil(hi / step - 1e-9) * step, bottom, top, false};
}

std::string TimeChart::render_series(const Series& s, const Scale& x, const Scale& y) const {
  std::vector<Column> columns = downsample(s.buckets, x);
  std::string label = " data-label=\"" + xml_attr(s.label) + "\"";
  if (s.kind == Series::band) {
    return "<path class=\"band " + s.css + "\"" + label + " d=\"" + band_path(columns, y) + "\"/>";
  }
  return "<path class=\"line " + s.css + "\"" + label + " d=\"" + line_path(columns, y, s.mode) + "\"/>";
}

std::string TimeChart::render_marks(const Scale& x, double top, double bottom) const {
  std::string out;
  for (const Mark& m : marks_) {
    double x0 = x(std::clamp(m.t0_ns, 0.0, end_ns_)), x1 = x(std::clamp(m.t1_ns, 0.0, end_ns_));
    std::string title = "<title>" + xml_escape(m.title) + "</title>";
    if (m.is_span) {
      double w = std::max(x1 - x0, 2.0);
      out += "<rect class=\"span " + m.css + "\" x=\"" + svg_number(std::min(x0, kPlotRight - w)) + "\" y=\"" +
             svg_number(top) + "\" width=\"" + svg_number(w) + "\" height=\"" + svg_number(bottom - top) + "\">" +
             title + "</rect>";
    } else {
      out += "<path class=\"marker " + m.css + "\" d=\"M" + svg_number(x0) + ' ' + svg_number(top) + 'V' +
             svg_number(bottom) + "\">" + title + "</path>";
    }
  }
  return out;
}

std::string TimeChart::render() const {
  Frame f;
  f.title = title_;
  f.y_label = y_label_;
  TimeUnit unit = time_unit_for(end_ns_);
  f.x_label = std::string("virtual time (") + unit.name + ")";
  for (const Series& s : series_) {
    f.legend.push_back({s.kind == Series::band ? LegendItem::band : LegendItem::line, s.label, s.css});
  }
  for (const HLine& h : hlines_) f.legend.push_back({LegendItem::dashed, h.label, h.css});
  for (const Mark& m : marks_) {
    bool seen = std::any_of(f.legend.begin(), f.legend.end(),
                            [&](const LegendItem& item) { return item.label == m.legend; });
    if (!seen) f.legend.push_back({m.is_span ? LegendItem::span : LegendItem::marker, m.legend, m.css});
  }
  f.top = kTitleBand + legend_rows(f.legend, f.left, f.right) * kLegendRow + 4;
  f.bottom = f.top + kPlotHeight;

  Scale x{0, end_ns_, f.left, f.right, false};
  Scale y = y_scale(f.top, f.bottom);
  f.x_ticks = placed(linear_ticks(0, end_ns_ / unit.ns, 8), x, unit.ns);
  f.y_ticks = placed(y.log ? log_ticks(y.d0, y.d1) : linear_ticks(y.d0, y.d1, 5), y);
  f.data_attributes = " data-plot=\"" + svg_number(f.left) + ' ' + svg_number(f.top) + ' ' + svg_number(f.right) +
                      ' ' + svg_number(f.bottom) + "\" data-x=\"0 " + std::to_string(end_ns_ / unit.ns) + ' ' +
                      unit.name + "\" data-y=\"" + std::to_string(y.d0) + ' ' + std::to_string(y.d1) +
                      (y.log ? " log" : " lin") + "\"";

  std::string out = frame_open(f);
  out += render_marks(x, f.top, f.bottom);  // spans sit behind the data
  for (const Series& s : series_) {
    if (s.kind == Series::band) out += render_series(s, x, y);
  }
  for (const HLine& h : hlines_) {
    out += "<path class=\"hline " + h.css + "\" d=\"M" + svg_number(f.left) + ' ' + svg_number(y(h.value)) + 'H' +
           svg_number(f.right) + "\"/>";
  }
  for (const Series& s : series_) {
    if (s.kind == Series::line) out += render_series(s, x, y);
  }
  if (!note_.empty()) {
    out += "<text class=\"note\" x=\"" + svg_number((f.left + f.right) / 2) + "\" y=\"" +
           svg_number((f.top + f.bottom) / 2) + "\">" + xml_escape(note_) + "</text>";
  }
  if (!corner_note_.empty()) {
    out += "<text class=\"clip-note\" text-anchor=\"end\" x=\"" + svg_number(f.right - 4) + "\" y=\"" +
           svg_number(f.top + 12) + "\">" + xml_escape(corner_note_) + "</text>";
  }
  std::string cursor = "<path class=\"cursor\" d=\"M0 " + svg_number(f.top) + 'V' + svg_number(f.bottom) + "\"/>";
  return out + frame_close(f, cursor);
}

}  // namespace sluice::reports
