#include "sim/run/history.h"

#include "sim/check/explain/explainers.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "core/random/rng.h"
#include "core/runtime/perturbation_sites.h"
#include "sim/run/fault_fields.h"

namespace sluice {
namespace {

// What the history mixes into the trace hash besides the core's records
// (RecordHash numbers those from 1 by their place in PipelineRecord).
enum WorldHashKind : std::uint64_t { kFault = 0x60, kAlert = 0x61 };

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

void History::on(const PipelineRecord& record) {
  if (frozen_) return;  // the run is over: shutdown unwinding is not history
  std::visit(
      [this](const auto& rec) {
        hash_.on(rec);
        if (trace_) trace_records_.on(*trace_, rec);
        if (perfetto_) perfetto_records_.on(*perfetto_, rec);
        handle(rec);
      },
      record);
}

void History::handle(const Produced& rec) {
  const auto& [source, event] = rec;
  ++metrics_.counts.produced;
  delivery_.produced(event);
  recent_.remember("produce", runtime_.now(), event, &names_.sources[source]);
  causal_.produced(runtime_.now(), event, {Role::source, source});
}

void History::handle(const Acked& rec) {
  const auto& [source, event] = rec;
  ++metrics_.counts.acked;
  delivery_.acked(event);
  if (!delivery_.resolved(event)) progress_.accepted(event, runtime_.now());
  else progress_.settled_before_ack();
  after_progress();
}

void History::handle(const SourceFinished& rec) {
  [[maybe_unused]] const auto& [source] = rec;
  ++sources_finished_;
  last_source_finished_at_ = runtime_.now();
  check_drained();
}

void History::handle(const Rejected& rec) {
  const auto& [source, event, reason] = rec;
  ++metrics_.counts.rejected;
  source_outcome(source, event, "reject", reason);
}

void History::handle(const SourceDropped& rec) {
  const auto& [source, event, reason] = rec;
  // Never acknowledged, and given up on by the source's policy: a shed.
  ++metrics_.counts.shed;
  ++metrics_.counts.source_dropped;
  metrics_.shed_series.add(runtime_.now());
  delivery_.shed(event);
  progress_.resolved(event, runtime_.now());
  after_progress();
  source_outcome(source, event, "source_drop", reason);
  causal_.resolved(event);
}

void History::handle(const Spilled& rec) {
  const auto& [source, event] = rec;
  ++metrics_.counts.spilled;
  // Durable in the source's backlog: the source promised it, so it is pending.
  progress_.accepted(event, runtime_.now());
  after_progress();
  source_outcome(source, event, "spill", nullptr);
}

void History::handle(const Replayed& rec) {
  const auto& [source, event] = rec;
  ++metrics_.counts.replayed;
  progress_.attempted(event, "replay", runtime_.now());
  after_progress();
  source_outcome(source, event, "replay", nullptr);
}

void History::source_outcome(SourceIndex source, const Event& event, const char* what,
                             const char* reason) {
  recent_.remember(what, runtime_.now(), event, &names_.sources[source]);
  causal_.note(what, runtime_.now(), event, {Role::source, source}, 0, reason == nullptr ? "" : reason);
}

void History::handle(const SpillCorrupt& rec) {
  [[maybe_unused]] const auto& [source, record] = rec;
  ++metrics_.counts.spill_corrupt;
}

void History::handle(const Enqueued& rec) {
  const auto& [queue, event, depth] = rec;
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
  recent_.remember("enqueue", runtime_.now(), event, &q.name);
  causal_.note("enqueue", runtime_.now(), event, {Role::queue, queue}, depth);
}

void History::handle(const Dequeued& rec) {
  const auto& [queue, event, depth, waited] = rec;
  QueueMetrics& q = metrics_.queues[queue];
  ++q.departures;
  --queued_;
  ++in_service_;  // a stage's router took it: the stage holds it until released
  q.total_wait_ns += static_cast<long double>(waited);
  depth_changed(queue, depth);
  recent_.remember("dequeue", runtime_.now(), event, &q.name);
}

void History::handle(const Shed& rec) {
  const auto& [queue, event, reason, depth, waited] = rec;
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
  recent_.remember("shed", runtime_.now(), event, &q.name);
  causal_.note("shed", runtime_.now(), event, {Role::queue, queue}, depth, shed_reason_name(reason));
  if (delivery_.settled(event)) causal_.resolved(event);  // a fan-out's other branches still follow it
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

void History::handle(const LostInCrash& rec) {
  const auto& [queue, event, depth, waited] = rec;
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
  causal_.note("crash_drop", runtime_.now(), event, {Role::queue, queue}, depth);
  check_drained();
}

void History::depth_changed(QueueIndex queue, std::size_t depth) {
  metrics_.depth_changed(queue, runtime_.now(), depth);
  coverage_.depth(queue, depth);
}

void History::handle(const ServiceStarted& rec) {
  const auto& [stage, worker, event] = rec;
  ++metrics_.counts.delivered;
  progress_.check(runtime_.now());
  after_progress();
  metrics_.service_started(stage, worker, runtime_.now());
  causal_.note("deliver", runtime_.now(), event, {Role::worker, stage, worker});
}

void History::handle(const ServiceFinished& rec) {
  const auto& [stage, worker, event] = rec;
  metrics_.service_finished(stage, worker, runtime_.now());
  progress_.check(runtime_.now());
  after_progress();
  causal_.note("processed", runtime_.now(), event, {Role::worker, stage, worker});
}

void History::handle(const ServiceAborted& rec) {
  const auto& [stage, worker, event] = rec;
  metrics_.service_aborted(stage, worker, runtime_.now());
  causal_.note("aborted", runtime_.now(), event, {Role::worker, stage, worker});
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

void History::handle(const CreditRequested& rec) {
  const auto& [stage, worker, n] = rec;
  flow_.requested(stage, worker, n, runtime_.now(), names_.stages[stage]);
  progress_.check(runtime_.now());
  after_progress();
  causal_.credit_requested(stage, worker, n, runtime_.now());
}

void History::handle(const DeliveredToWorker& rec) {
  const auto& [stage, worker, event] = rec;
  flow_.delivered(stage, worker, event, runtime_.now(), names_.stages[stage]);
  scaling_.delivered(stage, worker);
  progress_.check(runtime_.now());
  after_progress();
  causal_.credit_used(stage, worker);
  causal_.note("route", runtime_.now(), event, {Role::worker, stage, worker});
  explain_first("flow_control", flow_.verdict(), [&] { return explain_flow(causal_, stage, worker, event, runtime_.now()); });
  recent_.remember("route to worker", runtime_.now(), event, &names_.stages[stage]);
  capture_first(flow_.verdict(), flow_context_, event);
}

void History::handle(const WorkerLost& rec) {
  const auto& [stage, worker] = rec;
  coverage_.worker_lost(stage);
  flow_.worker_lost(stage, worker);
  scaling_.worker_lost(stage, worker);
  causal_.credits_reset(stage, worker, runtime_.now());
  causal_.mark({.kind = "worker_lost", .t = runtime_.now(), .part = stage, .worker = worker});
}

void History::handle(const LostInTransit& rec) {
  const auto& [stage, event] = rec;
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
  causal_.note("transit_loss", runtime_.now(), event, {Role::stage, stage});
  check_drained();
}

void History::handle(const Released& rec) {
  [[maybe_unused]] const auto& [stage, worker, event] = rec;
  scaling_.released(stage, worker);
  --in_service_;
  metrics_.released(stage, worker, runtime_.now());
  check_drained();
}

void History::handle(const AttemptFailed& rec) {
  const auto& [stage, worker, event, attempt, reason] = rec;
  coverage_.attempt_failed(stage, runtime_.now());
  ++metrics_.stages[stage].retries;
  ++metrics_.counts.retries;
  metrics_.retry_series.add(runtime_.now());
  // Noted first: a livelock found by `attempted` names this place.
  causal_.note("attempt_failed", runtime_.now(), event, {Role::worker, stage, worker}, attempt, reason);
  progress_.attempted(event, reason, runtime_.now());
  after_progress();
  recent_.remember("attempt failed", runtime_.now(), event, &names_.stages[stage]);
}

void History::handle(const GaveUp& rec) {
  const auto& [stage, event, attempts, dead_lettered] = rec;
  coverage_.gave_up(stage, dead_lettered);
  ++metrics_.stages[stage].gave_up;
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
}

void History::handle(const BreakerChanged& rec) {
  const auto& [stage, state] = rec;
  coverage_.breaker(stage, state);
  ++metrics_.stages[stage].breaker_changes;
}

void History::handle(const Effect& rec) {
  const auto& [sink, event] = rec;
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
  check_drained();
}

void History::handle(const DuplicateSuppressed& rec) {
  const auto& [event, where] = rec;
  ++metrics_.counts.duplicates_suppressed;
  const std::string_view part(where);
  recent_.remember("duplicate suppressed", runtime_.now(), event, part_named(part));
}

const std::string* History::part_named(std::string_view name) const {
  for (const std::vector<std::string>* parts : {&names_.sinks, &names_.queues}) {
    for (const std::string& part : *parts) {
      if (part == name) return &part;
    }
  }
  return nullptr;
}

void History::handle(const Fetched& rec) {
  const auto& [partition, event] = rec;
  ++in_service_;  // in the stage's hands until released; the record stays in the partition
  // A redelivery: the topic's group had already fetched this event from it.
  const std::size_t topic = names_.queue_topic[partition];
  if (!fetched_[topic][source_of(event.id)].insert(sequence_of(event.id))) {
    ++metrics_.counts.redelivered;
    progress_.attempted(event, "redelivery", runtime_.now());
    after_progress();
  }
  recent_.remember("fetch", runtime_.now(), event, &metrics_.queues[partition].name);
  causal_.note("fetch", runtime_.now(), event, {Role::queue, partition});
}

void History::handle(const Trimmed& rec) {
  const auto& [partition, event, depth, waited] = rec;
  QueueMetrics& q = metrics_.queues[partition];
  ++q.departures;
  --queued_;
  q.total_wait_ns += static_cast<long double>(waited);
  depth_changed(partition, depth);
  partition_dropped(partition, event);
  causal_.note("trim", runtime_.now(), event, {Role::queue, partition}, depth);
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

void History::handle(const OffsetCommitted& rec) {
  const auto& [partition, offset, generation] = rec;
  metrics_.queues[partition].committed_offset = offset;
  causal_.committed(partition, {runtime_.now(), offset, generation});
  metrics_.mark("commit", runtime_.now(), names_.queues[partition], offset);
}

void History::handle(const CommitFenced& rec) {
  const auto& [stage, worker, generation] = rec;
  ++metrics_.stages[stage].fenced_commits;
  causal_.mark({.kind = "commit_fenced", .t = runtime_.now(), .part = stage, .id = generation, .worker = worker});
}

void History::perturbed(PerturbSite site, const std::string& node) {
  if (frozen_) return;
  coverage_.perturbed(site);
  causal_.mark({.kind = "perturbed", .t = runtime_.now(), .id = static_cast<std::uint64_t>(site), .reason = node});
  // series.json: where each site fired, for the report's and sluice-viz's marks.
  metrics_.mark("perturbed", runtime_.now(), std::string(perturb_site_name(site)) + " on " + node, static_cast<std::uint64_t>(site));
}

void History::handle(const Rebalanced& rec) {
  const auto& [stage, generation, members] = rec;
  coverage_.rebalanced(stage, generation);
  ++metrics_.stages[stage].rebalances;
  causal_.mark({.kind = "rebalance", .t = runtime_.now(), .part = stage, .id = generation, .offset = members});
  metrics_.mark("rebalance", runtime_.now(), names_.stages[stage], generation);
}

void History::handle(const CheckpointCompleted& rec) {
  const auto& [stage, id, duration, bytes] = rec;
  coverage_.checkpoint_ended(stage, true);
  StageMetrics& s = metrics_.stages[stage];
  ++s.checkpoints;
  s.checkpoint_ns_total += duration;
  s.checkpoint_ns_max = std::max(s.checkpoint_ns_max, duration);
  s.checkpoint_bytes += bytes;
  causal_.mark({.kind = "checkpoint", .t = runtime_.now(), .part = stage, .id = id});
  metrics_.mark("checkpoint", runtime_.now(), names_.stages[stage], id);
}

void History::handle(const CheckpointAborted& rec) {
  const auto& [stage, id, reason] = rec;
  coverage_.checkpoint_ended(stage, false);
  ++metrics_.stages[stage].checkpoints_aborted;
  causal_.mark({.kind = "checkpoint_aborted", .t = runtime_.now(), .part = stage, .id = id, .reason = reason});
  metrics_.mark("checkpoint_aborted", runtime_.now(), names_.stages[stage], id);
}

void History::handle(const CheckpointWork& rec) {
  [[maybe_unused]] const auto& [stage, worker, busy] = rec;
  metrics_.stages[stage].checkpoint_work_ns += busy;
}

void History::handle(const StateSnapshotted& rec) {
  const auto& [partition, id, offset, digest] = rec;
  coverage_.snapshotted(partition);
  states_.snapshotted(partition, id, offset, digest, runtime_.now());
  causal_.mark({.kind = "snapshot", .t = runtime_.now(), .part = partition, .id = id, .offset = offset});
  explain_first("checkpoint_consistency", states_.verdict(), [&] {
    return explain_state(causal_, partition, id, offset, false, runtime_.now(), states_.diff(partition, offset, digest));
  });
}

void History::handle(const StateRestored& rec) {
  const auto& [partition, id, offset, digest] = rec;
  if (rebuilt_partition_ != partition) failover_.state_rebuilt("snapshot", 0, 0, "");
  rebuilt_partition_ = kNoPartition;
  states_.restored(partition, id, offset, digest, runtime_.now());
  causal_.mark({.kind = "restore", .t = runtime_.now(), .part = partition, .id = id, .offset = offset});
  metrics_.mark("restore", runtime_.now(), names_.queues[partition], id);
  explain_first("checkpoint_consistency", states_.verdict(), [&] {
    return explain_state(causal_, partition, id, offset, true, runtime_.now(), states_.diff(partition, offset, digest));
  });
}

// Only for explanations: the restore mark that follows is this worker's.
void History::handle(const RestoredBy& rec) {
  const auto& [partition, stage, worker] = rec;
  causal_.mark({.kind = "restorer", .t = runtime_.now(), .part = partition, .id = stage, .worker = worker});
}

// Failover rows say how each restore rebuilt its state; explanations keep
// where retention had cut the changelog. A restore without this record
// (StateRestored alone) read a snapshot.
void History::handle(const StateRebuilt& rec) {
  const auto& [partition, backend, records_replayed, bytes_read, promoted_standby, trimmed_to, live_trimmed] = rec;
  failover_.state_rebuilt(backend, records_replayed, bytes_read, promoted_standby);
  rebuilt_partition_ = partition;
  causal_.mark({.kind = "rebuilt", .t = runtime_.now(), .part = partition, .id = live_trimmed, .offset = trimmed_to});
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

void History::handle(const ScalingDecided& rec) {
  const auto& [stage, from, to, reason] = rec;
  scaling_.decided(runtime_.now(), stage, from, to, reason);
  causal_.mark({.kind = "scaled", .t = runtime_.now(), .part = stage, .id = to, .offset = from, .reason = reason});
}

void History::handle(const ReplicaChanged& rec) {
  const auto& [stage, worker, state] = rec;
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
}

void History::alert_changed(const std::string& alert, const char* state, double value) {
  if (frozen_) return;
  mix(kAlert, stable_hash(alert), stable_hash(state));
  if (trace_) {
    trace_->raw_record("alert", runtime_.now(),
                       "\"alert\":" + nlohmann::json(alert).dump() + ",\"state\":\"" + state +
                           "\",\"value\":" + nlohmann::json(value).dump());
  }
}

void History::handle(const CheckpointIntervalChanged& rec) {
  const auto& [stage, interval, reason] = rec;
  scaling_.checkpoint_interval(runtime_.now(), names_.stages[stage], interval, reason);
}

}  // namespace sluice

namespace sluice {

// Transaction markers: the intermediate-topic duplicate check, the state
// checker's view of aborted records (read_committed folds skip them), and
// the causal log's notes that name the transaction in explanations.
void History::handle(const TxnMarkerWritten& rec) {
  const auto& [partition, writer, epoch, txn, commit, written, records, offsets] = rec;
  const Nanos now = runtime_.now();
  const char* kind = commit ? "txn_commit" : written ? "txn_abort" : "txn_abort_unmarked";
  const Place place{Role::queue, partition, static_cast<std::uint32_t>(writer & 0xffffffffULL)};
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Event& event = records[i];
    causal_.note(kind, now, event, place, txn_detail(epoch, txn));
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
