// FailoverRecord: per crash, the first effect at or after the restart and
// the moment the pending count is back to its level at the crash.
#include <gtest/gtest.h>

#include "sim/metrics/failover_record.h"

namespace sluice {
namespace {

constexpr Nanos kS = kNanosPerSecond;

TEST(FailoverRecord, FirstEffectAndCatchUpAfterTheRestart) {
  FailoverRecord r;
  r.crashed(10 * kS, "w1", "crash", 5);
  r.effect(11 * kS);  // before the restart: another worker's, not a recovery
  r.pending_now(12 * kS, 40);
  r.restarted(15 * kS, "w1", 40);
  r.pending_now(15 * kS, 30);  // still above 5
  r.effect(16 * kS);
  r.pending_now(19 * kS, 5);
  r.pending_now(20 * kS, 2);  // later, lower: the first time counts
  const nlohmann::json j = r.summary_json();
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["restarted_at_ns"], 15 * kS);
  EXPECT_EQ(j[0]["first_effect_at_ns"], 16 * kS);
  EXPECT_EQ(j[0]["recovery_ns"], 6 * kS);
  EXPECT_EQ(j[0]["caught_up_at_ns"], 19 * kS);
  EXPECT_EQ(j[0]["catch_up_ns"], 9 * kS);
  EXPECT_EQ(j[0]["pending_at_crash"], 5);
}

// Restores count for every crash still waiting for its first effect; a
// crash already recovered keeps what it had.
TEST(FailoverRecord, RestoresCountForTheCrashesTheyRecoverFrom) {
  FailoverRecord r;
  r.crashed(1 * kS, "w1", "crash", 0);
  r.restarted(2 * kS, "w1", 0);
  r.state_rebuilt("changelog", 100, 4800, "");
  r.effect(3 * kS);
  r.crashed(4 * kS, "w2", "crash", 0);
  r.state_rebuilt("standby", 10, 900, "w3");
  r.state_rebuilt("standby", 5, 700, "w3");
  r.state_rebuilt("snapshot", 0, 300, "");
  const nlohmann::json j = r.summary_json();
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["backend"], "changelog");
  EXPECT_EQ(j[0]["restore"]["records_replayed"], 100);
  EXPECT_EQ(j[0]["restore"]["restores"], 1);
  EXPECT_EQ(j[1]["backend"], "mixed");
  EXPECT_EQ(j[1]["restore"]["records_replayed"], 15);
  EXPECT_EQ(j[1]["restore"]["bytes_read"], 1900);
  EXPECT_EQ(j[1]["restore"]["promoted_standbys"], nlohmann::json::array({"w3"}));
}

TEST(FailoverRecord, CaughtUpAtTheRestartWhenNothingPiledUp) {
  FailoverRecord r;
  r.crashed(10 * kS, "w1", "crash", 5);
  r.restarted(12 * kS, "w1", 3);
  EXPECT_EQ(r.summary_json()[0]["caught_up_at_ns"], 12 * kS);
}

TEST(FailoverRecord, ANodeThatNeverReturnsHasNoRecovery) {
  FailoverRecord r;
  r.crashed(10 * kS, "w1", "crash", 5);
  r.crashed(11 * kS, "w2", "crash", 6);
  r.restarted(14 * kS, "w2", 9);
  r.effect(15 * kS);
  r.pending_now(16 * kS, 1);
  const nlohmann::json j = r.summary_json();
  ASSERT_EQ(j.size(), 2u);
  EXPECT_TRUE(j[0]["restarted_at_ns"].is_null());
  EXPECT_TRUE(j[0]["recovery_ns"].is_null());
  EXPECT_TRUE(j[0]["catch_up_ns"].is_null());
  EXPECT_EQ(j[1]["recovery_ns"], 4 * kS);
  EXPECT_EQ(j[1]["catch_up_ns"], 5 * kS);
}

TEST(FailoverRecord, ARestartAnswersTheNodesOpenCrash) {
  FailoverRecord r;
  r.crashed(10 * kS, "w1", "crash", 1);
  r.restarted(12 * kS, "w1", 9);
  r.crashed(20 * kS, "w1", "crash", 2);
  r.restarted(25 * kS, "w1", 9);
  const nlohmann::json j = r.summary_json();
  EXPECT_EQ(j[0]["restarted_at_ns"], 12 * kS);
  EXPECT_EQ(j[1]["restarted_at_ns"], 25 * kS);
}

}  // namespace
}  // namespace sluice
