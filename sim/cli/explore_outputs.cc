#include "sim/cli/explore_outputs.h"

#include "sim/coverage/coverage_kinds.h"
#include "sim/output/atomic_file.h"
#include "sim/run/shrink.h"

namespace sluice {
namespace {

nlohmann::json sites_json(const PerturbSpec& perturb) {
  nlohmann::json sites = nlohmann::json::array();
  for (PerturbSite site : perturb.sites) sites.push_back(std::string(perturb_site_name(site)));
  return sites;
}

// The table's situations that no run reached, in table order.
nlohmann::json never_reached(const std::set<std::string>& keys) {
  std::set<std::string> reached;
  for (const std::string& key : keys) reached.insert(coverage_situation(key));
  nlohmann::json list = nlohmann::json::array();
  for (const std::string& situation : coverage_universe()) {
    if (!reached.contains(situation)) list.push_back(situation);
  }
  return list;
}

}  // namespace

nlohmann::json explore_run_json(const ExploreRun& run) {
  nlohmann::json j = {{"run", run.index},
                      {"seed", run.candidate.seed},
                      {"ok", run.ok},
                      {"events", run.events},
                      {"origin", run.candidate.parent < 0 ? nlohmann::json("fresh") : nlohmann::json(run.candidate.parent)},
                      {"mutations", run.candidate.mutations},
                      {"faults", run.candidate.faults.size()},
                      {"strategy", strategy_text(run.candidate.strategy)},
                      {"perturb_sites", sites_json(run.candidate.perturb)},
                      {"new_coverage", run.new_keys},
                      {"coverage_total", run.total_keys},
                      {"kept", run.kept},
                      {"coverage", run.coverage}};
  if (!run.ok) {
    j["signature"] = run.signature;
    j["first"] = run.first;
  }
  return j;
}

nlohmann::json explore_sweep_json(const ExploreHead& head, const ExploreResult& result, const std::string& failure_file) {
  nlohmann::json runs = nlohmann::json::array();
  nlohmann::json growth = nlohmann::json::array();
  std::uint64_t failures = 0;
  for (const ExploreRun& run : result.runs) {
    runs.push_back(explore_run_json(run));
    growth.push_back(run.total_keys);
    failures += run.ok ? 0 : 1;
  }
  nlohmann::json out = {{"mode", "guided"},
                        {"scenario", head.scenario},
                        {"file", head.file},
                        {"explore_seed", head.explore_seed},
                        {"runs_max", head.runs_max},
                        {"generation_size", ExploreOptions::kGeneration},
                        {"runs_done", result.runs.size()},
                        {"failures", failures},
                        {"ok", failures == 0},
                        {"interrupted", result.interrupted},
                        {"corpus", result.corpus},
                        {"coverage", std::vector<std::string>(result.coverage.begin(), result.coverage.end())},
                        {"coverage_growth", growth},
                        {"never_reached", never_reached(result.coverage)},
                        {"runs", runs},
                        {"provenance", head.provenance}};
  if (!head.defects.empty()) out["defects"] = head.defects;
  if (result.first_failure > 0) {
    const ExploreRun& run = result.runs[static_cast<std::size_t>(result.first_failure) - 1];
    out["first_failure"] = {{"run", run.index},
                            {"signature", run.signature},
                            {"first", run.first},
                            {"scenario_file", failure_file},
                            {"repro", "sluice run " + failure_file + " --seed " + std::to_string(run.candidate.seed)}};
  }
  return out;
}

std::string write_failure_scenario(const std::filesystem::path& dir, const nlohmann::json& document,
                                   const std::string& name, const ExploreRun& run) {
  nlohmann::json scenario = candidate_scenario_json(document, run.candidate);
  scenario["name"] = name + "-explore-run" + std::to_string(run.index);
  const std::string path = (dir / (name + "-run" + std::to_string(run.index) + ".json")).string();
  write_file_atomically(path, scenario_file_text(scenario));
  return path;
}

}  // namespace sluice
