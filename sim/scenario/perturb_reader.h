// Reads a scenario's "perturb" object: which perturbation sites (BUGGIFY,
// core/runtime/perturbation_sites.h) a run may enable, and how likely each is.
#pragma once

#include "sim/runtime/perturbation.h"
#include "sim/scenario/json_reader.h"

namespace sluice {

// "perturb": {"sites": "all" | ["fetch_short", ...], "enable_probability": 0.25,
// "fire_probability": 0.05}. A name not in the table fails with its JSON path.
PerturbSpec read_perturb(const JsonReader& reader);

// The same object for a spec, as `shrink --perturb` writes it into a scenario.
nlohmann::json perturb_json(const PerturbSpec& spec);

}  // namespace sluice
