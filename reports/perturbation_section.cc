#include "reports/perturbation_section.h"

#include <cmath>

#include "reports/html_page.h"
#include "reports/json_access.h"
#include "reports/number_format.h"
#include "reports/xml_escape.h"

namespace sluice::reports {

using nlohmann::json;

std::string perturbation_section(const json& summary) {
  const json& p = member(summary, "perturbation");
  if (!p.is_object()) return "";
  const json& fired = member(p, "fired");
  std::string rows;
  for (const std::string& site : strings_of(member(p, "enabled"))) {
    const json& count = member(fired, site);
    const bool any = count.is_number() && count.get<double>() > 0;
    rows += "<tr><td><code>" + xml_escape(site) + "</code></td><td class=\"num\">" +
            (count.is_number() ? integer_text(count) : std::string("0")) + "</td><td>" +
            (any ? std::string() : pill("na", "never fired")) + "</td></tr>";
  }
  const std::string table =
      rows.empty() ? std::string("<p>No site was enabled for this seed.</p>")
                   : "<div class=\"table-wrap\"><table><thead><tr><th>Site enabled</th><th class=\"num\">Fired</th><th>"
                     "</th></tr></thead><tbody>" + rows + "</tbody></table></div>";
  return section("perturbation", "Perturbation",
                 table + "<p class=\"muted\">Each site enabled with probability " +
                     format_number(number_or(p, "enable_probability", NAN)) + " for this seed, then firing with probability " +
                     format_number(number_or(p, "fire_probability", NAN)) +
                     " each time it is reached; where one fired is marked on the time charts.</p>");
}

}  // namespace sluice::reports
