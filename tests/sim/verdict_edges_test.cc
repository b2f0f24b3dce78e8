// Issue 14: verdicts a second opinion agrees with. One regression test per
// item, most on its scenario in scenarios/verdicts/.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "sim/check/delivery_checker.h"
#include "sim/check/state_checker.h"
#include "sim/scenario/scenario_error.h"
#include "tests/sim/run_test_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using testing::count;
using testing::shipped;
using testing::verdict;

// Runs a shipped scenario with --trace into a scratch directory and returns
// the trace's lines.
std::vector<std::string> traced(const std::string& path, std::uint64_t seed, RunReport* report = nullptr) {
  const fs::path dir = fs::temp_directory_path() / ("sluice-edges-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  RunOptions options;
  options.seed = seed;
  options.trace_path = (dir / "trace.jsonl").string();
  RunReport run = run_scenario(shipped(path), options);
  std::vector<std::string> lines;
  std::ifstream in(options.trace_path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  fs::remove_all(dir);
  if (report) *report = std::move(run);
  return lines;
}

bool has(const std::string& line, const std::string& text) { return line.find(text) != std::string::npos; }

std::string id_of(const std::string& line) {
  const std::size_t at = line.find("\"id\":\"") + 6;
  return line.substr(at, line.find('"', at) - at);
}

std::int64_t time_of(const std::string& line) { return std::stoll(line.substr(5, line.find(',') - 5)); }

// Item 1: a shed on one branch of a fan-out excuses the event there only.
TEST(VerdictEdges, AShedOnOneBranchDoesNotExcuseTheOther) {
  RunReport report;
  std::vector<std::string> trace = traced("verdicts/fan_out_branch_shed.json", 1, &report);
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  std::uint64_t crash_drops = 0;
  for (const std::string& line : trace) crash_drops += has(line, "\"kind\":\"crash_drop\"") && has(line, "main-q");
  ASSERT_GT(crash_drops, 50u);
  // Every event the crash took from the main branch is lost there, although
  // nearly all were shed on the side branch.
  EXPECT_GE(count(report, "lost"), crash_drops);
  EXPECT_FALSE(verdict(report, "no_loss").ok());
}

TEST(VerdictEdges, DeliveryCheckerExcusesOnlyDownstreamOfTheShed) {
  DeliveryChecker checker(1);
  checker.expect_sinks({{0, 1}}, {"main", "side"});
  Event a{.id = make_event_id(0, 0)}, b{.id = make_event_id(0, 1)};
  for (const Event& e : {a, b}) {
    checker.produced(e);
    checker.acked(e);
  }
  checker.shed(a, {1});     // shed on the side branch: still owed at "main"
  checker.shed(b, {0, 1});  // shed before the fan-out: excused everywhere
  Verdict verdict = checker.no_loss({"s"}, true);
  EXPECT_EQ(verdict.violations, 1u);
  EXPECT_NE(verdict.first.find("event 0:0"), std::string::npos) << verdict.first;
  EXPECT_NE(verdict.first.find("'main'"), std::string::npos) << verdict.first;
}

// An event on a fan-out is settled once every branch has had an effect or a
// shed on its way: what keeps the causal log following it for explanations.
TEST(VerdictEdges, DeliveryCheckerSettlesAFanOutEventOnlyOnEveryBranch) {
  DeliveryChecker checker(2);
  checker.expect_sinks({{0, 1}, {}}, {"main", "side"});
  Event a{.id = make_event_id(0, 0)}, b{.id = make_event_id(0, 1)}, c{.id = make_event_id(0, 2)};
  Event plain{.id = make_event_id(1, 0)};
  checker.effect(a, 1, "side", 1);
  EXPECT_FALSE(checker.settled(a));  // still owed at "main"
  checker.effect(a, 2, "main", 0);
  EXPECT_TRUE(checker.settled(a));
  checker.shed(b, {1});
  EXPECT_FALSE(checker.settled(b));
  checker.effect(b, 3, "main", 0);
  EXPECT_TRUE(checker.settled(b));
  checker.shed(c, {0, 1});  // before the fan-out: nothing owed anywhere
  EXPECT_TRUE(checker.settled(c));
  EXPECT_TRUE(checker.settled(plain));  // a source without fan-out: any effect settles it
}

// Item 2: records still in a partition log when run.until cuts the run are in flight.
TEST(VerdictEdges, TopicRecordsStillInTheirLogAtTheTimeLimitAreInFlight) {
  RunReport report;
  std::vector<std::string> trace = traced("verdicts/topic_cut_by_until.json", 1, &report);
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  std::uint64_t transit_losses = 0;
  for (const std::string& line : trace) transit_losses += has(line, "\"kind\":\"transit_loss\"");
  ASSERT_GT(transit_losses, 0u);  // the crash did take fetched copies
  EXPECT_EQ(count(report, "lost"), 0u);
  EXPECT_TRUE(verdict(report, "no_loss").ok()) << verdict(report, "no_loss").first;
  EXPECT_NE(verdict(report, "no_loss").note.find("in flight"), std::string::npos);
}

// Item 3: a fetch from a second topic is not a redelivery.
TEST(VerdictEdges, RedeliveriesAreCountedPerTopic) {
  RunReport report = run_scenario(shipped("verdicts/two_topic_chain.json"), {});
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  EXPECT_EQ(count(report, "produced"), 2000u);
  EXPECT_EQ(count(report, "redelivered"), 0u);
}

// Item 4: a diamond is rejected by validate, naming the stage and where the branches meet.
TEST(VerdictEdges, ADiamondIsRejected) {
  const char* text = R"({
    "name": "diamond",
    "sources": [{"id": "s", "node": "edge", "count": 10, "arrival": {"dist": "exponential", "rate": 10}, "to": "in"}],
    "buffers": [{"id": "in", "node": "edge", "capacity": 8}, {"id": "left", "node": "l", "capacity": 8},
                {"id": "right", "node": "r", "capacity": 8}],
    "stages": [
      {"id": "split", "from": "in", "workers": ["w"], "service_time": {"dist": "constant", "value": "1ms"}, "to": ["left", "right"]},
      {"id": "l", "from": "left", "workers": ["wl"], "service_time": {"dist": "constant", "value": "1ms"}, "to": "db"},
      {"id": "r", "from": "right", "workers": ["wr"], "service_time": {"dist": "constant", "value": "1ms"}, "to": "db"}
    ],
    "sinks": [{"id": "db", "node": "db"}]
  })";
  try {
    load_scenario_text(text, "diamond.json");
    ADD_FAILURE() << "a diamond was accepted";
  } catch (const ScenarioError& error) {
    EXPECT_EQ(error.pointer, "/stages/0/to");
    EXPECT_NE(std::string(error.what()).find("diamond"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("'db'"), std::string::npos) << error.what();
  }
}

// Item 5: independent producers define no order between them.
TEST(VerdictEdges, KeyOrderIsJudgedPerSourceUnlessTotalIsDeclared) {
  RunReport per_source = run_scenario(shipped("verdicts/cross_source_keys.json"), {});
  EXPECT_TRUE(per_source.ok) << per_source.summary["expectations"].dump(2);
  EXPECT_TRUE(verdict(per_source, "per_key_order").ok()) << verdict(per_source, "per_key_order").first;
  RunReport total = run_scenario(shipped("verdicts/cross_source_keys_total.json"), {});
  EXPECT_TRUE(total.ok) << total.summary["expectations"].dump(2);
  EXPECT_FALSE(verdict(total, "per_key_order").ok());
}

// Item 6: at-most-once commits never pass records the group never fetched.
TEST(VerdictEdges, AtMostOnceNeverCommitsPastRecordsNobodyFetched) {
  for (std::uint64_t seed : {1, 2, 3}) {
    RunReport report;
    std::vector<std::string> trace = traced("guarantees/at_most_once.json", seed, &report);
    EXPECT_TRUE(report.ok) << "seed " << seed;
    // A record is fetched (handed to the worker) only once its commit
    // landed, so its trim may come first at the same instant; over the run,
    // every trimmed record must have been fetched.
    std::set<std::string> fetched;
    std::vector<std::string> trims;
    for (const std::string& line : trace) {
      if (has(line, "\"kind\":\"fetch\"")) fetched.insert(id_of(line));
      if (has(line, "\"kind\":\"trim\"")) trims.push_back(line);
    }
    for (const std::string& line : trims) {
      EXPECT_EQ(fetched.count(id_of(line)), 1u) << "seed " << seed << ": trimmed, never fetched: " << line;
    }
    EXPECT_GT(trims.size(), 5000u);
  }
}

// Item 7: a dead-letter sink is down with its node.
TEST(VerdictEdges, ADeadLetterSinkIsDownWithItsNode) {
  RunReport report;
  std::vector<std::string> trace = traced("verdicts/dead_letter_node_down.json", 1, &report);
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  constexpr std::int64_t kDown = 5'000'000'000, kUp = 10'000'000'000;
  std::uint64_t parked = 0, parked_while_down = 0;
  for (const std::string& line : trace) {
    if (!has(line, "\"kind\":\"parked\"")) continue;
    ++parked;
    parked_while_down += time_of(line) >= kDown && time_of(line) < kUp;
  }
  EXPECT_GT(parked, 20u);
  EXPECT_EQ(parked_while_down, 0u);
  EXPECT_EQ(count(report, "dead_lettered"), parked);
  EXPECT_EQ(count(report, "lost"), 0u);
}

// Item 8: recovery restores the latest completed checkpoint, and the checker says so when it does not.
TEST(VerdictEdges, RestoresUseTheLatestCompletedCheckpoint) {
  RunOptions options;
  options.seed = 70076;
  RunReport report = run_scenario(shipped("guarantees/sweep_exactly_once.json"), options);
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  EXPECT_TRUE(verdict(report, "checkpoint_consistency").ok()) << verdict(report, "checkpoint_consistency").first;
}

TEST(VerdictEdges, CheckpointConsistencyFlagsARestoreOlderThanTheLatest) {
  StateChecker checker({OperatorSpec{OperatorKind::count_by_key}}, {"t/0"});
  KeyedState empty(OperatorSpec{OperatorKind::count_by_key});
  checker.snapshotted(0, 2, 0, empty.digest(), 1000);
  checker.restored(0, 2, 0, empty.digest(), 2000);
  EXPECT_TRUE(checker.verdict().ok()) << checker.verdict().first;
  checker.restored(0, 1, 0, empty.digest(), 3000);
  EXPECT_FALSE(checker.verdict().ok());
  EXPECT_NE(checker.verdict().first.find("latest completed checkpoint"), std::string::npos) << checker.verdict().first;
}

}  // namespace
}  // namespace sluice
