// The report's "Replicas" section: for each autoscaled stage, ready replicas
// over virtual time with every scaling decision marked (its time, from, to
// and reason on hover), drawn under the queue depth so a backlog and the
// autoscaler's answer to it line up. Empty when nothing autoscaled.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/series_view.h"

namespace sluice::reports {

// `faults` go on the chart as on every time chart of the report.
std::string replicas_section(const nlohmann::json& summary, const nlohmann::json& series, double end_ns,
                             const std::vector<FaultSpan>& faults);

}  // namespace sluice::reports
