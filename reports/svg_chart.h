// Time-series charts for the reports: inline SVG with axes, nice ticks and
// labelled units, lines and min/max bands, spans, markers and a legend.
// Colours come from CSS classes (html_page.cc), so the SVG stays small and
// one stylesheet themes every chart.
//
// Time series are drawn from buckets and merged down to at most one column per
// horizontal pixel, keeping each column's min and max, so a spike lasting one
// bucket survives however long the run.
#pragma once

#include <string>
#include <vector>

#include "reports/svg_scale.h"

namespace sluice::reports {

// One bucket [t0_ns, t1_ns) of a time series, in display units (events,
// events/s, ms). A bucket without data (e.g. no latency samples) is a gap.
struct Bucket {
  double t0_ns = 0, t1_ns = 0;
  double min = 0, max = 0, mean = 0;
  bool has_data = true;
};

// Buckets merged into one pixel column of a chart.
struct Column {
  double x0 = 0, x1 = 0;  // pixels
  double min = 0, max = 0, mean = 0;
  bool min_first = true;  // the minimum came before the maximum
  bool merged = false;    // more than one bucket with data
  bool has_data = false;
};

// The unit a time axis is labelled in, picked from the span it covers.
struct TimeUnit {
  const char* name;
  double ns;
};
TimeUnit time_unit_for(double span_ns);

// Merges consecutive buckets whose centres fall into the same pixel of `x`
// (a Scale over nanoseconds). Min and max are kept exactly, the mean is
// weighted by duration; buckets without data only widen a column.
std::vector<Column> downsample(const std::vector<Bucket>& buckets, const Scale& x);

enum class LineMode {
  mean,      // one point per column at its mean (for a gauge's average)
  envelope,  // a merged column draws its min and max, in time order (spikes stay)
  bridged,   // like envelope, but a line across buckets without data (percentiles: a line, not dots)
};

// A chart of series over virtual time [0, end_ns).
class TimeChart {
 public:
  TimeChart(std::string title, std::string y_label, double end_ns);

  void log_y(bool on) { log_y_ = on; }
  // The y axis reaches at least this (e.g. a capacity of 0 still shows 0..1).
  void y_at_least(double value) { y_floor_top_ = value; }
  void band(std::string label, std::string css, std::vector<Bucket> buckets);
  void line(std::string label, std::string css, std::vector<Bucket> buckets, LineMode mode);
  // A horizontal reference line, e.g. a queue's capacity.
  void hline(std::string label, std::string css, double value);
  // A shaded time span (a fault), with a hover title; an instant gets 2 px.
  void span(std::string legend, std::string css, double t0_ns, double t1_ns, std::string title);
  // A vertical marker at an instant (a checkpoint).
  void marker(std::string legend, std::string css, double t_ns, std::string title);
  // Shown in the plot area, e.g. "no events were shed".
  void note(std::string text) { note_ = std::move(text); }
  // Shown at the top right of the plot, e.g. "spike clipped: 10,000/s at 12.0 s".
  void corner_note(std::string text) { corner_note_ = std::move(text); }

  std::string render() const;

 private:
  struct Series {
    enum Kind { band, line } kind;
    std::string label, css;
    std::vector<Bucket> buckets;
    LineMode mode;
  };
  struct Mark {
    std::string legend, css, title;
    double t0_ns, t1_ns;
    bool is_span;
  };
  struct HLine {
    std::string label, css;
    double value;
  };

  Scale y_scale(double top, double bottom) const;
  std::string render_series(const Series& s, const Scale& x, const Scale& y) const;
  std::string render_marks(const Scale& x, double top, double bottom) const;

  std::string title_, y_label_;
  double end_ns_;
  bool log_y_ = false;
  double y_floor_top_ = 0;
  std::vector<Series> series_;
  std::vector<Mark> marks_;
  std::vector<HLine> hlines_;
  std::string note_;
  std::string corner_note_;
};

}  // namespace sluice::reports
