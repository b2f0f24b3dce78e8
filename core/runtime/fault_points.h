// The named fault points of the core (Runtime::fault_point): places in the
// checkpoint and commit paths where a scenario can crash a node exactly.
#pragma once

#include <string_view>
#include <vector>

namespace sluice {

// A worker took barrier n from its inbox and is about to snapshot.
inline constexpr std::string_view kBeforeSnapshot = "before_snapshot";
// A worker pre-committed its transaction and acked barrier n; the checkpoint is not complete yet.
inline constexpr std::string_view kAfterSnapshot = "after_snapshot";
// The coordinator completed checkpoint n; the sink's transactions are pre-committed, not yet committed.
inline constexpr std::string_view kBetweenPrecommitAndCommit = "between_precommit_and_commit";
// An at-least-once member has processed records and is about to commit their offsets.
inline constexpr std::string_view kBetweenProcessingAndCommit = "between_processing_and_commit";
// A transaction coordinator appended a pre-committed transaction's records (open) and has not logged it prepared.
inline constexpr std::string_view kTxnAfterAppend = "txn_after_append";
// A transaction coordinator logged a commit decision and has written no marker yet.
inline constexpr std::string_view kTxnAfterPrepareCommit = "txn_after_prepare_commit";
// A transaction coordinator wrote the markers of one partition and not yet the next one's.
inline constexpr std::string_view kTxnBetweenMarkers = "txn_between_markers";
// A transaction coordinator logged an abort decision and has written no abort marker yet.
inline constexpr std::string_view kTxnDuringAbort = "txn_during_abort";

// A replica being scaled in has handed back or finished its records and is about to commit and leave its group.
inline constexpr std::string_view kDuringScaleInDrain = "during_scale_in_drain";

// Every named point, in the order the schema lists them.
inline const std::vector<std::string_view>& fault_point_names() {
  static const std::vector<std::string_view> names = {
      kBeforeSnapshot,  kAfterSnapshot,         kBetweenPrecommitAndCommit, kBetweenProcessingAndCommit,
      kTxnAfterAppend,  kTxnAfterPrepareCommit, kTxnBetweenMarkers,         kTxnDuringAbort,
      kDuringScaleInDrain};
  return names;
}

// What swarm's crash_at_point draws from: the checkpoint and commit points,
// plus the transaction coordinator's where the scenario writes transactions
// and the scale-in drain where it autoscales. Points a scenario cannot reach
// are left out, and older scenarios keep their draws.
inline std::vector<std::string_view> swarm_fault_points(bool transactions, bool scaling) {
  std::vector<std::string_view> points = {kBeforeSnapshot, kAfterSnapshot, kBetweenPrecommitAndCommit,
                                          kBetweenProcessingAndCommit};
  if (transactions) points.insert(points.end(), {kTxnAfterAppend, kTxnAfterPrepareCommit, kTxnBetweenMarkers, kTxnDuringAbort});
  if (scaling) points.push_back(kDuringScaleInDrain);
  return points;
}

}  // namespace sluice
