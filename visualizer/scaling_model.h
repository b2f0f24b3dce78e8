// Elastic scaling and alerts as the panels see them (issue 18): per
// autoscaled stage, ready replicas over time, every decision with its reason
// and, where the run's "replica" records are known (a recorded trace, or the
// live run), how many replicas are starting, ready and draining at any time;
// per alert, its pending and firing spans. Read from the same fields the HTML
// report reads: summary.json "scaling" and "alerts", series.json "replicas".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/time.h"
#include "visualizer/tracks.h"

namespace sluice::viz {

struct ScalingDecision {
  Nanos at = 0;
  std::uint32_t from = 0, to = 0;
  std::string reason;
};

struct ReplicaCounts {
  std::uint32_t ready = 0, starting = 0, draining = 0;
  bool operator==(const ReplicaCounts&) const = default;
};

// The counts from `at` on, until the next step.
struct ReplicaStep {
  Nanos at = 0;
  ReplicaCounts counts;
};

// One "replica" record: {"t", "kind":"replica", "stage", "worker", "state"}.
struct ReplicaRecord {
  Nanos at = 0;
  std::string stage;
  std::uint32_t worker = 0;
  std::string state;  // starting, ready, draining, left, cancelled
};

struct ReplicaTrack {
  std::string stage;
  DepthTrack ready;  // series.json "replicas": ready replicas per bucket (a gauge, like a queue's depth)
  std::vector<ScalingDecision> decisions;
  std::uint32_t ready_min = 0, ready_max = 0, reversals = 0;
  // The autoscaler's bounds and initial replicas (summary.json topology
  // stage "autoscale"); 0 when the run does not say.
  std::uint32_t min_replicas = 0, max_replicas = 0, initial = 0;
  std::vector<ReplicaStep> steps;  // empty: no replica records known (a run without its trace)
};

struct AlertSpan {
  Nanos from = 0, to = 0;  // to: kNever while still open
  bool firing = false;     // else pending
};

struct AlertTrack {
  std::string name;
  std::string rule;  // "consumer_lag of orders-topic above 500, for 10s"
  std::uint64_t fired = 0;
  std::vector<AlertSpan> spans;
};

// summary.json "scaling" + series.json "replicas" (+ "topology" for the
// bounds). Stages in the summary's order. Throws nlohmann::json errors on a
// malformed shape (model_from_json turns them into RunDirError).
std::vector<ReplicaTrack> replica_tracks_from_json(const nlohmann::json& summary, const nlohmann::json& series);
// summary.json "alerts": each alert's spans from its transitions.
std::vector<AlertTrack> alert_tracks_from_json(const nlohmann::json& alerts);
// Spans from transitions (pending, firing, resolved, inactive), in order: a
// pending or firing state lasts until the next transition (open at the end).
std::vector<AlertSpan> alert_spans(const nlohmann::json& transitions);

// Replays `records` of `track.stage` into track.steps. The initial replicas
// are ready from time 0 without a record; ready counts as ScalingRecord
// counts it (a "ready" adds one, a "draining" takes one away).
void set_replica_steps(ReplicaTrack& track, const std::vector<ReplicaRecord>& records);
// The counts at `at` from the steps; without steps, the ready gauge's bucket
// (its maximum) and nothing known of starting or draining.
ReplicaCounts replicas_at(const ReplicaTrack& track, Nanos at, Nanos run_end);
// The decision whose time is nearest `at` within `tolerance`, or null.
const ScalingDecision* decision_near(const ReplicaTrack& track, Nanos at, Nanos tolerance);

// A "replica" line of trace.jsonl, or false if `line` is not one.
bool parse_replica_record(std::string_view line, ReplicaRecord& out);

}  // namespace sluice::viz
