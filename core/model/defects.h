// Known bugs a scenario can inject on purpose ("defects" in DESIGN.md), so
// each checker can be shown to catch the bug it exists for. The one
// exception to "no if (simulating) in the core": each defect is one small,
// named switch, read at the single place it changes behaviour.
#pragma once

#include <string_view>
#include <vector>

namespace sluice {

struct Defects {
  bool unbounded_buffer = false;     // buffers ignore their capacity       -> bounded_queues
  bool no_retry_on_timeout = false;  // a timed-out attempt drops the event  -> no_loss
  bool reorder_on_retry = false;     // a failed event is retried behind later ones (its attempts still counted) -> per_key_order
  bool ignore_credits = false;       // deliver to workers without a request -> flow_control
  bool ack_before_fsync = false;     // a topic acks produces before the fsync it promised -> no_loss
  bool commit_before_process = false;  // at-least-once commits on receipt, as at-most-once -> no_loss
  bool restore_stale_offsets = false;  // recovery rewinds to an older checkpoint's offsets -> checkpoint_consistency
  bool no_fencing = false;           // stale generations and epochs fence nothing (group, checkpoints, sink) -> no_duplicate_effects
  bool skip_dedup = false;           // sinks and topics skip their duplicate checks -> no_duplicate_effects
  bool read_uncommitted_downstream = false;  // consumers of transactional topics read uncommitted -> no_duplicate_effects
  bool no_producer_fencing = false;  // a transaction coordinator fences no epoch (zombie output commits) -> no_duplicate_effects
  bool offsets_outside_transaction = false;  // input offsets committed apart from the transaction -> no_duplicate_effects
  bool abort_markers_lost = false;   // aborts write no markers: aborted records read as committed -> no_duplicate_effects
  bool no_stabilization = false;     // autoscalers ignore their stabilization windows -> no_flapping
  bool scale_in_without_drain = false;  // a replica scaled in drops what it holds at once -> scale_in_is_lossless
  // Hard defects: each shows only under a rare combination of conditions.
  bool dedup_evicts_by_wall_clock = false;  // a full dedup window evicts the id with the oldest local timestamp, not the oldest insert; a clock set back evicts the freshest ids -> no_duplicate_effects
  bool idempotent_sink_forgets_gaps = false;  // an idempotent sink with two ids missing, each for over 256 later ids of its source, moves its watermark past the lowest: a late first write is taken for a repeat -> no_loss
  bool checkpoint_commit_not_redriven = false;  // a restarted checkpoint coordinator re-commits the checkpoint it completed before the crash only for the writers that rejoined: one still away loses its output -> no_loss
  bool idempotence_window_volatile = false;  // a restarted broker does not rebuild its idempotence window from its log: a produce retried across the crash is appended twice -> no_duplicate_effects
  bool changelog_trimmed_early = false;  // changelogs are trimmed like input topics, past keys' latest records -> checkpoint_consistency

  bool operator==(const Defects&) const = default;
};

// Every defect DESIGN.md names; each is caught by a checker (tests/sim/defects_test.cc).
const std::vector<std::string_view>& implemented_defect_names();
// Sets the named switch; false when the name is not an implemented defect.
bool enable_defect(Defects& defects, std::string_view name);

}  // namespace sluice
