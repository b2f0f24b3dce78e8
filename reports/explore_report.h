// sweep.html for `sluice sweep --explore guided`: how coverage grew over the
// runs (a line chart), the corpus, the first failure with its repro line, and
// the situations of the coverage table that no run reached.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace sluice::reports {

// `sweep`: the guided exploration's sweep.json (sim/cli/explore_outputs.h).
std::string render_explore_report(const nlohmann::json& sweep);

}  // namespace sluice::reports
