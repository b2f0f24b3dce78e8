// Self-contained HTML reports: one file, no network, charts as inline SVG.
//
// render_run_report: a run's verdict (invariants, expectation failures, repro
// command), key figures, the topology, queue depth over time per queue (min/max
// band, mean line, capacity line, fault spans), throughput, latency
// percentiles, stage busy fractions and sheds. Inputs are RUN_DIR/summary.json
// and RUN_DIR/series.json as `sluice run` writes them; missing fields render
// as "n/a" rather than failing.
//
// render_sweep_report: a sweep's pass/fail grid over seeds, the failing seeds
// with their repro commands, failure groups, and histograms across seeds of
// max queue depth (per queue) and p99 latency.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace sluice {

std::string render_run_report(const nlohmann::json& summary, const nlohmann::json& series);

// `sweep`: {"scenario": str, "seeds": [{"seed", "ok", "trace_hash", "failed": [names],
// "max_depth": {queue: n}, "p99_ns", "repro"}], "groups": [{"signature", "count",
// "fastest_seed", "repro"}]}.
std::string render_sweep_report(const nlohmann::json& sweep);

}  // namespace sluice
