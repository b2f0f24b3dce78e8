// Reads the optional processing policies of a stage (rate limits and retries
// for sources too) and the outages of a sink.
#pragma once

#include <vector>

#include "sim/scenario/json_reader.h"
#include "sim/scenario/scenario.h"

namespace sluice {

// The policy fields of a stage object (prefetch, key_ordered, rate_limit,
// concurrency, timeout, retry, failure, breaker, dead_letter).
const std::vector<std::string_view>& stage_policy_fields();
StagePolicies read_stage_policies(const ObjectReader& stage);
// "rate_limit": {"rate": 10, "per": "1m", "burst": 1}: 10 events per minute
// (stages and sources).
TokenBucketConfig read_rate_limit(const JsonReader& reader);
// "retry": {"max_attempts": 5, "backoff": "10ms", "max_backoff": "2s", "jitter": 0.2}.
// With `budget` (a source's retry), "budget" is allowed too: the retry budget
// ratio in [0, kMaxRetryBudgetRatio], stored there (0 when absent).
inline constexpr double kMaxRetryBudgetRatio = 10;
RetryPolicy read_retry(const JsonReader& reader, double* budget = nullptr);
// "outages": [{"at": "10s", "duration": "5s"}, ...]
std::vector<Outage> read_outages(const JsonReader& reader);
// "defects": ["ignore_credits", ...]
Defects read_defects(const JsonReader& reader);
// "bursts": [{"at": "30s", "duration": "10s", "factor": 10}, ...]
std::vector<Burst> read_bursts(const JsonReader& reader);

}  // namespace sluice
