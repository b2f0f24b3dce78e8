// A fault kind's own fields (its catalog entry's list), written the two ways
// a run writes faults: as a scenario file has them (the shrinker's output:
// durations as text) and as the run's fault records have them (summary.json,
// series.json: numbers, "_ns" names). One function per way, driven by the
// catalog, so a new kind's fields need no new code here unless a field is new.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/world/fault_spec.h"

namespace sluice {

// {"at", "kind", "target"?, and the kind's fields}. Durations are exact
// (format_duration), so loading the entry gives back `fault` unchanged.
nlohmann::json fault_scenario_json(const FaultSpec& fault);
// The kind's fields for a fault record. Durations are left out: the record
// carries when the fault ends ("end_ns"), not how long it lasts.
void add_fault_record_fields(const FaultSpec& fault, nlohmann::json& record);

}  // namespace sluice
