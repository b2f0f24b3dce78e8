// Runs one scenario with one seed: builds the simulated nodes and the
// pipeline, runs it in virtual time, and returns the verdicts and figures
// that summary.json and series.json are made of.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/check/verdict.h"
#include "sim/run/run_bounds.h"
#include "sim/runtime/simulation.h"
#include "sim/scenario/scenario.h"

namespace sluice {

class RecordTap;

struct RunOptions {
  std::optional<std::uint64_t> seed;         // overrides the scenario's
  std::optional<StrategySpec> strategy;      // overrides the scenario's
  std::optional<PerturbSpec> perturb;        // overrides the scenario's (--perturb)
  std::string trace_path;                    // trace.jsonl; empty: no trace
  RecordTap* record_tap = nullptr;           // sees every record the history dispatches (sim/run/record_tap.h)
  std::string perfetto_path;                 // trace.perfetto.json; empty: none
  BudgetOverrides budgets;                   // --max-virtual-time, --max-events, --max-wall-ms
  bool strict = false;                       // --strict: a vacuous invariant fails the run
  std::uint64_t trace_max_bytes = kDefaultTraceMaxBytes;  // each trace file stops at this size
  // Which binary and scenario file (provenance_json): copied into the trace
  // header and summary.json. Null: not recorded (tests, the visualizer).
  nlohmann::json provenance;
  static constexpr std::uint64_t kDefaultTraceMaxBytes = std::uint64_t{1} << 30;
  std::uint64_t explain = 1;                 // explain the first N violations of each invariant (--explain N)
};

struct RunReport {
  std::string scenario;
  std::uint64_t seed = 0;
  std::uint64_t trace_hash = 0;
  bool ok = false;
  RunOutcome outcome = RunOutcome::quiescent;
  std::string outcome_message;
  Nanos virtual_time = 0;
  std::uint64_t events = 0;
  std::vector<std::pair<std::string, Verdict>> invariants;  // in invariant_names() order
  std::vector<std::string> expectation_failures;            // why ok is false
  bool strict = false;                                      // vacuous invariants count as failures
  nlohmann::json summary;  // summary.json without wall_ms (the caller adds it)
  nlohmann::json series;   // series.json
};

class AlertMonitor;
class FaultInjector;
class History;
class Pipeline;
class PerfettoWriter;
class TraceWriter;
class World;

// One run that can be advanced in steps (the visualizer drives it live) and
// then finished into a report. run_scenario() is the whole thing at once.
class ScenarioRun {
 public:
  ScenarioRun(const Scenario& scenario, const RunOptions& options);
  ~ScenarioRun();
  ScenarioRun(const ScenarioRun&) = delete;
  ScenarioRun& operator=(const ScenarioRun&) = delete;

  // Runs until virtual time `until`, or `max_timers` timers (0: no limit).
  // Returns false once the run is over (drained, stopped, or failed).
  bool advance(Nanos until, std::uint64_t max_timers = 0);
  bool over() const { return over_; }
  Nanos now() const { return sim_.now(); }
  const Simulation& simulation() const { return sim_; }
  const History& history() const { return *history_; }
  const Scenario& scenario() const { return scenario_; }
  // The scenario's alert rules and their states so far, or null when it has none.
  const AlertMonitor* alerts() const;

  // Ends the run (unwinding every fiber) and evaluates it. Call once.
  RunReport finish();

 private:
  void schedule_faults();
  // Whether a budget ended the run; sets last_ to budget_exhausted if so.
  bool budget_reached(Nanos bound);
  std::string pending_summary() const;

  const Scenario& scenario_;
  RunBounds bounds_;
  bool strict_;
  SimulationOptions sim_options_;
  Simulation sim_;
  std::unique_ptr<TraceWriter> trace_;
  std::unique_ptr<PerfettoWriter> perfetto_;
  std::unique_ptr<History> history_;
  std::unique_ptr<World> world_;  // the network and disks; outlives the pipeline that uses them
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<FaultInjector> injector_;
  std::optional<StrategySpec> strategy_override_;
  std::optional<PerturbSpec> perturb_override_;
  RunResult last_;
  bool over_ = false;
  std::int64_t wall_ns_ = 0;  // wall time spent inside advance(), for the wall budget
  nlohmann::json provenance_;
};

RunReport run_scenario(const Scenario& scenario, const RunOptions& options);

std::string hex64(std::uint64_t value);
// The pipeline's shape as summary.json's "topology" has it (reports, visualizer).
nlohmann::json topology_json(const Scenario& scenario);
// `strategy`: the run's strategy when a command line overrode the scenario's.
// `perturb`: the run's perturbation when a command line overrode the scenario's.
std::string repro_command(const Scenario& scenario, std::uint64_t seed,
                          const std::optional<StrategySpec>& strategy = std::nullopt,
                          const std::optional<PerturbSpec>& perturb = std::nullopt);
// pct's horizon when the scenario leaves it 0: the decisions (picks among two
// or more ready fibers) the same seed makes under fifo, counted by a first
// run. Coyote learns the schedule length from earlier iterations; a seed here
// stands alone (sweeps must not depend on --jobs), so it measures its own.
// `perturb`: the run's command-line perturbation, which the count runs under too.
std::uint64_t calibrated_pct_horizon(const Scenario& scenario, std::uint64_t seed,
                                     const std::optional<PerturbSpec>& perturb = std::nullopt);

}  // namespace sluice
