// The pipeline topology as an inline SVG diagram: sources -> buffers -> stages
// -> sinks, laid out in columns by depth in the DAG, with each queue coloured
// by its peak fill (max_depth / capacity: green -> amber -> red).
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace sluice::reports {

// "#rrggbb" for a peak fill in [0, 1] (clamped): green at 0, amber at 0.7, red at 1.
std::string fill_colour(double fraction);

// `topology` is summary.json's "topology"; `queues` and `stages` are its
// "queues" and "stages" (for peak fill and busy fraction; may be null).
std::string render_topology(const nlohmann::json& topology, const nlohmann::json& queues,
                            const nlohmann::json& stages);

}  // namespace sluice::reports
