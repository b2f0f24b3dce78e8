// The coverage kinds: the one table of "interesting situations" a run can
// reach, which summary.json's "coverage", the guided explorer and sweep.html's
// never-reached list all read. A situation's key is "kind:value" or
// "kind:value@component" (the queue, stage or node it happened at); the
// table lists every kind with its finite set of values, so a situation no
// run reached can be named. Modelled on AFL's edge coverage: a cheap,
// deterministic fingerprint of what a run did, not a measure of correctness.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace sluice {

struct CoverageKindInfo {
  std::string_view name;     // the key's prefix
  std::string_view meaning;  // for the README and the report
  bool per_component;        // keys carry "@component"
};

// Every kind, in the order reports list them.
const std::vector<CoverageKindInfo>& coverage_kinds();

// Every value of `kind`, in table order (fault kinds and states, bands, ...).
std::vector<std::string> coverage_values(std::string_view kind);

// Every "kind:value" the table can produce: the universe the never-reached list is drawn from.
std::vector<std::string> coverage_universe();

// "kind:value" of a key ("fill:75@orders" -> "fill:75").
std::string coverage_situation(std::string_view key);

// The component state names a fault can begin in (fault_state's second half).
const std::vector<std::string>& coverage_fault_states();
// The node roles a fault can hit (fault_role's second half).
const std::vector<std::string>& coverage_node_roles();
// Queue fill bands in percent of capacity: a queue reaching depth d counts in every band <= 100*d/capacity.
const std::vector<unsigned>& coverage_fill_bands();
// The consumer-group generation bucket of `generation` ("1", "2", "3-4", "5-8", "9+").
std::string coverage_generation_bucket(unsigned long long generation);
// The crash_loss band of `lost` (>= 1) writes a crash threw away ("1", "2-8", "9+").
std::string coverage_loss_band(std::uint64_t lost);
// window_evict's bands: how far a node's clock stands behind the highest offset
// it stamped ids with in the last two windows' worth of effects ("steady": not behind).
const std::vector<std::string>& coverage_setback_bands();
std::string coverage_setback_band(Nanos setback);
// stragglers' values are COUNT/LAG: ids missing at once, and later ids applied meanwhile.
const std::vector<std::string>& coverage_straggler_counts();
const std::vector<std::string>& coverage_lag_bands();
std::string coverage_lag_band(std::uint64_t later);

}  // namespace sluice
