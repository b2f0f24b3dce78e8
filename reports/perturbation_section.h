// The report's "Perturbation" section: from summary.json's "perturbation"
// (BUGGIFY sites, README "Perturbation (BUGGIFY)"), the sites the seed
// enabled, how often each fired, and the probabilities; empty when the run
// had perturbation off. Where a site fired is marked on every time chart
// from series.json's "perturbed" marks (html_report.cc's add_mark).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace sluice::reports {

std::string perturbation_section(const nlohmann::json& summary);

}  // namespace sluice::reports
