// DS2's parallelism for one operator (Kalavri et al., "Three steps is all
// you need: fast, accurate, automatic scaling decisions for distributed
// streaming dataflows", OSDI 2018, section 3): each instance's true
// processing rate is the records it processed divided by its useful time
// (time spent processing, not waiting), and the optimal parallelism is
//   ceil(target input rate / (true rate per instance x target utilisation)).
#pragma once

#include <cstdint>
#include <optional>

namespace sluice {

// nullopt: nothing was processed in the window, so no rate is known yet.
std::optional<std::uint32_t> ds2_parallelism(double arrival_rate, double true_rate_per_replica, double target_utilization);

}  // namespace sluice
