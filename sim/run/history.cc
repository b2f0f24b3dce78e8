#include "sim/run/history.h"

#include "sim/check/explain/explainers.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "core/random/rng.h"
#include "sim/run/fault_fields.h"

namespace sluice {
namespace {

// Kinds mixed into the trace hash: externally visible events only.
enum HashKind : std::uint64_t { kProduce = 1, kAck, kShed, kEffect, kSourceDone, kEnqueue, kDequeue, kCrashDrop, kAbort, kFault, kCredit, kDeliver, kFail, kGiveUp, kBreaker, kTransitLoss, kFetch, kTrim, kCommit, kFenced, kRebalance, kCheckpoint, kRestore, kTxnCommit, kTxnAbort };

// Kinds of a source's own outcomes, apart from the ones above.
enum SourceHashKind : std::uint64_t { kReject = 0x40, kSourceDrop, kSpill, kReplay, kSpillCorrupt };

// A repeat a sink or a topic recognised and did not apply or append again.
inline constexpr std::uint64_t kDuplicateSuppressed = 0x50;
// An autoscaler's decision (sim/scaling/).
inline constexpr std::uint64_t kScaling = 0x58;
// An alert's state change (sim/alerts/).
inline constexpr std::uint64_t kAlert = 0x59;

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

std::size_t topic_count(const PartNames& names) {
  std::size_t count = 0;
  for (std::size_t topic : names.queue_topic) {
    if (topic != PartNames::kNotATopic) count = std::max(count, topic + 1);
  }
  return count;
}

std::vector<OperatorSpec> operators_of(const PartNames& names) {
  std::vector<OperatorSpec> out = names.queue_operators;
  out.resize(names.queues.size());
  return out;
}

}  // namespace

History::History(Runtime& runtime, PartNames names, TraceWriter* trace)
    : runtime_(runtime),
      names_(std::move(names)),
      trace_(trace),
      metrics_(make_queue_metrics(names_), make_stage_metrics(names_)),
      delivery_(names_.sources.size()),
      order_(names_.total_key_order),
      flow_(names_.stage_workers),
      causal_(names_.places),
      states_(operators_of(names_), names_.queues),
      txns_(names_.queue_topic, names_.queues, names_.sources.size(), PartNames::kNotATopic),
      bounded_(!names_.queues.empty()),
      fetched_(topic_count(names_), std::vector<SequenceSet>(names_.sources.size())),
      progress_(ProgressBounds{.stall_after = kNever, .attempts_max = UINT32_MAX, .judged_from = kNever},
                [this](EventId id) { return locate(id); },
                [this](const PendingPlace& place) { return describe_place(place); }) {
  delivery_.expect_sinks(names_.source_sinks, names_.sinks);
  coverage_.set_parts(names_.queues, names_.queue_capacities, names_.buffer_queues, names_.stages, names_.queue_consumers);
}

void History::produced(SourceIndex source, const Event& event) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  ++metrics_.counts.produced;
  delivery_.produced(event);
  mix(kProduce, event.id, event.key);
  recent_.remember("produce", runtime_.now(), event, &names_.sources[source]);
  causal_.produced(runtime_.now(), event, {Role::source, source});
  if (trace_) trace_->event_record("produce", runtime_.now(), event, "source", names_.sources[source]);
}

void History::acked(SourceIndex source, const Event& event) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  ++metrics_.counts.acked;
  delivery_.acked(event);
  if (!delivery_.resolved(event)) progress_.accepted(event, runtime_.now());
  else progress_.settled_before_ack();
  after_progress();
  mix(kAck, event.id);
  if (trace_) trace_->event_record("ack", runtime_.now(), event, "source", names_.sources[source]);
}

void History::source_finished(SourceIndex source) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  ++sources_finished_;
  last_source_finished_at_ = runtime_.now();
  mix(kSourceDone, source);
  if (trace_) trace_->part_record("source_finished", runtime_.now(), "source", names_.sources[source]);
  check_drained();
}

void History::rejected(SourceIndex source, const Event& event, const char* reason) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  ++metrics_.counts.rejected;
  source_outcome(source, event, kReject, "reject", reason);
}

void History::source_dropped(SourceIndex source, const Event& event, const char* reason) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  // Never acknowledged, and given up on by the source's policy: a shed.
  ++metrics_.counts.shed;
  ++metrics_.counts.source_dropped;
  metrics_.shed_series.add(runtime_.now());
  delivery_.shed(event);
  progress_.resolved(event, runtime_.now());
  after_progress();
  source_outcome(source, event, kSourceDrop, "source_drop", reason);
  causal_.resolved(event);
}

void History::spilled(SourceIndex source, const Event& event) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  ++metrics_.counts.spilled;
  // Durable in the source's backlog: the source promised it, so it is pending.
  progress_.accepted(event, runtime_.now());
  after_progress();
  source_outcome(source, event, kSpill, "spill", nullptr);
}

void History::replayed(SourceIndex source, const Event& event) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  ++metrics_.counts.replayed;
  progress_.attempted(event, "replay", runtime_.now());
  after_progress();
  source_outcome(source, event, kReplay, "replay", nullptr);
}

void History::source_outcome(SourceIndex source, const Event& event, std::uint64_t kind, const char* what,
                             const char* reason) {
  mix(kind, event.id, reason == nullptr ? 0 : stable_hash(reason));
  recent_.remember(what, runtime_.now(), event, &names_.sources[source]);
  causal_.note(what, runtime_.now(), event, {Role::source, source}, 0, reason == nullptr ? "" : reason);
  if (trace_) {
    trace_->event_record(what, runtime_.now(), event, "source", names_.sources[source], reason == nullptr ? "" : reason);
  }
}

