// Elastic scaling end to end: the shipped scenarios in scenarios/scaling/
// behave as their descriptions say, and bad autoscale blocks are exit-2
// errors with their JSON path.
#include <gtest/gtest.h>

#include <string>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/scenario_error.h"
#include "tests/sim/run_test_support.h"

namespace sluice {
namespace {

using testing::shipped;
using testing::verdict;

constexpr std::int64_t kSecond = 1'000'000'000;

RunReport run(const std::string& path, std::uint64_t seed = 1) {
  RunOptions options;
  options.seed = seed;
  return run_scenario(shipped(path), options);
}

const nlohmann::json& decisions(const RunReport& report, const char* stage) {
  return report.summary["scaling"][stage]["decisions"];
}

TEST(Scaling, HpaFollowsALoadStepUpAndOnlyLaterDown) {
  RunReport report = run("scaling/hpa_load_step.json");
  ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  const nlohmann::json& d = decisions(report, "enrich");
  ASSERT_FALSE(d.empty());
  // The first change is up, during the step (60 s .. 180 s).
  EXPECT_GT(d[0]["to"].get<int>(), d[0]["from"].get<int>());
  EXPECT_GE(d[0]["at_ns"].get<std::int64_t>(), 60 * kSecond);
  EXPECT_LE(d[0]["at_ns"].get<std::int64_t>(), 180 * kSecond);
  EXPECT_GE(report.summary["scaling"]["enrich"]["ready_max"].get<int>(), 6);
  // Down only once the 300 s scale-down window has passed since the last
  // scale-up (whose recommendation the window keeps).
  std::int64_t last_up = -1, first_down = -1;
  for (const nlohmann::json& x : d) {
    const std::int64_t at = x["at_ns"].get<std::int64_t>();
    if (x["to"].get<int>() > x["from"].get<int>()) last_up = at;
    if (x["to"].get<int>() < x["from"].get<int>() && first_down < 0) {
      first_down = at;
      EXPECT_GE(first_down, last_up + 300 * kSecond) << d.dump(1);
    }
  }
  EXPECT_GE(first_down, 0) << "never scaled down: " << d.dump(1);
  EXPECT_TRUE(verdict(report, "no_flapping").ok());
  EXPECT_TRUE(verdict(report, "scale_in_is_lossless").ok());
  EXPECT_GT(verdict(report, "scale_in_is_lossless").checked, 0u);
  ASSERT_TRUE(report.series.contains("replicas"));
  EXPECT_TRUE(report.series["replicas"].contains("enrich"));
}

TEST(Scaling, FlappingWithoutAStabilizationWindowIsCaught) {
  RunReport report = run("scaling/hpa_flapping.json");
  ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  const Verdict& v = verdict(report, "no_flapping");
  EXPECT_FALSE(v.ok());
  EXPECT_NE(v.first.find("reversed its scaling direction"), std::string::npos) << v.first;
}

// DS2's claim (Kalavri et al., OSDI 2018): at most three decisions to settle
// after a step change in load.
TEST(Scaling, RateConvergesInAtMostThreeDecisionsAfterAStep) {
  for (std::uint64_t seed : {1, 2, 3}) {
    RunReport report = run("scaling/ds2_step.json", seed);
    ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
    // The step lasts from 62 s to 152 s; decisions after it follow the step down.
    int after_step = 0;
    int last = 0;
    for (const nlohmann::json& x : decisions(report, "sessionize")) {
      const std::int64_t at = x["at_ns"].get<std::int64_t>();
      if (at <= 62 * kSecond || at > 152 * kSecond) continue;
      ++after_step;
      last = x["to"].get<int>();
    }
    EXPECT_GE(after_step, 1) << "seed " << seed;
    EXPECT_LE(after_step, 3) << "seed " << seed << ": " << decisions(report, "sessionize").dump(1);
    // 300/s over 50/s per replica at 0.8 utilisation: ceil(7.5) = 8.
    EXPECT_EQ(last, 8) << "seed " << seed;
  }
}

TEST(Scaling, KedaLagIsCappedByThePartitionCount) {
  RunReport capped = run("scaling/keda_partition_cap.json");
  ASSERT_TRUE(capped.ok) << capped.summary["expectations"].dump(2);
  EXPECT_EQ(capped.summary["scaling"]["enrich"]["ready_max"].get<int>(), 4);
  EXPECT_GT(capped.summary["scaling"]["enrich"]["capped_by_partitions"].get<int>(), 0);
  RunReport idle = run("scaling/keda_idle_consumers.json");
  ASSERT_TRUE(idle.ok) << idle.summary["expectations"].dump(2);
  EXPECT_GT(idle.summary["scaling"]["enrich"]["ready_max"].get<int>(), 4);
  // The extra replicas idle: the backlog drains no sooner (within 10%).
  const double t_capped = capped.summary["virtual_time_ns"].get<double>();
  const double t_idle = idle.summary["virtual_time_ns"].get<double>();
  EXPECT_GT(t_idle, 0.9 * t_capped);
}

TEST(Scaling, KedaScalesToZeroAndBack) {
  RunReport report = run("scaling/keda_scale_to_zero.json");
  ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  bool to_zero = false, back = false;
  for (const nlohmann::json& x : decisions(report, "enrich")) {
    if (x["to"].get<int>() == 0) to_zero = true;
    if (to_zero && x["from"].get<int>() == 0 && x["to"].get<int>() >= 1) {
      back = true;
      EXPECT_NE(x["reason"].get<std::string>().find("activated"), std::string::npos);
    }
  }
  EXPECT_TRUE(to_zero);
  EXPECT_TRUE(back);
  EXPECT_EQ(report.summary["scaling"]["enrich"]["ready_min"].get<int>(), 0);
}

TEST(Scaling, ScaleInDuringABrokerCrashUnderExactlyOnce) {
  RunReport report = run("scaling/scale_in_broker_crash.json");
  ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  int downs = 0;
  for (const nlohmann::json& x : decisions(report, "count")) downs += x["to"].get<int>() < x["from"].get<int>() ? 1 : 0;
  EXPECT_GE(downs, 1);
  EXPECT_GT(verdict(report, "scale_in_is_lossless").checked, 0u);
}

// latency_slo can fail: the same run against a bound it misses and one it meets.
TEST(Scaling, LatencySloHoldsOrBreaksOnTheP99AfterSettling) {
  Scenario scenario = shipped("scaling/hpa_load_step.json");
  RunOptions options;
  options.seed = 1;
  EXPECT_FALSE(verdict(run_scenario(scenario, options), "latency_slo").applicable);
  scenario.slo = LatencySlo{.p99 = 50 * kNanosPerMilli, .settle = 60 * kSecond};
  const Verdict tight = verdict(run_scenario(scenario, options), "latency_slo");
  EXPECT_FALSE(tight.ok());
  EXPECT_NE(tight.first.find("p99 latency after 60.000s"), std::string::npos) << tight.first;
  // Explained: the p99 against the bound, when the slow effects bunched up, the slowest by event.
  const std::string& why = tight.explanation.why;
  EXPECT_NE(why.find("Latency missed its objective: the p99 of the"), std::string::npos) << why;
  EXPECT_NE(why.find("above the bound of 50 ms"), std::string::npos) << why;
  EXPECT_NE(why.find("most in "), std::string::npos) << why;
  EXPECT_NE(why.find("the slowest: 0:"), std::string::npos) << why;
  EXPECT_FALSE(tight.explanation.steps.empty());
  scenario.slo = LatencySlo{.p99 = 3600 * kSecond, .settle = 60 * kSecond};
  const Verdict loose = verdict(run_scenario(scenario, options), "latency_slo");
  EXPECT_TRUE(loose.ok()) << loose.first;
  EXPECT_TRUE(loose.explanation.empty());
  EXPECT_GT(loose.checked, 0u);
}

// Issue 18: the interval lengthens under a load spike and shortens again.
TEST(Scaling, AdaptiveCheckpointIntervalLengthensUnderASpikeAndShortensAfter) {
  RunReport report = run("scaling/adaptive_checkpoints.json");
  ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  const nlohmann::json& changes = report.summary["checkpoint_intervals"];
  ASSERT_FALSE(changes.empty());
  std::int64_t before = 200'000'000, spike_max = 0, last = 0;
  for (const nlohmann::json& c : changes) {
    const std::int64_t at = c["at_ns"].get<std::int64_t>();
    const std::int64_t interval = c["interval_ns"].get<std::int64_t>();
    EXPECT_FALSE(c["reason"].get<std::string>().empty());
    if (at < 30 * kSecond) before = interval;
    if (at >= 30 * kSecond && at <= 70 * kSecond) spike_max = std::max(spike_max, interval);
    last = interval;
  }
  EXPECT_GT(spike_max, before) << changes.dump(1);
  EXPECT_LT(last, spike_max) << changes.dump(1);
}

void expect_error(const std::string& autoscale, const std::string& pointer, const std::string& words) {
  const std::string text = R"({"name":"x","sources":[{"id":"s","node":"n","count":1,"arrival":{"dist":"constant","rate":1},"to":"b"}],
    "buffers":[{"id":"b","node":"n","capacity":4}],
    "stages":[{"id":"st","from":"b","workers":["w1","w2"],"service_time":{"dist":"constant","value":"1ms"},"to":"d",
               "autoscale":)" + autoscale + R"(}],
    "sinks":[{"id":"d","node":"n"}]})";
  try {
    load_scenario_text(text, "inline.json");
    FAIL() << "accepted " << autoscale;
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find(pointer), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

TEST(Scaling, BadAutoscaleBlocksNameTheirPath) {
  expect_error(R"({"algorithm":"hpa","min":1,"max":1,"metric":"lag","target":5})", "/stages/0/autoscale/max", "below");
  expect_error(R"({"algorithm":"hpa","min":1,"max":4,"metric":"lag","target":5})", "/stages/0/autoscale", "pool");
  expect_error(R"({"algorithm":"hpa","min":1,"max":2,"metric":"lag","target":5,"lag_threshold":3})",
               "/stages/0/autoscale/lag_threshold", "keda_lag");
  expect_error(R"({"algorithm":"hpa","min":0,"max":2,"metric":"lag","target":5})", "/stages/0/autoscale/min", "");
  expect_error(R"({"algorithm":"rate","min":1,"max":2,"behavior":{}})", "/stages/0/autoscale/behavior", "DS2");
  expect_error(R"({"algorithm":"hpa","min":1,"max":2,"metric":"utilization","target":1.5})", "/stages/0/autoscale/target", "");
  expect_error(R"({"algorithm":"hpa","min":1,"max":2,"metric":"lag","target":5,"behavior":{"scale_down":{"select":"most"}}})",
               "/stages/0/autoscale/behavior/scale_down/select", "");
}

}  // namespace
}  // namespace sluice
