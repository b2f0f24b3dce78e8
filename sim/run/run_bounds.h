// Every run ends: the budgets that bound it (virtual time, scheduler events,
// wall time) and the progress invariant's bounds, each from the scenario's
// "run" section, else the command line, else a documented default.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/time.h"
#include "sim/scenario/scenario.h"

namespace sluice {

// The defaults (README "Every run ends with a verdict"): generous enough for
// every shipped scenario, small enough that a runaway run ends in minutes.
// (scenarios/bench/tandem.json, the longest in virtual time, runs about 12 days.)
inline constexpr Nanos kDefaultMaxVirtualTime = 365LL * 24 * 3600 * kNanosPerSecond;
inline constexpr std::uint64_t kDefaultMaxEvents = 2'000'000'000;
inline constexpr std::int64_t kDefaultMaxWallMs = 10 * 60 * 1000;

// Overrides from the command line (--max-virtual-time, --max-events, --max-wall-ms).
struct BudgetOverrides {
  std::optional<Nanos> max_virtual_time;
  std::optional<std::uint64_t> max_events;
  std::optional<std::int64_t> max_wall_ms;
};

struct RunBounds {
  Nanos max_virtual_time = kDefaultMaxVirtualTime;
  std::uint64_t max_events = kDefaultMaxEvents;
  std::int64_t max_wall_ms = kDefaultMaxWallMs;
  Nanos stall_after = 0;
  std::uint32_t livelock_attempts = 0;
};

// The command line wins over the scenario, the scenario over the defaults.
RunBounds run_bounds(const Scenario& scenario, const BudgetOverrides& overrides);

// run.stall_after's default: ten times the longest a healthy pipeline may
// take to settle one event, and at least 10 s (the rule is in README and
// schema.json).
Nanos default_stall_after(const Scenario& scenario);
// run.livelock_attempts' default: ten times the largest retry max_attempts
// of any stage or source, and at least 100.
std::uint32_t default_livelock_attempts(const Scenario& scenario);

// When progress starts being judged: once every fault and sink outage is
// over, a fault that never heals counting from its start.
Nanos progress_judged_from(const std::vector<FaultSpec>& faults, const Scenario& scenario);

}  // namespace sluice