void History::spill_corrupt(SourceIndex source, std::uint64_t record) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  ++metrics_.counts.spill_corrupt;
  mix(kSpillCorrupt, source, record);
  if (trace_) {
    trace_->raw_record("spill_corrupt", runtime_.now(),
                       "\"source\":\"" + names_.sources[source] + "\",\"record\":" + std::to_string(record));
  }
}

void History::enqueued(QueueIndex queue, const Event& event, std::size_t depth) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  QueueMetrics& q = metrics_.queues[queue];
  ++q.arrivals;
  ++queued_;
  depth_changed(queue, depth);
  bounded_.enqueued(q.name, q.capacity, depth, runtime_.now(), event);
  capture_first(bounded_.verdict(), bounded_context_, event);
  if (depth > q.capacity) {
    explain_first("bounded_queues", bounded_.verdict(),
                  [&] { return explain_queue(causal_, queue, event, depth, q.capacity, runtime_.now()); });
  }
  states_.appended(queue, event);
  if (names_.queue_topic[queue] != PartNames::kNotATopic) ++retained_[event.id];
  progress_.check(runtime_.now());
  after_progress();
  mix(kEnqueue, event.id, queue);
  recent_.remember("enqueue", runtime_.now(), event, &q.name);
  causal_.note("enqueue", runtime_.now(), event, {Role::queue, queue}, depth);
  if (trace_) trace_->queue_record("enqueue", runtime_.now(), event, q.name, depth);
}

void History::dequeued(QueueIndex queue, const Event& event, std::size_t depth, Nanos waited) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  QueueMetrics& q = metrics_.queues[queue];
  ++q.departures;
  --queued_;
  ++in_service_;  // a stage's router took it: the stage holds it until released
  q.total_wait_ns += static_cast<long double>(waited);
  depth_changed(queue, depth);
  mix(kDequeue, event.id, queue);
  recent_.remember("dequeue", runtime_.now(), event, &q.name);
  if (trace_) trace_->queue_record("dequeue", runtime_.now(), event, q.name, depth);
}

void History::shed(QueueIndex queue, const Event& event, ShedReason reason, std::size_t depth, Nanos waited) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  QueueMetrics& q = metrics_.queues[queue];
  ++q.shed;
  if (waited != kShedOnArrival) {
    // A queued event shed to make room leaves the queue: for Little's law it
    // departs, having waited this long. One shed on arrival never entered.
    ++q.departures;
    --queued_;
    q.total_wait_ns += static_cast<long double>(waited);
  }
  count_shed(queue, reason);
  depth_changed(queue, depth);
  delivery_.shed(event, names_.queue_sinks[queue]);
  partition_dropped(queue, event);
  progress_.resolved(event, runtime_.now());
  after_progress();
  if (waited != kShedOnArrival) states_.shed(queue, event);
  mix(kShed, event.id, queue);
  recent_.remember("shed", runtime_.now(), event, &q.name);
  causal_.note("shed", runtime_.now(), event, {Role::queue, queue}, depth, shed_reason_name(reason));
  if (delivery_.settled(event)) causal_.resolved(event);  // a fan-out's other branches still follow it
  if (trace_) trace_->shed_record(runtime_.now(), event, q.name, shed_reason_name(reason));
  check_drained();
}

void History::count_shed(QueueIndex queue, ShedReason reason) {
  ++metrics_.counts.shed;
  metrics_.shed_series.add(runtime_.now());
  Counts& c = metrics_.counts;
  if (queue >= names_.buffer_queues) ++c.shed_discard_old;  // a topic partition drops only its oldest
  else if (reason == ShedReason::drop_newest) ++c.shed_drop_newest;
  else if (reason == ShedReason::drop_oldest) ++c.shed_drop_oldest;
  else ++c.shed_priority;
}

void History::lost_in_crash(QueueIndex queue, const Event& event, std::size_t depth, Nanos waited) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  QueueMetrics& q = metrics_.queues[queue];
  // It leaves the queue (Little's law counts its wait) but is not resolved.
  ++q.departures;
  --queued_;
  ++q.lost_in_crash;
  delivery_.vanished(event);
  partition_dropped(queue, event);
  progress_.resolved(event, runtime_.now());  // gone for good: no_loss reports it, not progress
  after_progress();
  states_.lost_tail(queue);
  q.total_wait_ns += static_cast<long double>(waited);
  depth_changed(queue, depth);
  mix(kCrashDrop, event.id, queue);
  causal_.note("crash_drop", runtime_.now(), event, {Role::queue, queue}, depth);
  if (trace_) trace_->queue_record("crash_drop", runtime_.now(), event, q.name, depth);
  check_drained();
}

void History::depth_changed(QueueIndex queue, std::size_t depth) {
  metrics_.depth_changed(queue, runtime_.now(), depth);
  coverage_.depth(queue, depth);
  if (perfetto_) perfetto_->queue_depth(queue, runtime_.now(), depth);
}

void History::service_ended(StageIndex stage, std::uint32_t worker, const Event& event, bool aborted) {
  Nanos started = metrics_.stages[stage].busy_since[worker];
  if (perfetto_ && started >= 0) perfetto_->processed(stage, worker, started, runtime_.now(), event.id, aborted);
  if (aborted) {
    metrics_.service_aborted(stage, worker, runtime_.now());
  } else {
    metrics_.service_finished(stage, worker, runtime_.now());
  }
}

void History::service_started(StageIndex stage, std::uint32_t worker, const Event& event) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  ++metrics_.counts.delivered;
  progress_.check(runtime_.now());
  after_progress();
  metrics_.service_started(stage, worker, runtime_.now());
  causal_.note("deliver", runtime_.now(), event, {Role::worker, stage, worker});
  if (trace_) trace_->service_record("deliver", runtime_.now(), event, names_.stages[stage], worker);
}

void History::service_finished(StageIndex stage, std::uint32_t worker, const Event& event) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  service_ended(stage, worker, event, false);
  progress_.check(runtime_.now());
  after_progress();
  causal_.note("processed", runtime_.now(), event, {Role::worker, stage, worker});
  if (trace_) trace_->service_record("processed", runtime_.now(), event, names_.stages[stage], worker);
}

