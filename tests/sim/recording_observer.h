// An Observer for unit tests of core components: it writes each call as one
// line of text ("shed q0 e3 priority depth=2"), so a test states what a
// component reported as a list of lines. Only what the unit tests look at
// carries its arguments; the rest is named so nothing is silently dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/pipeline/observer.h"

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

  void produced(SourceIndex, const Event& e) override { add("produced " + ev(e)); }
  void acked(SourceIndex, const Event& e) override { add("acked " + ev(e)); }
  void source_finished(SourceIndex s) override { add("source_finished s" + std::to_string(s)); }
  void rejected(SourceIndex, const Event& e, const char* reason) override { add("rejected " + ev(e) + " " + reason); }
  void source_dropped(SourceIndex, const Event& e, const char* reason) override {
    add("source_dropped " + ev(e) + " " + reason);
  }
  void spilled(SourceIndex, const Event& e) override { add("spilled " + ev(e)); }
  void replayed(SourceIndex, const Event& e) override { add("replayed " + ev(e)); }
  void spill_corrupt(SourceIndex, std::uint64_t record) override { add("spill_corrupt " + std::to_string(record)); }
  void enqueued(QueueIndex q, const Event& e, std::size_t depth) override {
    add("enqueued q" + std::to_string(q) + " " + ev(e) + " depth=" + std::to_string(depth));
  }
  void dequeued(QueueIndex q, const Event& e, std::size_t depth, Nanos) override {
    add("dequeued q" + std::to_string(q) + " " + ev(e) + " depth=" + std::to_string(depth));
  }
  void shed(QueueIndex q, const Event& e, ShedReason reason, std::size_t depth, Nanos waited) override {
    add("shed q" + std::to_string(q) + " " + ev(e) + " " + shed_reason_name(reason) + " depth=" + std::to_string(depth) +
        (waited == kShedOnArrival ? " on_arrival" : ""));
  }
  void lost_in_crash(QueueIndex q, const Event& e, std::size_t, Nanos) override {
    add("lost_in_crash q" + std::to_string(q) + " " + ev(e));
  }
  void service_started(StageIndex, std::uint32_t w, const Event& e) override { add("service_started w" + std::to_string(w) + " " + ev(e)); }
  void service_finished(StageIndex, std::uint32_t w, const Event& e) override { add("service_finished w" + std::to_string(w) + " " + ev(e)); }
  void service_aborted(StageIndex, std::uint32_t w, const Event& e) override { add("service_aborted w" + std::to_string(w) + " " + ev(e)); }
  void credit_requested(StageIndex, std::uint32_t w, std::int64_t n) override {
    add("credit_requested w" + std::to_string(w) + " " + std::to_string(n));
  }
  void delivered_to_worker(StageIndex, std::uint32_t w, const Event& e) override {
    add("delivered_to_worker w" + std::to_string(w) + " " + ev(e));
  }
  void worker_lost(StageIndex, std::uint32_t w) override { add("worker_lost w" + std::to_string(w)); }
  void lost_in_transit(StageIndex, const Event& e) override { add("lost_in_transit " + ev(e)); }
  void released(StageIndex, std::uint32_t w, const Event& e) override { add("released w" + std::to_string(w) + " " + ev(e)); }
  void attempt_failed(StageIndex, std::uint32_t w, const Event& e, std::uint32_t attempt, const char* reason) override {
    add("attempt_failed w" + std::to_string(w) + " " + ev(e) + " #" + std::to_string(attempt) + " " + reason);
  }
  void gave_up(StageIndex, const Event& e, std::uint32_t attempts, bool dead_lettered) override {
    add("gave_up " + ev(e) + " after " + std::to_string(attempts) + (dead_lettered ? " dead_lettered" : ""));
  }
  void breaker_changed(StageIndex, const char* state) override { add(std::string("breaker_changed ") + state); }
  void effect(SinkIndex, const Event& e) override { add("effect " + ev(e)); }
  void duplicate_suppressed(const Event& e, const char* where) override {
    add("duplicate_suppressed " + ev(e) + " " + where);
  }
  void fetched(QueueIndex q, const Event& e) override { add("fetched q" + std::to_string(q) + " " + ev(e)); }
  void trimmed(QueueIndex q, const Event& e, std::size_t depth, Nanos) override {
    add("trimmed q" + std::to_string(q) + " " + ev(e) + " depth=" + std::to_string(depth));
  }
  void offset_committed(QueueIndex q, std::uint64_t offset, std::uint64_t generation) override {
    add("offset_committed q" + std::to_string(q) + " " + std::to_string(offset) + " gen=" + std::to_string(generation));
  }
  void commit_fenced(StageIndex, std::uint32_t w, std::uint64_t generation) override {
    add("commit_fenced w" + std::to_string(w) + " gen=" + std::to_string(generation));
  }
  void rebalanced(StageIndex, std::uint64_t generation, std::size_t members) override {
    add("rebalanced gen=" + std::to_string(generation) + " members=" + std::to_string(members));
  }
  void checkpoint_completed(StageIndex, std::uint64_t id, Nanos, std::uint64_t) override {
    add("checkpoint_completed " + std::to_string(id));
  }
  void checkpoint_aborted(StageIndex, std::uint64_t id, const char* reason) override {
    add("checkpoint_aborted " + std::to_string(id) + " " + reason);
  }
  void checkpoint_work(StageIndex, std::uint32_t w, Nanos) override { add("checkpoint_work w" + std::to_string(w)); }
  void state_snapshotted(QueueIndex q, std::uint64_t id, std::uint64_t offset, std::uint64_t) override {
    add("state_snapshotted q" + std::to_string(q) + " " + std::to_string(id) + " @" + std::to_string(offset));
  }
  void state_restored(QueueIndex q, std::uint64_t id, std::uint64_t offset, std::uint64_t) override {
    add("state_restored q" + std::to_string(q) + " " + std::to_string(id) + " @" + std::to_string(offset));
  }

  void txn_marker(QueueIndex q, std::uint64_t writer, std::uint64_t epoch, std::uint64_t txn, bool commit, bool written,
                  const std::vector<Event>& records, const std::vector<std::uint64_t>&) override {
    add(std::string(commit ? "txn_commit" : "txn_abort") + " q" + std::to_string(q) + " w" + std::to_string(writer) + " e" +
        std::to_string(epoch) + " t" + std::to_string(txn) + " n=" + std::to_string(records.size()) +
        (written ? "" : " unwritten"));
  }

 private:
  static std::string ev(const Event& e) { return "e" + std::to_string(e.id); }
  void add(std::string line) { lines.push_back(std::move(line)); }
};

}  // namespace sluice::testing
