#include "reports/replicas_chart.h"

#include "reports/html_page.h"
#include "reports/json_access.h"
#include "reports/number_format.h"
#include "reports/svg_chart.h"
#include "reports/xml_escape.h"

namespace sluice::reports {
namespace {

using nlohmann::json;

// The reason a decision gave, from summary.json (series.json keeps only time, from and to).
std::string reason_at(const json& decisions, double at_ns) {
  for (const json& d : decisions) {
    if (number_or(d, "at_ns", -1) == at_ns) return string_or(d, "reason");
  }
  return "";
}

std::string stage_chart(const std::string& name, const json& replicas, const json& summary_stage, double end_ns,
                        const std::vector<FaultSpan>& faults) {
  TimeChart chart("Replicas: " + name, "ready replicas", end_ns);
  chart.y_at_least(1);
  for (const FaultSpan& f : faults) chart.span(f.kind, f.css, f.at_ns, f.end_ns, f.description);
  chart.band("min\u2013max", "s1", gauge_buckets(replicas, end_ns));
  chart.line("mean", "s1", gauge_buckets(replicas, end_ns), LineMode::mean);
  const json& decisions = member(summary_stage, "decisions");
  for (const json& d : member(replicas, "decisions")) {
    const double at = number_or(d, "at_ns", 0);
    const std::string move = integer_text(member(d, "from")) + " \u2192 " + integer_text(member(d, "to"));
    chart.marker("decision", "ckpt", at, format_duration_ns(at) + ": " + move + " (" + reason_at(decisions, at) + ")");
  }
  std::string caption = "Ready replicas (started, not draining) per bucket of virtual time; each marker is a "
                        "scaling decision (hover for its reason). " +
                        integer_text(member(summary_stage, "reversals")) + " reversal(s) of direction.";
  const double capped = number_or(summary_stage, "capped_by_partitions", 0);
  if (capped > 0) {
    caption += " " + format_count(capped) +
               " decision(s) were capped at the partition count: more replicas would get no partition and idle.";
  }
  return "<div id=\"replicas-" + xml_attr(name) + "\">" + figure(chart.render(), caption) + "</div>";
}

}  // namespace

std::string replicas_section(const json& summary, const json& series, double end_ns,
                             const std::vector<FaultSpan>& faults) {
  const json& scaling = member(summary, "scaling");
  const json& replicas = member(series, "replicas");
  if (!scaling.is_object() || scaling.empty()) return "";
  std::string out;
  for (const auto& [name, stage] : scaling.items()) out += stage_chart(name, member(replicas, name), stage, end_ns, faults);
  return section("replicas", "Replicas", out);
}

}  // namespace sluice::reports