void History::service_aborted(StageIndex stage, std::uint32_t worker, const Event& event) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  service_ended(stage, worker, event, true);
  causal_.note("aborted", runtime_.now(), event, {Role::worker, stage, worker});
  mix(kAbort, event.id, stage);
  if (trace_) trace_->service_record("aborted", runtime_.now(), event, names_.stages[stage], worker);
  check_drained();
}

void History::fault_event(const char* what, const FaultSpec& fault) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  if (std::string_view(what) == "fault") coverage_.fault_began(fault, runtime_.now());
  Nanos now = runtime_.now();
  bool begins = std::string_view(what) == "fault";
  mix(kFault, static_cast<std::uint64_t>(fault.kind) << 1 | (begins ? 1 : 0), static_cast<std::uint64_t>(fault.at));
  runtime_.trace(stable_hash(fault.describe_targets()));  // which nodes, by name
  for (const std::string& node : fault.nodes()) {
    std::vector<std::string>& faults = node_faults_[node];
    const std::string kind = fault_kind_name(fault.kind);
    if (begins) {
      const bool crash = fault.kind == FaultKind::crash || fault.kind == FaultKind::crash_at_point;
      const Nanos lasts = crash ? fault.restart_after : fault.duration;
      faults.push_back(kind + (lasts == kNever ? " that never heals" : " until t=" + std::to_string(now + lasts) + "ns"));
    } else {
      auto it = std::find_if(faults.begin(), faults.end(), [&](const std::string& f) { return f.starts_with(kind + " "); });
      if (it != faults.end()) faults.erase(it);
    }
  }
  if (fault.kind == FaultKind::crash || fault.kind == FaultKind::crash_at_point) {
    for (const std::string& node : fault.nodes()) {
      if (begins) failover_.crashed(now, node, fault_kind_name(fault.kind), progress_.pending());
      else failover_.restarted(now, node, progress_.pending());
    }
  }
  if (begins) {
    // A partition's target is a label ("a,b | c", "a -> b"); its nodes are listed apart.
    nlohmann::json record = {{"at_ns", now}, {"kind", fault_kind_name(fault.kind)}, {"target", fault.describe_targets()}};
    const Nanos lasts = fault.lasts();
    if (lasts != kNever) record["end_ns"] = now + lasts;
    add_fault_record_fields(fault, record);
    if (fault.kind == FaultKind::crash_at_point) {
      // Armed earlier, it fired now: liveness is judged from its heal.
      quiet_after_ = std::max(quiet_after_, lasts == kNever ? now : now + lasts);
    }
    faults_.push_back(std::move(record));
    causal_.fault_began(fault_window(fault, now, lasts));
  } else {
    causal_.fault_healed(fault_kind_name(fault.kind), fault.describe_targets(), fault.at, now);
  }
  if (perfetto_) {
    std::string label = std::string(fault_kind_name(fault.kind)) + " " + fault.describe_targets();
    for (const std::string& name : fault.nodes()) {
      std::size_t node = static_cast<std::size_t>(
          std::find(node_names_.begin(), node_names_.end(), name) - node_names_.begin());
      if (begins) perfetto_->fault_instant(node, label, now);
      else perfetto_->fault_span(node, label, fault.at, now);
    }
  }
  if (trace_) {
    std::string fields = std::string("\"fault\":\"") + fault_kind_name(fault.kind) + "\",\"target\":\"" + fault.describe_targets() + "\"";
    trace_->raw_record(what, now, fields);
  }
  progress_.check(now);
  after_progress();
  check_drained();
}

void History::credit_requested(StageIndex stage, std::uint32_t worker, std::int64_t n) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  flow_.requested(stage, worker, n, runtime_.now(), names_.stages[stage]);
  progress_.check(runtime_.now());
  after_progress();
  causal_.credit_requested(stage, worker, n, runtime_.now());
  mix(kCredit, (static_cast<std::uint64_t>(stage) << 32) | worker, static_cast<std::uint64_t>(n));
  if (trace_) {
    trace_->raw_record("credit", runtime_.now(),
                       "\"stage\":\"" + names_.stages[stage] + "\",\"worker\":" + std::to_string(worker) +
                           ",\"n\":" + std::to_string(n));
  }
}

void History::delivered_to_worker(StageIndex stage, std::uint32_t worker, const Event& event) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  flow_.delivered(stage, worker, event, runtime_.now(), names_.stages[stage]);
  scaling_.delivered(stage, worker);
  progress_.check(runtime_.now());
  after_progress();
  causal_.credit_used(stage, worker);
  causal_.note("route", runtime_.now(), event, {Role::worker, stage, worker});
  explain_first("flow_control", flow_.verdict(), [&] { return explain_flow(causal_, stage, worker, event, runtime_.now()); });
  recent_.remember("route to worker", runtime_.now(), event, &names_.stages[stage]);
  capture_first(flow_.verdict(), flow_context_, event);
  mix(kDeliver, event.id, (static_cast<std::uint64_t>(stage) << 32) | worker);
  if (trace_) trace_->service_record("route", runtime_.now(), event, names_.stages[stage], worker);
}

void History::worker_lost(StageIndex stage, std::uint32_t worker) {
  if (frozen_) return;
  coverage_.worker_lost(stage);
  flow_.worker_lost(stage, worker);
  scaling_.worker_lost(stage, worker);
  if (trace_) {
    trace_->raw_record("credits_lost", runtime_.now(),
                       "\"stage\":\"" + names_.stages[stage] + "\",\"worker\":" + std::to_string(worker));
  }
  causal_.credits_reset(stage, worker, runtime_.now());
  causal_.mark({.kind = "worker_lost", .t = runtime_.now(), .part = stage, .worker = worker});
}

