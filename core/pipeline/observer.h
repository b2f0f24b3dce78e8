// Everything the pipeline does that a checker, a metric or a trace may need
// to see. The core reports; sim/ records (history, metrics, trace hash).
// Each call happens exactly once per occurrence, at the current virtual time.
#pragma once

#include <cstddef>

#include "core/pipeline/event.h"

namespace sluice {

inline constexpr Nanos kShedOnArrival = -1;

enum class ShedReason { drop_newest, drop_oldest, priority };
const char* shed_reason_name(ShedReason reason);

class Observer {
 public:
  virtual ~Observer() = default;

  // A source created the event and is about to offer it.
  virtual void produced(SourceIndex source, const Event& event) = 0;
  // The first queue accepted it: from here on it must not be lost.
  virtual void acked(SourceIndex source, const Event& event) = 0;
  // A source has emitted its whole workload.
  virtual void source_finished(SourceIndex source) = 0;

  // Queue depth changes; depth counts events waiting, not those in service.
  virtual void enqueued(QueueIndex queue, const Event& event, std::size_t depth) = 0;
  virtual void dequeued(QueueIndex queue, const Event& event, std::size_t depth, Nanos waited) = 0;
  // A queue's overflow policy dropped the event (counted, never silent).
  // `waited` is how long it had been queued, or kShedOnArrival when it never entered.
  virtual void shed(QueueIndex queue, const Event& event, ShedReason reason, std::size_t depth, Nanos waited) = 0;

  // The queue's node crashed with the event in it: volatile, it is gone
  // (not resolved: if it was acknowledged, no_loss will say so).
  virtual void lost_in_crash(QueueIndex queue, const Event& event, std::size_t depth, Nanos waited) = 0;

  virtual void service_started(StageIndex stage, std::uint32_t worker, const Event& event) = 0;
  virtual void service_finished(StageIndex stage, std::uint32_t worker, const Event& event) = 0;
  // The worker's node crashed while the event was in service (its loss is
  // reported by lost_in_transit; this closes the service span).
  virtual void service_aborted(StageIndex stage, std::uint32_t worker, const Event& event) = 0;

  // Credit-based flow control (Reactive Streams' request(n)): a worker asks
  // for n more events; the stage's router delivers one against one credit.
  virtual void credit_requested(StageIndex stage, std::uint32_t worker, std::int64_t n) = 0;
  virtual void delivered_to_worker(StageIndex stage, std::uint32_t worker, const Event& event) = 0;
  // The worker's node crashed: its outstanding credits and its inbox are gone.
  virtual void worker_lost(StageIndex stage, std::uint32_t worker) = 0;
  // An event in a stage's hands (held by the router, waiting in an inbox, in
  // a worker) vanished in a crash.
  virtual void lost_in_transit(StageIndex stage, const Event& event) = 0;
  // The worker is done with the event: handed downstream, or given up on.
  virtual void released(StageIndex stage, std::uint32_t worker, const Event& event) = 0;

  // A processing attempt failed ("timeout", "error", "poison") or the
  // downstream refused the event ("refused"); the stage may retry.
  virtual void attempt_failed(StageIndex stage, std::uint32_t worker, const Event& event, std::uint32_t attempt,
                              const char* reason) = 0;
  // The stage gave up on the event after `attempts`: it goes to the
  // dead-letter sink when there is one, else it is dropped (counted as shed).
  virtual void gave_up(StageIndex stage, const Event& event, std::uint32_t attempts, bool dead_lettered) = 0;
  virtual void breaker_changed(StageIndex stage, const char* state) = 0;

  // The sink applied the event's effect (on a dead-letter sink: it was parked there).
  virtual void effect(SinkIndex sink, const Event& event) = 0;
};

}  // namespace sluice
