#include "visualizer/live_session.h"

#include <gtest/gtest.h>

#include "sim/scenario/loader.h"

namespace sluice::viz {
namespace {

Scenario demo() { return load_scenario_file(SLUICE_SOURCE_DIR "/scenarios/basics/slow_consumer.json"); }

TEST(LiveSession, StepsOneTimerAtATime) {
  LiveSession live(demo(), 1);
  EXPECT_EQ(live.now(), 0);
  EXPECT_FALSE(live.over());
  const std::uint64_t before = live.events();
  live.step();
  EXPECT_GT(live.events(), before);
  EXPECT_FALSE(live.playing());
  EXPECT_EQ(live.model().topology.parts.size(), 4u);
  ASSERT_EQ(live.model().queues.size(), 1u);
  EXPECT_EQ(live.model().queues[0].capacity, 64u);
}

// Topic partitions without max_msgs are unbounded: no capacity (and so no
// capacity line), not 2^64-1.
TEST(LiveSession, UnboundedPartitionsHaveNoCapacity) {
  LiveSession live(load_scenario_file(SLUICE_SOURCE_DIR "/scenarios/verdicts/two_topic_chain.json"), 1);
  live.advance_now(kNanosPerSecond);
  std::size_t partitions = 0;
  for (const DepthTrack& q : live.model().queues) {
    if (q.name.find('/') == std::string::npos) continue;
    ++partitions;
    EXPECT_EQ(q.capacity, 0u) << q.name;
  }
  EXPECT_GT(partitions, 0u);
}

TEST(LiveSession, PlaysAtTheRequestedSpeedWithinItsBudget) {
  LiveSession live(demo(), 1);
  live.set_speed(2.0);  // virtual seconds per wall second
  live.set_playing(true);
  live.update(0.25, 10.0);  // a quarter wall second, generous budget
  EXPECT_EQ(live.now(), kNanosPerSecond / 2);
  EXPECT_FALSE(live.behind());
  // A frame that stalled for seconds is clamped (to 0.25s) rather than leaping ahead.
  live.update(30.0, 10.0);
  EXPECT_EQ(live.now(), kNanosPerSecond);
}

TEST(LiveSession, RunsToATimeAcrossFramesThenPauses) {
  LiveSession live(demo(), 1);
  live.run_to(30 * kNanosPerSecond);
  for (int frame = 0; frame < 10000 && live.run_to_target(); ++frame) live.update(1.0 / 60, 0.008);
  EXPECT_EQ(live.now(), 30 * kNanosPerSecond);
  EXPECT_FALSE(live.playing());
  const RunModel& m = live.model();
  ASSERT_EQ(m.queues.size(), 1u);
  // The slow consumer's buffer is full by then; the live depth is exact.
  ASSERT_TRUE(m.queues[0].current.has_value());
  EXPECT_GE(*m.queues[0].current, 60);
  EXPECT_EQ(m.queues[0].max_depth, 64);
  EXPECT_FALSE(m.finished);
  EXPECT_EQ(m.invariants.size(), invariant_catalog().size());
}

TEST(LiveSession, FinishesIntoTheSameModelARecordedRunGives) {
  // Driving the run frame by frame must not change it: same hash as the batch
  // runner. (One Simulation per thread at a time, so the batch run goes first.)
  std::string batch_hash;
  {
    const Scenario scenario = demo();
    RunOptions options;
    options.seed = 1;
    batch_hash = hex64(run_scenario(scenario, options).trace_hash);
  }
  LiveSession live(demo(), 1);
  live.advance_now(kNever - 1);
  ASSERT_TRUE(live.over());
  const RunModel& m = live.model();
  EXPECT_TRUE(m.finished);
  EXPECT_TRUE(m.ok);
  EXPECT_EQ(m.trace_hash, batch_hash);
  EXPECT_EQ(m.invariants.size(), invariant_catalog().size());
  EXPECT_EQ(m.queues.size(), 1u);
  live.step();  // harmless once over
  EXPECT_TRUE(live.over());
}

}  // namespace
}  // namespace sluice::viz
