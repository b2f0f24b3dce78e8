// The sweep report: one page over the seeds of `sluice sweep`.
#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/html_page.h"
#include "reports/html_report.h"
#include "reports/json_access.h"
#include "reports/number_format.h"
#include "reports/bar_charts.h"
#include "reports/svg_frame.h"
#include "reports/svg_path.h"
#include "reports/xml_escape.h"

namespace sluice {
namespace {

using namespace reports;  // the building blocks of this file, all in one namespace
using nlohmann::json;

// Beyond this many failing seeds the table stops (the grid still shows them all).
constexpr std::size_t kMaxFailingRows = 500;

struct SeedRow {
  std::string seed;
  bool ok = true;
  const json* data = nullptr;
};

std::vector<SeedRow> seed_rows(const json& sweep) {
  std::vector<SeedRow> rows;
  for (const json& s : member(sweep, "seeds")) {
    bool ok = !member(s, "ok").is_boolean() || member(s, "ok").get<bool>();
    rows.push_back({integer_text(member(s, "seed")), ok, &s});
  }
  return rows;
}

std::size_t failing(const std::vector<SeedRow>& rows) {
  return static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [](const SeedRow& r) { return !r.ok; }));
}

// Seed and failure totals: a long sweep's page lists only some seeds, so the
// totals come from the sweep's own counts when it has them.
double seeds_run(const json& sweep, const std::vector<SeedRow>& rows) {
  return number_or(sweep, "seeds_run", static_cast<double>(rows.size()));
}
double failures(const json& sweep, const std::vector<SeedRow>& rows) {
  return number_or(sweep, "failures", static_cast<double>(failing(rows)));
}

bool interrupted(const json& sweep) {
  return member(sweep, "interrupted").is_boolean() && member(sweep, "interrupted").get<bool>();
}

std::string provenance_line(const json& sweep) {
  const json& p = member(sweep, "provenance");
  if (!p.is_object()) return "";
  return "<div class=\"meta\">sluice " + xml_escape(string_or(p, "sluice_version", "?")) + " \u00b7 commit <code>" +
         xml_escape(string_or(p, "commit", "unknown")) + "</code> \u00b7 " +
         xml_escape(string_or(p, "build_type", "unknown")) + " build \u00b7 scenario sha256 <code>" +
         xml_escape(string_or(p, "scenario_sha256", "n/a")) + "</code></div>";
}

std::string header_html(const json& sweep, const std::vector<SeedRow>& rows) {
  double failed = failures(sweep, rows);
  std::string out = "<div>" + verdict_badge(failed == 0 && seeds_run(sweep, rows) > 0 && !interrupted(sweep)) +
                    "</div><div><div class=\"kind\">sluice sweep report</div><h1>" +
                    xml_escape(string_or(sweep, "scenario", "unnamed scenario")) + "</h1><div class=\"meta\"><b>" +
                    format_count(seeds_run(sweep, rows)) + "</b> seeds \u00b7 <b>" + format_count(failed) +
                    "</b> failing \u00b7 <b>" + format_count(static_cast<double>(member(sweep, "groups").size())) +
                    "</b> failure groups";
  if (!rows.empty()) out += " \u00b7 seeds " + xml_escape(rows.front().seed) + " to " + xml_escape(rows.back().seed);
  if (interrupted(sweep)) out += " \u00b7 <b>interrupted</b>: only the seeds that finished are here";
  double omitted = number_or(sweep, "seeds_omitted", 0);
  if (omitted > 0) out += " \u00b7 " + format_count(omitted) + " passing seeds not drawn (see sweep.json)";
  return out + "</div>" + provenance_line(sweep) + "</div>";
}

