// The failover record (sim/metrics/failover_record.h) as a subscriber: each
// crash and restart with the events pending then, how each restore rebuilt
// its state, and the first effects after a restart. The progress watch tells
// it the pending count while a restarted node catches up.
//
// Order: before the progress watch, so a crash and an effect are counted
// against the pending events as they were before the record.
#pragma once

#include "core/model/records.h"
#include "core/runtime/runtime.h"
#include "sim/watch/part_names.h"
#include "sim/watch/progress_watch.h"
#include "sim/metrics/failover_record.h"
#include "sim/world/world_records.h"

namespace sluice {

class FailoverRecords {
 public:
  FailoverRecords(Runtime& runtime, const PartNames& names, FailoverRecord& record, const ProgressWatch& progress)
      : runtime_(runtime), names_(names), record_(record), progress_(progress) {}

  void on(const Effect& rec) {
    if (!names_.sink_is_dead_letter[rec.sink]) record_.effect(runtime_.now());
  }
  // A restore without a StateRebuilt just before it read a snapshot.
  void on(const StateRestored& rec) {
    if (rebuilt_partition_ != rec.partition) record_.state_rebuilt("snapshot", 0, 0, "");
    rebuilt_partition_ = kNoPartition;
  }
  void on(const StateRebuilt& rec) {
    record_.state_rebuilt(rec.backend, rec.records_replayed, rec.bytes_read, rec.promoted_standby);
    rebuilt_partition_ = rec.partition;
  }
  void on(const FaultBegan& rec) { crash_changed(rec.fault, true); }
  void on(const FaultHealed& rec) { crash_changed(rec.fault, false); }
  template <typename R>
  void on(const R&) {}

 private:
  void crash_changed(const FaultSpec& fault, bool begins);

  Runtime& runtime_;
  const PartNames& names_;
  FailoverRecord& record_;
  const ProgressWatch& progress_;
  // The partition whose StateRebuilt came just before its StateRestored (none: a snapshot restore).
  static constexpr QueueIndex kNoPartition = ~QueueIndex{0};
  QueueIndex rebuilt_partition_ = kNoPartition;
};

}  // namespace sluice
