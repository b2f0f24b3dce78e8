// What the simulated world (not the pipeline) reports to the history: a fault
// beginning or healing, an alert changing state, a perturbation site firing.
// They travel the same dispatch as the core's records (sim/run/history.h), so
// the trace, Perfetto and hash writers have one entry point each. Like a
// PipelineRecord, a record lives only for the call.
#pragma once

#include <string>
#include <variant>

#include "core/runtime/perturbation_sites.h"
#include "sim/world/fault_spec.h"

namespace sluice {

// The injector began a fault now.
struct FaultBegan {
  const FaultSpec& fault;
};

// The injector healed a fault now (fault.at: when it began).
struct FaultHealed {
  const FaultSpec& fault;
};

// An alert rule moved to `state` ("firing", "resolved", ...) on `value`.
struct AlertChanged {
  const std::string& alert;
  const char* state;
  double value;
};

// A perturbation site (BUGGIFY) fired on `node`. The trace hash has it
// already (the simulation mixes it in); explanations and coverage name it.
struct Perturbed {
  PerturbSite site;
  const std::string& node;
};

using WorldRecord = std::variant<FaultBegan, FaultHealed, AlertChanged, Perturbed>;

}  // namespace sluice