// How often each fault kind and fault point was exercised across the seeds.
std::string fault_coverage(const json& sweep) {
  const json& coverage = member(sweep, "fault_coverage");
  if (!coverage.is_object()) return "<p class=\"muted\">The sweep carries no fault coverage.</p>";
  std::string out = "<div class=\"table-wrap\"><table><thead><tr><th>Fault kind</th>"
                    "<th class=\"num\">Seeds enabling it (swarm)</th><th class=\"num\">Seeds where it began</th>"
                    "<th class=\"num\">Faults begun</th></tr></thead><tbody>";
  for (const auto& [kind, t] : member(coverage, "kinds").items()) {
    out += "<tr><td class=\"text\"><code>" + xml_escape(kind) + "</code></td><td class=\"num\">" +
           format_count(number_or(t, "enabled", 0)) + "</td><td class=\"num\">" +
           format_count(number_or(t, "seeds", 0)) + "</td><td class=\"num\">" +
           format_count(number_or(t, "faults", 0)) + "</td></tr>";
  }
  out += "</tbody></table></div><div class=\"table-wrap\"><table><thead><tr><th>Fault point</th>"
         "<th class=\"num\">Seeds crashing there</th><th class=\"num\">Crashes</th></tr></thead><tbody>";
  for (const auto& [point, t] : member(coverage, "points").items()) {
    out += "<tr><td class=\"text\"><code>" + xml_escape(point) + "</code></td><td class=\"num\">" +
           format_count(number_or(t, "seeds", 0)) + "</td><td class=\"num\">" +
           format_count(number_or(t, "faults", 0)) + "</td></tr>";
  }
  return out + "</tbody></table></div><p class=\"muted\">Out of " + format_count(number_or(coverage, "seeds", 0)) +
         " seeds. A zero row is a kind or point no seed exercised.</p>";
}

// One coloured cell per seed, in sweep order; failing cells link to their row.
std::string seed_grid(const std::vector<SeedRow>& rows) {
  double pitch = rows.size() <= 1000 ? 16 : rows.size() <= 5000 ? 10 : 6;
  double cell = pitch - (pitch > 8 ? 3 : 1);
  auto per_row = static_cast<std::size_t>(std::floor((kChartWidth - 16) / pitch));
  std::size_t lines = std::max<std::size_t>(1, (rows.size() + per_row - 1) / per_row);
  std::string out = "<svg class=\"grid-cells\" viewBox=\"0 0 " + svg_number(kChartWidth) + ' ' +
                    svg_number(static_cast<double>(lines) * pitch + 8) +
                    "\" role=\"img\" aria-label=\"pass or fail per seed\"><title>Pass or fail per seed</title>";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    double x = 8 + static_cast<double>(i % per_row) * pitch, y = 4 + static_cast<double>(i / per_row) * pitch;
    std::string rect = "<rect class=\"cell " + std::string(rows[i].ok ? "ok" : "fail") + "\" x=\"" + svg_number(x) +
                       "\" y=\"" + svg_number(y) + "\" width=\"" + svg_number(cell) + "\" height=\"" +
                       svg_number(cell) + "\"><title>seed " + xml_escape(rows[i].seed) +
                       (rows[i].ok ? " passed" : " failed") + "</title></rect>";
    out += rows[i].ok ? rect : "<a href=\"#seed-" + xml_attr(rows[i].seed) + "\">" + rect + "</a>";
  }
  return out + "</svg>";
}

std::string groups_table(const json& sweep) {
  const json& groups = member(sweep, "groups");
  if (!groups.is_array() || groups.empty()) return "<p class=\"muted\">No failure groups.</p>";
  std::string out = "<div class=\"table-wrap\"><table><thead><tr><th>Signature</th><th class=\"num\">Seeds</th>"
                    "<th class=\"num\">Fastest seed</th><th>Reproduce</th></tr></thead><tbody>";
  for (const json& g : groups) {
    out += "<tr><td class=\"text\"><code>" + xml_escape(string_or(g, "signature")) + "</code></td><td class=\"num\">" +
           format_count(number_or(g, "count", NAN)) + "</td><td class=\"num\">" +
           xml_escape(integer_text(member(g, "fastest_seed"), "n/a")) + "</td><td><code>" +
           xml_escape(string_or(g, "repro")) + "</code></td></tr>";
  }
  return out + "</tbody></table></div>";
}

