#include "visualizer/scaling_model.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "visualizer/run_model.h"

namespace sluice::viz {
namespace {

using nlohmann::json;

constexpr Nanos kS = kNanosPerSecond;

TEST(AlertSpans, PendingUntilFiringFiringUntilResolved) {
  const json transitions = json::parse(R"([
    {"at_ns": 35000000000, "state": "pending", "value": 554},
    {"at_ns": 45000000000, "state": "firing", "value": 1787},
    {"at_ns": 95000000000, "state": "resolved", "value": 479},
    {"at_ns": 120000000000, "state": "pending", "value": 600},
    {"at_ns": 125000000000, "state": "inactive", "value": 10},
    {"at_ns": 130000000000, "state": "pending", "value": 700},
    {"at_ns": 140000000000, "state": "firing", "value": 900}])");
  const std::vector<AlertSpan> spans = alert_spans(transitions);
  ASSERT_EQ(spans.size(), 5u);
  EXPECT_EQ(spans[0].from, 35 * kS);
  EXPECT_EQ(spans[0].to, 45 * kS);
  EXPECT_FALSE(spans[0].firing);
  EXPECT_EQ(spans[1].from, 45 * kS);
  EXPECT_EQ(spans[1].to, 95 * kS);
  EXPECT_TRUE(spans[1].firing);
  // A pending alert whose condition cleared never fired.
  EXPECT_EQ(spans[2].to, 125 * kS);
  EXPECT_FALSE(spans[2].firing);
  // Still firing when the run ended: open.
  EXPECT_EQ(spans[4].from, 140 * kS);
  EXPECT_EQ(spans[4].to, kNever);
  EXPECT_TRUE(spans[4].firing);
}

TEST(AlertTracks, NameRuleAndSpansFromTheSummary) {
  const json alerts = json::parse(R"({"lag": {"fired": 1, "for_ns": 10000000000, "metric": "consumer_lag",
      "of": "t", "op": "above", "threshold": 500.0,
      "transitions": [{"at_ns": 5, "state": "firing", "value": 1}]}, "quiet": {"metric": "stalled", "transitions": []}})");
  const std::vector<AlertTrack> tracks = alert_tracks_from_json(alerts);
  ASSERT_EQ(tracks.size(), 2u);
  EXPECT_EQ(tracks[0].name, "lag");
  EXPECT_EQ(tracks[0].rule, "consumer_lag of t above 500.0, for 10s");
  EXPECT_EQ(tracks[0].fired, 1u);
  ASSERT_EQ(tracks[0].spans.size(), 1u);
  EXPECT_TRUE(tracks[1].spans.empty());
}

ReplicaTrack two_replicas() {
  ReplicaTrack track;
  track.stage = "enrich";
  track.initial = 2;
  return track;
}

TEST(ReplicaSteps, CountStartingReadyAndDrainingAsTheRecordsSay) {
  ReplicaTrack track = two_replicas();
  const std::vector<ReplicaRecord> records = {
      {10 * kS, "enrich", 2, "starting"}, {10 * kS, "enrich", 3, "starting"}, {12 * kS, "other", 0, "starting"},
      {13 * kS, "enrich", 2, "ready"},    {14 * kS, "enrich", 3, "cancelled"}, {20 * kS, "enrich", 2, "draining"},
      {20 * kS, "enrich", 1, "draining"}, {22 * kS, "enrich", 2, "left"},     {23 * kS, "enrich", 1, "left"}};
  set_replica_steps(track, records);
  EXPECT_EQ(replicas_at(track, 0, 30 * kS), (ReplicaCounts{2, 0, 0}));
  EXPECT_EQ(replicas_at(track, 11 * kS, 30 * kS), (ReplicaCounts{2, 2, 0}));  // same-time records make one step
  EXPECT_EQ(replicas_at(track, 13 * kS, 30 * kS), (ReplicaCounts{3, 1, 0}));
  EXPECT_EQ(replicas_at(track, 14 * kS, 30 * kS), (ReplicaCounts{3, 0, 0}));
  EXPECT_EQ(replicas_at(track, 21 * kS, 30 * kS), (ReplicaCounts{1, 0, 2}));
  EXPECT_EQ(replicas_at(track, 22 * kS, 30 * kS), (ReplicaCounts{1, 0, 1}));
  EXPECT_EQ(replicas_at(track, 29 * kS, 30 * kS), (ReplicaCounts{1, 0, 0}));
  EXPECT_EQ(track.steps.size(), 7u) << "the other stage's record is not this stage's";
}

