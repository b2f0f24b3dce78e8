// Where a pending event sits and what it waits on, in words: what the
// progress checker's violations and the liveness explanations name. Asked of
// the causal log (the event's last sighting) and of the faults in force on
// each node, which this subscriber follows (FaultBegan / FaultHealed). It
// runs before the progress watch, so a violation found on a fault's record
// already names that fault.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/runtime/runtime.h"
#include "sim/check/explain/causal_log.h"
#include "sim/watch/part_names.h"
#include "sim/check/progress_checker.h"
#include "sim/world/world_records.h"

namespace sluice {

class PendingPlaces {
 public:
  PendingPlaces(Runtime& runtime, const PartNames& names, const CausalLog& causal)
      : runtime_(runtime), names_(names), causal_(causal) {}

  void on(const FaultBegan& rec) { node_faults_changed(rec.fault, true); }
  void on(const FaultHealed& rec) { node_faults_changed(rec.fault, false); }
  template <typename R>
  void on(const R&) {}

  // Where a pending event is (its last record in the causal log).
  PendingPlace locate(EventId id) const;
  // Where an event is and what it waits on ("queued in 'inbox' ...; waits on ...").
  std::string describe_place(const PendingPlace& place) const;

 private:
  void node_faults_changed(const FaultSpec& fault, bool begins);
  std::string describe_worker(StageIndex stage, std::uint32_t worker) const;
  std::string describe_node(const std::string& node) const;

  Runtime& runtime_;
  const PartNames& names_;
  const CausalLog& causal_;
  std::map<std::string, std::vector<std::string>> node_faults_;  // faults in force, by node
};

}  // namespace sluice
