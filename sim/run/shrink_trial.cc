#include "sim/run/shrink_trial.h"

#include <algorithm>
#include <string>

#include "sim/run/sweep.h"

namespace sluice {
namespace {

bool listed(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

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
  if (report.ok) return std::nullopt;
  ShrinkFailure failure;
  failure.ending = ending_of(report.outcome);
  for (const auto& [name, verdict] : report.invariants) {
    bool broke = listed(scenario.expect.hold, name) && !verdict.ok();
    bool missed = listed(scenario.expect.violate, name) && verdict.ok();
    if (!broke && !missed) continue;
    failure.invariant = name;
    failure.first = broke ? verdict.first : name + " was expected to be violated but held";
    failure.signature = failure_signature(name, failure.first);
    return failure;
  }
  // A deadlock or an error, not an invariant.
  failure.invariant = outcome_name(report.outcome);
  failure.first = report.expectation_failures.empty() ? "" : report.expectation_failures.front();
  failure.signature = failure_signature(failure.invariant, failure.first);
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
