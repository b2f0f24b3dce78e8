// The crash coverage keys (sim/explore/coverage_kinds.cc): crashed_at names
// the fault point a node crashed at, crash_loss how many unsynced writes a
// crash threw away. Each is reached by a run with the situation, healthy
// (no defect), and not by a run without it.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "tests/sim/run_test_support.h"

namespace sluice {
namespace {

using testing::shipped;

std::set<std::string> keys_at(const Scenario& scenario, std::uint64_t seed) {
  return testing::healthy_coverage(scenario, seed);
}

bool any_prefix(const std::set<std::string>& keys, const std::string& prefix) {
  return std::any_of(keys.begin(), keys.end(), [&](const std::string& k) { return k.starts_with(prefix); });
}

TEST(CrashCoverage, NamesTheFaultPointANodeCrashedAt) {
  // The broker crashes the moment it completed a checkpoint, before the commit.
  const std::set<std::string> keys = keys_at(shipped("defects/checkpoint_commit_not_redriven.json"), 1);
  EXPECT_TRUE(keys.contains("crashed_at:between_precommit_and_commit")) << ::testing::PrintToString(keys);
  // Passing a point is not crashing there: the same workload without the fault passes it and reaches no crashed_at.
  const std::set<std::string> calm = keys_at(shipped("guarantees/exactly_once.json"), 1);
  EXPECT_TRUE(calm.contains("fault_point:between_precommit_and_commit")) << ::testing::PrintToString(calm);
  EXPECT_FALSE(any_prefix(calm, "crashed_at:")) << ::testing::PrintToString(calm);
}

TEST(CrashCoverage, CountsTheUnsyncedWritesACrashThrewAway) {
  // A broker crash in the middle of a produce stream: the log's unsynced tail
  // (appended, its fsync not yet done) is lost, as on a real disk.
  const std::set<std::string> keys = keys_at(shipped("broker/broker_crash.json"), 1);
  EXPECT_TRUE(any_prefix(keys, "crash_loss:records/")) << ::testing::PrintToString(keys);
  // No crash, no loss: the fault-free workload reaches no crash_loss key.
  const std::set<std::string> calm = keys_at(shipped("basics/slow_consumer.json"), 1);
  EXPECT_FALSE(any_prefix(calm, "crash_loss:")) << ::testing::PrintToString(calm);
}

}  // namespace
}  // namespace sluice
