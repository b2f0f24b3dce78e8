// Perturbation (BUGGIFY sites, README "Perturbation (BUGGIFY)") as the
// panels see it: the sites the seed enabled and how often each fired, from
// summary.json "perturbation", and where each fired, from series.json's
// "perturbed" marks (at most 2,000, oldest first). The same fields the HTML
// report's Perturbation section and time-chart marks read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/time.h"

namespace sluice::viz {

struct PerturbSiteRow {
  std::string name;
  std::uint64_t fired = 0;
};

struct PerturbMark {
  Nanos at = 0;
  std::string label;  // "rpc_spurious_timeout on worker-2"
};

struct PerturbationView {
  bool on = false;  // summary.json has "perturbation": the run had it on
  double enable_probability = 0, fire_probability = 0;
  std::vector<PerturbSiteRow> enabled;  // in the site table's order
  std::vector<PerturbMark> marks;       // oldest first
};

// `series` may be null (no marks then).
PerturbationView perturbation_from_json(const nlohmann::json& summary, const nlohmann::json& series);
// The marks within `tolerance` of `at`, for a hover.
std::vector<const PerturbMark*> perturb_marks_near(const PerturbationView& view, Nanos at, Nanos tolerance);

}  // namespace sluice::viz
