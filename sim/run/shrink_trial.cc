#include "sim/run/shrink_trial.h"

#include <string>

#include "sim/run/failure.h"

namespace sluice {
namespace {

// Drained and quiescent are the same ending for a repro; running into
// run.until or a deadlock is not.
std::string ending_of(RunOutcome outcome) {
  if (outcome == RunOutcome::quiescent || outcome == RunOutcome::stopped) return "finished";
  return outcome_name(outcome);
}

ShrinkFigures figures_of(const Scenario& scenario, const RunReport& report, std::uint64_t seed) {
  ShrinkFigures figures;
  for (const SourceSpec& source : scenario.sources) figures.source_events += source.count;
  figures.faults = scenario.faults.size() + swarm_faults(scenario, seed).size();
  figures.virtual_time = report.virtual_time;
  figures.scheduler_events = report.events;
  figures.trace_hash = hex64(report.trace_hash);
  return figures;
}

}  // namespace

std::optional<ShrinkFailure> failure_of(const Scenario& scenario, const RunReport& report) {
  std::vector<Failure> failures = failures_of(scenario.expect, report);
  if (failures.empty()) return std::nullopt;
  ShrinkFailure failure;
  failure.ending = ending_of(report.outcome);
  failure.invariant = failures.front().invariant;
  failure.first = failures.front().first;
  failure.signature = failures.front().signature;
  return failure;
}

std::vector<FaultSpec> swarm_faults(const Scenario& scenario, std::uint64_t seed) {
  if (!scenario.swarm) return {};
  return draw_swarm(*scenario.swarm, scenario.run.faults_end, scenario.nodes(), seed);
}

ShrinkTrial run_trial(const Scenario& scenario, std::uint64_t seed) {
  RunOptions options;
  options.seed = seed;
  RunReport report = run_scenario(scenario, options);
  return {failure_of(scenario, report), figures_of(scenario, report, seed)};
}

}  // namespace sluice
