#include "sim/catalog/invariant_catalog.h"

namespace sluice {

const std::vector<InvariantInfo>& invariant_catalog() {
  static const std::vector<InvariantInfo> catalog = {
      {InvariantId::no_loss, "no_loss",
       "Every event a source produced takes effect at every sink it leads to, or is accounted for as shed, "
       "rejected or dead-lettered; events still in flight when run.until cut the run short do not count against it.",
       {"no_retry_on_timeout", "ack_before_fsync", "commit_before_process", "idempotent_sink_forgets_gaps",
        "checkpoint_commit_not_redriven"}},
      {InvariantId::no_duplicate_effects, "no_duplicate_effects",
       "No event takes effect twice at the same sink, nor is committed twice in a topic exactly-once stages write to; a "
       "repeat the sink or topic recognised and suppressed does not count against it.",
       {"skip_dedup", "no_fencing", "read_uncommitted_downstream", "no_producer_fencing", "offsets_outside_transaction",
        "abort_markers_lost", "dedup_evicts_by_wall_clock", "idempotence_window_volatile"}},
      {InvariantId::per_key_order, "per_key_order",
       "For each key, first effects at a sink are applied in production order; a replayed duplicate is "
       "no_duplicate_effects' business, not a reordering.",
       {"reorder_on_retry"}},
      {InvariantId::checkpoint_consistency, "checkpoint_consistency",
       "Every completed snapshot and every restore of a checkpointed partition's state equals the checker's own fold "
       "of that partition's appends up to the same offset; partitions without checkpointed state are not judged.",
       {"restore_stale_offsets", "changelog_trimmed_early"}},
      {InvariantId::bounded_queues, "bounded_queues",
       "No buffer or topic partition ever holds more events than its capacity (max_msgs for a partition); a shed to "
       "make room does not count against it.",
       {"unbounded_buffer"}},
      {InvariantId::flow_control, "flow_control",
       "No worker is sent more events than it has requested, and every request asks for at least one (Reactive "
       "Streams rules 1.1 and 3.9); credits of a worker that was lost are forgotten, not held against it.",
       {"ignore_credits"}},
      {InvariantId::drains_after_heal, "drains_after_heal",
       "Once every source has finished and every fault has healed, the backlog drains, within run.drain_within if "
       "given; a run that never drains breaks it, whatever was lost or kept.",
       {}},
      {InvariantId::progress, "progress",
       "While events are pending, one of them reaches an outcome within run.stall_after of virtual time and none is "
       "attempted, redelivered or replayed more than run.livelock_attempts times without one; judged once every fault "
       "has healed, so a fault may stop progress while it lasts.",
       {}},
      {InvariantId::no_flapping, "no_flapping",
       "No autoscaled stage reverses its scaling direction more than autoscale.flapping.max_reversals times (default 2) "
       "within autoscale.flapping.window (default 10m); not applicable without autoscale.",
       {"no_stabilization"}},
      {InvariantId::scale_in_is_lossless, "scale_in_is_lossless",
       "A replica scaled in leaves only once it has finished or handed back every event it held, so no event is lost "
       "or replayed because a replica left; a crash during the drain is a fault, not a scale-in, and does not count.",
       {"scale_in_without_drain"}},
      {InvariantId::latency_slo, "latency_slo",
       "The p99 source-to-effect latency of effects applied after slo.after stays within slo.p99; not applicable "
       "without an slo.",
       {}},
  };
  return catalog;
}

const InvariantInfo* find_invariant(std::string_view name) {
  for (const InvariantInfo& info : invariant_catalog()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

std::size_t invariant_rank(std::string_view name) {
  const InvariantInfo* info = find_invariant(name);
  return info == nullptr ? invariant_catalog().size() : static_cast<std::size_t>(info - invariant_catalog().data());
}

const InvariantInfo& invariant_info(InvariantId id) {
  // The catalog lists the ids in declaration order, which the catalog test pins.
  return invariant_catalog()[static_cast<std::size_t>(id)];
}

const std::vector<std::string>& invariant_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const InvariantInfo& info : invariant_catalog()) out.emplace_back(info.name);
    return out;
  }();
  return names;
}

}  // namespace sluice
