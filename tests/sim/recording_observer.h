// An Observer for unit tests of core components: it writes each call as one
// line of text ("shed q0 e3 priority depth=2"), so a test states what a
// component reported as a list of lines. Only what the unit tests look at
// carries its arguments; the rest is named so nothing is silently dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/model/observer.h"

namespace sluice::testing {

class RecordingObserver final : public Observer {
 public:
  std::vector<std::string> lines;

  // The lines that start with `prefix` (e.g. "shed").
  std::vector<std::string> starting_with(const std::string& prefix) const {
    std::vector<std::string> out;
    for (const std::string& line : lines) {
      if (line.rfind(prefix, 0) == 0) out.push_back(line);
    }
    return out;
  }

  void on(const PipelineRecord& record) override {
    std::visit([this](const auto& r) { handle(r); }, record);
  }

 private:
  void handle(const Produced& r) {
    [[maybe_unused]] const auto& [_source, e] = r; add("produced " + ev(e)); }
  void handle(const Acked& r) {
    [[maybe_unused]] const auto& [_source, e] = r; add("acked " + ev(e)); }
  void handle(const SourceFinished& r) {
    [[maybe_unused]] const auto& [s] = r; add("source_finished s" + std::to_string(s)); }
  void handle(const Rejected& r) {
    [[maybe_unused]] const auto& [_source, e, reason] = r; add("rejected " + ev(e) + " " + reason); }
  void handle(const SourceDropped& r) {
    [[maybe_unused]] const auto& [_source, e, reason] = r;
    add("source_dropped " + ev(e) + " " + reason);
  }
  void handle(const Spilled& r) {
    [[maybe_unused]] const auto& [_source, e] = r; add("spilled " + ev(e)); }
  void handle(const Replayed& r) {
    [[maybe_unused]] const auto& [_source, e] = r; add("replayed " + ev(e)); }
  void handle(const SpillCorrupt& r) {
    [[maybe_unused]] const auto& [_source, record] = r; add("spill_corrupt " + std::to_string(record)); }
  void handle(const Enqueued& r) {
    [[maybe_unused]] const auto& [q, e, depth] = r;
    add("enqueued q" + std::to_string(q) + " " + ev(e) + " depth=" + std::to_string(depth));
  }
  void handle(const Dequeued& r) {
    [[maybe_unused]] const auto& [q, e, depth, _waited] = r;
    add("dequeued q" + std::to_string(q) + " " + ev(e) + " depth=" + std::to_string(depth));
  }
  void handle(const Shed& r) {
    [[maybe_unused]] const auto& [q, e, reason, depth, waited] = r;
    add("shed q" + std::to_string(q) + " " + ev(e) + " " + shed_reason_name(reason) + " depth=" + std::to_string(depth) +
        (waited == kShedOnArrival ? " on_arrival" : ""));
  }
  void handle(const LostInCrash& r) {
    [[maybe_unused]] const auto& [q, e, _depth, _waited] = r;
    add("lost_in_crash q" + std::to_string(q) + " " + ev(e));
  }
  void handle(const ServiceStarted& r) {
    [[maybe_unused]] const auto& [_stage, w, e] = r; add("service_started w" + std::to_string(w) + " " + ev(e)); }
  void handle(const ServiceFinished& r) {
    [[maybe_unused]] const auto& [_stage, w, e] = r; add("service_finished w" + std::to_string(w) + " " + ev(e)); }
  void handle(const ServiceAborted& r) {
    [[maybe_unused]] const auto& [_stage, w, e] = r; add("service_aborted w" + std::to_string(w) + " " + ev(e)); }
  void handle(const CreditRequested& r) {
    [[maybe_unused]] const auto& [_stage, w, n] = r;
    add("credit_requested w" + std::to_string(w) + " " + std::to_string(n));
  }
  void handle(const DeliveredToWorker& r) {
    [[maybe_unused]] const auto& [_stage, w, e] = r;
    add("delivered_to_worker w" + std::to_string(w) + " " + ev(e));
  }
  void handle(const WorkerLost& r) {
    [[maybe_unused]] const auto& [_stage, w] = r; add("worker_lost w" + std::to_string(w)); }
  void handle(const LostInTransit& r) {
    [[maybe_unused]] const auto& [_stage, e] = r; add("lost_in_transit " + ev(e)); }
  void handle(const Released& r) {
    [[maybe_unused]] const auto& [_stage, w, e] = r; add("released w" + std::to_string(w) + " " + ev(e)); }
  void handle(const AttemptFailed& r) {
    [[maybe_unused]] const auto& [_stage, w, e, attempt, reason] = r;
    add("attempt_failed w" + std::to_string(w) + " " + ev(e) + " #" + std::to_string(attempt) + " " + reason);
  }
  void handle(const GaveUp& r) {
    [[maybe_unused]] const auto& [_stage, e, attempts, dead_lettered] = r;
    add("gave_up " + ev(e) + " after " + std::to_string(attempts) + (dead_lettered ? " dead_lettered" : ""));
  }
  void handle(const BreakerChanged& r) {
    [[maybe_unused]] const auto& [_stage, state] = r; add(std::string("breaker_changed ") + state); }
  void handle(const Effect& r) {
    [[maybe_unused]] const auto& [_sink, e] = r; add("effect " + ev(e)); }
  void handle(const DuplicateSuppressed& r) {
    [[maybe_unused]] const auto& [e, where] = r;
    add("duplicate_suppressed " + ev(e) + " " + where);
  }
  void handle(const Fetched& r) {
    [[maybe_unused]] const auto& [q, e] = r; add("fetched q" + std::to_string(q) + " " + ev(e)); }
  void handle(const Trimmed& r) {
    [[maybe_unused]] const auto& [q, e, depth, _waited] = r;
    add("trimmed q" + std::to_string(q) + " " + ev(e) + " depth=" + std::to_string(depth));
  }
  void handle(const OffsetCommitted& r) {
    [[maybe_unused]] const auto& [q, offset, generation] = r;
    add("offset_committed q" + std::to_string(q) + " " + std::to_string(offset) + " gen=" + std::to_string(generation));
  }
  void handle(const CommitFenced& r) {
    [[maybe_unused]] const auto& [_stage, w, generation] = r;
    add("commit_fenced w" + std::to_string(w) + " gen=" + std::to_string(generation));
  }
  void handle(const Rebalanced& r) {
    [[maybe_unused]] const auto& [_stage, generation, members] = r;
    add("rebalanced gen=" + std::to_string(generation) + " members=" + std::to_string(members));
  }
  void handle(const CheckpointCompleted& r) {
    [[maybe_unused]] const auto& [_stage, id, _duration, _bytes] = r;
    add("checkpoint_completed " + std::to_string(id));
  }
  void handle(const CheckpointAborted& r) {
    [[maybe_unused]] const auto& [_stage, id, reason] = r;
    add("checkpoint_aborted " + std::to_string(id) + " " + reason);
  }
  void handle(const CheckpointWork& r) {
    [[maybe_unused]] const auto& [_stage, w, _busy] = r; add("checkpoint_work w" + std::to_string(w)); }
  void handle(const StateSnapshotted& r) {
    [[maybe_unused]] const auto& [q, id, offset, _digest] = r;
    add("state_snapshotted q" + std::to_string(q) + " " + std::to_string(id) + " @" + std::to_string(offset));
  }
  void handle(const StateRestored& r) {
    [[maybe_unused]] const auto& [q, id, offset, _digest] = r;
    add("state_restored q" + std::to_string(q) + " " + std::to_string(id) + " @" + std::to_string(offset));
  }

