// Reads a scenario's "alerts" rules and the "alerts" list of its "expect"
// block (README, "Elastic scaling and alerts"); bad input fails with the
// JSON path (exit 2).
#pragma once

#include <vector>

#include "sim/alerts/alert_rule.h"
#include "sim/scenario/json_reader.h"

namespace sluice {

std::vector<AlertRule> read_alerts(const JsonReader& reader);
std::vector<AlertExpectation> read_alert_expectations(const JsonReader& reader);

struct Scenario;
// After the whole scenario is read: every rule's "of" names a buffer, topic
// or stage, every expectation a rule and an existing fault.
void check_alerts(const Scenario& scenario);

}  // namespace sluice
