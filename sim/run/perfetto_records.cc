#include "sim/run/perfetto_records.h"

#include <algorithm>
#include <string_view>

#include "sim/catalog/fault_kind_catalog.h"

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

void PerfettoRecords::fault(PerfettoWriter& out, const FaultSpec& fault, bool begins) {
  const std::string label = std::string(fault_kind_name(fault.kind)) + " " + fault.describe_targets();
  for (const std::string& name : fault.nodes()) {
    const auto node = static_cast<std::size_t>(std::find(nodes_.begin(), nodes_.end(), name) - nodes_.begin());
    if (begins) out.fault_instant(node, label, now());
    else out.fault_span(node, label, fault.at, now());
  }
}

void PerfettoDuplicates::duplicate(PerfettoWriter& out, SinkIndex sink, const Event& event) {
  std::vector<Nanos> effects;  // the ring's effects of it at this sink, this one last
  for (const CausalRecord& r : causal_.of_event(event.id)) {
    if (std::string_view(r.kind) == "effect" && r.place.role == Role::sink && r.place.index == sink) effects.push_back(r.t);
  }
  if (effects.size() >= 2) out.duplicate(sink, event.id, effects.front(), runtime_.now());
}

}  // namespace sluice
