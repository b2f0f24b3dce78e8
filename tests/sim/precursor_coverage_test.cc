// The precursor coverage keys (sim/coverage/precursor_coverage.h): each is
// reached exactly when its situation arises, fed the records a run would
// feed it, and not otherwise; and a healthy run of a shipped scenario
// reaches them (they mark situations of the pipeline, not defects).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "sim/coverage/coverage_kinds.h"
#include "sim/coverage/precursor_coverage.h"
#include "tests/sim/run_test_support.h"

namespace sluice {
namespace {

using testing::shipped;

bool any_prefix(const std::set<std::string>& keys, const std::string& prefix) {
  return std::any_of(keys.begin(), keys.end(), [&](const std::string& k) { return k.starts_with(prefix); });
}

FaultSpec skew(const std::string& node, Nanos offset) {
  FaultSpec f;
  f.kind = FaultKind::clock_skew;
  f.target = node;
  f.offset = offset;
  return f;
}

FaultSpec on_node(FaultKind kind, const std::string& node) {
  FaultSpec f;
  f.kind = kind;
  f.target = node;
  return f;
}

struct Fixture {
  CoverageTracker tracker;
  PrecursorCoverage precursors{tracker};
  Fixture() {
    tracker.set_node_roles({{"broker", {"broker"}}, {"w1", {"worker"}}, {"db", {"sink"}}});
    precursors.set_sinks({{"ledger", "db", 0, false}, {"window", "db", 4, false}, {"parked", "db", 0, true}});
  }
  const std::set<std::string>& keys() const { return tracker.keys(); }
};

TEST(PrecursorCoverage, WindowEvictionBandsHowFarTheClockWasSetBack) {
  Fixture f;
  for (std::uint64_t n = 0; n < 4; ++n) f.precursors.effect(1, make_event_id(0, n));
  EXPECT_FALSE(any_prefix(f.keys(), "window_evict:")) << "four ids fill a window of four: nothing evicted yet";
  f.precursors.effect(1, make_event_id(0, 4));
  EXPECT_TRUE(f.keys().contains("window_evict:steady@window"));
  // The node's clock runs 3 s ahead while ids are applied, then the skew heals: set back by 3 s.
  const FaultSpec ahead = skew("db", 3 * kNanosPerSecond);
  f.precursors.fault_began(ahead);
  f.precursors.effect(1, make_event_id(0, 5));
  f.precursors.fault_healed(ahead);
  f.precursors.effect(1, make_event_id(0, 6));
  EXPECT_TRUE(f.keys().contains("window_evict:2-4s@window")) << ::testing::PrintToString(f.keys());
  // Two windows' worth of effects later the window holds no stamp from the skew: steady again, no larger band.
  for (std::uint64_t n = 7; n < 20; ++n) f.precursors.effect(1, make_event_id(0, n));
  EXPECT_FALSE(f.keys().contains("window_evict:4s+@window"));
  for (const std::string& key : f.keys()) EXPECT_FALSE(key.ends_with("@ledger")) << "a sink without a window evicts nothing";
}

TEST(PrecursorCoverage, StragglersCountMissingIdsAndTheLaterOnesAppliedMeanwhile) {
  Fixture f;
  // Ids 0..399 of source 2 arrive with 10 and 20 held back.
  for (std::uint64_t n = 0; n < 400; ++n) {
    if (n != 10 && n != 20) f.precursors.effect(0, make_event_id(2, n));
  }
  EXPECT_TRUE(f.keys().contains("stragglers:1/1-63@ledger")) << ::testing::PrintToString(f.keys());
  EXPECT_TRUE(f.keys().contains("stragglers:1/256+@ledger"));
  EXPECT_TRUE(f.keys().contains("stragglers:2/256+@ledger"));
  EXPECT_FALSE(any_prefix(f.keys(), "stragglers:3+/"));
  // In-order arrivals at another sink and anything at a dead-letter sink reach nothing.
  Fixture calm;
  for (std::uint64_t n = 0; n < 300; ++n) calm.precursors.effect(0, make_event_id(0, n));
  for (std::uint64_t n = 0; n < 300; n += 2) calm.precursors.effect(2, make_event_id(0, 1000 - n));
  EXPECT_FALSE(any_prefix(calm.keys(), "stragglers:")) << ::testing::PrintToString(calm.keys());
}

TEST(PrecursorCoverage, CrashWithTimedOutProducesCountsThoseNotYetAcked) {
  Fixture f;
  f.precursors.fault_began(on_node(FaultKind::crash, "broker"));
  EXPECT_FALSE(any_prefix(f.keys(), "crash_unacked:")) << "nothing timed out: a plain crash";
  f.precursors.produce_timed_out(make_event_id(0, 1));
  f.precursors.produce_timed_out(make_event_id(0, 2));
  f.precursors.produce_timed_out(make_event_id(0, 3));
  f.precursors.produce_settled(make_event_id(0, 1));
  f.precursors.fault_began(on_node(FaultKind::crash, "broker"));
  EXPECT_TRUE(f.keys().contains("crash_unacked:2-8@broker")) << ::testing::PrintToString(f.keys());
}

TEST(PrecursorCoverage, RestartNamesTheRoleOfANodeAwayFromIt) {
  Fixture f;
  const FaultSpec crash = on_node(FaultKind::crash, "broker");
  f.precursors.fault_began(crash);
  f.precursors.fault_healed(crash);
  EXPECT_FALSE(any_prefix(f.keys(), "restart_away:")) << "everyone was there";
  const FaultSpec pause = on_node(FaultKind::pause, "w1");
  FaultSpec cut;
  cut.kind = FaultKind::partition;
  cut.groups = {{"broker"}, {"db"}};
  f.precursors.fault_began(pause);
  f.precursors.fault_began(cut);
  f.precursors.fault_began(crash);
  f.precursors.fault_healed(crash);
  EXPECT_TRUE(f.keys().contains("restart_away:paused/worker@broker")) << ::testing::PrintToString(f.keys());
  EXPECT_TRUE(f.keys().contains("restart_away:partitioned/sink@broker"));
  // Healed, they are back: a later restart of w1's peer db finds nobody away.
  f.precursors.fault_healed(pause);
  f.precursors.fault_healed(cut);
  const FaultSpec db_crash = on_node(FaultKind::crash, "db");
  f.precursors.fault_began(db_crash);
  f.precursors.fault_healed(db_crash);
  EXPECT_FALSE(any_prefix(f.keys(), "restart_away:paused/worker@db"));
  EXPECT_FALSE(any_prefix(f.keys(), "restart_away:partitioned/broker@db"));
}

std::set<std::string> healthy_keys(const std::string& path, std::uint64_t seed) {
  return testing::healthy_coverage(shipped(path), seed);
}

TEST(PrecursorCoverage, AHealthyRunOfAShippedSwarmReachesThem) {
  // The window sink fills its 1,024-id window in the first seconds of the sweep scenario.
  EXPECT_TRUE(any_prefix(healthy_keys("guarantees/sweep_dedup_window.json", 1), "window_evict:"));
  // A lossy network and retries leave ids behind later ones at the idempotent sink.
  std::set<std::string> sink;
  for (std::uint64_t seed = 1; seed <= 3 && !any_prefix(sink, "stragglers:"); ++seed) {
    sink = healthy_keys("guarantees/sweep_idempotent_sink.json", seed);
  }
  EXPECT_TRUE(any_prefix(sink, "stragglers:")) << ::testing::PrintToString(sink);
  // Every key reached names a situation of the kinds table (sweep.html's never-reached list depends on it).
  const std::vector<std::string> universe = coverage_universe();
  const std::set<std::string> known(universe.begin(), universe.end());
  for (const std::string& key : sink) EXPECT_TRUE(known.contains(coverage_situation(key))) << key;
}

}  // namespace
}  // namespace sluice
