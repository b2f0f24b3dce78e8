// The report's Replicas and Alerts sections: drawn from summary.json's
// "scaling" / "alerts" and series.json's "replicas" / "alerts", absent
// when a run has neither.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "reports/html_report.h"

namespace sluice {
namespace {

using nlohmann::json;

json summary() {
  return json{{"scenario", "s"}, {"seed", 1}, {"ok", true}, {"virtual_time_ns", 100e9},
              {"scaling", {{"enrich", {{"decisions", json::array({{{"at_ns", 30e9}, {"from", 2}, {"to", 5},
                                                                   {"reason", "lag 250 against lag_threshold 50"}}})},
                                       {"ready_min", 2}, {"ready_max", 5}, {"reversals", 0},
                                       {"capped_by_partitions", 1}}}}},
              {"alerts", {{"lag-high", {{"metric", "consumer_lag"}, {"of", "t"}, {"op", "above"}, {"threshold", 500},
                                        {"for_ns", 10e9}, {"interval_ns", 5e9}, {"fired", 1},
                                        {"transitions", json::array({{{"at_ns", 35e9}, {"state", "pending"}},
                                                                     {{"at_ns", 45e9}, {"state", "firing"}},
                                                                     {{"at_ns", 90e9}, {"state", "resolved"}}})}}}}}};
}

json series() {
  return json{{"virtual_time_ns", 100e9},
              {"replicas", {{"enrich", {{"width_ns", 50e9}, {"t", {0, 50e9}}, {"min", {2, 5}}, {"max", {5, 5}},
                                        {"mean", {3.5, 5}}, {"decisions", json::array({{{"at_ns", 30e9}, {"from", 2}, {"to", 5}}})}}}}},
              {"alerts", {{"lag-high", json::array({{{"state", "pending"}, {"from_ns", 35e9}, {"to_ns", 45e9}},
                                                    {{"state", "firing"}, {"from_ns", 45e9}, {"to_ns", 90e9}}})}}}};
}

TEST(ScalingSections, ReplicasChartMarksEachDecisionWithItsReason) {
  const std::string html = render_run_report(summary(), series());
  EXPECT_NE(html.find("id=\"replicas\""), std::string::npos);
  EXPECT_NE(html.find("Replicas: enrich"), std::string::npos);
  EXPECT_NE(html.find("2 \u2192 5 (lag 250 against lag_threshold 50)"), std::string::npos);
  EXPECT_NE(html.find("capped at the partition count"), std::string::npos);
}

TEST(ScalingSections, AlertsAreDrawnAsPendingAndFiringSpans) {
  const std::string html = render_run_report(summary(), series());
  EXPECT_NE(html.find("id=\"alerts\""), std::string::npos);
  EXPECT_NE(html.find("Alert: lag-high (consumer_lag of t above 500"), std::string::npos);
  EXPECT_NE(html.find("a-firing"), std::string::npos);
  EXPECT_NE(html.find("a-pending"), std::string::npos);
}

TEST(ScalingSections, AbsentWithoutScalingOrAlerts) {
  json s = summary();
  s.erase("scaling");
  s.erase("alerts");
  const std::string html = render_run_report(s, json{{"virtual_time_ns", 100e9}});
  EXPECT_EQ(html.find("id=\"replicas\""), std::string::npos);
  EXPECT_EQ(html.find("id=\"alerts\""), std::string::npos);
}

}  // namespace
}  // namespace sluice
