#include "reports/explore_report.h"

#include <algorithm>

#include "reports/html_page.h"
#include "reports/svg_path.h"
#include "reports/xml_escape.h"

namespace sluice::reports {
namespace {

constexpr double kWidth = 720, kHeight = 220, kLeft = 48, kBottom = 28, kTop = 10, kRight = 12;

// Distinct situations reached after each run, as a step-free line.
std::string growth_chart(const nlohmann::json& growth) {
  const std::size_t runs = growth.size();
  double most = 1;
  for (const nlohmann::json& v : growth) most = std::max(most, v.get<double>());
  const double w = kWidth - kLeft - kRight, h = kHeight - kTop - kBottom;
  PathData line;
  for (std::size_t i = 0; i < runs; ++i) {
    const double x = kLeft + (runs <= 1 ? 0 : w * static_cast<double>(i) / static_cast<double>(runs - 1));
    const double y = kTop + h - h * growth[i].get<double>() / most;
    if (i == 0) line.move_to(x, y);
    else line.line_to(x, y);
  }
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + svg_number(kWidth) + " " +
                    svg_number(kHeight) + "\" width=\"" + svg_number(kWidth) + "\" height=\"" + svg_number(kHeight) +
                    "\" role=\"img\" aria-label=\"coverage over runs\">";
  svg += "<path d=\"M" + svg_number(kLeft) + " " + svg_number(kTop + h) + "H" + svg_number(kLeft + w) +
         "\" stroke=\"#999\" fill=\"none\"/>";
  svg += "<text x=\"4\" y=\"" + svg_number(kTop + 10) + "\" font-size=\"11\">" + svg_number(most) + "</text>";
  svg += "<text x=\"" + svg_number(kLeft + w - 60) + "\" y=\"" + svg_number(kHeight - 8) + "\" font-size=\"11\">run " +
         std::to_string(runs) + "</text>";
  if (!line.empty()) svg += "<path d=\"" + line.str() + "\" stroke=\"#2563eb\" stroke-width=\"2\" fill=\"none\"/>";
  return svg + "</svg>";
}

std::string list_items(const nlohmann::json& items) {
  if (items.empty()) return "<p>None: every situation of the table was reached.</p>";
  std::string html = "<ul class=\"never-reached\">";
  for (const nlohmann::json& item : items) html += "<li><code>" + xml_escape(item.get<std::string>()) + "</code></li>";
  return html + "</ul>";
}

std::string failure_section(const nlohmann::json& sweep) {
  if (!sweep.contains("first_failure")) {
    return section("failure", "First failure", "<p>No run failed in " + std::to_string(sweep["runs_done"].get<std::uint64_t>()) + " runs.</p>");
  }
  const nlohmann::json& f = sweep["first_failure"];
  return section("failure", "First failure",
                 "<p>Run " + std::to_string(f["run"].get<std::uint64_t>()) + ": <code>" +
                     xml_escape(f["signature"].get<std::string>()) + "</code></p><p>" +
                     xml_escape(f["first"].get<std::string>()) + "</p><pre>" + xml_escape(f["repro"].get<std::string>()) +
                     "</pre>");
}

}  // namespace

std::string render_explore_report(const nlohmann::json& sweep) {
  const std::string name = sweep["scenario"].get<std::string>();
  std::string header = "<h1>" + xml_escape(name) + ": guided exploration</h1>" + verdict_badge(sweep["ok"].get<bool>());
  std::string tiles = "<div class=\"tiles\">" + tile("runs", std::to_string(sweep["runs_done"].get<std::uint64_t>())) +
                      tile("corpus", std::to_string(sweep["corpus"].size()), "runs that reached new coverage") +
                      tile("situations reached", std::to_string(sweep["coverage"].size())) +
                      tile("never reached", std::to_string(sweep["never_reached"].size()), "of the coverage table") +
                      "</div>";
  std::string main = tiles +
                     section("growth", "Coverage over runs",
                             figure(growth_chart(sweep["coverage_growth"]), "distinct situations reached after each run")) +
                     failure_section(sweep) +
                     section("never", "Never reached", list_items(sweep["never_reached"]));
  return html_document(name + " guided exploration", header,
                       {{"growth", "Coverage"}, {"failure", "Failure"}, {"never", "Never reached"}}, main);
}

}  // namespace sluice::reports
