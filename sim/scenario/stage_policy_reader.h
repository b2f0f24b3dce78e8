// Reads the optional processing policies of a stage and the outages of a sink.
#pragma once

#include <vector>

#include "sim/scenario/json_reader.h"
#include "sim/scenario/scenario.h"

namespace sluice {

// The policy fields of a stage object (prefetch, key_ordered, rate_limit,
// concurrency, timeout, retry, failure, breaker, dead_letter).
const std::vector<std::string_view>& stage_policy_fields();
StagePolicies read_stage_policies(const ObjectReader& stage);
// "outages": [{"at": "10s", "duration": "5s"}, ...]
std::vector<Outage> read_outages(const JsonReader& reader);
// "defects": ["ignore_credits", ...]
Defects read_defects(const JsonReader& reader);
// "bursts": [{"at": "30s", "duration": "10s", "factor": 10}, ...]
std::vector<Burst> read_bursts(const JsonReader& reader);

}  // namespace sluice
