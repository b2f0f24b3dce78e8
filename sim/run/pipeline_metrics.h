// Figures of one run, all in virtual time: time-weighted queue depths,
// per-stage busy time, end-to-end latency with a stated error bound, counts,
// and bounded downsampled series for reports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/model/event.h"
#include "sim/metrics/latency_histogram.h"
#include "sim/metrics/series.h"
#include "sim/metrics/time_weighted.h"

namespace sluice {

struct Counts {
  std::uint64_t produced = 0;
  std::uint64_t acked = 0;
  std::uint64_t rejected = 0;  // produce attempts the downstream refused or did not answer
  // Every discard by a policy the scenario chose, the total of the five
  // below (kept under this name for older readers of summary.json).
  std::uint64_t shed = 0;
  std::uint64_t shed_drop_newest = 0;   // a buffer's overflow policy dropped the arriving event
  std::uint64_t shed_drop_oldest = 0;   // a buffer's overflow policy dropped its oldest event
  std::uint64_t shed_priority = 0;      // shed_by_priority dropped the lowest priority
  std::uint64_t shed_discard_old = 0;   // a full topic with discard=old dropped its oldest record
  std::uint64_t give_up_dropped = 0;    // a stage with "on_give_up": "drop" gave up on it (not in shed)
  std::uint64_t delivered = 0;
  std::uint64_t effects = 0;
  std::uint64_t duplicates_suppressed = 0;
  std::uint64_t redelivered = 0;
  std::uint64_t lost = 0;
  std::uint64_t retries = 0;
  std::uint64_t dead_lettered = 0;
  std::uint64_t source_dropped = 0;  // given up on by a source's on_reject policy (also in shed)
  std::uint64_t spilled = 0;         // rejected events written to a source's spill backlog
  std::uint64_t replayed = 0;        // spilled events accepted on replay
  std::uint64_t spill_corrupt = 0;   // spill records that failed their checksum
};

struct QueueMetrics {
  explicit QueueMetrics(std::string name, std::uint64_t capacity);
  bool bounded() const { return capacity != UINT64_MAX; }
  std::string name;
  std::uint64_t capacity;  // UINT64_MAX: unbounded (a topic without max_msgs)
  TimeWeightedGauge depth;
  GaugeSeries depth_series;
  std::uint64_t arrivals = 0;
  std::uint64_t departures = 0;
  std::uint64_t shed = 0;
  std::uint64_t lost_in_crash = 0;
  std::uint64_t committed_offset = 0;  // topic partitions: where the consumer group stands
  long double total_wait_ns = 0;  // summed over departures, for Little's law
};

// A moment the report marks on its time charts: "checkpoint",
// "checkpoint_aborted", "rebalance", "restore" or "commit", with the part it
// concerns (a stage, or a queue for restores and commits) and its id
// (checkpoint id, generation, committed offset).
struct RunMark {
  const char* kind = "";
  Nanos t = 0;
  std::string part;
  std::uint64_t id = 0;
};

struct StageMetrics {
  StageMetrics(std::string name, std::size_t workers);
  std::string name;
  std::size_t workers;
  std::uint64_t processed = 0;
  std::uint64_t retries = 0;          // failed attempts and downstream refusals
  std::uint64_t gave_up = 0;          // events dropped or dead-lettered after the last attempt
  std::uint64_t breaker_changes = 0;
  std::uint64_t lost_in_crash = 0;    // held by the stage when a crash hit
  std::uint64_t rebalances = 0;       // generations its consumer group went through
  std::uint64_t fenced_commits = 0;   // commits refused to members that lost their partitions
  std::uint64_t checkpoints = 0;      // completed
  std::uint64_t checkpoints_aborted = 0;
  Nanos checkpoint_ns_total = 0;      // trigger to completion, summed
  Nanos checkpoint_ns_max = 0;
  std::uint64_t checkpoint_bytes = 0;
  Nanos checkpoint_work_ns = 0;       // workers' time on barriers instead of records
  long double busy_ns = 0;
  std::vector<Nanos> busy_since;  // per worker; -1 when idle
  // Blocked on downstream: from the end of service until the event is handed
  // on (the downstream call, a full queue, retries after a refusal).
  long double blocked_ns = 0;
  std::vector<Nanos> blocked_since;  // per worker; -1 when not waiting to hand off
  CounterSeries throughput;
};

class PipelineMetrics {
 public:
  PipelineMetrics(std::vector<QueueMetrics> queues, std::vector<StageMetrics> stages);

  Counts counts;
  std::vector<QueueMetrics> queues;
  std::vector<StageMetrics> stages;
  LatencyHistogram latency;
  QuantileSeries latency_series;
  CounterSeries effect_series;
  CounterSeries shed_series;
  CounterSeries retry_series;
  CounterSeries commit_series;
  std::vector<RunMark> marks;  // oldest first: at most kMarksMost commits and kMarksMost others
  static constexpr std::size_t kMarksMost = 2000;
  void mark(const char* kind, Nanos t, const std::string& part, std::uint64_t id);
  // The worker handed its event on (or gave it up): its blocked time ends.
  void released(StageIndex stage, std::uint32_t worker, Nanos now);

  void depth_changed(QueueIndex queue, Nanos now, std::size_t depth) {
    queues[queue].depth.set(now, static_cast<std::int64_t>(depth));
    queues[queue].depth_series.set(now, static_cast<std::int64_t>(depth));
  }
  void service_started(StageIndex stage, std::uint32_t worker, Nanos now) {
    released(stage, worker, now);  // another attempt: the wait to hand the last one on is over
    stages[stage].busy_since[worker] = now;
  }
  void service_finished(StageIndex stage, std::uint32_t worker, Nanos now);
  void service_aborted(StageIndex stage, std::uint32_t worker, Nanos now);

  // Closes every series at the end of the run.
  void finish(Nanos end);
  // summary.json's queues, latency_ns and stages objects.
  nlohmann::json queues_json(Nanos end) const;
  nlohmann::json latency_json() const;
  nlohmann::json stages_json(Nanos end) const;
  nlohmann::json counts_json() const;
  // series.json: every series, bounded in size whatever the run length.
  nlohmann::json series_json() const;
  // series.json's "marks": checkpoints, aborts, rebalances, restores and commits, oldest first.
  nlohmann::json marks_json() const;

 private:
  std::size_t commit_marks_ = 0, rare_marks_ = 0;
};

}  // namespace sluice