void History::lost_in_transit(StageIndex stage, const Event& event) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  --in_service_;
  ++metrics_.stages[stage].lost_in_crash;
  // A topic record's fetched copy: the record itself is still in its log
  // (uncommitted), and the group will hand it out again.
  if (retained_.contains(event.id)) {
    copy_lost_[event.id] = true;
  } else {
    delivery_.vanished(event);
  }
  // A record fetched from a topic is still in its partition and will be
  // redelivered; an event from a buffer is gone (no_loss's business).
  // A record fetched from a topic is still in its partition: it stays pending.
  if (!names_.stage_reads_topic[stage]) progress_.resolved(event, runtime_.now());
  after_progress();
  mix(kTransitLoss, event.id, stage);
  causal_.note("transit_loss", runtime_.now(), event, {Role::stage, stage});
  if (trace_) trace_->event_record("transit_loss", runtime_.now(), event, "stage", names_.stages[stage]);
  check_drained();
}

void History::released(StageIndex stage, std::uint32_t worker, const Event&) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  scaling_.released(stage, worker);
  --in_service_;
  metrics_.released(stage, worker, runtime_.now());
  check_drained();
}

void History::attempt_failed(StageIndex stage, std::uint32_t worker, const Event& event, std::uint32_t attempt,
                             const char* reason) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  coverage_.attempt_failed(stage, runtime_.now());
  ++metrics_.stages[stage].retries;
  ++metrics_.counts.retries;
  metrics_.retry_series.add(runtime_.now());
  // Noted first: a livelock found by `attempted` names this place.
  causal_.note("attempt_failed", runtime_.now(), event, {Role::worker, stage, worker}, attempt, reason);
  progress_.attempted(event, reason, runtime_.now());
  after_progress();
  mix(kFail, event.id, attempt);
  recent_.remember("attempt failed", runtime_.now(), event, &names_.stages[stage]);
  if (perfetto_) perfetto_->attempt_failed(stage, worker, runtime_.now(), event.id, attempt, reason);
  if (trace_) {
    std::string fields = "\"id\":\"" + std::to_string(source_of(event.id)) + ":" + std::to_string(sequence_of(event.id)) +
                         "\",\"stage\":\"" + names_.stages[stage] + "\",\"worker\":" + std::to_string(worker) +
                         ",\"attempt\":" + std::to_string(attempt) + ",\"reason\":\"" + reason + "\"";
    trace_->raw_record("attempt_failed", runtime_.now(), fields);
  }
}

void History::gave_up(StageIndex stage, const Event& event, std::uint32_t attempts, bool dead_lettered) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  coverage_.gave_up(stage, dead_lettered);
  ++metrics_.stages[stage].gave_up;
  mix(kGiveUp, event.id, attempts);
  causal_.note(dead_lettered ? "dead_letter" : "gave_up", runtime_.now(), event, {Role::stage, stage}, attempts);
  if (!dead_lettered) causal_.resolved(event);
  const bool dropped = !dead_lettered && names_.stage_drops_on_give_up[stage];
  if (dropped) {
    // The scenario chose to drop give-ups: accounted under its own name, and
    // excused only at the sinks downstream of this stage.
    ++metrics_.counts.give_up_dropped;
    delivery_.shed(event, names_.stage_sinks[stage]);
    progress_.resolved(event, runtime_.now());
    after_progress();
  } else if (!dead_lettered) {
    // Given up with nowhere to go and no policy saying so: a loss.
    delivery_.given_up(event, names_.stages[stage]);
    progress_.resolved(event, runtime_.now());  // reported lost by no_loss
    after_progress();
  } else {
    parking_[event.id] = stage;  // excused downstream of this stage once parked
  }
  recent_.remember(dead_lettered ? "dead letter" : "gave up", runtime_.now(), event, &names_.stages[stage]);
  if (trace_) {
    trace_->event_record(dead_lettered ? "dead_letter" : dropped ? "give_up_dropped" : "gave_up", runtime_.now(), event,
                         "stage", names_.stages[stage]);
  }
}

void History::breaker_changed(StageIndex stage, const char* state) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  coverage_.breaker(stage, state);
  ++metrics_.stages[stage].breaker_changes;
  mix(kBreaker, stage, stable_hash(state));
  if (trace_) {
    trace_->raw_record("breaker", runtime_.now(),
                       "\"stage\":\"" + names_.stages[stage] + "\",\"state\":\"" + state + "\"");
  }
}

void History::effect(SinkIndex sink, const Event& event) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  Nanos now = runtime_.now();
  if (names_.sink_is_dead_letter[sink]) {
    // Parked in the dead-letter sink: accounted for, not an effect.
    ++metrics_.counts.dead_lettered;
    const auto parked_by = parking_.find(event.id);
    if (parked_by != parking_.end()) {
      delivery_.shed(event, names_.stage_sinks[parked_by->second]);
      parking_.erase(parked_by);
    } else {
      delivery_.shed(event);
    }
    progress_.resolved(event, now);
    after_progress();
    if (delivery_.settled(event)) causal_.resolved(event);
    mix(kEffect, event.id, sink);
    if (trace_) trace_->event_record("parked", now, event, "sink", names_.sinks[sink]);
    check_drained();
    return;
  }
  ++metrics_.counts.effects;
  scaling_.effect(now, event.emitted_at, event.id);
  failover_.effect(now);
  if (window_latency_.enabled()) window_latency_.record(now, now - event.emitted_at);
  recent_.remember("effect", now, event, &names_.sinks[sink]);
  causal_.note("effect", now, event, {Role::sink, sink});
  bool first = delivery_.effect(event, now, names_.sinks[sink], sink);
  progress_.resolved(event, now);
  after_progress();
  // On a fan-out the causal log follows the event until every branch has
  // settled, so a loss on another branch still knows where it was last seen.
  if (delivery_.settled(event)) causal_.resolved(event);
  // Order is judged on first effects: a replayed duplicate (at-least-once
  // redelivery) is no_duplicate_effects' business, not a reordering.
  if (first) order_.effect(event, now, sink);
  capture_first(delivery_.no_duplicate_effects(), duplicate_context_, event);
  capture_first(order_.verdict(), order_context_, event);
  if (!first && perfetto_) perfetto_duplicate(sink, event, now);
  if (!first) explain_first("no_duplicate_effects", no_duplicate_effects(), [&] { return explain_duplicate(causal_, event, sink, now); });
  if (first) explain_first("per_key_order", order_.verdict(), [&] { return explain_order(causal_, event, sink, now); });
  if (first) {
    metrics_.latency.record(now - event.emitted_at);
    metrics_.latency_series.record(now, now - event.emitted_at);
  }
  metrics_.effect_series.add(now);
  mix(kEffect, event.id, sink);
  if (trace_) trace_->event_record("effect", now, event, "sink", names_.sinks[sink]);
  check_drained();
}

