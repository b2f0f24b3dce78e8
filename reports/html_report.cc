// The run report: summary.json + series.json -> one HTML page.
#include "reports/html_report.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/bar_charts.h"
#include "reports/html_page.h"
#include "reports/json_access.h"
#include "sim/catalog/invariant_catalog.h"
#include "reports/number_format.h"
#include "reports/robust_axis.h"
#include "reports/alerts_section.h"
#include "reports/failover_section.h"
#include "reports/perturbation_section.h"
#include "reports/replicas_chart.h"
#include "reports/series_view.h"
#include "reports/spacetime_svg.h"
#include "reports/svg_chart.h"
#include "reports/topology_svg.h"
#include "reports/xml_escape.h"

namespace sluice {
namespace {

using namespace reports;  // the building blocks of this file, all in one namespace
using nlohmann::json;

// The run as the charts see it: its time span, faults and checkpoints.
struct RunMarkView {
  std::string kind, part;
  double at_ns = 0;
  double id = 0;
};

struct RunView {
  const json& summary;
  const json& series;
  double end_ns = 0;
  std::vector<FaultSpan> faults = {};
  std::vector<double> checkpoints_ns = {};
  std::vector<RunMarkView> marks = {};  // series.json "marks": checkpoints, aborts, rebalances, restores, commits
};

RunView make_view(const json& summary, const json& series) {
  RunView v{summary, series};
  v.end_ns = number_or(series, "virtual_time_ns", number_or(summary, "virtual_time_ns", 0));
  const json& series_faults = member(series, "faults");
  v.faults = fault_spans(series_faults.is_array() && !series_faults.empty() ? series_faults
                                                                           : member(summary, "faults"));
  for (const json& m : member(series, "marks")) {
    v.marks.push_back({string_or(m, "kind"), string_or(m, "part"), number_or(m, "at_ns", 0), number_or(m, "id", 0)});
  }
  for (const json& c : member(series, "checkpoints")) {
    if (c.is_number()) v.checkpoints_ns.push_back(c.get<double>());
    else if (has_number(c, "at_ns")) v.checkpoints_ns.push_back(number_or(c, "at_ns", 0));
  }
  return v;
}

std::string series_class(std::size_t i) { return "s" + std::to_string(i % 8); }

// Commits are marked one by one only while they stay sparse; denser, the
// throughput chart's commit rate line shows them.
constexpr std::size_t kCommitMarksMost = 60;

std::size_t count_marks(const RunView& v, const std::string& kind) {
  return static_cast<std::size_t>(
      std::count_if(v.marks.begin(), v.marks.end(), [&](const RunMarkView& m) { return m.kind == kind; }));
}

// The legend, class and hover text of a run mark.
void add_mark(TimeChart& chart, const RunMarkView& m) {
  const std::string at = " at " + format_duration_ns(m.at_ns);
  const std::string id = integer_text(json(static_cast<std::int64_t>(m.id)));
  if (m.kind == "checkpoint") chart.marker("checkpoint", "ckpt", m.at_ns, "checkpoint " + id + " of " + m.part + " completed" + at);
  if (m.kind == "checkpoint_aborted") {
    chart.marker("checkpoint aborted", "ckpt-abort", m.at_ns, "checkpoint " + id + " of " + m.part + " aborted" + at);
  }
  if (m.kind == "rebalance") chart.marker("rebalance", "rebal", m.at_ns, m.part + " rebalanced to generation " + id + at);
  if (m.kind == "restore") chart.marker("restore", "restore", m.at_ns, m.part + " restored from checkpoint " + id + at);
  if (m.kind == "commit") chart.marker("commit", "commit", m.at_ns, m.part + " committed offset " + id + at);
  if (m.kind == "perturbed") chart.marker("perturbation fired", "perturbed", m.at_ns, "perturbation site " + m.part + " fired" + at);
}

// Fault spans, and checkpoint, rebalance, restore and commit marks go on
// every time chart, so cause and effect line up across them.
void decorate(TimeChart& chart, const RunView& v) {
  for (const FaultSpan& f : v.faults) chart.span(f.kind, f.css, f.at_ns, f.end_ns, f.description);
  for (double t : v.checkpoints_ns) chart.marker("checkpoint", "ckpt", t, "checkpoint at " + format_duration_ns(t));
  const bool sparse_commits = count_marks(v, "commit") <= kCommitMarksMost;
  for (const RunMarkView& m : v.marks) {
    if (m.kind != "commit" || sparse_commits) add_mark(chart, m);
  }
}

std::string header_html(const json& s) {
  bool ok = member(s, "ok").is_boolean() && member(s, "ok").get<bool>();
  std::string out = "<div>" + verdict_badge(ok) + "</div><div><div class=\"kind\">sluice run report</div><h1>" +
                    xml_escape(string_or(s, "scenario", "unnamed scenario")) + "</h1><div class=\"meta\">";
  out += "seed <b>" + xml_escape(integer_text(member(s, "seed"))) + "</b> \u00b7 strategy <b>" +
         xml_escape(string_or(s, "strategy", "n/a")) + "</b> \u00b7 outcome <b>" +
         xml_escape(string_or(s, "outcome", "n/a")) + "</b> \u00b7 virtual time <b>" +
         xml_escape(format_duration_ns(number_or(s, "virtual_time_ns", NAN))) + "</b>";
  if (!string_or(s, "file").empty()) out += " \u00b7 <code>" + xml_escape(string_or(s, "file")) + "</code>";
  out += "</div>";
  // Which binary wrote the run: its trace_hash is only promised for that binary.
  const json& p = member(s, "provenance");
  if (p.is_object()) {
    out += "<div class=\"meta\">sluice " + xml_escape(string_or(p, "sluice_version", "?")) + " \u00b7 commit <code>" +
           xml_escape(string_or(p, "commit", "unknown")) + "</code> \u00b7 " +
           xml_escape(string_or(p, "build_type", "unknown")) + " build \u00b7 scenario sha256 <code>" +
           xml_escape(string_or(p, "scenario_sha256", "n/a")) + "</code></div>";
  }
  return out + "</div>";
}

bool listed(const json& list, const std::string& name) {
  std::vector<std::string> names = strings_of(list);
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string invariant_row(const std::string& name, const json& verdict, const json& expectations) {
  bool ok = !member(verdict, "ok").is_boolean() || member(verdict, "ok").get<bool>();
  bool na = member(verdict, "not_applicable").is_string();
  bool vacuous = member(verdict, "vacuous").is_boolean() && member(verdict, "vacuous").get<bool>();
  std::string result = vacuous ? pill("na", "vacuous") : na ? pill("na", "n/a") : ok ? pill("pass", "pass") : pill("fail", "fail");
  std::string expected = "\u2014";
  if (listed(member(expectations, "hold"), name)) {
    expected = ok ? "hold" : "hold <b class=\"bad\">(not met)</b>";
  } else if (listed(member(expectations, "violate"), name)) {
    expected = ok ? "violate <b class=\"bad\">(not met)</b>" : "violate (met)";
  }
  std::string detail = na ? "<span class=\"muted\">not applicable: " +
                                xml_escape(member(verdict, "not_applicable").get<std::string>()) + "</span>"
                          : xml_escape(first_text(verdict));
  if (vacuous) detail = "<b class=\"bad\">vacuous: expected to hold, it checked nothing</b> " + detail;
  return "<tr><td><code>" + xml_escape(name) + "</code></td><td>" + result + "</td><td>" + expected +
         "</td><td class=\"num\">" + format_count(number_or(verdict, "checked", 0)) + "</td><td class=\"num\">" +
         format_count(number_or(verdict, "violations", 0)) + "</td><td class=\"text\">" + detail + "</td></tr>";
}

std::string verdict_section(const json& s) {
  std::string out;
  std::vector<std::string> failures = strings_of(member(member(s, "expectations"), "failures"));
  bool ok = member(s, "ok").is_boolean() && member(s, "ok").get<bool>();
  if (!failures.empty()) {
    out += "<div class=\"failures\"><b>Expectation failures</b><ul>";
    for (const std::string& f : failures) out += "<li>" + xml_escape(f) + "</li>";
    out += "</ul></div>";
  } else {
    out += ok ? "<p>Every expectation of the scenario held.</p>" : "<p><b>The run failed its expectations.</b></p>";
  }
  if (!string_or(s, "outcome_message").empty()) {
    out += "<p class=\"muted\">Outcome <b>" + xml_escape(string_or(s, "outcome")) + "</b>: " +
           xml_escape(string_or(s, "outcome_message")) + "</p>";
  }
  out += "<div class=\"table-wrap\"><table><thead><tr><th>Invariant</th><th>Result</th><th>Expected</th>"
         "<th class=\"num\">Checked</th><th class=\"num\">Violations</th><th>First violation</th></tr></thead><tbody>";
  const json& invariants = member(s, "invariants");
  if (invariants.is_object()) {
    for (const std::string& name : names_in_report_order(invariants)) {
      const nlohmann::json& verdict = invariants[name];
      out += invariant_row(name, verdict, member(s, "expectations"));
    }
  }
  out += "</tbody></table></div>";
  out += "<h3>Reproduce</h3><pre class=\"repro\">" + xml_escape(string_or(s, "repro", "n/a")) + "</pre>";
  return section("verdict", "Verdict", out);
}

std::string count_tile(const json& counts, const char* key, const char* label, bool alarm_if_nonzero = false) {
  double n = number_or(counts, key, NAN);
  return tile(label, std::isnan(n) ? "n/a" : format_count(n), "",
              alarm_if_nonzero && n > 0 ? TileStyle::alarm : TileStyle::plain);
}

std::string figures_section(const json& s) {
  const json& counts = member(s, "counts");
  const json& latency = member(s, "latency_ns");
  double virtual_ns = number_or(s, "virtual_time_ns", NAN), wall_ms = number_or(s, "wall_ms", NAN);
  double events = number_or(s, "events", NAN);
  std::string speed = wall_ms > 0 ? format_number(virtual_ns / 1e6 / wall_ms) + "\u00d7 real time" : "";
  std::string rate = wall_ms > 0 ? format_count(events / wall_ms * 1000) + " events/s" : "";
  std::string out = "<h3>Run</h3><div class=\"tiles\">";
  out += tile("virtual time", format_duration_ns(virtual_ns), speed);
  out += tile("wall time", std::isnan(wall_ms) ? "n/a" : format_duration_ns(wall_ms * 1e6));
  out += tile("scheduler events", std::isnan(events) ? "n/a" : format_count(events), rate);
  out += tile("seed", integer_text(member(s, "seed"), "n/a"));
  out += tile("trace_hash", string_or(s, "trace_hash", "n/a"), "", TileStyle::identifier);
  out += tile("outcome", string_or(s, "outcome", "n/a"), string_or(s, "strategy"));
  out += "</div><h3>Events</h3><div class=\"tiles\">";
  out += count_tile(counts, "produced", "produced") + count_tile(counts, "acked", "acked") +
         count_tile(counts, "rejected", "rejected") + count_tile(counts, "shed", "shed") +
         count_tile(counts, "give_up_dropped", "dropped on give-up") +
         count_tile(counts, "delivered", "delivered") + count_tile(counts, "effects", "effects") +
         count_tile(counts, "duplicates_suppressed", "duplicates suppressed") +
         count_tile(counts, "redelivered", "redelivered") + count_tile(counts, "lost", "lost", true);
  out += "</div><h3>Latency <span class=\"muted\">(source emit to sink effect)</span></h3><div class=\"tiles\">";
  out += tile("samples", format_count(number_or(latency, "count", NAN)));
  double error = number_or(latency, "relative_error", NAN);
  std::string within = std::isnan(error) ? "" : "within " + format_percent(error);
  for (const char* key : {"mean", "p50", "p90", "p99", "max"}) {
    out += tile(key, format_duration_ns(number_or(latency, key, NAN)),
                std::string(key) == "mean" || std::string(key) == "max" ? "" : within);
  }
  return section("figures", "Key figures", out + "</div>");
}

std::string topology_section(const json& s) {
  std::string svg = render_topology(member(s, "topology"), member(s, "queues"), member(s, "stages"));
  return section("topology", "Topology",
                 figure(svg, "Sources, buffers, stages and sinks in columns by depth; each queue is coloured by "
                             "its peak fill (max depth / capacity). Hover a box for details."));
}

// Queues in pipeline order (topology), then any others by name.
std::vector<std::string> queue_order(const RunView& v) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  auto add = [&](const std::string& name) {
    if (seen.insert(name).second) names.push_back(name);
  };
  for (const char* list : {"buffers", "topics"}) {
    for (const json& b : member(member(v.summary, "topology"), list)) {
      std::string id = string_or(b, "id");
      if (member(member(v.series, "queues"), id).is_object() || member(member(v.summary, "queues"), id).is_object()) {
        add(id);
      }
    }
  }
  for (const json* queues : {&member(v.series, "queues"), &member(v.summary, "queues")}) {
    if (queues->is_object()) {
      for (const auto& [name, q] : queues->items()) add(name);
    }
  }
  return names;
}

std::string queue_table(const RunView& v, const std::vector<std::string>& names) {
  std::string out = "<div class=\"table-wrap\"><table><thead><tr><th>Queue</th><th class=\"num\">Capacity</th>"
                    "<th class=\"num\">Peak depth</th><th class=\"num\">Peak fill</th><th class=\"num\">Mean depth</th>"
                    "<th class=\"num\">Arrivals</th><th class=\"num\">Departures</th><th class=\"num\">Shed</th>"
                    "<th class=\"num\">Mean wait</th><th class=\"num\">Arrival rate</th></tr></thead><tbody>";
  for (const std::string& name : names) {
    const json& q = member(member(v.summary, "queues"), name);
    double capacity = number_or(q, "capacity", number_or(member(member(v.series, "queues"), name), "capacity", 0));
    double peak = number_or(q, "max_depth", NAN);
    std::string fill = "n/a";
    if (capacity > 0 && !std::isnan(peak)) {
      fill = "<span class=\"swatch\" style=\"background:" + fill_colour(peak / capacity) + "\"></span>" +
             format_percent(peak / capacity);
    }
    out += "<tr><td><a href=\"#queue-" + xml_attr(name) + "\"><code>" + xml_escape(name) + "</code></a></td>";
    out += "<td class=\"num\">" + (capacity > 0 ? format_count(capacity) : std::string("unbounded")) + "</td>";
    out += "<td class=\"num\">" + format_count(peak) + "</td><td class=\"num\">" + fill + "</td>";
    out += "<td class=\"num\">" + format_number(number_or(q, "mean_depth", NAN)) + "</td>";
    for (const char* key : {"arrivals", "departures", "shed"}) {
      out += "<td class=\"num\">" + format_count(number_or(q, key, NAN)) + "</td>";
    }
    out += "<td class=\"num\">" + format_duration_ns(number_or(q, "mean_wait_ns", NAN)) + "</td>";
    out += "<td class=\"num\">" + format_number(number_or(q, "arrival_rate_per_s", NAN)) + "/s</td></tr>";
  }
  return out + "</tbody></table></div>";
}

std::string depth_chart(const RunView& v, const std::string& name) {
  const json& q = member(member(v.series, "queues"), name);
  double capacity = number_or(q, "capacity", number_or(member(member(v.summary, "queues"), name), "capacity", 0));
  TimeChart chart("Queue depth: " + name, "depth (events)", v.end_ns);
  chart.y_at_least(1);
  decorate(chart, v);
  chart.band("min\u2013max", "s0", gauge_buckets(q, v.end_ns));
  chart.line("mean", "s0", gauge_buckets(q, v.end_ns), LineMode::mean);
  if (capacity > 0) chart.hline("capacity " + format_count(capacity), "cap", capacity);
  if (!q.is_object()) chart.note("no depth series for this queue");
  return "<div id=\"queue-" + xml_attr(name) + "\">" + figure(chart.render()) + "</div>";
}

std::string queues_section(const RunView& v) {
  std::vector<std::string> names = queue_order(v);
  if (names.empty()) return section("queues", "Queues", "<p class=\"muted\">The run has no queues.</p>");
  std::string out = queue_table(v, names);
  out += "<p class=\"muted\">Depth is events waiting, not in service. The band spans each bucket's minimum and "
         "maximum, the line is its time-weighted mean; shaded spans are faults.</p>";
  for (const std::string& name : names) out += depth_chart(v, name);
  return section("queues", "Queue depth", out);
}

std::string throughput_section(const RunView& v) {
  struct Line {
    std::string label, css;
    std::vector<Bucket> buckets;
  };
  // Wide and translucent, so a stage line lying on top of it (the last stage
  // before the sink usually does) leaves it visible.
  std::vector<Line> lines = {{"effects (sinks)", "s0 wide", rate_buckets(member(v.series, "effects"), v.end_ns)}};
  std::size_t i = 1;
  const json& stages = member(v.series, "stages");
  if (stages.is_object()) {
    for (const auto& [name, s] : stages.items()) lines.push_back({"stage " + name, series_class(i++), rate_buckets(s, v.end_ns)});
  }
  const json& commits = member(v.series, "commits");
  if (total_count(commits) > 0) lines.push_back({"commits", "commit", rate_buckets(commits, v.end_ns)});
  std::vector<std::vector<Bucket>> all;
  for (const Line& l : lines) all.push_back(l.buckets);
  // One spike must not flatten the rest: clip at the 99th percentile x 1.5 and say so.
  const ClipResult clip = robust_limit(all);
  TimeChart chart(clip.clipped ? "Throughput (axis clipped at " + format_number(clip.limit) + "/s)" : "Throughput",
                  "rate (events/s)", v.end_ns);
  decorate(chart, v);
  for (Line& l : lines) {
    chart.line(l.label, l.css, clip.clipped ? clipped(std::move(l.buckets), clip.limit) : std::move(l.buckets),
               LineMode::envelope);
  }
  if (clip.clipped) {
    chart.corner_note("peak " + format_number(clip.peak) + "/s at " + format_duration_ns(clip.peak_t_ns) +
                      " clipped to the axis top");
  }
  return section("throughput", "Throughput",
                 figure(chart.render(), "Effects applied at the sinks, events finished by each stage and offsets "
                                        "committed, per second of virtual time in each bucket. A spike far above "
                                        "the rest is clipped to the axis top (the 99th percentile of the buckets' "
                                        "peaks times 1.5) and labelled."));
}

// The extremes of the latency series in ns: the largest max and the smallest positive p50.
std::pair<double, double> latency_extremes(const RunView& v) {
  const json& lat = member(v.series, "latency_ns");
  double p50 = number_or(member(v.summary, "latency_ns"), "p50", 0);
  double top = number_or(member(v.summary, "latency_ns"), "max", 0);
  for (const Bucket& b : quantile_buckets(lat, "max", v.end_ns, 1)) {
    if (b.has_data) top = std::max(top, b.max);
  }
  if (!(p50 > 0)) {
    p50 = std::numeric_limits<double>::infinity();
    for (const Bucket& b : quantile_buckets(lat, "p50", v.end_ns, 1)) {
      if (b.has_data && b.max > 0) p50 = std::min(p50, b.max);
    }
  }
  return {p50, top};
}

std::string latency_section(const RunView& v) {
  const json& lat = member(v.series, "latency_ns");
  auto [p50, top] = latency_extremes(v);
  // Log scale when the tail dwarfs the median; seconds when milliseconds would need a "k".
  bool log = std::isfinite(p50) && top / p50 > 100;
  bool seconds = top >= 10e9;
  TimeChart chart(std::string("Latency percentiles") + (log ? " (log scale)" : ""),
                  seconds ? "latency (s)" : "latency (ms)", v.end_ns);
  chart.log_y(log);
  decorate(chart, v);
  static constexpr struct {
    const char* key;
    const char* css;
  } kLines[] = {{"p50", "s2"}, {"p90", "s0"}, {"p99", "s6"}, {"max", "s4"}};
  for (const auto& l : kLines) {
    chart.line(l.key, l.css, quantile_buckets(lat, l.key, v.end_ns, seconds ? 1e9 : 1e6), LineMode::bridged);
  }
  if (total_count(lat) == 0) chart.note("no latency samples");
  return section("latency", "Latency",
                 figure(chart.render(), "Source emit to sink effect, per bucket of virtual time; each percentile "
                                        "is a line, drawn straight across buckets without samples."));
}

std::string stages_section(const RunView& v) {
  const json& stages = member(v.summary, "stages");
  std::vector<Bar> bars;
  std::string table = "<div class=\"table-wrap\"><table><thead><tr><th>Stage</th><th class=\"num\">Workers</th>"
                      "<th class=\"num\">Processed</th><th class=\"num\">Busy</th><th class=\"num\">Blocked</th>"
                      "<th class=\"num\">Idle</th><th class=\"num\">Throughput</th></tr></thead><tbody>";
  if (stages.is_object()) {
    for (const auto& [name, s] : stages.items()) {
      double busy = number_or(s, "busy_fraction", 0);
      double blocked = number_or(s, "blocked_fraction", 0);
      double idle = number_or(s, "idle_fraction", std::max(0.0, 1 - busy - blocked));
      std::string css = busy >= 0.95 ? "bar hot" : busy >= 0.8 ? "bar warm" : "bar";
      std::string title = "stage " + name + ": busy " + format_percent(busy) + ", blocked on downstream " +
                          format_percent(blocked) + ", idle " + format_percent(idle);
      bars.push_back({name, busy + blocked + idle, css, title,
                      format_percent(busy) + " busy \u00b7 " + format_percent(blocked) + " blocked",
                      {{busy, css, "busy " + format_percent(busy)},
                       {blocked, "bar blocked", "blocked on downstream " + format_percent(blocked)},
                       {idle, "bar idle", "idle " + format_percent(idle)}}});
      table += "<tr><td><code>" + xml_escape(name) + "</code></td><td class=\"num\">" +
               format_count(number_or(s, "workers", NAN)) + "</td><td class=\"num\">" +
               format_count(number_or(s, "processed", NAN)) + "</td><td class=\"num\">" + format_percent(busy) +
               "</td><td class=\"num\">" + format_percent(blocked) + "</td><td class=\"num\">" + format_percent(idle) +
               "</td><td class=\"num\">" + format_number(number_or(s, "throughput_per_s", NAN)) + "/s</td></tr>";
    }
  }
  table += "</tbody></table></div>";
  if (bars.empty()) return section("stages", "Stages", "<p class=\"muted\">The run has no stages.</p>");
  std::string chart =
      render_bar_chart("Stage time: busy, blocked, idle", "share (% of worker time)", "stage", bars, 1.0, 100);
  return section("stages", "Stages",
                 figure(chart, "Share of the run each stage's workers spent serving events (busy, blue), waiting to "
                               "hand a finished event downstream (blocked, orange: the downstream call, a full queue, "
                               "retries after a refusal) and with nothing to do (idle, grey). A stage busy near 100% "
                               "is the bottleneck; a stage mostly blocked is held back by what follows it.") +
                     table);
}

std::string sheds_section(const RunView& v) {
  const json& shed = member(v.series, "shed");
  TimeChart chart("Sheds", "shed rate (events/s)", v.end_ns);
  decorate(chart, v);
  chart.line("shed", "s4", rate_buckets(shed, v.end_ns), LineMode::envelope);
  if (total_count(shed) == 0) chart.note("no events were shed");
  return section("sheds", "Sheds", figure(chart.render(), "Events dropped by a shedding policy, per second of "
                                                          "virtual time."));
}

std::string faults_section(const RunView& v) {
  if (v.faults.empty()) return section("faults", "Faults", "<p class=\"muted\">No faults were injected.</p>");
  std::string out = "<div class=\"table-wrap\"><table><thead><tr><th>Kind</th><th>Target</th><th class=\"num\">At"
                    "</th><th class=\"num\">Until</th><th>Description</th></tr></thead><tbody>";
  for (const FaultSpan& f : v.faults) {
    out += "<tr><td><span class=\"swatch " + f.css + "\" style=\"opacity:.6\"></span>" + xml_escape(f.kind) +
           "</td><td><code>" + xml_escape(f.target) + "</code></td><td class=\"num\">" + format_duration_ns(f.at_ns) +
           "</td><td class=\"num\">" + (f.end_ns > f.at_ns ? format_duration_ns(f.end_ns) : std::string("\u2014")) +
           "</td><td>" + xml_escape(f.description) + "</td></tr>";
  }
  return section("faults", "Faults", out + "</tbody></table></div>");
}

}  // namespace

std::string render_run_report(const json& summary, const json& series) {
  RunView v = make_view(summary, series);
  // "Why it failed" right under the verdict, and only when there is something to explain.
  const std::string why = why_it_failed(summary);
  std::string main = verdict_section(summary) + (why.empty() ? "" : section("why", "Why it failed", why)) +
                     figures_section(summary) + topology_section(summary) +
                     queues_section(v) + replicas_section(summary, series, v.end_ns, v.faults) +
                     alerts_section(summary, series, v.end_ns, v.faults) + throughput_section(v) + latency_section(v) + stages_section(v) +
                     sheds_section(v) + faults_section(v) + failover_section(summary) + perturbation_section(summary);
  std::vector<NavLink> nav = {{"verdict", "Verdict"},       {"figures", "Key figures"}, {"topology", "Topology"},
                              {"queues", "Queues"},         {"throughput", "Throughput"}, {"latency", "Latency"},
                              {"stages", "Stages"},         {"sheds", "Sheds"},         {"faults", "Faults"}};
  if (!why.empty()) nav.insert(nav.begin() + 1, NavLink{"why", "Why it failed"});
  if (member(summary, "scaling").is_object()) {
    auto queues = std::find_if(nav.begin(), nav.end(), [](const NavLink& l) { return l.anchor == "queues"; });
    nav.insert(queues == nav.end() ? nav.end() : queues + 1, NavLink{"replicas", "Replicas"});
  }
  if (member(summary, "alerts").is_object()) {
    auto throughput = std::find_if(nav.begin(), nav.end(), [](const NavLink& l) { return l.anchor == "throughput"; });
    nav.insert(throughput, NavLink{"alerts", "Alerts"});
  }
  if (!member(summary, "failover").empty()) nav.push_back(NavLink{"failover", "Failover"});
  if (member(summary, "perturbation").is_object()) nav.push_back(NavLink{"perturbation", "Perturbation"});
  bool ok = member(summary, "ok").is_boolean() && member(summary, "ok").get<bool>();
  std::string title = std::string(ok ? "PASS" : "FAIL") + " \u00b7 " + string_or(summary, "scenario", "run") +
                      " seed " + integer_text(member(summary, "seed")) + " \u00b7 sluice report";
  return html_document(title, header_html(summary), nav, main);
}

}  // namespace sluice
