// sluice run SCENARIO.json [--seed N] [--out DIR] [--trace] [--strategy S] [--check-determinism] [--explain N]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "sim/cli/args.h"
#include "sim/cli/commands.h"
#include "sim/cli/subcommand.h"
#include "sim/cli/human_summary.h"
#include "sim/output/atomic_file.h"
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
};

RunCommandOptions parse(int argc, char** argv) {
  Args args(argc, argv, 2);
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

int execute(const RunCommandOptions& options) {
  Scenario scenario = load_scenario_file(options.scenario_path);
  std::uint64_t seed = options.run.seed.value_or(scenario.seed);
  std::filesystem::path out = options.out_dir.value_or("runs/" + scenario.name + "-" + std::to_string(seed));
  std::filesystem::create_directories(out);

  RunOptions run_options = options.run;
  if (options.trace) run_options.trace_path = (out / "trace.jsonl").string();
  if (options.perfetto) run_options.perfetto_path = (out / "trace.perfetto.json").string();
  auto started = std::chrono::steady_clock::now();  // determinism-ok: wall_ms only
  RunReport report = run_scenario(scenario, run_options);
  double wall_ms = wall_ms_since(started);

  if (options.check_determinism) {
    RunOptions again = options.run;  // no trace the second time: only the hash is compared
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
  return run_subcommand("run",
                        "usage: sluice run SCENARIO.json [--seed N] [--out DIR] [--trace] [--perfetto] "
                        "[--strategy fifo|random|pct[:DEPTH[:HORIZON]]] [--check-determinism] [--explain N]\n",
                        &parse, &execute, argc, argv);
}

}  // namespace sluice
