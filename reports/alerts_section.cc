#include "reports/alerts_section.h"

#include "reports/html_page.h"
#include "reports/json_access.h"
#include "reports/number_format.h"
#include "reports/svg_chart.h"
#include "reports/xml_escape.h"

namespace sluice::reports {
namespace {

using nlohmann::json;

double level_of(const std::string& state) {
  if (state == "firing") return 2;
  if (state == "pending") return 1;
  return 0;
}

// The state as a step function: 0 inactive, 1 pending, 2 firing.
std::vector<Bucket> state_steps(const json& transitions, double end_ns) {
  std::vector<Bucket> out;
  double at = 0, level = 0;
  for (const json& t : transitions) {
    const double next = number_or(t, "at_ns", at);
    if (next > at) out.push_back(Bucket{at, next, level, level, level, true});
    at = next;
    level = level_of(string_or(t, "state"));
  }
  if (end_ns > at) out.push_back(Bucket{at, end_ns, level, level, level, true});
  return out;
}

std::string rule_text(const json& a) {
  std::string metric = string_or(a, "metric");
  std::string of = string_or(a, "of");
  std::string text = metric + (of.empty() ? "" : " of " + of);
  if (metric != "stalled") text += " " + string_or(a, "op") + " " + format_number(number_or(a, "threshold", 0));
  return text + ", for " + format_duration_ns(number_or(a, "for_ns", 0)) + ", every " +
         format_duration_ns(number_or(a, "interval_ns", 0));
}

}  // namespace

std::string alerts_section(const json& summary, const json& series, double end_ns, const std::vector<FaultSpan>& faults) {
  const json& alerts = member(summary, "alerts");
  if (!alerts.is_object() || alerts.empty()) return "";
  std::string out;
  for (const auto& [name, a] : alerts.items()) {
    TimeChart chart("Alert: " + name + " (" + rule_text(a) + ")", "0 inactive, 1 pending, 2 firing", end_ns);
    chart.y_at_least(2);
    for (const FaultSpan& f : faults) chart.span(f.kind, f.css, f.at_ns, f.end_ns, f.description);
    for (const json& s : member(member(series, "alerts"), name)) {
      const std::string state = string_or(s, "state");
      const double from = number_or(s, "from_ns", 0), to = number_or(s, "to_ns", 0);
      chart.span(state, state == "firing" ? "a-firing" : "a-pending", from, to,
                 state + " from " + format_duration_ns(from) + " to " + format_duration_ns(to));
    }
    chart.line("state", "s3", state_steps(member(a, "transitions"), end_ns), LineMode::envelope);
    out += figure(chart.render(), "Fired " + integer_text(member(a, "fired")) + " time(s).");
  }
  return section("alerts", "Alerts", out);
}

}  // namespace sluice::reports
