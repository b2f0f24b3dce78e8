// The metrics as a subscriber: counts, queue depths and waits, service and
// blocked times, latency and the series and marks of series.json
// (pipeline_metrics.h), from the records that change them.
//
// Order: after the trace and Perfetto writers, which read a queue's depth and
// a worker's service start as they were before the record; after the
// delivery check (latency counts first effects only) and the redeliveries.
#pragma once

#include "core/model/records.h"
#include "core/runtime/runtime.h"
#include "sim/watch/delivery_check.h"
#include "sim/watch/part_names.h"
#include "sim/watch/redeliveries.h"
#include "sim/run/pipeline_metrics.h"
#include "sim/world/world_records.h"

namespace sluice {

class MetricsRecorder {
 public:
  MetricsRecorder(Runtime& runtime, const PartNames& names, const DeliveryCheck& delivery,
                  const Redeliveries& redeliveries);

  void on(const Produced&) { ++m_.counts.produced; }
  void on(const Acked&) { ++m_.counts.acked; }
  void on(const Rejected&) { ++m_.counts.rejected; }
  void on(const SourceDropped& rec);
  void on(const Spilled&) { ++m_.counts.spilled; }
  void on(const Replayed&) { ++m_.counts.replayed; }
  void on(const SpillCorrupt&) { ++m_.counts.spill_corrupt; }
  void on(const Enqueued& rec) {
    ++m_.queues[rec.queue].arrivals;
    m_.depth_changed(rec.queue, now(), rec.depth);
  }
  void on(const Dequeued& rec) { departed(rec.queue, rec.waited, rec.depth); }
  void on(const Shed& rec);
  void on(const LostInCrash& rec) {
    // It leaves the queue (Little's law counts its wait) but is not resolved.
    ++m_.queues[rec.queue].lost_in_crash;
    departed(rec.queue, rec.waited, rec.depth);
  }
  void on(const ServiceStarted& rec) {
    ++m_.counts.delivered;
    m_.service_started(rec.stage, rec.worker, now());
  }
  void on(const ServiceFinished& rec) { m_.service_finished(rec.stage, rec.worker, now()); }
  void on(const ServiceAborted& rec) { m_.service_aborted(rec.stage, rec.worker, now()); }
  void on(const LostInTransit& rec) { ++m_.stages[rec.stage].lost_in_crash; }
  void on(const Released& rec) { m_.released(rec.stage, rec.worker, now()); }
  void on(const AttemptFailed& rec);
  void on(const GaveUp& rec);
  void on(const BreakerChanged& rec) { ++m_.stages[rec.stage].breaker_changes; }
  void on(const Effect& rec);
  void on(const DuplicateSuppressed&) { ++m_.counts.duplicates_suppressed; }
  void on(const Fetched&) {
    if (redeliveries_.last_was_redelivery()) ++m_.counts.redelivered;
  }
  void on(const Trimmed& rec) { departed(rec.partition, rec.waited, rec.depth); }
  void on(const OffsetCommitted& rec);
  void on(const CommitFenced& rec) { ++m_.stages[rec.stage].fenced_commits; }
  void on(const Rebalanced& rec);
  void on(const CheckpointCompleted& rec);
  void on(const CheckpointAborted& rec);
  void on(const CheckpointWork& rec) { m_.stages[rec.stage].checkpoint_work_ns += rec.busy; }
  void on(const StateRestored& rec);
  void on(const Perturbed& rec);
  template <typename R>
  void on(const R&) {}

  PipelineMetrics& metrics() { return m_; }
  const PipelineMetrics& metrics() const { return m_; }

 private:
  Nanos now() const { return runtime_.now(); }
  // An event left the queue after waiting `waited` (Little's law counts it); it now holds `depth`.
  void departed(QueueIndex queue, Nanos waited, std::size_t depth) {
    QueueMetrics& q = m_.queues[queue];
    ++q.departures;
    q.total_wait_ns += static_cast<long double>(waited);
    m_.depth_changed(queue, now(), depth);
  }
  // Counts a queue's shed under its reason (and in the shed total).
  void count_shed(QueueIndex queue, ShedReason reason);

  Runtime& runtime_;
  const PartNames& names_;
  const DeliveryCheck& delivery_;
  const Redeliveries& redeliveries_;
  PipelineMetrics m_;
};

}  // namespace sluice
