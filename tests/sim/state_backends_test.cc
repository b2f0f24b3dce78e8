// Operator state backends (issue 17): the same crash through snapshot,
// changelog and standby (recovery ordered as the restore work is), sweeps
// of the changelog and standby backends under swarm faults, the failover
// rows saying how each restore rebuilt its state, and the loader's checks.
#include <gtest/gtest.h>

#include <numeric>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/run/sweep.h"
#include "sim/scenario/scenario_error.h"
#include "tests/sim/run_test_support.h"

namespace sluice {
namespace {

using testing::shipped;

// The first crash's failover row of a shipped comparison scenario, which must pass.
nlohmann::json failover_of(const std::string& backend) {
  const RunReport report = run_scenario(shipped("guarantees/state_backend_" + backend + ".json"), RunOptions{});
  EXPECT_TRUE(report.ok) << backend << ": " << report.summary["expectations"].dump(2);
  EXPECT_EQ(report.summary["failover"].size(), 1u);
  return report.summary["failover"][0];
}

TEST(StateBackends, TheSameCrashRecoversInTheOrderOfTheRestoreWork) {
  const nlohmann::json snapshot = failover_of("snapshot");
  const nlohmann::json changelog = failover_of("changelog");
  const nlohmann::json standby = failover_of("standby");
  for (const nlohmann::json* row : {&snapshot, &changelog, &standby}) ASSERT_TRUE((*row)["recovery_ns"].is_number());
  EXPECT_EQ(snapshot["backend"], "snapshot");
  EXPECT_EQ(changelog["backend"], "changelog");
  EXPECT_EQ(standby["backend"], "standby");
  // What each restore did: a snapshot replays nothing, a changelog replays
  // every live record, promoted standbys only their tails.
  EXPECT_EQ(snapshot["restore"]["records_replayed"], 0);
  EXPECT_GT(changelog["restore"]["records_replayed"].get<std::uint64_t>(),
            2 * standby["restore"]["records_replayed"].get<std::uint64_t>());
  EXPECT_FALSE(standby["restore"]["promoted_standbys"].empty());
  EXPECT_TRUE(changelog["restore"]["promoted_standbys"].empty());
  // The ordering, as measured (README, "State backends").
  const auto recovery = [](const nlohmann::json& row) { return row["recovery_ns"].get<std::int64_t>(); };
  EXPECT_LT(recovery(standby), recovery(changelog));
  EXPECT_LT(recovery(snapshot), recovery(changelog));
}

void expect_every_seed_holds(const char* file) {
  const Scenario scenario = shipped(file);
  ASSERT_TRUE(scenario.swarm.has_value());
  SweepOptions options;
  options.seeds.resize(100);
  std::iota(options.seeds.begin(), options.seeds.end(), 1);
  options.jobs = 2;
  for (const SeedResult& result : run_sweep(scenario, options)) {
    EXPECT_TRUE(result.ok) << file << " seed " << result.seed << ": " << result.first;
  }
}

TEST(StateBackends, ChangelogRestoresStayConsistentUnderSwarmFaults) {
  expect_every_seed_holds("guarantees/sweep_state_backends_changelog.json");
}

TEST(StateBackends, StandbyPromotionsStayConsistentUnderSwarmFaults) {
  expect_every_seed_holds("guarantees/sweep_state_backends_standby.json");
}

// A bad backend, standbys without standby, and too few nodes: exit 2 with the path.
TEST(StateBackends, TheLoaderRejectsBadBackendsWithTheirPath) {
  const nlohmann::json base = nlohmann::json::parse(R"({
    "name": "t", "seed": 1, "delivery": "exactly_once",
    "sources": [{"id": "s", "node": "edge", "count": 10, "arrival": {"dist": "exponential", "rate": 100}, "to": "t"}],
    "topics": [{"id": "t", "node": "b", "partitions": 2}],
    "stages": [{"id": "c", "from": "t", "workers": ["w1", "w2"], "service_time": {"dist": "constant", "value": "1ms"},
                "operator": {"kind": "count_by_key"}, "to": "db"}],
    "sinks": [{"id": "db", "node": "db", "mode": "transactional"}]})");
  const auto error_of = [&](const nlohmann::json& op) {
    nlohmann::json scenario = base;
    scenario["stages"][0]["operator"] = op;
    try {
      load_scenario_text(scenario.dump(), "t.json");
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(error_of({{"kind", "count_by_key"}, {"state", "standby"}}), "accepted");
  EXPECT_NE(error_of({{"kind", "count_by_key"}, {"state", "rocksdb"}}).find("/stages/0/operator/state"), std::string::npos);
  EXPECT_NE(error_of({{"kind", "count_by_key"}, {"standbys", 1}}).find("/stages/0/operator/standbys"), std::string::npos);
  EXPECT_NE(error_of({{"kind", "count_by_key"}, {"state", "standby"}, {"standbys", 2}}).find("need 3 worker nodes"),
            std::string::npos);
  EXPECT_NE(error_of({{"kind", "count_by_key"}, {"state", "standby"}, {"standbys", 0}}).find("/stages/0/operator/standbys"),
            std::string::npos);
}

}  // namespace
}  // namespace sluice
