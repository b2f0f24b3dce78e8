// The report's Perturbation section: the sites the seed enabled with how
// often each fired (a site that never fired says so), the probabilities, a
// nav link; fired sites marked on the time charts; nothing when it was off.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "reports/html_report.h"

namespace sluice {
namespace {

using nlohmann::json;

json summary_with(json perturbation) {
  json s = {{"scenario", "s"}, {"seed", 1}, {"ok", true}, {"virtual_time_ns", 100e9}};
  if (!perturbation.is_null()) s["perturbation"] = perturbation;
  return s;
}

json series_with_a_fired_site() {
  return json{{"virtual_time_ns", 100e9},
              {"effects", {{"width_ns", 10e9}, {"t", {0, 10e9}}, {"count", {5, 5}}}},
              {"marks", json::array({{{"kind", "perturbed"}, {"at_ns", 12e9}, {"part", "fetch_short on broker"}, {"id", 2}}})}};
}

TEST(PerturbationSection, SitesFiredCountsAndProbabilities) {
  const json p = {{"enabled", {"fetch_short", "heartbeat_delayed"}},
                  {"fired", {{"fetch_short", 7}, {"heartbeat_delayed", 0}}},
                  {"enable_probability", 0.25},
                  {"fire_probability", 0.05}};
  const std::string html = render_run_report(summary_with(p), series_with_a_fired_site());
  const std::size_t at = html.find("id=\"perturbation\"");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(html.find("href=\"#perturbation\""), std::string::npos);
  EXPECT_NE(html.find("<code>fetch_short</code></td><td class=\"num\">7</td>", at), std::string::npos);
  const std::size_t delayed = html.find("<code>heartbeat_delayed</code>", at);
  ASSERT_NE(delayed, std::string::npos);
  EXPECT_NE(html.find("never fired", delayed), std::string::npos);
  EXPECT_NE(html.find("0.25", at), std::string::npos);
  EXPECT_NE(html.find("0.05", at), std::string::npos);
  // The fired site is a mark on the time charts, with its hover text.
  EXPECT_NE(html.find("perturbation site fetch_short on broker fired at"), std::string::npos);
}

TEST(PerturbationSection, NoSiteEnabledIsSaid) {
  const json p = {{"enabled", json::array()}, {"fired", json::object()}, {"enable_probability", 0.25}, {"fire_probability", 0.05}};
  const std::string html = render_run_report(summary_with(p), json{{"virtual_time_ns", 100e9}});
  ASSERT_NE(html.find("id=\"perturbation\""), std::string::npos);
  EXPECT_NE(html.find("No site was enabled for this seed."), std::string::npos);
}

TEST(PerturbationSection, AbsentWhenOff) {
  const std::string html = render_run_report(summary_with(json()), json{{"virtual_time_ns", 100e9}});
  EXPECT_EQ(html.find("id=\"perturbation\""), std::string::npos);
  EXPECT_EQ(html.find("href=\"#perturbation\""), std::string::npos);
}

}  // namespace
}  // namespace sluice
