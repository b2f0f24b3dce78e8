// The report's "Alerts" section: each alert rule of the scenario as a
// timeline of its states (inactive, pending, firing) with pending and firing
// drawn as spans, on the same time axis (and with the same fault spans) as
// the other charts. Empty when the scenario has no alerts.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/series_view.h"

namespace sluice::reports {

std::string alerts_section(const nlohmann::json& summary, const nlohmann::json& series, double end_ns,
                           const std::vector<FaultSpan>& faults);

}  // namespace sluice::reports
