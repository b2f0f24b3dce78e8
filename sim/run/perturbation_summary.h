// summary.json's "perturbation": which sites the run enabled and how often
// each fired, so a failing run says which rare paths it took.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/runtime/perturbation.h"

namespace sluice {

// {"enabled": [names in table order], "fired": {name: count} for every enabled
// site, "enable_probability": p, "fire_probability": q}.
nlohmann::json perturbation_json(const Perturbation& perturbation, const PerturbSpec& spec);

// The terminal's one line: "perturb     enabled a, b; fired a x3".
std::string perturbation_line(const nlohmann::json& perturbation);

}  // namespace sluice
