#include "visualizer/live_session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

#include <nlohmann/json.hpp>

#include "sim/run/alert_monitor.h"
#include "sim/run/history.h"
#include "sim/run/judge.h"
#include "sim/run/pipeline_metrics.h"

namespace sluice::viz {

namespace {

// Timers per slice between wall-clock checks: small enough that a frame's
// budget is overshot by well under a millisecond.
constexpr std::uint64_t kTimersPerSlice = 512;

// The bucketed series are the metrics' (the one producer of series.json's);
// `current` is the depth the queue's latest record carried.
DepthTrack depth_track_of(const QueueMetrics& q, Nanos now, std::size_t current) {
  DepthTrack track;
  track.name = q.name;
  // An unbounded queue (a topic partition without max_msgs) has no capacity
  // line: 0 means none, as in a recorded run's series.json.
  track.capacity = q.bounded() ? q.capacity : 0;
  track.width = q.depth_series.width();
  for (const GaugeSeries::Bucket& b : q.depth_series.buckets()) {
    track.t.push_back(b.start);
    track.min.push_back(static_cast<double>(b.min));
    track.max.push_back(static_cast<double>(b.max));
    track.mean.push_back(b.mean);
  }
  track.max_depth = static_cast<double>(q.depth.max());
  track.mean_depth = q.depth.mean(now);
  track.current = static_cast<std::int64_t>(current);
  return track;
}

CountTrack count_track_of(std::string name, const CounterSeries& series) {
  CountTrack track;
  track.name = std::move(name);
  track.width = series.width();
  for (const CounterSeries::Bucket& b : series.buckets()) {
    track.t.push_back(b.start);
    track.count.push_back(static_cast<double>(b.count));
  }
  return track;
}

LatencyTrack latency_track_of(const QuantileSeries& series) {
  LatencyTrack track;
  track.width = series.width();
  for (const QuantileSeries::Bucket& b : series.buckets()) {
    track.t.push_back(b.start);
    track.count.push_back(static_cast<double>(b.count));
    track.p50.push_back(static_cast<double>(b.p50));
    track.p90.push_back(static_cast<double>(b.p90));
    track.p99.push_back(static_cast<double>(b.p99));
    track.max.push_back(static_cast<double>(b.max));
  }
  return track;
}

InvariantRow live_row(const std::string& name, const Verdict* verdict) {
  InvariantRow row;
  row.name = name;
  if (verdict == nullptr) {
    row.pending = true;
    row.note = "evaluated when the run ends";
    return row;
  }
  row.ok = verdict->ok();
  row.applicable = verdict->applicable;
  row.checked = verdict->checked;
  row.violations = verdict->violations;
  row.first = verdict->first;
  row.note = verdict->note;
  row.at = violation_time(row.first);
  row.event_id = violation_event_id(row.first);
  return row;
}

}  // namespace

LiveSession::LiveSession(Scenario scenario, std::uint64_t seed, std::size_t log_capacity, bool live_log)
    : scenario_(std::make_unique<Scenario>(std::move(scenario))) {
  RunOptions options;
  options.seed = seed;
  // The tap only reads records; it draws nothing and leaves the trace_hash as it is.
  options.record_tap = &tap_;
  run_ = std::make_unique<ScenarioRun>(*scenario_, options);
  const History& history = run_->history();
  records_ = std::make_unique<LiveRecords>(run_->simulation(), history.names(), history.metrics(), log_capacity);
  records_->set_log_enabled(live_log);
  tap_.to = records_.get();
  topology_ = topology_json(*scenario_);
  model_.scenario = scenario_->name;
  model_.file = scenario_->file;
  model_.seed = seed;
  model_.repro = repro_command(*scenario_, seed);
  model_.outcome = "running";
  model_.topology = topology_from_json(topology_);
  refresh_model();
}

LiveSession::~LiveSession() = default;

void LiveSession::set_playing(bool playing) {
  playing_ = playing;
  if (playing) target_.reset();
}

void LiveSession::set_speed(double speed) { speed_ = std::clamp(speed, 1e-6, 1e9); }

void LiveSession::step() {
  playing_ = false;
  target_.reset();
  if (finished_) return;
  if (!run_->advance(kNever, 1)) finish();
  refresh_model();
}

void LiveSession::run_to(Nanos t) {
  playing_ = false;
  target_ = t;
}

void LiveSession::advance_now(Nanos t) {
  target_.reset();
  advance_for(t, 1e9);
  refresh_model();
}

std::uint64_t LiveSession::events() const { return run_->simulation().events(); }

void LiveSession::update(double wall_dt_seconds, double budget_seconds) {
  behind_ = false;
  if (!finished_) {
    if (target_) {
      advance_for(*target_, budget_seconds);
      if (finished_ || now() >= *target_) target_.reset();
    } else if (playing_) {
      // Clamp the frame time, so a stall (a window drag) does not turn into a leap.
      const double dt = std::min(wall_dt_seconds, 0.25);
      const double step = std::max(1.0, speed_ * dt * static_cast<double>(kNanosPerSecond));
      const Nanos target = now() > kNever - static_cast<Nanos>(step) ? kNever : now() + static_cast<Nanos>(step);
      advance_for(target, budget_seconds);
    }
  }
  refresh_model();
}

void LiveSession::advance_for(Nanos target, double budget_seconds) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  while (!finished_ && now() < target) {
    if (!run_->advance(target, kTimersPerSlice)) {
      finish();
      return;
    }
    if (std::chrono::duration<double>(Clock::now() - start).count() > budget_seconds) {
      behind_ = now() < target;
      return;
    }
  }
}

