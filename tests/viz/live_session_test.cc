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

// The event log of a live run: the run's records, the newest of them only,
// so that a long run holds bounded memory, each written as trace.jsonl has it.
TEST(LiveSession, EventLogHoldsTheNewestRecordsWithinItsBound) {
  EXPECT_EQ(LiveSession(demo(), 1).log().capacity(), 10000u);
  LiveSession live(demo(), 1, 500);
  for (int i = 0; i < 20; ++i) live.step();
  const LiveLog& log = live.log();
  ASSERT_GT(log.total(), 1u) << "twenty timers dispatched records";
  // The first is the first record (a worker's first credit), not a header: no record writes one.
  EXPECT_EQ(log.text(0), "{\"t\":0,\"kind\":\"credit\",\"stage\":\"work\",\"worker\":0,\"n\":1}");
  live.advance_now(20 * kNanosPerSecond);
  EXPECT_GT(log.total(), 5000u);
  EXPECT_EQ(log.lines(), 500u);
  EXPECT_EQ(log.first_kept(), log.total() - 500);
  TraceRecord record;
  Nanos last = 0;
  for (std::uint64_t line = log.first_kept(); line < log.total(); ++line) {
    ASSERT_TRUE(parse_trace_line(log.text(line), record)) << log.text(line);
    EXPECT_GE(record.t, last);
    last = record.t;
  }
  EXPECT_LE(last, 20 * kNanosPerSecond);
  EXPECT_GT(last, 19 * kNanosPerSecond);
  // The recorded log's filters, over what is kept.
  EventFilter enqueues;
  enqueues.kinds = 1u << static_cast<unsigned>(TraceKind::enqueue);
  live.log().set_filter(enqueues);
  ASSERT_GT(log.size(), 0u);
  EXPECT_LT(log.size(), 500u);
  for (std::uint64_t row = 0; row < log.size(); ++row) {
    ASSERT_TRUE(parse_trace_line(log.text(log.line_of(row)), record));
    EXPECT_EQ(record.kind, TraceKind::enqueue);
  }
  // Switched off, the log keeps no new rows and the run goes on.
  const std::uint64_t kept = log.total();
  live.set_live_log(false);
  live.advance_now(25 * kNanosPerSecond);
  EXPECT_EQ(log.total(), kept);
  live.set_live_log(true);
  live.advance_now(26 * kNanosPerSecond);
  EXPECT_GT(log.total(), kept);
}

TEST(LiveSession, ReplicasAndDecisionsAsTheRunGoes) {
  LiveSession live(load_scenario_file(SLUICE_SOURCE_DIR "/scenarios/scaling/hpa_flapping.json"), 1);
  live.advance_now(45 * kNanosPerSecond);
  ASSERT_EQ(live.model().replicas.size(), 1u);
  const ReplicaTrack& track = live.model().replicas[0];
  EXPECT_EQ(track.max_replicas, 10u);
  ASSERT_EQ(track.decisions.size(), 1u) << "one decision (at 40 s) so far";
  EXPECT_EQ(track.decisions[0].from, 2u);
  EXPECT_EQ(track.decisions[0].to, 3u);
  EXPECT_NE(track.decisions[0].reason.find("utilization"), std::string::npos);
  EXPECT_FALSE(track.ready.t.empty());
  // From the live run's replica records: starting right after the decision, ready by now.
  EXPECT_EQ(replicas_at(track, 40 * kNanosPerSecond + 1, live.now()).starting, 1u);
  EXPECT_EQ(replicas_at(track, live.now(), live.now()), (ReplicaCounts{3, 0, 0}));
  live.advance_now(kNever - 1);
  ASSERT_TRUE(live.over());
  ASSERT_EQ(live.model().replicas.size(), 1u);
  EXPECT_GT(live.model().replicas[0].decisions.size(), 5u);
  EXPECT_FALSE(live.model().replicas[0].steps.empty()) << "the finished model keeps the replica states";
}

TEST(LiveSession, AlertSpansAsTheRunGoes) {
  LiveSession live(load_scenario_file(SLUICE_SOURCE_DIR "/scenarios/scaling/alert_lag_slowdown.json"), 1);
  live.advance_now(50 * kNanosPerSecond);
  const AlertTrack* lag = nullptr;
  for (const AlertTrack& a : live.model().alerts) lag = a.name == "consumer-lag" ? &a : lag;
  ASSERT_NE(lag, nullptr);
  ASSERT_EQ(lag->spans.size(), 2u);
  EXPECT_EQ(lag->spans[0].from, 35 * kNanosPerSecond);
  EXPECT_EQ(lag->spans[0].to, 45 * kNanosPerSecond);
  EXPECT_TRUE(lag->spans[1].firing);
  EXPECT_EQ(lag->spans[1].from, 45 * kNanosPerSecond);
  EXPECT_EQ(lag->spans[1].to, kNever) << "still firing";
}

}  // namespace
}  // namespace sluice::viz
