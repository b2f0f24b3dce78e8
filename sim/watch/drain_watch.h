// drains_after_heal's watch as a subscriber: counts the events waiting in
// queues or in service, and the sources that have finished, and stops the run
// (on_drained) the moment the pipeline has drained once the faults are over.
// The judgement itself is judge_drain (drain_checker.h), from facts().
//
// Order: last. The record that drains the run is traced and judged by every
// other subscriber before the run stops.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>

#include "core/model/records.h"
#include "core/runtime/runtime.h"
#include "sim/check/drain_checker.h"
#include "sim/world/world_records.h"

namespace sluice {

class DrainWatch {
 public:
  DrainWatch(Runtime& runtime, std::size_t sources) : runtime_(runtime), sources_(sources) {}

  void on(const SourceFinished&) {
    ++sources_finished_;
    last_source_finished_at_ = runtime_.now();
    check();
  }
  void on(const Enqueued&) { ++queued_; }
  void on(const Dequeued&) {
    --queued_;
    ++in_service_;  // a stage's router took it: the stage holds it until released
  }
  void on(const Shed& rec) {
    if (rec.waited != kShedOnArrival) --queued_;  // one shed on arrival never entered
    check();
  }
  void on(const LostInCrash&) {
    --queued_;
    check();
  }
  void on(const ServiceAborted&) { check(); }
  void on(const LostInTransit&) {
    --in_service_;
    check();
  }
  void on(const Released&) {
    --in_service_;
    check();
  }
  void on(const Effect&) { check(); }
  void on(const Fetched&) { ++in_service_; }  // in the stage's hands until released; the record stays in the partition
  void on(const Trimmed&) {
    --queued_;
    check();
  }
  void on(const FaultBegan& rec);
  void on(const FaultHealed&) { check(); }
  template <typename R>
  void on(const R&) {}

  // Stops the run through on_drained if the pipeline has drained (on every
  // record that can end a backlog, and once when the faults are over).
  void check();
  void on_drained(std::function<void()> callback) { on_drained_ = std::move(callback); }

  bool all_sources_finished() const { return sources_finished_ == sources_; }
  // Events waiting in queues or in service.
  std::uint64_t backlog() const { return queued_ + in_service_; }
  Nanos last_source_finished_at() const { return last_source_finished_at_; }
  // Liveness is judged from here: the later of the last source finishing and
  // the last fault healing.
  void set_quiet_after(Nanos t) { quiet_after_ = t; }
  Nanos quiet_after() const { return quiet_after_; }
  Nanos drained_at() const { return drained_at_; }
  // Whether every source has finished and every fault healed (checked on
  // the records that can pass that point, and at the scheduled heal), and
  // the backlog when it passed.
  bool past_quiet() const { return past_quiet_; }
  std::uint64_t backlog_at_quiet() const { return backlog_at_quiet_; }
  // What judge_drain needs, at the end of the run.
  DrainFacts facts(Nanos end, Nanos drain_within) const;

 private:
  Runtime& runtime_;
  std::size_t sources_;
  std::size_t sources_finished_ = 0;
  Nanos last_source_finished_at_ = 0;
  Nanos quiet_after_ = 0;
  Nanos drained_at_ = -1;
  bool past_quiet_ = false;
  std::uint64_t backlog_at_quiet_ = 0;
  std::uint64_t queued_ = 0;
  std::uint64_t in_service_ = 0;
  std::function<void()> on_drained_;
};

}  // namespace sluice