void History::duplicate_suppressed(const Event& event, const char* where) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  ++metrics_.counts.duplicates_suppressed;
  const std::string_view part(where);
  mix(kDuplicateSuppressed, event.id, stable_hash(part));
  recent_.remember("duplicate suppressed", runtime_.now(), event, part_named(part));
  if (trace_) trace_->event_record("duplicate_suppressed", runtime_.now(), event, "at", part);
}

const std::string* History::part_named(std::string_view name) const {
  for (const std::vector<std::string>* parts : {&names_.sinks, &names_.queues}) {
    for (const std::string& part : *parts) {
      if (part == name) return &part;
    }
  }
  return nullptr;
}

void History::fetched(QueueIndex partition, const Event& event) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  ++in_service_;  // in the stage's hands until released; the record stays in the partition
  // A redelivery: the topic's group had already fetched this event from it.
  const std::size_t topic = names_.queue_topic[partition];
  if (!fetched_[topic][source_of(event.id)].insert(sequence_of(event.id))) {
    ++metrics_.counts.redelivered;
    progress_.attempted(event, "redelivery", runtime_.now());
    after_progress();
  }
  mix(kFetch, event.id, partition);
  recent_.remember("fetch", runtime_.now(), event, &metrics_.queues[partition].name);
  causal_.note("fetch", runtime_.now(), event, {Role::queue, partition});
  if (trace_) trace_->queue_record("fetch", runtime_.now(), event, metrics_.queues[partition].name,
                                   static_cast<std::size_t>(metrics_.queues[partition].depth.value()));
}

void History::trimmed(QueueIndex partition, const Event& event, std::size_t depth, Nanos waited) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  QueueMetrics& q = metrics_.queues[partition];
  ++q.departures;
  --queued_;
  q.total_wait_ns += static_cast<long double>(waited);
  depth_changed(partition, depth);
  partition_dropped(partition, event);
  mix(kTrim, event.id, partition);
  causal_.note("trim", runtime_.now(), event, {Role::queue, partition}, depth);
  if (trace_) trace_->queue_record("trim", runtime_.now(), event, q.name, depth);
  check_drained();
}

void History::partition_dropped(QueueIndex queue, const Event& event) {
  if (names_.queue_topic[queue] == PartNames::kNotATopic) return;
  std::uint32_t* copies = retained_.find(event.id);
  if (copies == nullptr || --*copies > 0) return;
  retained_.erase(event.id);
  // Its last log copy is gone and a crash took the fetched one: lost, unless
  // it took effect (the checker decides).
  if (copy_lost_.erase(event.id) != 0) delivery_.vanished(event);
}

void History::offset_committed(QueueIndex partition, std::uint64_t offset, std::uint64_t generation) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  metrics_.queues[partition].committed_offset = offset;
  causal_.committed(partition, {runtime_.now(), offset, generation});
  if (perfetto_) perfetto_->committed(partition, runtime_.now(), offset);
  metrics_.mark("commit", runtime_.now(), names_.queues[partition], offset);
  mix(kCommit, offset, (static_cast<std::uint64_t>(partition) << 32) ^ generation);
  if (trace_) {
    trace_->raw_record("commit", runtime_.now(),
                       "\"queue\":\"" + metrics_.queues[partition].name + "\",\"offset\":" + std::to_string(offset) +
                           ",\"generation\":" + std::to_string(generation));
  }
}

void History::commit_fenced(StageIndex stage, std::uint32_t worker, std::uint64_t generation) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  ++metrics_.stages[stage].fenced_commits;
  mix(kFenced, (static_cast<std::uint64_t>(stage) << 32) | worker, generation);
  causal_.mark({.kind = "commit_fenced", .t = runtime_.now(), .part = stage, .id = generation, .worker = worker});
  if (perfetto_) {
    perfetto_->stage_mark(stage, "commit fenced: worker-" + std::to_string(worker) + " wrote with stale generation " +
                                     std::to_string(generation), runtime_.now());
  }
  if (trace_) {
    trace_->raw_record("commit_fenced", runtime_.now(),
                       "\"stage\":\"" + names_.stages[stage] + "\",\"worker\":" + std::to_string(worker) +
                           ",\"generation\":" + std::to_string(generation));
  }
}

void History::perturbed(PerturbSite site, const std::string& node) {
  if (frozen_) return;
  coverage_.perturbed(site);
  causal_.mark({.kind = "perturbed", .t = runtime_.now(), .id = static_cast<std::uint64_t>(site), .reason = node});
}

