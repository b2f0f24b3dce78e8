#include "reports/html_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <cctype>
#include <regex>
#include <sstream>

#include "reports/html_page.h"
#include "reports/number_format.h"
#include "reports/series_view.h"
#include "sim/catalog/fault_kind_catalog.h"
#include "reports/svg_chart.h"
#include "reports/svg_scale.h"
#include "reports/svg_path.h"
#include "reports/topology_svg.h"
#include "tests/reports/report_test_support.h"

namespace sluice {
namespace {

using nlohmann::json;
using test::SyntheticRun;
using test::XmlDocument;

std::string report_for(const SyntheticRun& r) {
  return render_run_report(test::synthetic_summary(r), test::synthetic_series(r));
}

// The charts of a document: <svg class="chart"> elements.
std::vector<int> charts(const XmlDocument& doc) { return doc.find("svg", "chart"); }

std::string chart_title(const XmlDocument& doc, int svg) {
  std::vector<int> titles = doc.find("text", "chart-title", svg);
  return titles.empty() ? "" : doc.text_of(titles[0]);
}

int chart_titled(const XmlDocument& doc, const std::string& title) {
  for (int svg : charts(doc)) {
    if (chart_title(doc, svg) == title) return svg;
  }
  return -1;
}

std::vector<double> numbers(const std::string& text) {
  std::vector<double> out;
  std::istringstream in(text);
  double v;
  while (in >> v) out.push_back(v);
  return out;
}

// The points of a path's `d` (M/L pairs, H/V, Z), as the hover script reads them.
std::vector<std::pair<double, double>> path_points(const std::string& d) {
  std::vector<std::pair<double, double>> out;
  std::regex token("[A-Za-z]|-?[0-9.]+");
  std::vector<std::string> tokens;
  for (auto it = std::sregex_iterator(d.begin(), d.end(), token); it != std::sregex_iterator(); ++it) {
    tokens.push_back(it->str());
  }
  char command = 'M';
  double x = 0, y = 0;
  for (std::size_t i = 0; i < tokens.size();) {
    if (std::isalpha(static_cast<unsigned char>(tokens[i][0]))) {
      command = tokens[i++][0];
      continue;
    }
    if (command == 'M' || command == 'L') {
      x = std::stod(tokens[i]);
      y = std::stod(tokens[i + 1]);
      i += 2;
    } else if (command == 'H') {
      x = std::stod(tokens[i++]);
    } else if (command == 'V') {
      y = std::stod(tokens[i++]);
    } else {
      ++i;
      continue;
    }
    out.emplace_back(x, y);
  }
  return out;
}

// The pixel y at which `value` sits on a time chart, from its data-* attributes.
double pixel_of(const XmlDocument& doc, int svg, double value) {
  std::vector<double> plot = numbers(doc.attribute(svg, "data-plot"));
  std::vector<double> y = numbers(doc.attribute(svg, "data-y"));
  return plot[3] - (value - y[0]) / (y[1] - y[0]) * (plot[3] - plot[1]);
}

TEST(HtmlReport, IsWellFormedXhtml) {
  SyntheticRun r;
  r.with_faults = true;
  r.with_checkpoints = true;
  std::string html = report_for(r);
  ASSERT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  XmlDocument doc(html);
  ASSERT_TRUE(doc.ok()) << doc.error();
  EXPECT_EQ(doc.at(doc.root()).name, "html");
  EXPECT_EQ(doc.find("head").size(), 1u);
  EXPECT_EQ(doc.find("body").size(), 1u);
  EXPECT_EQ(doc.find("meta").size() >= 1, true);
}

TEST(HtmlReport, FailingRunIsWellFormedToo) {
  SyntheticRun r;
  r.ok = false;
  XmlDocument doc(report_for(r));
  ASSERT_TRUE(doc.ok()) << doc.error();
}

TEST(HtmlReport, EveryChartHasTitleAxisLabelsWithUnitsAndTickLabels) {
  SyntheticRun r;
  r.with_faults = true;
  XmlDocument doc(report_for(r));
  ASSERT_TRUE(doc.ok()) << doc.error();
  std::vector<int> svgs = charts(doc);
  ASSERT_GE(svgs.size(), 7u);  // 3 depth charts, throughput, latency, busy fraction, sheds
  std::regex unit(".*\\((s|ms|\u00b5s|min|h|events|events/s|ms|% of worker time)\\)$");
  for (int svg : svgs) {
    std::string title = chart_title(doc, svg);
    SCOPED_TRACE(title);
    EXPECT_FALSE(title.empty());
    std::vector<int> labels = doc.find("text", "axis-label", svg);
    ASSERT_EQ(labels.size(), 2u);
    std::string x_label = doc.text_of(labels[0]);
    EXPECT_TRUE(std::regex_match(x_label, unit)) << x_label;
    if (!doc.attribute(svg, "data-x").empty()) {
      EXPECT_TRUE(std::regex_match(x_label, std::regex("virtual time \\((s|ms|\u00b5s|min|h)\\)"))) << x_label;
      EXPECT_TRUE(std::regex_match(doc.text_of(labels[1]), unit)) << doc.text_of(labels[1]);
    }
    std::vector<int> x_ticks = doc.find("g", "tx", svg);
    std::vector<int> y_ticks = doc.find("g", "ty", svg);
    ASSERT_EQ(x_ticks.size(), 1u);
    ASSERT_EQ(y_ticks.size(), 1u);
    EXPECT_GE(doc.find("text", "", x_ticks[0]).size(), 2u);
    EXPECT_GE(doc.find("text", "", y_ticks[0]).size(), 1u);
  }
}

TEST(HtmlReport, HasTheExpectedCharts) {
  SyntheticRun r;
  XmlDocument doc(report_for(r));
  ASSERT_TRUE(doc.ok()) << doc.error();
  for (const char* title : {"Throughput", "Latency percentiles", "Stage time: busy, blocked, idle", "Sheds"}) {
    EXPECT_GE(chart_titled(doc, title), 0) << title;
  }
  EXPECT_EQ(doc.find("svg", "topology").size(), 1u);
}

TEST(HtmlReport, OneDepthChartPerQueueWithBandMeanAndCapacityLine) {
  SyntheticRun r;
  r.queues = 4;
  XmlDocument doc(report_for(r));
  ASSERT_TRUE(doc.ok()) << doc.error();
  int depth_charts = 0;
  for (int svg : charts(doc)) depth_charts += chart_title(doc, svg).rfind("Queue depth: ", 0) == 0;
  EXPECT_EQ(depth_charts, 4);
  for (int q = 0; q < 4; ++q) {
    int svg = chart_titled(doc, "Queue depth: " + test::queue_name(q));
    ASSERT_GE(svg, 0) << q;
    std::vector<int> cap = doc.find("path", "cap", svg);
    ASSERT_EQ(cap.size(), 2u);  // the legend swatch and the line
    std::vector<std::pair<double, double>> line = path_points(doc.attribute(cap[1], "d"));
    ASSERT_EQ(line.size(), 2u);
    EXPECT_NEAR(line[0].second, pixel_of(doc, svg, 64.0 * (q + 1)), 0.06);
    EXPECT_EQ(doc.find("path", "band", svg).size(), 1u);
    EXPECT_EQ(doc.find("path", "line", svg).size(), 2u);  // legend + mean
  }
}

TEST(HtmlReport, FaultSpansAppearOnTimeChartsWhenGiven) {
  SyntheticRun r;
  r.with_faults = true;
  XmlDocument with(report_for(r));
  ASSERT_TRUE(with.ok()) << with.error();
  int svg = chart_titled(with, "Queue depth: q0");
  ASSERT_GE(svg, 0);
  for (const char* kind : {"f-crash", "f-partition", "f-slow", "f-pause"}) {
    // One span in the plot (with a hover title) and one legend swatch per kind.
    std::vector<int> spans = with.find("rect", kind, svg);
    ASSERT_EQ(spans.size(), 2u) << kind;
    EXPECT_FALSE(with.find("title", "", spans[1]).empty()) << kind;
  }
  std::vector<int> crash = with.find("rect", "f-crash", svg);
  EXPECT_NE(with.text_of(crash[1]).find("crash worker-1 at 40 s for 10 s"), std::string::npos)
      << with.text_of(crash[1]);
  // The span covers [40 s, 50 s) of a 200 s axis.
  std::vector<double> plot = numbers(with.attribute(svg, "data-plot"));
  double x0 = std::stod(with.attribute(crash[1], "x")), w = std::stod(with.attribute(crash[1], "width"));
  EXPECT_NEAR(x0, plot[0] + 0.2 * (plot[2] - plot[0]), 0.1);
  EXPECT_NEAR(w, 0.05 * (plot[2] - plot[0]), 0.2);
  // An instant (the pause has no end) still gets a visible sliver.
  EXPECT_GE(std::stod(with.attribute(with.find("rect", "f-pause", svg)[1], "width")), 2.0);

  r.with_faults = false;
  XmlDocument without(report_for(r));
  ASSERT_TRUE(without.ok()) << without.error();
  EXPECT_TRUE(without.find("rect", "span").empty());
}

TEST(HtmlReport, FaultsFromSummaryAreUsedWhenTheSeriesHasNone) {
  SyntheticRun r;
  r.with_faults = true;
  json series = test::synthetic_series(r);
  series["faults"] = json::array();
  XmlDocument doc(render_run_report(test::synthetic_summary(r), series));
  ASSERT_TRUE(doc.ok()) << doc.error();
  EXPECT_FALSE(doc.find("rect", "f-crash").empty());
}

TEST(HtmlReport, CheckpointsAreMarkersWhenPresent) {
  SyntheticRun r;
  r.with_checkpoints = true;
  XmlDocument doc(report_for(r));
  ASSERT_TRUE(doc.ok()) << doc.error();
  int svg = chart_titled(doc, "Throughput");
  EXPECT_EQ(doc.find("path", "ckpt", svg).size(), 3u);  // legend + two markers
  r.with_checkpoints = false;
  XmlDocument none(report_for(r));
  EXPECT_TRUE(none.find("path", "ckpt").empty());
}

// A spike lasting one bucket of a 512-bucket series reaches the top of the band.
TEST(HtmlReport, OneBucketSpikeSurvivesInTheRenderedMaxPath) {
  SyntheticRun r;
  r.queues = 1;
  json summary = test::synthetic_summary(r);
  json series = test::synthetic_series(r);
  json& q = series["queues"]["q0"];
  for (int i = 0; i < 512; ++i) {
    q["min"][i] = 1;
    q["max"][i] = 5;
    q["mean"][i] = 3;
  }
  q["max"][301] = 1000;  // one bucket, 1/512 of the run
  XmlDocument doc(render_run_report(summary, series));
  ASSERT_TRUE(doc.ok()) << doc.error();
  int svg = chart_titled(doc, "Queue depth: q0");
  ASSERT_GE(svg, 0);
  std::vector<int> band = doc.find("path", "band", svg);
  ASSERT_EQ(band.size(), 1u);
  double top = 1e9;
  for (auto [x, y] : path_points(doc.attribute(band[0], "d"))) top = std::min(top, y);
  EXPECT_NEAR(top, pixel_of(doc, svg, 1000), 0.06);
}

TEST(HtmlReport, LatencySpikeSurvivesInThePercentileLines) {
  SyntheticRun r;
  json summary = test::synthetic_summary(r);
  json series = test::synthetic_series(r);
  series["latency_ns"]["p99"][200] = 9e9;  // 9 s in one bucket; everything else well under 0.1 s
  series["latency_ns"]["max"][200] = 9e9;
  XmlDocument doc(render_run_report(summary, series));
  ASSERT_TRUE(doc.ok()) << doc.error();
  int svg = chart_titled(doc, "Latency percentiles (log scale)");
  ASSERT_GE(svg, 0);
  for (int path : doc.find("path", "line", svg)) {
    if (doc.attribute(path, "data-label") != "p99") continue;
    double top = 1e9;
    for (auto [x, y] : path_points(doc.attribute(path, "d"))) top = std::min(top, y);
    std::vector<double> plot = numbers(doc.attribute(svg, "data-plot"));
    std::vector<double> axis = numbers(doc.attribute(svg, "data-y"));
    double expected = plot[3] - (std::log10(9000) - std::log10(axis[0])) /
                                    (std::log10(axis[1]) - std::log10(axis[0])) * (plot[3] - plot[1]);
    EXPECT_NEAR(top, expected, 0.06);
    return;
  }
  FAIL() << "no p99 line";
}

// Longer inputs than the pixels available: at most a min and a max per pixel, spike kept.
TEST(SvgChart, DownsamplingKeepsExtremesAndBoundsPoints) {
  std::vector<reports::Bucket> buckets;
  for (int i = 0; i < 4096; ++i) {
    double v = 10 + (i % 3);
    buckets.push_back({i * 1e6, (i + 1) * 1e6, v, v, v, true});
  }
  buckets[2777].max = 500;
  buckets[1234].min = -7;
  reports::Scale x{0, 4096e6, 0, 100, false};
  std::vector<reports::Column> columns = reports::downsample(buckets, x);
  EXPECT_LE(columns.size(), 101u);
  double top = -1e9, bottom = 1e9;
  for (const auto& c : columns) {
    top = std::max(top, c.max);
    bottom = std::min(bottom, c.min);
  }
  EXPECT_EQ(top, 500);
  EXPECT_EQ(bottom, -7);

  reports::TimeChart chart("t", "depth (events)", 4096e6);
  chart.line("v", "s0", buckets, reports::LineMode::envelope);
  std::string svg = chart.render();
  XmlDocument doc(svg);
  ASSERT_TRUE(doc.ok()) << doc.error();
  std::vector<int> lines = doc.find("path", "line");
  ASSERT_EQ(lines.size(), 2u);
  auto points = path_points(doc.attribute(lines[1], "d"));
  EXPECT_LE(points.size(), 2 * 716u + 2);
  double top_px = 1e9;
  for (auto [px, py] : points) top_px = std::min(top_px, py);
  EXPECT_NEAR(top_px, pixel_of(doc, doc.root(), 500), 0.06);
}

// Percentiles are lines, not dots: buckets without samples are bridged.
TEST(SvgChart, LatencyPercentilesAreLinesAcrossEmptyBuckets) {
  SyntheticRun r;
  XmlDocument doc(report_for(r));
  ASSERT_TRUE(doc.ok()) << doc.error();
  int svg = chart_titled(doc, "Latency percentiles");
  ASSERT_GE(svg, 0);
  std::vector<int> lines = doc.find("path", "line", svg);
  ASSERT_FALSE(lines.empty());
  for (int line : lines) {
    std::string d = doc.attribute(line, "d");
    if (d.empty()) continue;  // the legend's sample line has its own shape
    // Buckets 13, 110, 207, 304, 401, 498 have no samples: still one run of line, and no lone dots.
    if (path_points(d).size() < 20) continue;
    EXPECT_EQ(std::count(d.begin(), d.end(), 'M'), 1) << d.substr(0, 200);
  }
  // Other series keep their gaps (a gap there means no data, not a line to draw).
  std::vector<reports::Bucket> buckets;
  for (int i = 0; i < 40; ++i) buckets.push_back({i * 1e6, (i + 1) * 1e6, 1, 2, 1.5, i % 10 != 5});
  reports::TimeChart chart("t", "rate (events/s)", 40e6);
  chart.line("v", "s0", buckets, reports::LineMode::envelope);
  XmlDocument gaps(chart.render());
  std::vector<int> drawn = gaps.find("path", "line");
  std::string d = gaps.attribute(drawn.back(), "d");
  EXPECT_EQ(std::count(d.begin(), d.end(), 'M'), 5) << d;
}

// One spike of 10,000/s in a run near 100/s: the axis is clipped at the 99th
// percentile of the bucket peaks x 1.5, the title says so, and a label names the peak.
TEST(HtmlReport, ThroughputAxisClipsASpikeAndLabelsIt) {
  SyntheticRun r;
  json summary = test::synthetic_summary(r);
  json series = test::synthetic_series(r);
  const std::size_t n = series["effects"]["count"].size();
  ASSERT_GT(n, 100u);
  series["effects"]["count"][n / 2] = series["effects"]["count"][n / 2].get<double>() * 100 + 10000;
  XmlDocument doc(render_run_report(summary, series));
  ASSERT_TRUE(doc.ok()) << doc.error();
  int clipped = -1;
  for (int svg : charts(doc)) {
    if (chart_title(doc, svg).starts_with("Throughput (axis clipped at ")) clipped = svg;
  }
  ASSERT_GE(clipped, 0) << "the throughput chart is not clipped";
  std::vector<int> notes = doc.find("text", "clip-note", clipped);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(doc.text_of(notes[0]).find("clipped to the axis top"), std::string::npos);
  // Without the spike, nothing is clipped; with it, the axis top stays near the plain run's.
  XmlDocument plain(report_for(r));
  const int plain_chart = chart_titled(plain, "Throughput");
  ASSERT_GE(plain_chart, 0);
  EXPECT_TRUE(plain.find("text", "clip-note").empty());
  std::vector<double> axis = numbers(doc.attribute(clipped, "data-y"));
  std::vector<double> plain_axis = numbers(plain.attribute(plain_chart, "data-y"));
  EXPECT_LT(axis[1], plain_axis[1] * 2) << "the spike set the axis top";
}

// Checkpoints (completed and aborted), rebalances, restores and sparse commits
// are marked on every time chart, each with its own class and hover text.
TEST(HtmlReport, RunMarksAppearOnTheTimeCharts) {
  SyntheticRun r;
  r.with_marks = true;
  XmlDocument doc(report_for(r));
  ASSERT_TRUE(doc.ok()) << doc.error();
  int svg = chart_titled(doc, "Throughput");
  ASSERT_GE(svg, 0);
  EXPECT_EQ(doc.find("path", "ckpt", svg).size(), 2u);        // legend + marker
  EXPECT_EQ(doc.find("path", "ckpt-abort", svg).size(), 2u);
  EXPECT_EQ(doc.find("path", "rebal", svg).size(), 2u);
  EXPECT_EQ(doc.find("path", "restore", svg).size(), 2u);
  std::vector<int> commits = doc.find("path", "commit", svg);
  EXPECT_GE(commits.size(), 3u);  // legend + two markers
  bool titled = false;
  for (int m : doc.find("path", "rebal", svg)) {
    for (int t : doc.find("title", "", m)) titled |= doc.text_of(t).find("rebalanced to generation 3") != std::string::npos;
  }
  EXPECT_TRUE(titled);
  int latency = chart_titled(doc, "Latency percentiles");
  ASSERT_GE(latency, 0);
  EXPECT_EQ(doc.find("path", "rebal", latency).size(), 2u);
}

// Busy, blocked on downstream and idle are three parts of each stage's bar and three columns.
TEST(HtmlReport, StagesShowBusyBlockedAndIdle) {
  SyntheticRun r;
  json summary = test::synthetic_summary(r);
  for (auto& [name, stage] : summary["stages"].items()) {
    stage["busy_fraction"] = 0.5;
    stage["blocked_fraction"] = 0.3;
    stage["idle_fraction"] = 0.2;
  }
  XmlDocument doc(render_run_report(summary, test::synthetic_series(r)));
  ASSERT_TRUE(doc.ok()) << doc.error();
  int svg = chart_titled(doc, "Stage time: busy, blocked, idle");
  ASSERT_GE(svg, 0);
  const std::size_t stages = summary["stages"].size();
  EXPECT_EQ(doc.find("rect", "blocked", svg).size(), stages);
  EXPECT_EQ(doc.find("rect", "idle", svg).size(), stages);
  const std::string html = report_for(r);
  EXPECT_NE(html.find("<th class=\"num\">Blocked</th>"), std::string::npos);
  EXPECT_NE(html.find("<th class=\"num\">Idle</th>"), std::string::npos);
}

TEST(HtmlReport, LatencyAxisIsLogarithmicOnlyForWideRanges) {
  SyntheticRun r;
  json summary = test::synthetic_summary(r);
  json series = test::synthetic_series(r);
  XmlDocument narrow(render_run_report(summary, series));
  int svg = chart_titled(narrow, "Latency percentiles");
  ASSERT_GE(svg, 0);
  EXPECT_NE(narrow.attribute(svg, "data-y").find("lin"), std::string::npos);

  summary["latency_ns"]["max"] = 5e9;  // max / p50 = 5e9 / 1.8e7 > 100
  XmlDocument wide(render_run_report(summary, series));
  svg = chart_titled(wide, "Latency percentiles (log scale)");
  ASSERT_GE(svg, 0);
  EXPECT_NE(wide.attribute(svg, "data-y").find("log"), std::string::npos);
  EXPECT_EQ(wide.text_of(wide.find("text", "axis-label", svg)[1]), "latency (ms)");

  // Tens of seconds read better in seconds than in thousands of milliseconds.
  summary["latency_ns"]["max"] = 40e9;
  summary["latency_ns"]["p50"] = 20e9;
  XmlDocument slow(render_run_report(summary, series));
  svg = chart_titled(slow, "Latency percentiles");
  ASSERT_GE(svg, 0);
  EXPECT_EQ(slow.text_of(slow.find("text", "axis-label", svg)[1]), "latency (s)");
}

TEST(HtmlReport, LargeRunStaysUnderThreeMegabytes) {
  SyntheticRun r;
  r.queues = 20;
  r.buckets = 512;
  r.end_ns = 11.6 * 86400e9;  // days of virtual time, ten million events
  r.with_faults = true;
  r.with_checkpoints = true;
  std::string html = report_for(r);
  RecordProperty("report_bytes", static_cast<int>(html.size()));
  std::printf("[ info     ] 20 queues x 512 buckets: report is %zu bytes\n", html.size());
  EXPECT_LT(html.size(), 3u * 1024 * 1024);
  XmlDocument doc(html);
  ASSERT_TRUE(doc.ok()) << doc.error();
  EXPECT_EQ(charts(doc).size(), 24u);
  // Coordinates carry at most one decimal. (A plain scan: std::regex recurses
  // per character and overflows the stack on megabytes of path data.)
  for (std::size_t at = html.find("d=\""); at != std::string::npos; at = html.find("d=\"", at + 1)) {
    std::size_t end = html.find('"', at + 3);
    for (std::size_t i = at + 3; i + 2 < end; ++i) {
      bool two_decimals = html[i] == '.' && std::isdigit(static_cast<unsigned char>(html[i + 1])) &&
                          std::isdigit(static_cast<unsigned char>(html[i + 2]));
      ASSERT_FALSE(two_decimals) << html.substr(at, std::min<std::size_t>(end - at, 80));
    }
  }
}

TEST(HtmlReport, IsSelfContained) {
  SyntheticRun r;
  r.with_faults = true;
  for (const std::string& html : {report_for(r), render_sweep_report(test::synthetic_sweep(50))}) {
    EXPECT_EQ(html.find("http://"), std::string::npos);
    EXPECT_EQ(html.find("https://"), std::string::npos);
    EXPECT_EQ(html.find("<script src"), std::string::npos);
    EXPECT_EQ(html.find("<link"), std::string::npos);
    EXPECT_EQ(html.find("@import"), std::string::npos);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    // url() only for in-document references (the arrow marker).
    for (std::size_t at = html.find("url("); at != std::string::npos; at = html.find("url(", at + 1)) {
      EXPECT_EQ(html.substr(at, 5), "url(#");
    }
  }
}

TEST(HtmlReport, ShowsTheVerdict) {
  SyntheticRun r;
  r.ok = false;
  json summary = test::synthetic_summary(r);
  XmlDocument doc(render_run_report(summary, test::synthetic_series(r)));
  ASSERT_TRUE(doc.ok()) << doc.error();
  std::vector<int> badge = doc.find("span", "badge");
  ASSERT_EQ(badge.size(), 1u);
  EXPECT_EQ(doc.text_of(badge[0]), "FAIL");
  EXPECT_TRUE(doc.has_class(badge[0], "fail"));
  std::string text = doc.text_of(doc.root());
  EXPECT_NE(text.find("event 41 (key 7) was acked at 1.2s but never reached a sink"), std::string::npos);
  EXPECT_NE(text.find("no_loss was expected to hold but broke"), std::string::npos);
  EXPECT_NE(text.find("sluice run scenarios/synthetic.json --seed 42"), std::string::npos);
  EXPECT_NE(text.find("0123456789abcdef"), std::string::npos);
  EXPECT_NE(text.find("not applicable: no credit-based consumer"), std::string::npos);
  // One row per invariant, with pass / fail / n/a pills.
  EXPECT_EQ(doc.find("span", "pill").size(), 7u);
  EXPECT_EQ(doc.find("span", "fail").size(), 2u);  // the badge and the no_loss pill
  EXPECT_EQ(doc.find("span", "na").size(), 1u);

  r.ok = true;
  XmlDocument pass(report_for(r));
  EXPECT_EQ(pass.text_of(pass.find("span", "badge")[0]), "PASS");
}

TEST(HtmlReport, EscapesTextFromTheInputs) {
  SyntheticRun r;
  r.scenario = "<script>alert('x')</script> & \"friends\"";
  json summary = test::synthetic_summary(r);
  summary["invariants"]["no_loss"]["first"] = "a <b>bold</b> & \x01 claim";
  summary["invariants"]["no_loss"]["ok"] = false;
  json series = test::synthetic_series(r);
  series["queues"]["<q&>"] = series["queues"]["q0"];
  std::string html = render_run_report(summary, series);
  XmlDocument doc(html);
  ASSERT_TRUE(doc.ok()) << doc.error();
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<b>bold"), std::string::npos);
  EXPECT_NE(doc.text_of(doc.root()).find("<script>alert('x')</script> & \"friends\""), std::string::npos);
  EXPECT_GE(chart_titled(doc, "Queue depth: <q&>"), 0);
}

TEST(HtmlReport, RendersWhateverFieldsAreMissing) {
  for (const json& summary : {json::object(), json::array(), json(nullptr), json{{"queues", 3}, {"faults", "x"}}}) {
    std::string html = render_run_report(summary, json::object());
    XmlDocument doc(html);
    EXPECT_TRUE(doc.ok()) << doc.error();
    EXPECT_NE(html.find("FAIL"), std::string::npos);
  }
}

TEST(HtmlReport, TopologyIsLaidOutByDepthAndColouredByPeakFill) {
  SyntheticRun r;
  r.queues = 2;
  XmlDocument doc(report_for(r));
  ASSERT_TRUE(doc.ok()) << doc.error();
  int topo = doc.find("svg", "topology").at(0);
  std::map<std::string, double> x;
  for (int node : doc.find("g", "node", topo)) {
    std::string id = doc.text_of(doc.find("text", "node-id", node).at(0));
    x[id] = std::stod(doc.attribute(doc.find("rect", "", node).at(0), "x"));
  }
  ASSERT_EQ(x.size(), 6u);  // orders, q0, stage0, q1, stage1, sink
  EXPECT_LT(x["orders"], x["q0"]);
  EXPECT_LT(x["q0"], x["stage0"]);
  EXPECT_LT(x["stage0"], x["q1"]);
  EXPECT_LT(x["q1"], x["stage1"]);
  EXPECT_LT(x["stage1"], x["sink"]);
  EXPECT_EQ(doc.find("path", "edge", topo).size(), 5u);
  // q0 peaked at its capacity: red.
  std::string red = reports::fill_colour(1.0);
  bool q0_red = false;
  for (int node : doc.find("g", "buffer", topo)) {
    if (doc.text_of(doc.find("text", "node-id", node).at(0)) != "q0") continue;
    q0_red = doc.attribute(doc.find("rect", "", node).at(0), "style").find(red) != std::string::npos;
  }
  EXPECT_TRUE(q0_red);
}

TEST(TopologySvg, FillColourGoesGreenAmberRed) {
  EXPECT_EQ(reports::fill_colour(0), "#2ea043");
  EXPECT_EQ(reports::fill_colour(1), "#d63031");
  EXPECT_EQ(reports::fill_colour(7), "#d63031");
  EXPECT_EQ(reports::fill_colour(0.7), "#e6a014");
}

TEST(SweepReport, ShowsGridFailingSeedsAndHistograms) {
  std::string html = render_sweep_report(test::synthetic_sweep(100));
  XmlDocument doc(html);
  ASSERT_TRUE(doc.ok()) << doc.error();
  EXPECT_EQ(doc.find("rect", "cell").size(), 100u);
  EXPECT_EQ(doc.find("rect", "fail").size(), 14u);
  EXPECT_EQ(doc.text_of(doc.find("span", "badge").at(0)), "FAIL");
  for (int seed = 7; seed <= 98; seed += 7) {
    EXPECT_NE(html.find("sluice run scenarios/x.json --seed " + std::to_string(seed) + "<"), std::string::npos);
    EXPECT_NE(html.find("id=\"seed-" + std::to_string(seed) + "\""), std::string::npos);
  }
  EXPECT_GE(chart_titled(doc, "Max depth across seeds: ingest"), 0);
  EXPECT_GE(chart_titled(doc, "Max depth across seeds: orders-topic"), 0);
  int p99 = chart_titled(doc, "p99 latency across seeds");
  ASSERT_GE(p99, 0);
  // Every seed lands in one bin; a bin's hover title counts its seeds.
  std::map<std::string, double> bins;
  for (int bar : doc.find("rect", "band", p99)) {
    std::string title = doc.text_of(bar);
    if (title.empty()) continue;  // a legend swatch
    std::smatch m;
    ASSERT_TRUE(std::regex_search(title, m, std::regex(": ([0-9]+) seeds, ([0-9]+) failing"))) << title;
    bins[title] = std::stod(m[1]);
  }
  double seeds = 0;
  for (const auto& [title, n] : bins) seeds += n;
  EXPECT_EQ(seeds, 100);
  for (int svg : charts(doc)) EXPECT_EQ(doc.find("text", "axis-label", svg).size(), 2u);
}

TEST(SweepReport, AllPassingSweepIsAPass) {
  json sweep = test::synthetic_sweep(6);
  XmlDocument doc(render_sweep_report(sweep));
  ASSERT_TRUE(doc.ok()) << doc.error();
  EXPECT_EQ(doc.text_of(doc.find("span", "badge").at(0)), "PASS");
  EXPECT_TRUE(doc.find("rect", "fail").empty());
  XmlDocument empty(render_sweep_report(json::object()));
  EXPECT_TRUE(empty.ok()) << empty.error();
}

TEST(NumberFormat, ReadsLikeAPersonWroteIt) {
  EXPECT_EQ(reports::format_count(1234567), "1,234,567");
  EXPECT_EQ(reports::format_count(0), "0");
  EXPECT_EQ(reports::format_number(0.000123), "0.000123");
  EXPECT_EQ(reports::format_number(83.123), "83.1");
  EXPECT_EQ(reports::format_duration_ns(850), "850 ns");
  EXPECT_EQ(reports::format_duration_ns(4.567e6), "4.57 ms");
  EXPECT_EQ(reports::format_duration_ns(101.2e9), "101 s");
  EXPECT_EQ(reports::format_duration_ns(201.2e9), "3.35 min");
  EXPECT_EQ(reports::format_duration_ns(1e12), "16.7 min");
  EXPECT_EQ(reports::format_percent(0.9923), "99.2%");
  EXPECT_EQ(reports::format_tick(15000, 5000), "15k");
  EXPECT_EQ(reports::format_tick(0.3, 0.1), "0.3");
  EXPECT_EQ(reports::format_tick(0, 0.1), "0");
  EXPECT_EQ(reports::svg_number(12.34), "12.3");
  EXPECT_EQ(reports::svg_number(7.0), "7");
  EXPECT_EQ(reports::svg_number(-0.04), "0");
  EXPECT_EQ(reports::nice_step(0.13), 0.2);
  EXPECT_EQ(reports::nice_step(37), 50);
}

TEST(SvgChart, TimeAxisUnitFollowsTheSpan) {
  EXPECT_STREQ(reports::time_unit_for(500e3).name, "\u00b5s");
  EXPECT_STREQ(reports::time_unit_for(500e6).name, "ms");
  EXPECT_STREQ(reports::time_unit_for(240e9).name, "s");
  EXPECT_STREQ(reports::time_unit_for(5 * 3600e9).name, "min");
  EXPECT_STREQ(reports::time_unit_for(11 * 86400e9).name, "h");
}

}  // namespace
}  // namespace sluice

namespace sluice::reports {
namespace {

// Every fault kind the simulator can write is drawn with its own class, and
// the page styles that class; only a kind it does not know falls back.
TEST(FaultSpans, EveryCatalogKindHasAStyledClass) {
  const std::string page = html_document("t", "", {}, "");
  for (const FaultKindInfo& info : fault_kind_catalog()) {
    const std::vector<FaultSpan> spans =
        fault_spans(nlohmann::json::array({{{"at_ns", 1}, {"kind", info.name}, {"target", "n"}}}));
    ASSERT_EQ(spans.size(), 1u);
    EXPECT_NE(spans[0].css, "f-other") << info.name;
    EXPECT_NE(page.find("." + spans[0].css + " {"), std::string::npos) << spans[0].css << " is not styled";
  }
  EXPECT_EQ(fault_spans(nlohmann::json::array({{{"at_ns", 1}, {"kind", "meteor"}}}))[0].css, "f-other");
}

}  // namespace
}  // namespace sluice::reports
