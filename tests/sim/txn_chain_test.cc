// Exactly-once across a whole pipeline (issue 17): the three-hop chain and
// the fan-out, each swept over 200 seeds of swarm faults (crashes of every
// node, the transaction coordinators' brokers included, pauses, partitions,
// crashes at every checkpoint and transaction fault point); recovery from a
// crash at each transaction fault point; the database's counts per key equal
// to the sources'.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <numeric>
#include <string>

#include <nlohmann/json.hpp>

#include "core/runtime/fault_points.h"
#include "sim/run/sweep.h"
#include "tests/sim/run_test_support.h"

namespace sluice {
namespace {

using testing::shipped;
using testing::verdict;

void expect_every_seed_holds(const char* file) {
  const Scenario scenario = shipped(file);
  ASSERT_TRUE(scenario.swarm.has_value());
  EXPECT_TRUE(scenario.swarm->transaction_points) << "swarm must draw the transaction fault points too";
  SweepOptions options;
  options.seeds.resize(200);
  std::iota(options.seeds.begin(), options.seeds.end(), 1);
  options.jobs = 2;
  for (const SeedResult& result : run_sweep(scenario, options)) {
    EXPECT_TRUE(result.ok) << file << " seed " << result.seed << ": " << result.first;
  }
}

TEST(TxnChain, ThreeHopChainKeepsEveryEffectOnceUnderSwarmFaults) {
  expect_every_seed_holds("guarantees/sweep_exactly_once_chain.json");
}

TEST(TxnChain, FanOutKeepsEveryEffectOnceUnderSwarmFaults) {
  expect_every_seed_holds("guarantees/sweep_exactly_once_fan_out.json");
}

// A crash of a broker exactly at each transaction fault point, twice: the
// coordinator's recovery rolls the logged decision forward or aborts.
struct TxnPointCase {
  std::string_view point;
  const char* target;
  const char* also_crash = nullptr;  // a worker whose restart makes its coordinator abort (fence) something
};

class TxnRecoveryFromFaultPoint : public ::testing::TestWithParam<TxnPointCase> {};

TEST_P(TxnRecoveryFromFaultPoint, KeepsEveryEffectOnce) {
  const TxnPointCase& c = GetParam();
  Scenario scenario = shipped("guarantees/sweep_exactly_once_chain.json");
  scenario.swarm.reset();
  for (Nanos at : {1 * kNanosPerSecond, 3 * kNanosPerSecond}) {
    FaultSpec fault;
    fault.at = at;
    fault.kind = FaultKind::crash_at_point;
    fault.target = c.target;
    fault.point = std::string(c.point);
    fault.restart_after = kNanosPerSecond;
    scenario.faults.push_back(fault);
    if (c.also_crash == nullptr) continue;
    FaultSpec worker;
    worker.at = at + 100 * kNanosPerMilli;
    worker.kind = FaultKind::crash;
    worker.target = c.also_crash;
    worker.restart_after = 300 * kNanosPerMilli;
    scenario.faults.push_back(worker);
  }
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    RunOptions options;
    options.seed = seed;
    RunReport report = run_scenario(scenario, options);
    int fired = 0;
    for (const nlohmann::json& fault : report.summary["faults"]) fired += fault.value("point", "") == c.point;
    EXPECT_EQ(fired, 2) << c.point << " seed " << seed << ": the node should have crashed there twice";
    EXPECT_TRUE(report.ok) << c.point << " seed " << seed << ": " << report.summary["expectations"].dump(2);
  }
}

INSTANTIATE_TEST_SUITE_P(Points, TxnRecoveryFromFaultPoint,
                         ::testing::Values(TxnPointCase{kTxnAfterAppend, "b1"}, TxnPointCase{kTxnAfterPrepareCommit, "b2"},
                                           TxnPointCase{kTxnBetweenMarkers, "b1"}, TxnPointCase{kTxnDuringAbort, "b2", "a2"}),
                         [](const auto& info) { return std::string(info.param.point); });

// Per key: produce records (what the sources emitted) and effect records at `sink`.
std::pair<std::map<std::uint64_t, int>, std::map<std::uint64_t, int>> counts_from_trace(const std::string& path,
                                                                                       const std::string& sink) {
  std::map<std::uint64_t, int> produced, applied;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    const nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.contains("kind") || !record.contains("key")) continue;
    if (record["kind"] == "produce") ++produced[record["key"].get<std::uint64_t>()];
    if (record["kind"] == "effect" && record.value("sink", "") == sink) ++applied[record["key"].get<std::uint64_t>()];
  }
  return {produced, applied};
}

// The sum stage's database holds, per key, as many effects as the source
// produced events with that key, through the chain's faults.
TEST(TxnChain, CountsAtTheFinalSinkEqualTheSourcesCounts) {
  const Scenario scenario = shipped("guarantees/exactly_once_chain.json");
  const std::string path = std::string(SLUICE_BINARY_DIR) + "/txn_chain_counts_trace.jsonl";
  RunOptions options;
  options.trace_path = path;
  const RunReport report = run_scenario(scenario, options);
  ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  const auto [produced, applied] = counts_from_trace(path, "totals");
  std::remove(path.c_str());
  ASSERT_EQ(produced.size(), 100u);  // the scenario's 100 keys
  EXPECT_EQ(produced, applied);
  EXPECT_GT(testing::count(report, "redelivered"), 0u) << "the faults should have made the chain replay records";
}

// The transaction protocol's defects are caught with an explanation that
// names the transaction, its epoch and its markers.
TEST(TxnChain, ADuplicateInsideThePipelineIsExplainedByItsTransactions) {
  const Scenario scenario = shipped("defects/no_producer_fencing.json");
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    RunOptions options;
    options.seed = seed;
    const RunReport report = run_scenario(scenario, options);
    const Verdict& v = verdict(report, "no_duplicate_effects");
    if (v.ok()) continue;
    const std::string why = v.explanation.why;
    EXPECT_NE(why.find("transaction"), std::string::npos) << why;
    EXPECT_NE(why.find("epoch"), std::string::npos) << why;
    bool marker = false;
    for (const ExplainStep& step : v.explanation.steps) marker = marker || step.text.find("marker") != std::string::npos;
    EXPECT_TRUE(marker) << "no step names a transaction marker";
    return;
  }
  FAIL() << "no_producer_fencing was never caught in 100 seeds";
}

}  // namespace
}  // namespace sluice
