#include "sim/run/pipeline_metrics.h"

#include <algorithm>
#include <string_view>

#include <nlohmann/json.hpp>

namespace sluice {
namespace {
// The first bucket width of every series; buckets double as the run grows.
constexpr Nanos kInitialBucketNs = kNanosPerMilli;
}  // namespace

QueueMetrics::QueueMetrics(std::string name, std::uint64_t capacity)
    : name(std::move(name)), capacity(capacity), depth(0), depth_series(kInitialBucketNs) {}

StageMetrics::StageMetrics(std::string name, std::size_t workers)
    : name(std::move(name)),
      workers(workers),
      busy_since(workers, -1),
      blocked_since(workers, -1),
      throughput(kInitialBucketNs) {}

PipelineMetrics::PipelineMetrics(std::vector<QueueMetrics> queues, std::vector<StageMetrics> stages)
    : queues(std::move(queues)),
      stages(std::move(stages)),
      latency_series(kInitialBucketNs),
      effect_series(kInitialBucketNs),
      shed_series(kInitialBucketNs),
      retry_series(kInitialBucketNs),
      commit_series(kInitialBucketNs) {}

void PipelineMetrics::mark(const char* kind, Nanos t, const std::string& part, std::uint64_t id) {
  if (std::string_view(kind) == "commit") commit_series.add(t);
  // Commits and fired perturbation sites are frequent: each gets its own
  // budget, so they never crowd out the rare marks.
  std::size_t& used = std::string_view(kind) == "commit"      ? commit_marks_
                      : std::string_view(kind) == "perturbed" ? perturbed_marks_
                                                              : rare_marks_;
  if (used >= kMarksMost) return;
  ++used;
  marks.push_back({kind, t, part, id});
}

void PipelineMetrics::released(StageIndex stage, std::uint32_t worker, Nanos now) {
  StageMetrics& s = stages[stage];
  if (worker >= s.blocked_since.size() || s.blocked_since[worker] < 0) return;
  s.blocked_ns += static_cast<long double>(now - s.blocked_since[worker]);
  s.blocked_since[worker] = -1;
}

void PipelineMetrics::service_finished(StageIndex stage, std::uint32_t worker, Nanos now) {
  StageMetrics& s = stages[stage];
  if (s.busy_since[worker] >= 0) s.busy_ns += static_cast<long double>(now - s.busy_since[worker]);
  s.busy_since[worker] = -1;
  s.blocked_since[worker] = now;
  ++s.processed;
  s.throughput.add(now);
}

void PipelineMetrics::service_aborted(StageIndex stage, std::uint32_t worker, Nanos now) {
  StageMetrics& s = stages[stage];
  if (s.busy_since[worker] >= 0) s.busy_ns += static_cast<long double>(now - s.busy_since[worker]);
  s.busy_since[worker] = -1;
}

void PipelineMetrics::finish(Nanos end) {
  for (QueueMetrics& q : queues) q.depth_series.finish(end);
  for (StageMetrics& s : stages) {
    // Work still in service at the end counts as busy up to the end.
    for (Nanos& since : s.busy_since) {
      if (since >= 0) s.busy_ns += static_cast<long double>(end - since);
      since = -1;
    }
    for (Nanos& since : s.blocked_since) {
      if (since >= 0) s.blocked_ns += static_cast<long double>(end - since);
      since = -1;
    }
    s.throughput.finish(end);
  }
  latency_series.finish(end);
  effect_series.finish(end);
  shed_series.finish(end);
  retry_series.finish(end);
  commit_series.finish(end);
}

nlohmann::json PipelineMetrics::queues_json(Nanos end) const {
  nlohmann::json out = nlohmann::json::object();
  for (const QueueMetrics& q : queues) {
    double mean_wait = q.departures == 0 ? 0.0 : static_cast<double>(q.total_wait_ns / q.departures);
    out[q.name] = {
        {"max_depth", q.depth.max()},
        {"mean_depth", q.depth.mean(end)},
        {"arrivals", q.arrivals},
        {"departures", q.departures},
        {"shed", q.shed},
        {"lost_in_crash", q.lost_in_crash},
        {"mean_wait_ns", mean_wait},
        {"arrival_rate_per_s", end == 0 ? 0.0 : static_cast<double>(q.arrivals) / to_seconds(end)},
    };
    if (q.bounded()) out[q.name]["capacity"] = q.capacity;  // a topic without max_msgs has none
    if (q.committed_offset > 0) out[q.name]["committed_offset"] = q.committed_offset;
  }
  return out;
}

nlohmann::json PipelineMetrics::latency_json() const {
  return {
      {"count", latency.count()},
      {"mean", latency.mean()},
      {"p50", latency.quantile(0.50)},
      {"p90", latency.quantile(0.90)},
      {"p99", latency.quantile(0.99)},
      {"max", latency.max()},
      {"relative_error", LatencyHistogram::kRelativeError},
  };
}

nlohmann::json PipelineMetrics::stages_json(Nanos end) const {
  nlohmann::json out = nlohmann::json::object();
  for (const StageMetrics& s : stages) {
    double capacity_ns = static_cast<double>(end) * static_cast<double>(s.workers);
    const double blocked = capacity_ns == 0 ? 0.0 : static_cast<double>(s.blocked_ns) / capacity_ns;
    out[s.name] = {
        {"processed", s.processed},
        {"workers", s.workers},
        {"retries", s.retries},
        {"gave_up", s.gave_up},
        {"breaker_changes", s.breaker_changes},
        {"lost_in_crash", s.lost_in_crash},
        {"rebalances", s.rebalances},
        {"fenced_commits", s.fenced_commits},
        {"checkpoints", {{"completed", s.checkpoints},
                         {"aborted", s.checkpoints_aborted},
                         {"mean_duration_ns", s.checkpoints == 0 ? 0.0 : static_cast<double>(s.checkpoint_ns_total) / static_cast<double>(s.checkpoints)},
                         {"max_duration_ns", s.checkpoint_ns_max},
                         {"bytes", s.checkpoint_bytes},
                         // The share of the workers' time spent on barriers: the throughput checkpoints cost.
                         {"throughput_lost_fraction", capacity_ns == 0 ? 0.0 : static_cast<double>(s.checkpoint_work_ns) / capacity_ns}}},
        {"busy_fraction", capacity_ns == 0 ? 0.0 : static_cast<double>(s.busy_ns) / capacity_ns},
        {"blocked_fraction", blocked},
        {"idle_fraction", capacity_ns == 0 ? 0.0 : std::max(0.0, 1.0 - static_cast<double>(s.busy_ns) / capacity_ns - blocked)},
        {"throughput_per_s", end == 0 ? 0.0 : static_cast<double>(s.processed) / to_seconds(end)},
    };
  }
  return out;
}

nlohmann::json PipelineMetrics::counts_json() const {
  return {
      {"produced", counts.produced},   {"acked", counts.acked},
      {"rejected", counts.rejected},   {"shed", counts.shed},
      {"delivered", counts.delivered}, {"effects", counts.effects},
      {"duplicates_suppressed", counts.duplicates_suppressed},
      {"redelivered", counts.redelivered},
      {"lost", counts.lost},
      {"retries", counts.retries},
      {"dead_lettered", counts.dead_lettered},
      {"source_dropped", counts.source_dropped},
      {"spilled", counts.spilled},
      {"replayed", counts.replayed},
      {"spill_corrupt", counts.spill_corrupt},
      {"shed_drop_newest", counts.shed_drop_newest},
      {"shed_drop_oldest", counts.shed_drop_oldest},
      {"shed_priority", counts.shed_priority},
      {"shed_discard_old", counts.shed_discard_old},
      {"give_up_dropped", counts.give_up_dropped},
  };
}

nlohmann::json PipelineMetrics::marks_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const RunMark& m : marks) out.push_back({{"kind", m.kind}, {"at_ns", m.t}, {"part", m.part}, {"id", m.id}});
  return out;
}

nlohmann::json PipelineMetrics::series_json() const {
  nlohmann::json queue_series = nlohmann::json::object();
  for (const QueueMetrics& q : queues) {
    nlohmann::json depth = q.depth_series.to_json();
    if (q.bounded()) depth["capacity"] = q.capacity;
    queue_series[q.name] = std::move(depth);
  }
  nlohmann::json stage_series = nlohmann::json::object();
  for (const StageMetrics& s : stages) stage_series[s.name] = s.throughput.to_json();
  return {
      {"queues", std::move(queue_series)},
      {"stages", std::move(stage_series)},
      {"effects", effect_series.to_json()},
      {"shed", shed_series.to_json()},
      {"retries", retry_series.to_json()},
      {"latency_ns", latency_series.to_json()},
      {"commits", commit_series.to_json()},
      {"marks", marks_json()},
  };
}

}  // namespace sluice