std::string failing_table(const std::vector<SeedRow>& rows) {
  std::size_t failed = failing(rows);
  if (failed == 0) return "<p>Every seed passed.</p>";
  std::string out = "<div class=\"table-wrap\"><table><thead><tr><th class=\"num\">Seed</th><th>Failed</th>"
                    "<th class=\"num\">p99 latency</th><th>trace_hash</th><th>Reproduce</th></tr></thead><tbody>";
  std::size_t shown = 0;
  for (const SeedRow& r : rows) {
    if (r.ok) continue;
    if (shown++ == kMaxFailingRows) break;
    std::string names;
    for (const std::string& n : strings_of(member(*r.data, "failed"))) names += (names.empty() ? "" : ", ") + n;
    out += "<tr id=\"seed-" + xml_attr(r.seed) + "\"><td class=\"num\">" + xml_escape(r.seed) + "</td><td>" +
           xml_escape(names.empty() ? "(run outcome)" : names) + "</td><td class=\"num\">" +
           format_duration_ns(number_or(*r.data, "p99_ns", NAN)) + "</td><td><code>" +
           xml_escape(string_or(*r.data, "trace_hash")) + "</code></td><td><code>" +
           xml_escape(string_or(*r.data, "repro")) + "</code></td></tr>";
  }
  out += "</tbody></table></div>";
  if (failed > kMaxFailingRows) {
    out += "<p class=\"muted\">" + format_count(static_cast<double>(failed - kMaxFailingRows)) +
           " more failing seeds are not listed; the grid above shows every seed.</p>";
  }
  return out;
}

std::string depth_histograms(const std::vector<SeedRow>& rows) {
  std::map<std::string, std::pair<std::vector<double>, std::vector<bool>>> per_queue;
  for (const SeedRow& r : rows) {
    const json& depths = member(*r.data, "max_depth");
    if (!depths.is_object()) continue;
    for (const auto& [queue, depth] : depths.items()) {
      if (!depth.is_number()) continue;
      per_queue[queue].first.push_back(depth.get<double>());
      per_queue[queue].second.push_back(!r.ok);
    }
  }
  if (per_queue.empty()) return "<p class=\"muted\">The sweep carries no queue depths.</p>";
  std::string out;
  for (const auto& [queue, data] : per_queue) {
    out += figure(render_histogram("Max depth across seeds: " + queue, "max depth (events)", "seeds",
                                   histogram_bins(data.first, data.second, 24, true), true));
  }
  return out;
}

std::string latency_histogram(const std::vector<SeedRow>& rows) {
  std::vector<double> values;
  std::vector<bool> failed;
  for (const SeedRow& r : rows) {
    if (!has_number(*r.data, "p99_ns")) continue;
    values.push_back(number_or(*r.data, "p99_ns", 0) / 1e6);
    failed.push_back(!r.ok);
  }
  if (values.empty()) return "<p class=\"muted\">The sweep carries no latency figures.</p>";
  return figure(render_histogram("p99 latency across seeds", "p99 latency (ms)", "seeds",
                                 histogram_bins(values, failed, 24, false), false));
}

}  // namespace

std::string render_sweep_report(const json& sweep) {
  std::vector<SeedRow> rows = seed_rows(sweep);
  std::string main;
  main += section("seeds", "Seeds",
                  figure(seed_grid(rows), "One cell per seed: green passed, red failed (click a red cell for its "
                                          "repro command)."));
  main += section("groups", "Failure groups", groups_table(sweep));
  main += section("faults", "Fault coverage", fault_coverage(sweep));
  main += section("depths", "Queue depth across seeds", depth_histograms(rows));
  main += section("p99", "Latency across seeds", latency_histogram(rows));
  main += section("failing", "Failing seeds", failing_table(rows));  // last: it can be long
  std::vector<NavLink> nav = {{"seeds", "Seeds"},
                              {"groups", "Failure groups"},
                              {"faults", "Fault coverage"},
                              {"depths", "Queue depth"},
                              {"p99", "Latency"},
                              {"failing", "Failing seeds"}};
  bool passed = failures(sweep, rows) == 0 && seeds_run(sweep, rows) > 0 && !interrupted(sweep);
  std::string title = std::string(passed ? "PASS" : interrupted(sweep) ? "INTERRUPTED" : "FAIL") + " \u00b7 " +
                      string_or(sweep, "scenario", "sweep") + " sweep \u00b7 sluice report";
  return html_document(title, header_html(sweep, rows), nav, main);
}

}  // namespace sluice