void History::rebalanced(StageIndex stage, std::uint64_t generation, std::size_t members) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  coverage_.rebalanced(stage, generation);
  ++metrics_.stages[stage].rebalances;
  mix(kRebalance, stage, (generation << 16) ^ members);
  causal_.mark({.kind = "rebalance", .t = runtime_.now(), .part = stage, .id = generation, .offset = members});
  metrics_.mark("rebalance", runtime_.now(), names_.stages[stage], generation);
  if (perfetto_) {
    perfetto_->stage_mark(stage, "rebalance to generation " + std::to_string(generation) + " (" +
                                     std::to_string(members) + " members)", runtime_.now());
  }
  if (trace_) {
    trace_->raw_record("rebalance", runtime_.now(),
                       "\"stage\":\"" + names_.stages[stage] + "\",\"generation\":" + std::to_string(generation) +
                           ",\"members\":" + std::to_string(members));
  }
}

void History::checkpoint_completed(StageIndex stage, std::uint64_t id, Nanos duration, std::uint64_t bytes) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  coverage_.checkpoint_ended(stage, true);
  StageMetrics& s = metrics_.stages[stage];
  ++s.checkpoints;
  s.checkpoint_ns_total += duration;
  s.checkpoint_ns_max = std::max(s.checkpoint_ns_max, duration);
  s.checkpoint_bytes += bytes;
  mix(kCheckpoint, id, (static_cast<std::uint64_t>(stage) << 32) ^ bytes);
  causal_.mark({.kind = "checkpoint", .t = runtime_.now(), .part = stage, .id = id});
  if (perfetto_) perfetto_->stage_mark(stage, "checkpoint " + std::to_string(id) + " completed", runtime_.now());
  metrics_.mark("checkpoint", runtime_.now(), names_.stages[stage], id);
  if (trace_) {
    trace_->raw_record("checkpoint", runtime_.now(),
                       "\"stage\":\"" + names_.stages[stage] + "\",\"id\":" + std::to_string(id) +
                           ",\"duration_ns\":" + std::to_string(duration) + ",\"bytes\":" + std::to_string(bytes));
  }
}

void History::checkpoint_aborted(StageIndex stage, std::uint64_t id, const char* reason) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  coverage_.checkpoint_ended(stage, false);
  ++metrics_.stages[stage].checkpoints_aborted;
  mix(kCheckpoint, id, stable_hash(reason));
  causal_.mark({.kind = "checkpoint_aborted", .t = runtime_.now(), .part = stage, .id = id, .reason = reason});
  if (perfetto_) {
    perfetto_->stage_mark(stage, "checkpoint " + std::to_string(id) + " aborted: " + reason, runtime_.now());
  }
  metrics_.mark("checkpoint_aborted", runtime_.now(), names_.stages[stage], id);
  if (trace_) {
    trace_->raw_record("checkpoint_aborted", runtime_.now(),
                       "\"stage\":\"" + names_.stages[stage] + "\",\"id\":" + std::to_string(id) +
                           ",\"reason\":\"" + reason + "\"");
  }
}

void History::checkpoint_work(StageIndex stage, std::uint32_t, Nanos busy) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  metrics_.stages[stage].checkpoint_work_ns += busy;
}

void History::state_snapshotted(QueueIndex partition, std::uint64_t id, std::uint64_t offset, std::uint64_t digest) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  coverage_.snapshotted(partition);
  states_.snapshotted(partition, id, offset, digest, runtime_.now());
  causal_.mark({.kind = "snapshot", .t = runtime_.now(), .part = partition, .id = id, .offset = offset});
  explain_first("checkpoint_consistency", states_.verdict(), [&] {
    return explain_state(causal_, partition, id, offset, false, runtime_.now(), states_.diff(partition, offset, digest));
  });
}

void History::state_restored(QueueIndex partition, std::uint64_t id, std::uint64_t offset, std::uint64_t digest) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  states_.restored(partition, id, offset, digest, runtime_.now());
  causal_.mark({.kind = "restore", .t = runtime_.now(), .part = partition, .id = id, .offset = offset});
  metrics_.mark("restore", runtime_.now(), names_.queues[partition], id);
  if (perfetto_ && names_.queue_consumers[partition] >= 0) {
    perfetto_->stage_mark(static_cast<StageIndex>(names_.queue_consumers[partition]),
                          "restore " + names_.queues[partition] + " from checkpoint " + std::to_string(id) +
                              " at offset " + std::to_string(offset), runtime_.now());
  }
  explain_first("checkpoint_consistency", states_.verdict(), [&] {
    return explain_state(causal_, partition, id, offset, true, runtime_.now(), states_.diff(partition, offset, digest));
  });
  mix(kRestore, id, (static_cast<std::uint64_t>(partition) << 40) ^ offset);
  if (trace_) {
    trace_->raw_record("restore", runtime_.now(),
                       "\"queue\":\"" + names_.queues[partition] + "\",\"checkpoint\":" + std::to_string(id) +
                           ",\"offset\":" + std::to_string(offset));
  }
}

// Only for explanations: the restore mark that follows is this worker's.
void History::restored_by(QueueIndex partition, StageIndex stage, std::uint32_t worker) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  causal_.mark({.kind = "restorer", .t = runtime_.now(), .part = partition, .id = stage, .worker = worker});
}

std::string History::describe_node(const std::string& node) const {
  std::string out = "node '" + node + "'";
  auto it = node_faults_.find(node);
  if (it == node_faults_.end() || it->second.empty()) return out;
  out += " (under ";
  for (std::size_t i = 0; i < it->second.size(); ++i) out += (i == 0 ? "" : ", ") + it->second[i];
  return out + ")";
}

std::string History::describe_worker(StageIndex stage, std::uint32_t worker) const {
  const std::vector<std::string>& nodes = names_.stage_worker_nodes[stage];
  return "worker " + std::to_string(worker) + " of stage '" + names_.stages[stage] + "'" +
         (worker < nodes.size() ? " on " + describe_node(nodes[worker]) : "");
}

