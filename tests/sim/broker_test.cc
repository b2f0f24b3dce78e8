// Topics and consumer groups end to end: limits and discard policies, acks
// and crashes of the broker, rebalances after a crash and around a zombie,
// hot partitions, max_consumers, determinism.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"
#include "tests/sim/run_test_support.h"

namespace sluice {
namespace {

using testing::count;
using testing::shipped;
using testing::verdict;

std::vector<std::string> partition_queues(const RunReport& report, const std::string& topic) {
  std::vector<std::string> names;
  for (const auto& [name, q] : report.summary["queues"].items()) {
    if (name.rfind(topic + "/", 0) == 0) names.push_back(name);
  }
  return names;
}

TEST(Broker, EveryProducedEventTakesEffectOnceThroughAConsumerGroup) {
  RunReport report = run_scenario(shipped("broker/topic_basic.json"), RunOptions{});
  ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  EXPECT_EQ(count(report, "effects"), 20'000u);
  EXPECT_EQ(partition_queues(report, "orders-topic").size(), 8u);
  // Four members joined: each join is a rebalance.
  EXPECT_GE(report.summary["stages"]["enrich"]["rebalances"].get<int>(), 4);
  // Every partition got traffic and drained.
  for (const std::string& q : partition_queues(report, "orders-topic")) {
    EXPECT_GT(report.summary["queues"][q]["max_depth"].get<double>(), 0) << q;
  }
}

TEST(Broker, ZipfKeysMakeOnePartitionHot) {
  RunReport report = run_scenario(shipped("broker/hot_partition.json"), RunOptions{});
  ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  std::vector<double> means;
  for (const std::string& q : partition_queues(report, "clicks-topic")) {
    means.push_back(report.summary["queues"][q]["mean_depth"].get<double>());
  }
  std::sort(means.begin(), means.end());
  const double median = (means[3] + means[4]) / 2;
  EXPECT_GT(means.back(), 3 * median) << "the hottest partition should dwarf the typical one";
}

TEST(Broker, FullPartitionsRefuseProducesAndEveryDropIsCounted) {
  RunReport report = run_scenario(shipped("broker/jetstream_limits.json"), RunOptions{});
  ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  EXPECT_GT(count(report, "rejected"), 0u);
  EXPECT_GT(count(report, "shed"), 0u) << "the producer dropped what it could not place";
  // Accounting: every produced event took effect or was dropped, none vanished.
  EXPECT_EQ(count(report, "effects") + count(report, "shed"), count(report, "produced"));
  for (const std::string& q : partition_queues(report, "readings")) {
    EXPECT_LE(report.summary["queues"][q]["max_depth"].get<double>(), 200) << q;
  }
}

TEST(Broker, DiscardOldShedsTheOldestUntakenRecords) {
  RunReport report = run_scenario(shipped("broker/discard_old.json"), RunOptions{});
  ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  EXPECT_GT(count(report, "shed"), 0u);
  EXPECT_EQ(count(report, "rejected"), 0u) << "discard old never refuses a produce";
  EXPECT_EQ(count(report, "effects") + count(report, "shed"), count(report, "produced"));
}

TEST(Broker, AcksAfterFsyncSurviveBrokerCrashes) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    RunOptions options;
    options.seed = seed;
    RunReport report = run_scenario(shipped("broker/broker_crash.json"), options);
    EXPECT_TRUE(verdict(report, "no_loss").ok()) << "seed " << seed << ": " << verdict(report, "no_loss").first;
    EXPECT_EQ(count(report, "lost"), 0u);
    EXPECT_GT(count(report, "rejected"), 0u) << "produces in flight at a crash time out";
  }
}

TEST(Broker, AckingOnAppendLosesAcknowledgedRecordsInACrash) {
  // The same workload acked on append (a legitimate, weaker setting): the
  // crash takes acknowledged records with the unsynced tail, and no_loss says so.
  Scenario scenario = shipped("broker/broker_crash.json");
  scenario.topics[0].config.ack = AckPolicy::append;
  scenario.topics[0].config.fsync = FsyncPolicy::interval;
  scenario.topics[0].config.fsync_interval = 50 * kNanosPerMilli;
  bool lost_some = false;
  for (std::uint64_t seed = 1; seed <= 10 && !lost_some; ++seed) {
    RunOptions options;
    options.seed = seed;
    lost_some = !verdict(run_scenario(scenario, options), "no_loss").ok();
  }
  EXPECT_TRUE(lost_some);
}

TEST(Broker, ACrashedMembersPartitionsMoveAndItsUncommittedWorkIsRedelivered) {
  RunReport report = run_scenario(shipped("broker/rebalance_after_crash.json"), RunOptions{});
  ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  // 4 joins, the crashed member's expiry, its rejoin.
  EXPECT_GE(report.summary["stages"]["enrich"]["rebalances"].get<int>(), 6);
  EXPECT_GT(count(report, "redelivered"), 0u);
  EXPECT_EQ(count(report, "lost"), 0u);
}

TEST(Broker, AZombieIsReplacedAndRejoinsAfterThePartitionHeals) {
  RunReport report = run_scenario(shipped("broker/zombie_fenced.json"), RunOptions{});
  ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  // 3 joins, the zombie's expiry, its rejoin.
  EXPECT_GE(report.summary["stages"]["enrich"]["rebalances"].get<int>(), 5);
  EXPECT_GT(count(report, "redelivered"), 0u);
}

TEST(Broker, MembersBeyondMaxConsumersStayIdle) {
  Scenario scenario = shipped("broker/topic_basic.json");
  scenario.topics[0].config.max_consumers = 2;
  scenario.sources[0].count = 4'000;
  scenario.sources[0].interarrival_ns = Distribution::exponential(200 / 1e9);
  RunReport report = run_scenario(scenario, RunOptions{});
  ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  EXPECT_EQ(count(report, "effects"), 4'000u);
  // Only two members were ever admitted: two joins, two generations.
  EXPECT_EQ(report.summary["stages"]["enrich"]["rebalances"].get<int>(), 2);
}

TEST(Broker, RebalancingRunsAreDeterministic) {
  Scenario scenario = shipped("broker/rebalance_after_crash.json");
  scenario.strategy = StrategyKind::random;
  RunOptions options;
  options.seed = 7;
  const std::string first = run_scenario(scenario, options).summary["trace_hash"];
  const std::string second = run_scenario(scenario, options).summary["trace_hash"];
  EXPECT_EQ(first, second);
}

TEST(Broker, TopicErrorsNameThePath) {
  const std::string base =
      R"({"name":"x","sources":[{"id":"s","node":"n","count":1,"arrival":{"dist":"constant","rate":1},"to":"t"}],
          "sinks":[{"id":"d","node":"n"}],)";
  try {
    load_scenario_text(base + R"("topics":[{"id":"t","node":"b","discard":"newest"}],
        "stages":[{"id":"st","from":"t","workers":["w"],"service_time":{"dist":"constant","value":"1ms"},"to":"d"}]})",
                       "inline.json");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.pointer, "/topics/0/discard");
  }
  try {
    load_scenario_text(base + R"("topics":[{"id":"t","node":"b"}],
        "stages":[{"id":"a","from":"t","workers":["w"],"service_time":{"dist":"constant","value":"1ms"},"to":"d"},
                  {"id":"b","from":"t","workers":["w"],"service_time":{"dist":"constant","value":"1ms"},"to":"d"}]})",
                       "inline.json");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.pointer, "/stages/1/from");
    EXPECT_NE(std::string(e.what()).find("one consumer group"), std::string::npos) << e.what();
  }
  try {
    load_scenario_text(base + R"("topics":[{"id":"t","node":"b"}],
        "stages":[{"id":"a","from":"t","workers":["w"],"service_time":{"dist":"constant","value":"1ms"},"to":"d",
                   "group":{"heartbeat_interval":"2s","session_timeout":"1s"}}]})",
                       "inline.json");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.pointer, "/stages/0/group/session_timeout");
  }
}

}  // namespace
}  // namespace sluice

