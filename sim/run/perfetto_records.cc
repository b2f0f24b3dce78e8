#include "sim/run/perfetto_records.h"

namespace sluice {

void PerfettoRecords::service_span(PerfettoWriter& out, StageIndex stage, std::uint32_t worker, const Event& event,
                                   bool aborted) {
  const Nanos started = metrics_.stages[stage].busy_since[worker];
  if (started >= 0) out.processed(stage, worker, started, now(), event.id, aborted);
}

void PerfettoRecords::on(PerfettoWriter& out, const CommitFenced& r) {
  out.stage_mark(r.stage,
                 "commit fenced: worker-" + std::to_string(r.worker) + " wrote with stale generation " +
                     std::to_string(r.generation),
                 now());
}

void PerfettoRecords::on(PerfettoWriter& out, const Rebalanced& r) {
  out.stage_mark(r.stage,
                 "rebalance to generation " + std::to_string(r.generation) + " (" + std::to_string(r.members) +
                     " members)",
                 now());
}

void PerfettoRecords::on(PerfettoWriter& out, const CheckpointCompleted& r) {
  out.stage_mark(r.stage, "checkpoint " + std::to_string(r.id) + " completed", now());
}

void PerfettoRecords::on(PerfettoWriter& out, const CheckpointAborted& r) {
  out.stage_mark(r.stage, "checkpoint " + std::to_string(r.id) + " aborted: " + r.reason, now());
}

void PerfettoRecords::on(PerfettoWriter& out, const StateRestored& r) {
  // A restore shows on the track of the stage that reads the partition.
  const std::int64_t consumer = names_.queue_consumers[r.partition];
  if (consumer < 0) return;
  out.stage_mark(static_cast<StageIndex>(consumer),
                 "restore " + names_.queues[r.partition] + " from checkpoint " + std::to_string(r.id) + " at offset " +
                     std::to_string(r.offset),
                 now());
}

}  // namespace sluice