PendingPlace History::locate(EventId id) const {
  using Spot = PendingPlace::Spot;
  const CausalRecord* seen = causal_.last_seen(id);
  if (seen == nullptr) return {.spot = Spot::unseen};
  PendingPlace place{.part = seen->place.index, .worker = seen->place.worker, .since = seen->t};
  const std::string_view kind = seen->kind;
  switch (seen->place.role) {
    case Role::queue: place.spot = Spot::queue; break;
    case Role::source: place.spot = Spot::spill; break;  // accepted and back at its source: its spill backlog
    case Role::stage: place.spot = Spot::stranded; break;
    case Role::sink: place.spot = Spot::unseen; break;
    case Role::worker:
      if (kind == "route") place.spot = Spot::inbox;
      else if (kind == "attempt_failed") place.spot = Spot::retry, place.last_failure = seen->reason;
      else if (kind == "processed") place.spot = Spot::handover;
      else place.spot = Spot::service;
      break;
  }
  return place;
}

std::string History::describe_place(const PendingPlace& place) const {
  const std::string since = " since t=" + std::to_string(place.since) + "ns";
  switch (place.spot) {
    case PendingPlace::Spot::queue: {
      const bool partition = place.part >= names_.buffer_queues;
      const std::int64_t consumer = names_.queue_consumers[place.part];
      std::string waits = consumer < 0 ? "nothing reads it"
                                       : "a worker of stage '" + names_.stages[static_cast<std::size_t>(consumer)] +
                                             "' to take it (workers on ";
      if (consumer >= 0) {
        const std::vector<std::string>& nodes = names_.stage_worker_nodes[static_cast<std::size_t>(consumer)];
        for (std::size_t i = 0; i < nodes.size(); ++i) waits += (i == 0 ? "" : ", ") + describe_node(nodes[i]);
        waits += ")";
      }
      return std::string(partition ? "in the partition log '" : "queued in '") + names_.queues[place.part] + "'" +
             since + "; waits on " + waits;
    }
    case PendingPlace::Spot::inbox:
      return "in the inbox of " + describe_worker(place.part, place.worker) + since +
             "; waits on that worker to take it";
    case PendingPlace::Spot::service:
      return "in service at " + describe_worker(place.part, place.worker) + since + "; waits on its service time";
    case PendingPlace::Spot::retry:
      return "in the retry loop of " + describe_worker(place.part, place.worker) + " (last failure: " +
             place.last_failure + ")" + since + "; waits on an attempt or a hand-over to '" +
             names_.stage_outputs[place.part] + "' succeeding";
    case PendingPlace::Spot::handover:
      return "processed by " + describe_worker(place.part, place.worker) + since + "; waits on '" +
             names_.stage_outputs[place.part] + "' to accept it";
    case PendingPlace::Spot::spill:
      return "in the spill backlog of source '" + names_.sources[place.part] + "'" + since +
             "; waits on its downstream accepting a replay";
    case PendingPlace::Spot::stranded:
      return "lost from the hands of stage '" + names_.stages[place.part] + "' in a crash" + since +
             "; waits on its partition redelivering it to a live member";
    case PendingPlace::Spot::unseen:
      return "accepted at t=" + std::to_string(place.since) + "ns and not seen since; waits on nothing known";
  }
  return "somewhere";
}

void History::attach_explanations(std::vector<std::pair<std::string, Verdict>>& verdicts) const {
  for (auto& [name, verdict] : verdicts) {
    if (verdict.ok()) continue;
    if (auto it = explanations_.find(name); it != explanations_.end()) {
      verdict.explanations = it->second.list;
    } else if (name == "no_loss") {
      for (EventId id : delivery_.lost_ids()) {
        if (verdict.explanations.size() < explain_count_) verdict.explanations.push_back(explain_loss(causal_, id, verdict.first));
      }
    } else if (name == "latency_slo" && scaling_.slo_miss()) {
      verdict.explanations.push_back(explain_latency(causal_, *scaling_.slo_miss()));
    } else if (name == "drains_after_heal" || name == "progress") {
      const bool livelock = name == "progress" && verdict.first.find("livelock bound") != std::string::npos;
      verdict.explanations.push_back(explain_progress(causal_, name == "progress" ? progress_words(verdict) : stuck_words(),
                                                      stuck_list(livelock), runtime_.now()));
    }
    if (!verdict.explanations.empty()) verdict.explanation = verdict.explanations.front();
  }
}

// The repeat and the first effect it repeats, joined by a flow arrow in trace.perfetto.json.
void History::perfetto_duplicate(SinkIndex sink, const Event& event, Nanos now) {
  std::vector<Nanos> effects;  // the ring's effects of it at this sink, this one last
  for (const CausalRecord& r : causal_.of_event(event.id)) {
    if (std::string_view(r.kind) == "effect" && r.place.role == Role::sink && r.place.index == sink) effects.push_back(r.t);
  }
  if (effects.size() >= 2) perfetto_->duplicate(sink, event.id, effects.front(), now);
}

std::vector<StuckEvent> History::stuck_list(bool livelock) const {
  constexpr std::size_t kShown = 5;
  std::vector<StuckEvent> out;
  std::vector<std::pair<EventId, PendingPlace>> places = progress_.stuck_places(kShown);
  // A livelock's event goes first: it is the one the violation is about.
  if (auto looping = progress_.most_attempted(); looping && livelock) {
    std::erase_if(places, [&](const auto& p) { return p.first == looping->first; });
    places.insert(places.begin(), *looping);
  }
  for (const auto& [id, place] : places) {
    const std::string described = describe_place(place);
    const std::size_t waits = described.find("; waits on ");
    out.push_back({id, place, waits == std::string::npos ? described : described.substr(waits + 11), livelock && out.empty()});
  }
  return out;
}

std::string History::progress_words(const Verdict& verdict) const {
  if (verdict.first.find("livelock bound") != std::string::npos) {
    return "An event was attempted, redelivered or replayed more than run.livelock_attempts times after the faults " +
           std::string("healed, without an outcome (a livelock)");
  }
  const std::string pending = std::to_string(progress_.pending()) + " acknowledged event(s) were pending";
  if (verdict.first.find("nothing left") != std::string::npos) {
    return pending + " and nothing left in the simulation could move them";
  }
  return pending + " and none reached an outcome for longer than run.stall_after";
}