namespace sluice {
namespace {

TEST(FanOut, EverySinkSeesEveryEventOnceThroughATopicBetweenStages) {
  RunReport report = run_scenario(testing::shipped("pipeline/fan_out.json"), RunOptions{});
  ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  EXPECT_EQ(testing::count(report, "effects"), 2 * testing::count(report, "produced"));
}

TEST(FanOut, OutputErrorsNameTheListEntry) {
  const std::string doc =
      R"({"name":"x","sources":[{"id":"s","node":"n","count":1,"arrival":{"dist":"constant","rate":1},"to":"b"}],
          "buffers":[{"id":"b","node":"n","capacity":1}],
          "stages":[{"id":"st","from":"b","workers":["w"],"service_time":{"dist":"constant","value":"1ms"},"to":["d","DB","d"]}],
          "sinks":[{"id":"d","node":"n"}]})";
  try {
    load_scenario_text(doc, "inline.json");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.pointer, "/stages/0/to/2");
    EXPECT_NE(std::string(e.what()).find("listed twice"), std::string::npos) << e.what();
  }
}

// A branch that loses events is a loss even though the other branch applied them.
TEST(FanOut, ALossOnOneBranchIsALoss) {
  Scenario scenario = testing::shipped("pipeline/fan_out.json");
  // The audit branch through an in-memory buffer on a node that crashes.
  scenario.stages[0].fan_out = {"audit-buffer"};
  scenario.buffers.push_back(BufferSpec{"audit-buffer", "mid", 10'000, OverflowPolicy::block});
  scenario.stages[1].from = "audit-buffer";
  scenario.stages[1].service_ns = Distribution::constant(20 * kNanosPerMilli);  // a backlog builds there
  scenario.topics.clear();
  FaultSpec crash;
  crash.at = 10 * kNanosPerSecond;
  crash.kind = FaultKind::crash;
  crash.target = "mid";
  crash.restart_after = kNanosPerSecond;
  scenario.faults.push_back(crash);
  RunReport report = run_scenario(scenario, RunOptions{});
  const Verdict& no_loss = testing::verdict(report, "no_loss");
  EXPECT_FALSE(no_loss.ok());
  EXPECT_NE(no_loss.first.find("never took effect in sink 'audit-log'"), std::string::npos) << no_loss.first;
  EXPECT_TRUE(testing::verdict(report, "no_duplicate_effects").ok());
}

}  // namespace
}  // namespace sluice
