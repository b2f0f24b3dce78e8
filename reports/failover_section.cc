#include "reports/failover_section.h"

#include "reports/html_page.h"
#include "reports/json_access.h"
#include "reports/number_format.h"
#include "reports/xml_escape.h"

namespace sluice::reports {
namespace {

using nlohmann::json;

// A time or duration in ns, or a dash with why it is missing.
std::string duration_cell(const json& row, const char* key, const char* missing) {
  const json& v = member(row, key);
  return "<td class=\"num\">" + (v.is_number() ? format_duration_ns(v.get<double>()) : std::string(missing)) + "</td>";
}

// How the restores the crash caused rebuilt their state: the backend, the
// changelog records replayed and the standbys promoted (a dash: no restore).
std::string restore_cell(const json& row) {
  const json& backend = member(row, "backend");
  if (!backend.is_string()) return "<td>-</td>";
  const json& restore = member(row, "restore");
  std::string out = "<td>" + xml_escape(backend.get<std::string>()) + ": " + integer_text(member(restore, "restores")) +
                    " restore(s), " + integer_text(member(restore, "records_replayed")) + " records replayed";
  const json& promoted = member(restore, "promoted_standbys");
  if (promoted.is_array() && !promoted.empty()) {
    out += ", promoted";
    for (const json& node : promoted) out += " <code>" + xml_escape(node.is_string() ? node.get<std::string>() : "") + "</code>";
  }
  return out + "</td>";
}

}  // namespace

std::string failover_section(const json& summary) {
  const json& crashes = member(summary, "failover");
  if (!crashes.is_array() || crashes.empty()) return "";
  std::string out =
      "<div class=\"table-wrap\"><table><thead><tr><th>Crash</th><th class=\"num\">At</th><th class=\"num\">Back at"
      "</th><th class=\"num\">Pending at crash</th><th class=\"num\">To first effect</th><th class=\"num\">To caught up"
      "</th><th>State restore</th></tr></thead><tbody>";
  for (const json& c : crashes) {
    out += "<tr><td>" + xml_escape(string_or(c, "kind")) + " <code>" + xml_escape(string_or(c, "node")) + "</code></td>" +
           duration_cell(c, "crashed_at_ns", "") + duration_cell(c, "restarted_at_ns", "never") + "<td class=\"num\">" +
           integer_text(member(c, "pending_at_crash")) + "</td>" + duration_cell(c, "recovery_ns", "none") +
           duration_cell(c, "catch_up_ns", "never") + restore_cell(c) + "</tr>";
  }
  return section("failover", "Failover",
                 out + "</tbody></table></div><p class=\"muted\">Per crash, from the crash: to the first effect at or "
                       "after the node came back, and to caught up (events pending back down to their count at the "
                       "crash), and how the restores it caused rebuilt their state (the state backend, changelog records replayed, "
                       "standby replicas promoted).</p>");
}

}  // namespace sluice::reports
