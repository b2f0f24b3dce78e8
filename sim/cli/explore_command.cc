#include "sim/cli/explore_command.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <thread>  // determinism-ok: hardware_concurrency for the default --jobs

#include "reports/explore_report.h"
#include "sim/cli/budget_args.h"
#include "sim/cli/explore_outputs.h"
#include "sim/scenario/defect_injection.h"
#include "sim/output/atomic_file.h"
#include "sim/output/output_dir.h"
#include "sim/output/provenance.h"
#include "sim/scenario/json_reader.h"
#include "sim/scenario/loader.h"

namespace sluice {
namespace {

// The scenario document with the --defect names added to its "defects", so
// every candidate file (and a failure's repro file) names them itself.
nlohmann::json with_defects(nlohmann::json document, const std::vector<std::string>& defects) {
  if (defects.empty()) return document;
  nlohmann::json& listed = document["defects"];
  if (!listed.is_array()) listed = nlohmann::json::array();
  for (const std::string& name : defects) {
    if (std::find(listed.begin(), listed.end(), name) == listed.end()) listed.push_back(name);
  }
  return document;
}

// Everything but what needs the scenario (the default strategy and perturbation).
ExploreOptions parse_options(Args& args, std::optional<StrategySpec>& strategy, bool& perturb) {
  ExploreOptions options;
  options.runs = args.unsigned_option("--runs").value_or(1000);
  if (options.runs == 0) throw UsageError("--runs must be at least 1");
  options.explore_seed = args.unsigned_option("--explore-seed").value_or(1);
  options.jobs = static_cast<unsigned>(
      args.unsigned_option("--jobs").value_or(std::max(1u, std::thread::hardware_concurrency())));  // determinism-ok
  if (options.jobs == 0) throw UsageError("--jobs must be at least 1");
  options.keep_going = args.flag("--keep-going");
  if (auto text = args.option("--strategy")) {
    std::string why;
    strategy.emplace();
    if (!parse_strategy(*text, &*strategy, &why)) throw UsageError("--strategy: " + why);
  }
  perturb = args.flag("--perturb");
  take_budget_options(args, options.run);
  return options;
}

}  // namespace

int explore_sweep(Args& args, const std::string& mode, const std::optional<std::string>& out,
                  const std::atomic<bool>* stop) {
  if (mode != "guided") throw UsageError("--explore takes 'guided', not '" + mode + "'");
  if (args.option("--seeds") || args.option("--shard")) {
    throw UsageError("--explore guided chooses its own seeds: drop --seeds and --shard (use --explore-seed)");
  }
  const std::vector<std::string> defects = take_defect_option(args);
  std::optional<StrategySpec> strategy;
  bool perturb = false;
  ExploreOptions options = parse_options(args, strategy, perturb);
  options.stop = stop;
  std::vector<std::string> files = args.positionals();
  if (files.size() != 1) throw UsageError("sweep takes exactly one scenario file");
  const nlohmann::json document = with_defects(parse_json_file(files[0]), defects);
  Scenario scenario = load_scenario_json(document, files[0]);
  options.strategy = strategy.value_or(scenario.strategy);
  options.perturb = perturb ? PerturbSpec::all() : scenario.perturb;
  if (!scenario.swarm) {
    std::fprintf(stderr, "sluice sweep: warning: %s has no swarm; mutants can shift, drop and retarget its faults but add none\n",
                 files[0].c_str());
  }

  std::filesystem::path dir = out.value_or("runs/" + scenario.name + "-explore");
  prepare_output_dir(dir.string());
  ExploreResult result = explore_guided(document, scenario, options);
  std::string failure_file;
  if (result.first_failure > 0) {
    failure_file = write_failure_scenario(dir, document, scenario.name,
                                          result.runs[static_cast<std::size_t>(result.first_failure) - 1]);
  }
  ExploreHead head{scenario.name, files[0], options.explore_seed, options.runs, defects, provenance_json(files[0])};
  nlohmann::json sweep = explore_sweep_json(head, result, failure_file);
  write_file_atomically((dir / "sweep.json").string(), sweep.dump(2) + "\n");
  write_file_atomically((dir / "sweep.html").string(), reports::render_explore_report(sweep));
  std::printf("%s: guided exploration, %zu runs, corpus %zu, %zu situations reached, %zu never reached\n",
              scenario.name.c_str(), result.runs.size(), result.corpus.size(), result.coverage.size(),
              sweep["never_reached"].size());
  if (result.first_failure > 0) {
    std::printf("\n  first failure at run %lld: %s\n    e.g. %s\n    %s\n", static_cast<long long>(result.first_failure),
                sweep["first_failure"]["signature"].get<std::string>().c_str(),
                sweep["first_failure"]["first"].get<std::string>().c_str(),
                sweep["first_failure"]["repro"].get<std::string>().c_str());
  }
  std::printf("\nresults: %s, %s\n", (dir / "sweep.json").string().c_str(), (dir / "sweep.html").string().c_str());
  if (result.interrupted) return 130;
  return result.first_failure > 0 ? 1 : 0;
}

}  // namespace sluice