  void handle(const TxnMarkerWritten& r) {
    [[maybe_unused]] const auto& [q, writer, epoch, txn, commit, written, records, _offsets] = r;
    add(std::string(commit ? "txn_commit" : "txn_abort") + " q" + std::to_string(q) + " w" + std::to_string(writer) + " e" +
        std::to_string(epoch) + " t" + std::to_string(txn) + " n=" + std::to_string(records.size()) +
        (written ? "" : " unwritten"));
  }

  void handle(const RestoredBy& r) {
    add("restored_by q" + std::to_string(r.partition) + " w" + std::to_string(r.worker));
  }
  void handle(const StateRebuilt& r) {
    add("state_rebuilt q" + std::to_string(r.partition) + " " + r.backend + " n=" + std::to_string(r.records_replayed));
  }
  void handle(const ScalingDecided& r) {
    add("scaling_decided " + std::to_string(r.from) + "->" + std::to_string(r.to) + " " + r.reason);
  }
  void handle(const ReplicaChanged& r) { add("replica_changed w" + std::to_string(r.worker) + " " + r.state); }
  void handle(const CheckpointIntervalChanged& r) {
    add("checkpoint_interval_changed " + std::to_string(r.interval) + " " + r.reason);
  }

  static std::string ev(const Event& e) { return "e" + std::to_string(e.id); }
  void add(std::string line) { lines.push_back(std::move(line)); }
};

}  // namespace sluice::testing