std::string History::stuck_words() const {
  if (drained_at_ >= 0) {
    return "The backlog drained only at " + human_time(drained_at_) + ", later than the drain bound after the sources " +
           "finished and the faults healed (" + human_time(std::max(last_source_finished_at_, quiet_after_)) + ")";
  }
  return std::to_string(backlog()) + " event(s) were still queued or in service when the run ended" +
         (all_sources_finished() ? "" : ", and some sources had not finished");
}

void History::check_drained() {
  if (drained_at_ >= 0 || !all_sources_finished() || backlog() != 0 || runtime_.now() < quiet_after_) return;
  drained_at_ = runtime_.now();
  if (trace_) trace_->part_record("drained", drained_at_, "", "");
  if (on_drained_) on_drained_();
}

void History::finish(Nanos end) {
  frozen_ = true;
  metrics_.finish(end);
  scaling_.finish(end);
  // The drain judgement's inputs, so that a reader of the trace can judge
  // drains_after_heal on its own.
  if (trace_) {
    trace_->raw_record("end", end,
                       "\"backlog\":" + std::to_string(backlog()) + ",\"sources_finished\":" +
                           (all_sources_finished() ? "true" : "false") + ",\"last_source_finished_ns\":" +
                           std::to_string(last_source_finished_at_) + ",\"quiet_after_ns\":" +
                           std::to_string(quiet_after_) + ",\"drained_ns\":" + std::to_string(drained_at_));
  }
}

void History::scaling_decided(StageIndex stage, std::uint32_t from, std::uint32_t to, const std::string& reason) {
  if (frozen_) return;
  scaling_.decided(runtime_.now(), stage, from, to, reason);
  causal_.mark({.kind = "scaled", .t = runtime_.now(), .part = stage, .id = to, .offset = from, .reason = reason});
  mix(kScaling, stage, (std::uint64_t{from} << 32) | to);
  if (trace_) {
    trace_->raw_record("scaled", runtime_.now(),
                       "\"stage\":\"" + names_.stages[stage] + "\",\"from\":" + std::to_string(from) +
                           ",\"to\":" + std::to_string(to) + ",\"reason\":" + nlohmann::json(reason).dump());
  }
}

void History::replica_changed(StageIndex stage, std::uint32_t worker, const char* state) {
  if (frozen_) return;
  const std::int64_t held = scaling_.held(stage, worker);
  scaling_.replica_changed(runtime_.now(), stage, worker, state);
  const bool left = std::strcmp(state, "left") == 0;
  if (left || std::strcmp(state, "draining") == 0) {
    causal_.mark({.kind = "replica", .t = runtime_.now(), .part = stage, .worker = worker, .reason = state});
  }
  if (left && held > 0) {
    explain_first("scale_in_is_lossless", scaling_.scale_in_is_lossless(),
                  [&] { return explain_scale_in(causal_, stage, worker, held, runtime_.now()); });
  }
  if (trace_) {
    trace_->raw_record("replica", runtime_.now(),
                       "\"stage\":\"" + names_.stages[stage] + "\",\"worker\":" + std::to_string(worker) +
                           ",\"state\":\"" + state + "\"");
  }
}

void History::alert_changed(const std::string& alert, const char* state, double value) {
  if (frozen_) return;
  mix(kAlert, alert.size(), static_cast<std::uint64_t>(state[0]));
  if (trace_) {
    trace_->raw_record("alert", runtime_.now(),
                       "\"alert\":" + nlohmann::json(alert).dump() + ",\"state\":\"" + state +
                           "\",\"value\":" + nlohmann::json(value).dump());
  }
}

void History::checkpoint_interval_changed(StageIndex stage, Nanos interval, const std::string& reason) {
  if (frozen_) return;
  scaling_.checkpoint_interval(runtime_.now(), names_.stages[stage], interval, reason);
  mix(kScaling, stage, static_cast<std::uint64_t>(interval));
  if (trace_) {
    trace_->raw_record("checkpoint_interval", runtime_.now(),
                       "\"stage\":\"" + names_.stages[stage] + "\",\"interval_ns\":" + std::to_string(interval) +
                           ",\"reason\":" + nlohmann::json(reason).dump());
  }
}

}  // namespace sluice

namespace sluice {

// Transaction markers: the intermediate-topic duplicate check, the state
// checker's view of aborted records (read_committed folds skip them), and
// the causal log's notes that name the transaction in explanations.
void History::txn_marker(QueueIndex partition, std::uint64_t writer, std::uint64_t epoch, std::uint64_t txn, bool commit,
                         bool written, const std::vector<Event>& records, const std::vector<std::uint64_t>& offsets) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  const Nanos now = runtime_.now();
  const char* kind = commit ? "txn_commit" : written ? "txn_abort" : "txn_abort_unmarked";
  const Place place{Role::queue, partition, static_cast<std::uint32_t>(writer & 0xffffffffULL)};
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Event& event = records[i];
    causal_.note(kind, now, event, place, txn_detail(epoch, txn));
    mix(commit ? kTxnCommit : kTxnAbort, event.id, partition);
    if (trace_) trace_->queue_record(kind, now, event, metrics_.queues[partition].name, static_cast<std::size_t>(metrics_.queues[partition].depth.value()));
    if (!commit && written) {
      states_.skipped(partition, offsets[i]);
      continue;
    }
    if (!txns_.committed(partition, event, now, writer, epoch, txn)) {
      capture_first(txns_.verdict(), duplicate_context_, event);
      explain_first("no_duplicate_effects", no_duplicate_effects(),
                    [&] { return explain_topic_duplicate(causal_, event, partition, now); });
    }
  }
}

}  // namespace sluice
