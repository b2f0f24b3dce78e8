// The edits the shrinker makes to a scenario's JSON, apart from the search
// that decides which to keep. Each returns a new document; none runs anything.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario/scenario.h"
#include "sim/world/fault_spec.h"

namespace sluice {

// `expect` written out in full, so that single entries can be removed: a
// scenario without "hold" means "every invariant not in violate", and
// removing from an implicit list is not possible.
nlohmann::json with_explicit_expectations(const nlohmann::json& document, const ExpectSpec& expect);

// The swarm replaced by the faults it drew (appended to "faults", which is
// where the runner puts them too, so the schedule is the same), and
// run.faults_end, which only bounds the swarm, removed.
nlohmann::json with_swarm_replaced(const nlohmann::json& document, const std::vector<FaultSpec>& drawn);

// Every fault's "at", "duration" and "restart_after" that is not a whole
// number of milliseconds (a swarm's, not a person's) rounded to the nearest
// multiple of `step` (a duration to at least one step): "4632ms", not
// "4631986587ns", when the failure does not depend on the nanoseconds.
nlohmann::json with_fault_times_rounded(const nlohmann::json& document, Nanos step);

// `array` without the `count` items from `from`, except those `pinned` says must stay.
nlohmann::json without_items(const nlohmann::json& array, std::size_t from, std::size_t count,
                             const std::function<bool(const nlohmann::json&)>& pinned);

}  // namespace sluice