TEST(ReplicaSteps, WithoutRecordsTheReadyGaugeAnswers) {
  ReplicaTrack track = two_replicas();
  track.ready.width = 10 * kS;
  track.ready.t = {0, 10 * kS};
  track.ready.min = {2, 2};
  track.ready.max = {2, 4};
  track.ready.mean = {2, 3};
  EXPECT_EQ(replicas_at(track, 15 * kS, 20 * kS), (ReplicaCounts{4, 0, 0}));
}

TEST(ScalingDecisions, TheNearestWithinTheTolerance) {
  ReplicaTrack track = two_replicas();
  track.decisions = {{40 * kS, 2, 3, "up"}, {50 * kS, 3, 2, "down"}};
  ASSERT_NE(decision_near(track, 41 * kS, 2 * kS), nullptr);
  EXPECT_EQ(decision_near(track, 41 * kS, 2 * kS)->reason, "up");
  EXPECT_EQ(decision_near(track, 49 * kS, 2 * kS)->reason, "down");
  EXPECT_EQ(decision_near(track, 45 * kS, 2 * kS), nullptr);
}

TEST(ReplicaRecords, ParsedFromATraceLine) {
  ReplicaRecord r;
  ASSERT_TRUE(parse_replica_record(R"({"t":43666822503,"kind":"replica","stage":"enrich","worker":2,"state":"ready"})", r));
  EXPECT_EQ(r.at, 43666822503);
  EXPECT_EQ(r.stage, "enrich");
  EXPECT_EQ(r.worker, 2u);
  EXPECT_EQ(r.state, "ready");
  EXPECT_FALSE(parse_replica_record(R"({"t":1,"kind":"scaled","stage":"enrich","from":2,"to":3})", r));
  EXPECT_FALSE(parse_replica_record(R"({"t":1,"kind":"replica","stage":"enrich","state":"ready"})", r));
}

TEST(ReplicaTracks, DecisionsBoundsAndTheReadySeriesFromTheRunFiles) {
  const json summary = json::parse(R"({"scenario": "s",
    "topology": {"stages": [{"id": "enrich", "from": "q", "to": "db", "workers": ["a"],
                             "autoscale": {"min": 2, "max": 10, "initial": 2}}]},
    "scaling": {"enrich": {"decisions": [{"at_ns": 40, "from": 2, "to": 3, "reason": "utilization 1"}],
                           "ready_min": 2, "ready_max": 3, "reversals": 0}}})");
  const json series = json::parse(R"({"replicas": {"enrich": {"width_ns": 10, "t": [0, 10], "min": [0, 2],
      "max": [2, 3], "mean": [2.0, 2.5], "decisions": [{"at_ns": 40, "from": 2, "to": 3}]}}})");
  const RunModel model = model_from_json(summary, series);
  ASSERT_EQ(model.replicas.size(), 1u);
  const ReplicaTrack& r = model.replicas[0];
  EXPECT_EQ(model.replica_track("enrich"), &r);
  EXPECT_EQ(r.min_replicas, 2u);
  EXPECT_EQ(r.max_replicas, 10u);
  EXPECT_EQ(r.initial, 2u);
  EXPECT_EQ(r.ready_max, 3u);
  ASSERT_EQ(r.decisions.size(), 1u);
  EXPECT_EQ(r.decisions[0].reason, "utilization 1");
  EXPECT_EQ(r.ready.t.size(), 2u);
  EXPECT_EQ(r.ready.max[1], 3);
}

}  // namespace
}  // namespace sluice::viz
