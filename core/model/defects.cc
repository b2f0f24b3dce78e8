#include "core/model/defects.h"

namespace sluice {

const std::vector<std::string_view>& implemented_defect_names() {
  static const std::vector<std::string_view> names = {"unbounded_buffer", "no_retry_on_timeout", "reorder_on_retry",
                                                      "ignore_credits",   "ack_before_fsync", "commit_before_process",
                                                      "skip_dedup",       "restore_stale_offsets", "no_fencing",
                                                      "read_uncommitted_downstream", "no_producer_fencing",
                                                      "offsets_outside_transaction", "abort_markers_lost",
                                                      "no_stabilization", "scale_in_without_drain",
                                                      "dedup_evicts_by_wall_clock", "idempotent_sink_forgets_gaps", "checkpoint_commit_not_redriven",
                                                      "idempotence_window_volatile",
                                                      "changelog_trimmed_early"};
  return names;
}

bool enable_defect(Defects& defects, std::string_view name) {
  if (name == "unbounded_buffer") defects.unbounded_buffer = true;
  else if (name == "no_retry_on_timeout") defects.no_retry_on_timeout = true;
  else if (name == "reorder_on_retry") defects.reorder_on_retry = true;
  else if (name == "ignore_credits") defects.ignore_credits = true;
  else if (name == "ack_before_fsync") defects.ack_before_fsync = true;
  else if (name == "commit_before_process") defects.commit_before_process = true;
  else if (name == "skip_dedup") defects.skip_dedup = true;
  else if (name == "restore_stale_offsets") defects.restore_stale_offsets = true;
  else if (name == "no_fencing") defects.no_fencing = true;
  else if (name == "read_uncommitted_downstream") defects.read_uncommitted_downstream = true;
  else if (name == "no_producer_fencing") defects.no_producer_fencing = true;
  else if (name == "offsets_outside_transaction") defects.offsets_outside_transaction = true;
  else if (name == "abort_markers_lost") defects.abort_markers_lost = true;
  else if (name == "no_stabilization") defects.no_stabilization = true;
  else if (name == "scale_in_without_drain") defects.scale_in_without_drain = true;
  else if (name == "dedup_evicts_by_wall_clock") defects.dedup_evicts_by_wall_clock = true;
  else if (name == "idempotent_sink_forgets_gaps") defects.idempotent_sink_forgets_gaps = true;
  else if (name == "checkpoint_commit_not_redriven") defects.checkpoint_commit_not_redriven = true;
  else if (name == "idempotence_window_volatile") defects.idempotence_window_volatile = true;
  else if (name == "changelog_trimmed_early") defects.changelog_trimmed_early = true;
  else return false;
  return true;
}

}  // namespace sluice
