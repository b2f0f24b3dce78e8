// The report's "Failover" section: one row per crash from summary.json's
// "failover" (issue 17): when the node crashed and came back, the events
// pending at the crash, and the time from the crash to the first effect
// after the restart and to caught up. Empty when the run had no crash.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace sluice::reports {

std::string failover_section(const nlohmann::json& summary);

}  // namespace sluice::reports
