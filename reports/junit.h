// JUnit XML for CI: a run is one <testsuite name=SCENARIO> with one <testcase>
// per invariant; a sweep is one testcase per seed and invariant. A testcase
// fails when the scenario's expectation about its invariant failed (it broke
// but was expected to hold, or held but was expected to be violated) and is
// <skipped/> when the invariant does not apply. Expectation failures that no
// invariant accounts for (a deadlock, say) add one failing testcase "run".
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace sluice {

// `summary` is a run's summary.json.
std::string render_junit(const nlohmann::json& summary);

// `sweep` is {"scenario", "seeds": [{"seed", "ok", "failed": [names], "repro", ...}],
// optionally "invariants": [names] (default: the seven of DESIGN.md plus any
// name that failed) and "wall_ms"}.
std::string render_sweep_junit(const nlohmann::json& sweep);

// The pieces of render_sweep_junit, for a sweep that streams its testcases to
// a file as seeds finish and writes the head (which carries the counts) last.
struct JunitCounts {
  std::size_t tests = 0, failures = 0, skipped = 0;
};
// The invariants a sweep lists a testcase for, per seed.
std::vector<std::string> sweep_invariants(const nlohmann::json& sweep);
// One seed's testcases; adds them to `counts`.
std::string sweep_seed_testcases(const std::string& scenario, const nlohmann::json& seed,
                                 const std::vector<std::string>& invariants, JunitCounts& counts);
// `sweep` without its seeds: scenario, provenance, interrupted, wall_ms.
std::string sweep_junit_head(const nlohmann::json& sweep, const JunitCounts& counts);
std::string sweep_junit_tail();

}  // namespace sluice
