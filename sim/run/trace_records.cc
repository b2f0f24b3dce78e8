#include "sim/run/trace_records.h"

#include <nlohmann/json.hpp>

#include "sim/catalog/fault_kind_catalog.h"

namespace sluice {
namespace {

// A string as a JSON value, quoted and escaped.
std::string json_string(std::string_view text) { return nlohmann::json(text).dump(); }

std::string stage_worker(const std::string& stage, std::uint32_t worker) {
  return "\"stage\":" + json_string(stage) + ",\"worker\":" + std::to_string(worker);
}

}  // namespace

void TraceRecords::source_outcome(TraceWriter& out, std::string_view kind, SourceIndex source, const Event& event,
                                  const char* reason) {
  out.event_record(kind, now(), event, "source", names_.sources[source], reason == nullptr ? "" : reason);
}

void TraceRecords::on(TraceWriter& out, const Produced& r) { source_outcome(out, "produce", r.source, r.event, nullptr); }
void TraceRecords::on(TraceWriter& out, const Acked& r) { source_outcome(out, "ack", r.source, r.event, nullptr); }
void TraceRecords::on(TraceWriter& out, const Rejected& r) { source_outcome(out, "reject", r.source, r.event, r.reason); }
void TraceRecords::on(TraceWriter& out, const SourceDropped& r) {
  source_outcome(out, "source_drop", r.source, r.event, r.reason);
}
void TraceRecords::on(TraceWriter& out, const Spilled& r) { source_outcome(out, "spill", r.source, r.event, nullptr); }
void TraceRecords::on(TraceWriter& out, const Replayed& r) { source_outcome(out, "replay", r.source, r.event, nullptr); }

void TraceRecords::on(TraceWriter& out, const SourceFinished& r) {
  out.part_record("source_finished", now(), "source", names_.sources[r.source]);
}

void TraceRecords::on(TraceWriter& out, const SpillCorrupt& r) {
  out.raw_record("spill_corrupt", now(),
                 "\"source\":" + json_string(names_.sources[r.source]) + ",\"record\":" + std::to_string(r.record));
}

void TraceRecords::on(TraceWriter& out, const Enqueued& r) {
  out.queue_record("enqueue", now(), r.event, names_.queues[r.queue], r.depth);
}
void TraceRecords::on(TraceWriter& out, const Dequeued& r) {
  out.queue_record("dequeue", now(), r.event, names_.queues[r.queue], r.depth);
}
void TraceRecords::on(TraceWriter& out, const Shed& r) {
  out.shed_record(now(), r.event, names_.queues[r.queue], shed_reason_name(r.reason));
}
void TraceRecords::on(TraceWriter& out, const LostInCrash& r) {
  out.queue_record("crash_drop", now(), r.event, names_.queues[r.queue], r.depth);
}
void TraceRecords::on(TraceWriter& out, const Fetched& r) {
  out.queue_record("fetch", now(), r.event, names_.queues[r.partition], depth_of(r.partition));
}
void TraceRecords::on(TraceWriter& out, const Trimmed& r) {
  out.queue_record("trim", now(), r.event, names_.queues[r.partition], r.depth);
}

void TraceRecords::on(TraceWriter& out, const ServiceStarted& r) {
  out.service_record("deliver", now(), r.event, names_.stages[r.stage], r.worker);
}
void TraceRecords::on(TraceWriter& out, const ServiceFinished& r) {
  out.service_record("processed", now(), r.event, names_.stages[r.stage], r.worker);
}
void TraceRecords::on(TraceWriter& out, const ServiceAborted& r) {
  out.service_record("aborted", now(), r.event, names_.stages[r.stage], r.worker);
}
void TraceRecords::on(TraceWriter& out, const DeliveredToWorker& r) {
  out.service_record("route", now(), r.event, names_.stages[r.stage], r.worker);
}

void TraceRecords::on(TraceWriter& out, const CreditRequested& r) {
  out.raw_record("credit", now(), stage_worker(names_.stages[r.stage], r.worker) + ",\"n\":" + std::to_string(r.n));
}
void TraceRecords::on(TraceWriter& out, const WorkerLost& r) {
  out.raw_record("credits_lost", now(), stage_worker(names_.stages[r.stage], r.worker));
}
void TraceRecords::on(TraceWriter& out, const LostInTransit& r) {
  out.event_record("transit_loss", now(), r.event, "stage", names_.stages[r.stage]);
}

void TraceRecords::on(TraceWriter& out, const AttemptFailed& r) {
  out.raw_record("attempt_failed", now(),
                 "\"id\":\"" + std::to_string(source_of(r.event.id)) + ":" + std::to_string(sequence_of(r.event.id)) +
                     "\"," + stage_worker(names_.stages[r.stage], r.worker) +
                     ",\"attempt\":" + std::to_string(r.attempt) + ",\"reason\":" + json_string(r.reason));
}

void TraceRecords::on(TraceWriter& out, const GaveUp& r) {
  const bool dropped = !r.dead_lettered && names_.stage_drops_on_give_up[r.stage];
  out.event_record(r.dead_lettered ? "dead_letter" : dropped ? "give_up_dropped" : "gave_up", now(), r.event, "stage",
                   names_.stages[r.stage]);
}

void TraceRecords::on(TraceWriter& out, const BreakerChanged& r) {
  out.raw_record("breaker", now(), "\"stage\":" + json_string(names_.stages[r.stage]) + ",\"state\":" + json_string(r.state));
}

void TraceRecords::on(TraceWriter& out, const Effect& r) {
  // A dead-letter sink parks the event: accounted for, not an effect.
  out.event_record(names_.sink_is_dead_letter[r.sink] ? "parked" : "effect", now(), r.event, "sink",
                   names_.sinks[r.sink]);
}

void TraceRecords::on(TraceWriter& out, const DuplicateSuppressed& r) {
  out.event_record("duplicate_suppressed", now(), r.event, "at", r.where);
}

void TraceRecords::on(TraceWriter& out, const OffsetCommitted& r) {
  out.raw_record("commit", now(),
                 "\"queue\":" + json_string(names_.queues[r.partition]) + ",\"offset\":" + std::to_string(r.offset) +
                     ",\"generation\":" + std::to_string(r.generation));
}

void TraceRecords::on(TraceWriter& out, const CommitFenced& r) {
  out.raw_record("commit_fenced", now(),
                 stage_worker(names_.stages[r.stage], r.worker) + ",\"generation\":" + std::to_string(r.generation));
}

void TraceRecords::on(TraceWriter& out, const Rebalanced& r) {
  out.raw_record("rebalance", now(),
                 "\"stage\":" + json_string(names_.stages[r.stage]) + ",\"generation\":" + std::to_string(r.generation) +
                     ",\"members\":" + std::to_string(r.members));
}

void TraceRecords::on(TraceWriter& out, const CheckpointCompleted& r) {
  out.raw_record("checkpoint", now(),
                 "\"stage\":" + json_string(names_.stages[r.stage]) + ",\"id\":" + std::to_string(r.id) +
                     ",\"duration_ns\":" + std::to_string(r.duration) + ",\"bytes\":" + std::to_string(r.bytes));
}

void TraceRecords::on(TraceWriter& out, const CheckpointAborted& r) {
  out.raw_record("checkpoint_aborted", now(),
                 "\"stage\":" + json_string(names_.stages[r.stage]) + ",\"id\":" + std::to_string(r.id) +
                     ",\"reason\":" + json_string(r.reason));
}

void TraceRecords::on(TraceWriter& out, const StateRestored& r) {
  out.raw_record("restore", now(),
                 "\"queue\":" + json_string(names_.queues[r.partition]) + ",\"checkpoint\":" + std::to_string(r.id) +
                     ",\"offset\":" + std::to_string(r.offset));
}

void TraceRecords::on(TraceWriter& out, const TxnMarkerWritten& r) {
  const char* kind = r.commit ? "txn_commit" : r.written ? "txn_abort" : "txn_abort_unmarked";
  for (const Event& event : r.records) {
    out.queue_record(kind, now(), event, names_.queues[r.partition], depth_of(r.partition));
  }
}

void TraceRecords::on(TraceWriter& out, const ScalingDecided& r) {
  out.raw_record("scaled", now(),
                 "\"stage\":" + json_string(names_.stages[r.stage]) + ",\"from\":" + std::to_string(r.from) +
                     ",\"to\":" + std::to_string(r.to) + ",\"reason\":" + json_string(r.reason));
}

void TraceRecords::on(TraceWriter& out, const ReplicaChanged& r) {
  out.raw_record("replica", now(), stage_worker(names_.stages[r.stage], r.worker) + ",\"state\":" + json_string(r.state));
}

void TraceRecords::on(TraceWriter& out, const CheckpointIntervalChanged& r) {
  out.raw_record("checkpoint_interval", now(),
                 "\"stage\":" + json_string(names_.stages[r.stage]) + ",\"interval_ns\":" + std::to_string(r.interval) +
                     ",\"reason\":" + json_string(r.reason));
}

void TraceRecords::fault(TraceWriter& out, const char* kind, const FaultSpec& fault) {
  out.raw_record(kind, now(),
                 std::string("\"fault\":\"") + fault_kind_name(fault.kind) + "\",\"target\":\"" +
                     fault.describe_targets() + "\"");
}

void TraceRecords::on(TraceWriter& out, const AlertChanged& r) {
  out.raw_record("alert", now(),
                 "\"alert\":" + json_string(r.alert) + ",\"state\":\"" + r.state +
                     "\",\"value\":" + nlohmann::json(r.value).dump());
}

}  // namespace sluice
