#include "sim/run/metrics_recorder.h"

#include <algorithm>

namespace sluice {
namespace {

std::vector<QueueMetrics> make_queue_metrics(const PartNames& names) {
  std::vector<QueueMetrics> queues;
  for (std::size_t i = 0; i < names.queues.size(); ++i) queues.emplace_back(names.queues[i], names.queue_capacities[i]);
  return queues;
}

std::vector<StageMetrics> make_stage_metrics(const PartNames& names) {
  std::vector<StageMetrics> stages;
  for (std::size_t i = 0; i < names.stages.size(); ++i) stages.emplace_back(names.stages[i], names.stage_workers[i]);
  return stages;
}

}  // namespace

MetricsRecorder::MetricsRecorder(Runtime& runtime, const PartNames& names, const DeliveryCheck& delivery,
                                 const Redeliveries& redeliveries)
    : runtime_(runtime),
      names_(names),
      delivery_(delivery),
      redeliveries_(redeliveries),
      m_(make_queue_metrics(names), make_stage_metrics(names)) {}

void MetricsRecorder::on(const SourceDropped&) {
  // Never acknowledged, and given up on by the source's policy: a shed.
  ++m_.counts.shed;
  ++m_.counts.source_dropped;
  m_.shed_series.add(now());
}

void MetricsRecorder::on(const Shed& rec) {
  QueueMetrics& q = m_.queues[rec.queue];
  ++q.shed;
  count_shed(rec.queue, rec.reason);
  if (rec.waited != kShedOnArrival) {
    // A queued event shed to make room leaves the queue: for Little's law it
    // departs, having waited this long. One shed on arrival never entered.
    departed(rec.queue, rec.waited, rec.depth);
  } else {
    m_.depth_changed(rec.queue, now(), rec.depth);
  }
}

void MetricsRecorder::count_shed(QueueIndex queue, ShedReason reason) {
  Counts& c = m_.counts;
  ++c.shed;
  m_.shed_series.add(now());
  if (queue >= names_.buffer_queues) ++c.shed_discard_old;  // a topic partition drops only its oldest
  else if (reason == ShedReason::drop_newest) ++c.shed_drop_newest;
  else if (reason == ShedReason::drop_oldest) ++c.shed_drop_oldest;
  else ++c.shed_priority;
}

void MetricsRecorder::on(const AttemptFailed& rec) {
  ++m_.stages[rec.stage].retries;
  ++m_.counts.retries;
  m_.retry_series.add(now());
}

void MetricsRecorder::on(const GaveUp& rec) {
  ++m_.stages[rec.stage].gave_up;
  // The scenario chose to drop give-ups: accounted under its own name.
  if (!rec.dead_lettered && names_.stage_drops_on_give_up[rec.stage]) ++m_.counts.give_up_dropped;
}

void MetricsRecorder::on(const Effect& rec) {
  if (names_.sink_is_dead_letter[rec.sink]) {
    ++m_.counts.dead_lettered;  // parked in the dead-letter sink: accounted for, not an effect
    return;
  }
  const Nanos t = now();
  ++m_.counts.effects;
  if (delivery_.last_effect_first()) {
    m_.latency.record(t - rec.event.emitted_at);
    m_.latency_series.record(t, t - rec.event.emitted_at);
  }
  m_.effect_series.add(t);
}

void MetricsRecorder::on(const OffsetCommitted& rec) {
  m_.queues[rec.partition].committed_offset = rec.offset;
  m_.mark("commit", now(), names_.queues[rec.partition], rec.offset);
}

void MetricsRecorder::on(const Rebalanced& rec) {
  ++m_.stages[rec.stage].rebalances;
  m_.mark("rebalance", now(), names_.stages[rec.stage], rec.generation);
}

void MetricsRecorder::on(const CheckpointCompleted& rec) {
  StageMetrics& s = m_.stages[rec.stage];
  ++s.checkpoints;
  s.checkpoint_ns_total += rec.duration;
  s.checkpoint_ns_max = std::max(s.checkpoint_ns_max, rec.duration);
  s.checkpoint_bytes += rec.bytes;
  m_.mark("checkpoint", now(), names_.stages[rec.stage], rec.id);
}

void MetricsRecorder::on(const CheckpointAborted& rec) {
  ++m_.stages[rec.stage].checkpoints_aborted;
  m_.mark("checkpoint_aborted", now(), names_.stages[rec.stage], rec.id);
}

void MetricsRecorder::on(const StateRestored& rec) {
  m_.mark("restore", now(), names_.queues[rec.partition], rec.id);
}

// series.json: where each site fired, for the report's and sluice-viz's marks.
void MetricsRecorder::on(const Perturbed& rec) {
  m_.mark("perturbed", now(), std::string(perturb_site_name(rec.site)) + " on " + rec.node,
          static_cast<std::uint64_t>(rec.site));
}

}  // namespace sluice