void LiveSession::refresh_model() {
  if (finished_) return;
  // Only rebuild the tracks when the run moved: a paused run costs nothing per frame.
  const std::uint64_t events_now = events();
  if (events_now == refreshed_at_events_ && now() == refreshed_at_time_) return;
  refreshed_at_events_ = events_now;
  refreshed_at_time_ = now();

  const History& history = run_->history();
  const PipelineMetrics& metrics = history.metrics();
  const Nanos t = now();
  model_.virtual_time = t;
  model_.events = events_now;
  model_.trace_hash = hex64(run_->simulation().trace_hash());
  model_.queues.clear();
  for (std::size_t i = 0; i < metrics.queues.size(); ++i) {
    model_.queues.push_back(depth_track_of(metrics.queues[i], t, records_->depths()[i]));
  }
  model_.stages.clear();
  for (const StageMetrics& s : metrics.stages) model_.stages.push_back(count_track_of(s.name, s.throughput));
  model_.effects = count_track_of("effects", metrics.effect_series);
  model_.shed = count_track_of("shed", metrics.shed_series);
  model_.latency = latency_track_of(metrics.latency_series);
  // Faults as they began (each with its planned end), for node states and the lanes' spans.
  model_.faults = records_->faults();
  const Counts& c = metrics.counts;
  model_.counts = {{"produced", c.produced}, {"acked", c.acked},         {"rejected", c.rejected},
                   {"shed", c.shed},         {"give_up_dropped", c.give_up_dropped},
                   {"delivered", c.delivered}, {"effects", c.effects},
                   {"duplicates_suppressed", c.duplicates_suppressed}, {"redelivered", c.redelivered}};
  model_.invariants.clear();
  for (const InvariantInfo& info : invariant_catalog()) {
    const std::optional<Verdict> verdict = verdict_so_far(info.id, history);
    model_.invariants.push_back(live_row(std::string(info.name), verdict ? &*verdict : nullptr));
  }
  refresh_scaling();
  log().set_filter(log().filter());  // drop matches that left the ring, match the new records
}

void LiveSession::refresh_scaling() {
  const ScalingRecord& scaling = run_->history().scaling();
  if (scaling.any()) {
    const nlohmann::json summary = {{"scaling", scaling.summary_json()}, {"topology", topology_}};
    const nlohmann::json series = {{"replicas", scaling.series_json()}};
    model_.replicas = replica_tracks_from_json(summary, series);
    for (ReplicaTrack& track : model_.replicas) set_replica_steps(track, records_->replica_records());
  }
  if (const AlertMonitor* alerts = run_->alerts()) model_.alerts = alert_tracks_from_json(alerts->summary_json());
}

void LiveSession::finish() {
  if (finished_) return;
  finished_ = true;
  playing_ = false;
  target_.reset();
  RunReport report = run_->finish();
  try {
    RunModel finished = model_from_json(report.summary, report.series);
    finished.topology = model_.topology;  // same shape; keeps the layout stable
    for (ReplicaTrack& track : finished.replicas) set_replica_steps(track, records_->replica_records());
    model_ = std::move(finished);
  } catch (const RunDirError& e) {
    model_.outcome = std::string("finished (report unreadable: ") + e.what() + ")";
  }
  model_.finished = true;
}

unsigned LiveSession::node_condition(const std::string& node) const {
  const std::optional<NodeId> id = run_->simulation().find_node(node);
  if (!id) return kNodeUp;
  return run_->simulation().is_up(*id) ? kNodeUp : kNodeCrashed;
}

}  // namespace sluice::viz
