// JUnit XML for CI: a run is one <testsuite name=SCENARIO> with one <testcase>
// per invariant; a sweep is one testcase per seed and invariant. A testcase
// fails when the scenario's expectation about its invariant failed (it broke
// but was expected to hold, or held but was expected to be violated) and is
// <skipped/> when the invariant does not apply. Expectation failures that no
// invariant accounts for (a deadlock, say) add one failing testcase "run".
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace sluice {

// `summary` is a run's summary.json.
std::string render_junit(const nlohmann::json& summary);

// `sweep` is {"scenario", "seeds": [{"seed", "ok", "failed": [names], "repro", ...}],
// optionally "invariants": [names] (default: the seven of DESIGN.md plus any
// name that failed) and "wall_ms"}.
std::string render_sweep_junit(const nlohmann::json& sweep);

}  // namespace sluice
