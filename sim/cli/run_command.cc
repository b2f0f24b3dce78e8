// sluice run SCENARIO.json [options]: see `sluice run --help` (sim/cli/help.cc).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "sim/cli/args.h"
#include "sim/cli/budget_args.h"
#include "sim/scenario/defect_injection.h"
#include "sim/cli/commands.h"
#include "sim/cli/subcommand.h"
#include "sim/cli/human_summary.h"
#include "sim/cli/help.h"
#include "sim/output/atomic_file.h"
#include "sim/output/output_dir.h"
#include "sim/output/provenance.h"
#include "sim/scenario/units.h"
#include "sim/run/runner.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/scenario_error.h"

namespace sluice {
namespace {

struct RunCommandOptions {
  std::string scenario_path;
  RunOptions run;
  std::optional<std::string> out_dir;
  bool trace = false;
  bool perfetto = false;
  bool check_determinism = false;
  std::vector<std::string> defects;  // --defect
};

RunCommandOptions parse(int argc, char** argv) {
  Args args(argc, argv, "run");
  RunCommandOptions options;
  options.run.seed = args.unsigned_option("--seed");
  options.out_dir = args.option("--out");
  options.trace = args.flag("--trace");
  options.check_determinism = args.flag("--check-determinism");
  if (auto strategy = args.option("--strategy")) {
    StrategySpec spec;
    std::string why;
    if (!parse_strategy(*strategy, &spec, &why)) throw UsageError("--strategy: " + why);
    options.run.strategy = spec;
  }
  options.perfetto = args.flag("--perfetto");
  if (args.flag("--perturb")) options.run.perturb = PerturbSpec::all();
  take_budget_options(args, options.run);
  options.defects = take_defect_option(args);
  if (auto text = args.option("--trace-max")) {
    std::string why;
    std::optional<std::int64_t> bytes = parse_bytes(*text, &why);
    if (!bytes || *bytes <= 0) throw UsageError("--trace-max takes a size such as 64MiB or 1GiB, not '" + *text + "'");
    options.run.trace_max_bytes = static_cast<std::uint64_t>(*bytes);
  }
  if (auto n = args.unsigned_option("--explain")) {
    if (*n == 0) throw UsageError("--explain takes how many violations of each invariant to explain, at least 1");
    options.run.explain = *n;
  }
  std::vector<std::string> files = args.positionals();
  if (files.size() != 1) throw UsageError("run takes exactly one scenario file");
  options.scenario_path = files[0];
  return options;
}

double wall_ms_since(std::chrono::steady_clock::time_point start) {  // determinism-ok: wall_ms is a report, outside the simulation
  auto elapsed = std::chrono::steady_clock::now() - start;  // determinism-ok: see above
  return std::chrono::duration<double, std::milli>(elapsed).count();
}

// Trace files this run does not write are an earlier run's: remove them, so
// DIR never pairs this summary with another run's trace.
void clear_earlier_traces(const std::filesystem::path& out, const RunCommandOptions& options) {
  std::vector<std::string> stale;
  if (!options.trace) stale.push_back("trace.jsonl");
  if (!options.perfetto) stale.push_back("trace.perfetto.json");
  for (const std::string& name : remove_stale_outputs(out.string(), stale)) {
    std::fprintf(stderr, "sluice run: removed %s, left in %s by an earlier run\n", name.c_str(), out.string().c_str());
  }
}

int execute(const RunCommandOptions& options) {
  Scenario scenario = load_scenario_file(options.scenario_path);
  inject_defects(scenario, options.defects);
  std::uint64_t seed = options.run.seed.value_or(scenario.seed);
  std::filesystem::path out = options.out_dir.value_or("runs/" + scenario.name + "-" + std::to_string(seed));
  prepare_output_dir(out.string());
  clear_earlier_traces(out, options);

  RunOptions run_options = options.run;
  run_options.provenance = provenance_json(options.scenario_path);
  if (options.trace) run_options.trace_path = (out / "trace.jsonl").string();
  if (options.perfetto) run_options.perfetto_path = (out / "trace.perfetto.json").string();
  auto started = std::chrono::steady_clock::now();  // determinism-ok: wall_ms only
  RunReport report = run_scenario(scenario, run_options);
  double wall_ms = wall_ms_since(started);

  if (options.check_determinism) {
    RunOptions again = run_options;
    again.trace_path.clear();
    again.perfetto_path.clear();  // no trace the second time: only the hash is compared
    again.budgets.max_wall_ms = INT64_MAX;  // the wall budget must not make the second run differ
    RunReport second = run_scenario(scenario, again);
    if (second.trace_hash != report.trace_hash) {
      std::fprintf(stderr,
                   "sluice run: NOT deterministic: trace_hash %s then %s for %s --seed %llu\n",
                   hex64(report.trace_hash).c_str(), hex64(second.trace_hash).c_str(),
                   options.scenario_path.c_str(), static_cast<unsigned long long>(seed));
      return 1;
    }
    report.summary["determinism_checked"] = true;
  }

  report.summary["wall_ms"] = wall_ms;
  write_file_atomically((out / "summary.json").string(), report.summary.dump(2) + "\n");
  write_file_atomically((out / "series.json").string(), report.series.dump() + "\n");
  write_run_report(out.string(), report.summary, report.series);
  print_human_summary(stdout, report, out.string());
  return report.ok ? 0 : 1;
}

}  // namespace

int run_command(int argc, char** argv) {
  return run_subcommand("run", render_usage(*find_command_help("run")).c_str(), &parse, &execute, argc, argv);
}

}  // namespace sluice
