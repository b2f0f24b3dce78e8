// sluice shrink SCENARIO.json --seed N [--strategy S] [--perturb] [--out FILE] [--max-runs N] [--max-time DURATION]
#include <unistd.h>

#include <algorithm>
#include <chrono>  // determinism-ok: the wall-time budget and progress display, outside any simulation
#include <cstdio>
#include <filesystem>
#include <string>

#include "sim/cli/args.h"
#include "sim/cli/budget_args.h"
#include "sim/cli/commands.h"
#include "sim/cli/subcommand.h"
#include "sim/cli/human_summary.h"
#include "sim/output/atomic_file.h"
#include "sim/run/shrink.h"
#include "sim/runtime/pick_strategy.h"
#include "sim/scenario/perturb_reader.h"
#include "sim/scenario/json_reader.h"
#include "sim/scenario/scenario_error.h"
#include "sim/scenario/units.h"

namespace sluice {
namespace {

constexpr const char* kUsage =
    "usage: sluice shrink SCENARIO.json --seed N [--strategy S] [--perturb] [--defect NAME[,NAME]] [--out FILE] [--max-runs N] [--max-time DURATION]\n"
    "  minimises a scenario that fails at seed N while it still fails the same way;\n"
    "  --strategy runs it (and writes the shrunk scenario) with that scheduling strategy;\n"
    "  --perturb runs it with every perturbation site on, and the shrunk scenario keeps them;\n"
    "  --defect injects defects (by name), and the shrunk scenario lists them;\n"
    "  writes runs/<name>-seed<N>-shrunk.json unless --out says otherwise\n";

using Clock = std::chrono::steady_clock;  // determinism-ok: see the include

struct ShrinkCommandOptions {
  std::string scenario_path;
  std::uint64_t seed = 0;
  std::optional<std::string> out;
  std::optional<std::string> strategy;  // strategy_text of --strategy
  bool perturb = false;                 // --perturb: every perturbation site on
  std::vector<std::string> defects;     // --defect: added to the scenario's "defects"
  std::size_t max_runs = 500;
  Nanos max_time = 10 * 60 * kNanosPerSecond;
};

ShrinkCommandOptions parse(int argc, char** argv) {
  Args args(argc, argv, "shrink");
  ShrinkCommandOptions options;
  std::optional<std::uint64_t> seed = args.unsigned_option("--seed");
  if (!seed) throw UsageError("--seed N is required: the seed that fails");
  options.seed = *seed;
  options.out = args.option("--out");
  if (std::optional<std::string> text = args.option("--strategy")) {
    StrategySpec spec;
    std::string why;
    if (!parse_strategy(*text, &spec, &why)) throw UsageError("--strategy: " + why);
    options.strategy = strategy_text(spec);
  }
  options.perturb = args.flag("--perturb");
  options.defects = take_defect_option(args);
  options.max_runs = args.unsigned_option("--max-runs").value_or(options.max_runs);
  if (options.max_runs == 0) throw UsageError("--max-runs must be at least 1");
  if (std::optional<std::string> text = args.option("--max-time")) {
    std::string why;
    std::optional<Nanos> limit = parse_duration(*text, &why);
    if (!limit || *limit == 0) throw UsageError("--max-time takes a duration such as 90s or 5m, not '" + *text + "'");
    options.max_time = *limit;
  }
  std::vector<std::string> files = args.positionals();
  if (files.size() != 1) throw UsageError("shrink takes exactly one scenario file");
  options.scenario_path = files[0];
  return options;
}

// "\r  run 41/500  events 6000 -> 1500  faults 11 -> 2  /sources/0/count" on a terminal only.
void show_progress(const ShrinkProgress& p) {
  std::fprintf(stderr, "\r  run %zu/%zu  events %llu -> %llu  faults %zu -> %zu  %-24s", p.runs, p.max_runs,
               static_cast<unsigned long long>(p.before.source_events),
               static_cast<unsigned long long>(p.current.source_events), p.before.faults, p.current.faults,
               p.step.c_str());
}

void print_figures(const ShrinkResult& r) {
  auto row = [](const char* what, const std::string& before, const std::string& after) {
    std::printf("  %-18s %14s %14s\n", what, before.c_str(), after.c_str());
  };
  row("", "before", "after");
  row("events (sources)", std::to_string(r.before.source_events), std::to_string(r.after.source_events));
  row("faults", std::to_string(r.before.faults), std::to_string(r.after.faults));
  row("virtual time", format_nanos(static_cast<double>(r.before.virtual_time)),
      format_nanos(static_cast<double>(r.after.virtual_time)));
  row("scheduler events", std::to_string(r.before.scheduler_events), std::to_string(r.after.scheduler_events));
}

void print_result(const ShrinkResult& r, const std::string& out) {
  std::printf("fails with %s\n", r.failure.signature.c_str());
  std::printf("  %s\n", r.failure.first.c_str());
  for (const std::string& step : r.steps) std::printf("  kept: %s\n", step.c_str());
  print_figures(r);
  std::printf("  %zu runs (%zu candidates refused by the loader)%s\n", r.runs, r.rejected,
              r.budget_exhausted ? "; the budget ran out, so it may shrink further" : "");
  std::printf("wrote %s\nrepro: sluice run %s --seed %llu\n", out.c_str(), out.c_str(),
              static_cast<unsigned long long>(r.scenario["seed"].get<std::uint64_t>()));
}

int execute(const ShrinkCommandOptions& options) {
  nlohmann::json document = parse_json_file(options.scenario_path);
  // The strategy is part of the failing run: the shrunk scenario keeps it.
  if (options.strategy && document.is_object()) document["strategy"] = *options.strategy;
  // So are the perturbation sites: the shrunk scenario turns them on itself.
  if (options.perturb && document.is_object()) document["perturb"] = perturb_json(PerturbSpec::all());
  // And the injected defects: the shrunk scenario names them itself.
  if (!options.defects.empty() && document.is_object()) {
    nlohmann::json& listed = document["defects"];
    if (!listed.is_array()) listed = nlohmann::json::array();
    for (const std::string& name : options.defects) {
      if (std::find(listed.begin(), listed.end(), name) == listed.end()) listed.push_back(name);
    }
  }
  const Clock::time_point deadline =
      Clock::now() + std::chrono::nanoseconds(options.max_time);  // determinism-ok: wall-time budget
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  ShrinkOptions shrink;
  shrink.max_runs = options.max_runs;
  shrink.out_of_time = [deadline] { return Clock::now() >= deadline; };  // determinism-ok: wall-time budget
  if (tty) shrink.on_progress = show_progress;
  ShrinkResult result = shrink_scenario(document, options.scenario_path, options.seed, shrink);
  if (tty) std::fputc('\n', stderr);
  if (!result.reproduced) {
    std::printf("%s --seed %llu does not fail: every expectation held, so there is nothing to shrink\n",
                options.scenario_path.c_str(), static_cast<unsigned long long>(options.seed));
    return 1;
  }
  std::string name = document.value("name", "scenario");
  std::filesystem::path out =
      options.out.value_or("runs/" + name + "-seed" + std::to_string(options.seed) + "-shrunk.json");
  if (out.has_parent_path()) std::filesystem::create_directories(out.parent_path());
  write_file_atomically(out.string(), scenario_file_text(result.scenario));
  print_result(result, out.string());
  return 0;
}

}  // namespace

int shrink_command(int argc, char** argv) {
  return run_subcommand("shrink", kUsage, &parse, &execute, argc, argv);
}

}  // namespace sluice
