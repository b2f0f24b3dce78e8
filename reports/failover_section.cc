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

}  // namespace

std::string failover_section(const json& summary) {
  const json& crashes = member(summary, "failover");
  if (!crashes.is_array() || crashes.empty()) return "";
  std::string out =
      "<div class=\"table-wrap\"><table><thead><tr><th>Crash</th><th class=\"num\">At</th><th class=\"num\">Back at"
      "</th><th class=\"num\">Pending at crash</th><th class=\"num\">To first effect</th><th class=\"num\">To caught up"
      "</th></tr></thead><tbody>";
  for (const json& c : crashes) {
    out += "<tr><td>" + xml_escape(string_or(c, "kind")) + " <code>" + xml_escape(string_or(c, "node")) + "</code></td>" +
           duration_cell(c, "crashed_at_ns", "") + duration_cell(c, "restarted_at_ns", "never") + "<td class=\"num\">" +
           integer_text(member(c, "pending_at_crash")) + "</td>" + duration_cell(c, "recovery_ns", "none") +
           duration_cell(c, "catch_up_ns", "never") + "</tr>";
  }
  return section("failover", "Failover",
                 out + "</tbody></table></div><p class=\"muted\">Per crash, from the crash: to the first effect at or "
                       "after the node came back, and to caught up (events pending back down to their count at the "
                       "crash).</p>");
}

}  // namespace sluice::reports
