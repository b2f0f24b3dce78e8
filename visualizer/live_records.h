// The live visualizer's subscription to the run's history (sim/run/record_tap.h):
// each record the history dispatches, after its own subscribers, updates
// what the live model shows from records rather than from re-reading the
// trace or polling the history: each queue's current depth, the faults as
// they begin, every replica state change, and (while the live log is on)
// the event log's rows, kept typed and written only when shown (live_log.h).
#pragma once

#include <cstddef>
#include <vector>

#include "core/runtime/runtime.h"
#include "sim/run/pipeline_metrics.h"
#include "sim/run/record_tap.h"
#include "sim/watch/part_names.h"
#include "visualizer/faults.h"
#include "visualizer/live_log.h"
#include "visualizer/scaling_model.h"

namespace sluice::viz {

class LiveRecords final : public RecordTap {
 public:
  // The run's clock, part names and metrics (they must outlive this).
  LiveRecords(const Runtime& runtime, const PartNames& names, const PipelineMetrics& metrics,
              std::size_t log_capacity = LiveLog::kDefaultCapacity);

  void on(const PipelineRecord& record) override;
  void on(const WorldRecord& record) override;

  // The live log switch: off, no record is kept for the log (the rest goes on).
  void set_log_enabled(bool enabled) { log_enabled_ = enabled; }
  bool log_enabled() const { return log_enabled_; }
  LiveLog& log() { return log_; }
  const LiveLog& log() const { return log_; }

  // Each queue's depth after its latest record (by QueueIndex; 0 before any).
  const std::vector<std::size_t>& depths() const { return depths_; }
  // The faults that began, each with its planned end, as summary.json lists them.
  const std::vector<Fault>& faults() const { return faults_; }
  // Every "replica" change so far (the replicas lane and the topology's pips).
  const std::vector<ReplicaRecord>& replica_records() const { return replicas_; }

 private:
  const Runtime& runtime_;
  const PartNames& names_;
  LiveLog log_;
  bool log_enabled_ = true;
  std::vector<std::size_t> depths_;
  std::vector<Fault> faults_;
  std::vector<ReplicaRecord> replicas_;
};

}  // namespace sluice::viz
