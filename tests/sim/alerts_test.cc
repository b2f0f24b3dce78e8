// Alert rules judged in virtual time: the Prometheus state machine, the
// shipped alert scenarios (one failing on purpose), and bad rules as exit-2
// errors with their JSON path.
#include <gtest/gtest.h>

#include <string>

#include "sim/alerts/alert_state.h"
#include "sim/run/runner.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/scenario_error.h"
#include "tests/sim/run_test_support.h"

namespace sluice {
namespace {

constexpr Nanos kSecond = kNanosPerSecond;

std::vector<std::string> states(const AlertState& a) {
  std::vector<std::string> out;
  for (const AlertTransition& t : a.transitions()) out.push_back(std::string(t.state) + "@" + std::to_string(t.at / kSecond));
  return out;
}

TEST(AlertStateTest, PendingThenFiringAfterForThenResolved) {
  AlertState a(10 * kSecond);
  EXPECT_FALSE(a.evaluate(0, false, 0));
  EXPECT_TRUE(a.evaluate(5 * kSecond, true, 1));
  EXPECT_FALSE(a.evaluate(10 * kSecond, true, 1));
  EXPECT_TRUE(a.evaluate(15 * kSecond, true, 1));
  EXPECT_TRUE(a.firing());
  EXPECT_TRUE(a.evaluate(20 * kSecond, false, 0));
  EXPECT_EQ(states(a), (std::vector<std::string>{"pending@5", "firing@15", "resolved@20"}));
}

TEST(AlertStateTest, APendingAlertThatClearsNeverFires) {
  AlertState a(10 * kSecond);
  a.evaluate(5 * kSecond, true, 1);
  a.evaluate(10 * kSecond, false, 0);
  a.evaluate(15 * kSecond, true, 1);
  EXPECT_FALSE(a.firing());
  EXPECT_EQ(states(a), (std::vector<std::string>{"pending@5", "inactive@10", "pending@15"}));
}

TEST(AlertStateTest, ForZeroFiresAtTheFirstActiveEvaluation) {
  AlertState a(0);
  EXPECT_TRUE(a.evaluate(5 * kSecond, true, 1));
  EXPECT_TRUE(a.firing());
  EXPECT_EQ(states(a), (std::vector<std::string>{"pending@5", "firing@5"}));
}

RunReport run(const std::string& path) {
  RunOptions options;
  options.seed = 1;
  return run_scenario(testing::shipped(path), options);
}

TEST(Alerts, LagAlertFiresWithinThirtySecondsOfASlowdownAndResolvesAfterTheHeal) {
  RunReport report = run("scaling/alert_lag_slowdown.json");
  ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  const nlohmann::json& lag = report.summary["alerts"]["consumer-lag"];
  std::int64_t fired = -1, resolved = -1;
  for (const nlohmann::json& t : lag["transitions"]) {
    if (t["state"] == "firing" && fired < 0) fired = t["at_ns"].get<std::int64_t>();
    if (t["state"] == "resolved" && resolved < 0) resolved = t["at_ns"].get<std::int64_t>();
  }
  EXPECT_GE(fired, 30 * kSecond);
  EXPECT_LE(fired, 60 * kSecond);
  EXPECT_GE(resolved, 70 * kSecond);
  EXPECT_LE(resolved, 130 * kSecond);
  EXPECT_EQ(report.summary["alerts"]["enrich-stalled"]["fired"].get<int>(), 0);
  ASSERT_TRUE(report.series["alerts"].contains("consumer-lag"));
  EXPECT_FALSE(report.series["alerts"]["consumer-lag"].empty());
}

TEST(Alerts, AnAlertWhoseForIsTooLongFailsItsExpectationWithAnExplanation) {
  RunReport report = run("scaling/fails_on_purpose/alert_for_too_long.json");
  EXPECT_FALSE(report.ok);
  ASSERT_EQ(report.expectation_failures.size(), 2u) << report.summary["expectations"].dump(2);
  const std::string& why = report.expectation_failures[0];
  EXPECT_NE(why.find("alert 'consumer-lag' was expected to fire within 30.0s of fault 0"), std::string::npos) << why;
  EXPECT_NE(why.find("went pending at"), std::string::npos) << why;
  EXPECT_NE(why.find("did not hold for 120.0s"), std::string::npos) << why;
  EXPECT_NE(report.expectation_failures[1].find("never fired"), std::string::npos) << report.expectation_failures[1];
}

void expect_error(const std::string& alerts, const std::string& expect, const std::string& pointer) {
  const std::string text = R"({"name":"x","sources":[{"id":"s","node":"n","count":1,"arrival":{"dist":"constant","rate":1},"to":"b"}],
    "buffers":[{"id":"b","node":"n","capacity":4}],
    "stages":[{"id":"st","from":"b","workers":["w1"],"service_time":{"dist":"constant","value":"1ms"},"to":"d"}],
    "sinks":[{"id":"d","node":"n"}], "alerts": )" + alerts + R"(, "expect": )" + expect + "}";
  try {
    load_scenario_text(text, "inline.json");
    FAIL() << "accepted " << alerts << " " << expect;
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find(pointer), std::string::npos) << e.what();
  }
}

TEST(Alerts, BadRulesAndExpectationsNameTheirPath) {
  const std::string ok_rule = R"([{"name":"deep","metric":"queue_depth","of":"b","above":3}])";
  expect_error(R"([{"name":"deep","metric":"queue_depth","of":"nope","above":3}])", "{}", "/alerts/0/of");
  expect_error(R"([{"name":"deep","metric":"queue_depth","above":3}])", "{}", "/alerts/0");
  expect_error(R"([{"name":"deep","metric":"queue_depth","of":"b","above":3,"below":1}])", "{}", "/alerts/0");
  expect_error(R"([{"name":"deep","metric":"depth","of":"b","above":3}])", "{}", "/alerts/0/metric");
  expect_error(ok_rule, R"({"alerts":[{"alert":"shallow","never_fires":true}]})", "/expect/alerts/0/alert");
  expect_error(ok_rule, R"({"alerts":[{"alert":"deep","fires_within":"5s","after_fault":0}]})", "/expect/alerts/0");
  expect_error(ok_rule, R"({"alerts":[{"alert":"deep","fires_within":"5s"}]})", "/expect/alerts/0");
  expect_error(ok_rule, R"({"alerts":[{"alert":"deep","resolves_within":"5s","after_fault":0}]})",
               "/expect/alerts/0/after_fault");
}

}  // namespace
}  // namespace sluice
