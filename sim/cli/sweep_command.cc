// sluice sweep SCENARIO.json --seeds A..B [options], sluice sweep --merge SWEEP.json...:
// see `sluice sweep --help` (sim/cli/help.cc).
#include <unistd.h>

#include <atomic>
#include <chrono>  // determinism-ok: progress display only
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>  // determinism-ok: hardware_concurrency for the default --jobs

#include "sim/cli/args.h"
#include "sim/cli/budget_args.h"
#include "sim/cli/commands.h"
#include "sim/cli/help.h"
#include "sim/cli/explore_command.h"
#include "sim/cli/sweep_outputs.h"
#include "sim/scenario/defect_injection.h"
#include "sim/output/output_dir.h"
#include "sim/output/provenance.h"
#include "sim/run/failure.h"
#include "sim/run/sweep.h"
#include "sim/run/sweep_merge.h"
#include "sim/runtime/pick_strategy.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/scenario_error.h"

namespace sluice {
namespace {

// Set by SIGINT or SIGTERM; the sweep reads it between slices of its runs.
std::atomic<bool> g_stop{false};
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_stop_signal(int signo) {
  g_signal = signo;
  g_stop.store(true);
}

// Installs the handlers for the sweep's lifetime. SA_RESETHAND: a second
// Ctrl-C kills at once, for a user who does not want to wait for the files.
class StopSignals {
 public:
  StopSignals() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

SeedRange parse_seeds(const std::string& text) {
  std::size_t dots = text.find("..");
  if (dots == std::string::npos) throw UsageError("--seeds takes A..B, e.g. 1..1000");
  SeedRange range{parse_unsigned(text.substr(0, dots), "--seeds"), parse_unsigned(text.substr(dots + 2), "--seeds")};
  if (range.last < range.first) throw UsageError("--seeds " + text + " is empty");
  return range;
}

void parse_shard(const std::string& text, SeedRange& range) {
  std::size_t slash = text.find('/');
  if (slash == std::string::npos) throw UsageError("--shard takes I/N, e.g. 0/4");
  range.shard = parse_unsigned(text.substr(0, slash), "--shard");
  range.shards = parse_unsigned(text.substr(slash + 1), "--shard");
  if (range.shards == 0 || range.shard >= range.shards) throw UsageError("--shard " + text + ": need 0 <= I < N");
  if (range.size() == 0) throw UsageError("--shard " + text + " has no seeds in the range");
}

// "\r 412/1000 seeds  3 failing  57.2 seeds/s  ~10s left" on a terminal only.
class Progress {
 public:
  explicit Progress(std::uint64_t total) : total_(total), tty_(::isatty(STDERR_FILENO) == 1) {}
  void update(std::uint64_t done, std::uint64_t failures) {
    if (!tty_) return;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();  // determinism-ok
    double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    double left = rate > 0 ? static_cast<double>(total_ - done) / rate : 0;
    std::fprintf(stderr, "\r%6llu/%llu seeds  %llu failing  %.1f seeds/s  ~%.0fs left   ",
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
                 static_cast<unsigned long long>(failures), rate, left);
    if (done == total_) std::fputc('\n', stderr);
  }
  void interrupted() {
    if (tty_) std::fputc('\n', stderr);
  }

 private:
  std::uint64_t total_;
  bool tty_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();  // determinism-ok
};

void print_groups(const nlohmann::json& sweep) {
  std::printf("%s: %llu seeds, %llu failing%s\n", sweep["scenario"].get<std::string>().c_str(),
              sweep["seeds_run"].get<unsigned long long>(), sweep["failures"].get<unsigned long long>(),
              sweep["interrupted"].get<bool>() ? " (interrupted)" : "");
  for (const nlohmann::json& group : sweep["groups"]) {
    std::printf("\n  %llu seed(s): %s\n    e.g. %s\n    %s\n", group["count"].get<unsigned long long>(),
                group["signature"].get<std::string>().c_str(), group["example"].get<std::string>().c_str(),
                group["repro"].get<std::string>().c_str());
  }
}

int report(const nlohmann::json& summary, const std::filesystem::path& out) {
  print_groups(summary);
  std::printf("\nresults: %s\n", (out / "sweep.json").string().c_str());
  return summary["ok"].get<bool>() ? 0 : 1;
}

// `strategy`: the command line's --strategy, or "" (each seed runs the scenario's own);
// `perturb`: whether --perturb turned every perturbation site on.
nlohmann::json head_json(const std::string& scenario, const std::string& file, const std::string& strategy,
                         bool perturb, const SeedRange& range, const nlohmann::json& provenance) {
  return {{"scenario", scenario},
          {"file", file},
          {"strategy", strategy.empty() ? nlohmann::json() : nlohmann::json(strategy)},
          {"perturb", perturb},
          {"invariants", invariant_names()},  // every invariant a seed is judged on, so JUnit lists passes too
          {"range", {{"first", range.first}, {"last", range.last}}},
          {"shard", {{"index", range.shard}, {"count", range.shards}}},
          {"provenance", provenance}};
}

// The shards' common --strategy ("" for none); shards run under different ones do not merge.
std::string merged_strategy(const std::vector<ShardFile>& shards) {
  auto strategy_of = [](const ShardFile& shard) {
    const nlohmann::json& s = shard.sweep.value("strategy", nlohmann::json());
    return s.is_string() ? s.get<std::string>() : std::string();
  };
  const std::string first = strategy_of(shards.front());
  for (const ShardFile& shard : shards) {
    if (strategy_of(shard) != first) {
      auto name = [](const std::string& s) { return s.empty() ? std::string("the scenario's strategy") : "--strategy " + s; };
      throw MergeError(shard.path + " ran under " + name(strategy_of(shard)) + ", " + shards.front().path + " under " +
                       name(first) + ": shards of different sweeps");
    }
  }
  return first;
}

// The shards' common --perturb; shards run with and without it do not merge.
bool merged_perturb(const std::vector<ShardFile>& shards) {
  const bool first = shards.front().sweep.value("perturb", false);
  for (const ShardFile& shard : shards) {
    if (shard.sweep.value("perturb", false) != first) {
      throw MergeError(shard.path + " and " + shards.front().path + " differ in --perturb: shards of different sweeps");
    }
  }
  return first;
}

int merge(Args& args, const std::optional<std::string>& out, const std::optional<std::string>& junit) {
  std::vector<ShardFile> shards;
  for (const std::string& file : args.positionals()) shards.push_back(read_sweep_file(file));
  check_shard_coverage(shards);
  const nlohmann::json& first = shards.front().sweep;
  for (const ShardFile& shard : shards) {
    if (shard.sweep.value("provenance", nlohmann::json()) != first.value("provenance", nlohmann::json())) {
      std::fprintf(stderr, "sluice sweep: warning: %s and %s were written by different binaries or scenario files\n",
                   shards.front().path.c_str(), shard.path.c_str());
    }
  }
  SeedRange whole{first["range"]["first"].get<std::uint64_t>(), first["range"]["last"].get<std::uint64_t>()};
  std::filesystem::path dir = out.value_or("runs/" + first["scenario"].get<std::string>() + "-sweep");
  prepare_output_dir(dir.string());
  SweepOutputs outputs(dir, junit,
                       head_json(first["scenario"], first["file"], merged_strategy(shards), merged_perturb(shards), whole,
                                 first.value("provenance", nlohmann::json())));
  // Shard I holds seeds first+I, first+I+N, ...: walk the range, taking each seed from its shard.
  std::uint64_t count = first["shard"]["count"];
  std::vector<const nlohmann::json*> by_index(count);
  for (const ShardFile& shard : shards) by_index[shard.sweep["shard"]["index"].get<std::uint64_t>()] = &shard.sweep;
  for (std::uint64_t i = 0; i < whole.size(); ++i) {
    const nlohmann::json& seeds = (*by_index[i % count])["seeds"];
    outputs.add(seed_from_json(seeds[i / count]));
  }
  return report(outputs.finish(false), dir);
}

int sweep(Args& args, const std::optional<std::string>& out, const std::optional<std::string>& junit) {
  std::optional<std::string> seeds_text = args.option("--seeds");
  if (!seeds_text) throw UsageError("--seeds A..B is required");
  SeedRange range = parse_seeds(*seeds_text);
  parse_shard(args.option("--shard").value_or("0/1"), range);
  unsigned jobs = static_cast<unsigned>(
      args.unsigned_option("--jobs").value_or(std::max(1u, std::thread::hardware_concurrency())));  // determinism-ok
  if (jobs == 0) throw UsageError("--jobs must be at least 1");
  RunOptions run;
  take_budget_options(args, run);
  std::string strategy;
  if (auto text = args.option("--strategy")) {
    StrategySpec spec;
    std::string why;
    if (!parse_strategy(*text, &spec, &why)) throw UsageError("--strategy: " + why);
    run.strategy = spec;
    strategy = strategy_text(spec);
  }
  const bool perturb = args.flag("--perturb");
  if (perturb) run.perturb = PerturbSpec::all();
  const std::vector<std::string> defects = take_defect_option(args);
  std::vector<std::string> files = args.positionals();
  if (files.size() != 1) throw UsageError("sweep takes exactly one scenario file");
  Scenario scenario = load_scenario_file(files[0]);
  inject_defects(scenario, defects);

  std::string suffix =
      range.shards > 1 ? "-shard" + std::to_string(range.shard) + "of" + std::to_string(range.shards) : "";
  std::filesystem::path dir = out.value_or("runs/" + scenario.name + "-sweep" + suffix);
  prepare_output_dir(dir.string());
  nlohmann::json head = head_json(scenario.name, scenario.file, strategy, perturb, range, provenance_json(files[0]));
  if (!defects.empty()) head["defects"] = defects;
  SweepOutputs outputs(dir, junit, std::move(head));

  Progress progress(range.size());
  std::uint64_t done = 0, failures = 0;
  StreamOptions options;
  options.jobs = jobs;
  options.run = run;
  options.stop = &g_stop;
  options.on_result = [&](const SeedResult& result) {
    outputs.add(result);
    failures += result.ok ? 0 : 1;
    progress.update(++done, failures);
  };
  StopSignals signals;
  bool complete = stream_sweep(scenario, range.size(), [&](std::uint64_t i) { return range.at(i); }, options);
  nlohmann::json summary = outputs.finish(!complete);
  if (complete) return report(summary, dir);
  progress.interrupted();
  int signo = g_signal;
  report(summary, dir);
  std::fprintf(stderr, "sluice sweep: interrupted by %s after %llu of %llu seeds; %s holds the finished ones\n",
               signo == SIGTERM ? "SIGTERM" : "SIGINT", static_cast<unsigned long long>(done),
               static_cast<unsigned long long>(range.size()), (dir / "sweep.json").string().c_str());
  return 128 + (signo == 0 ? SIGINT : signo);
}

}  // namespace

int sweep_command(int argc, char** argv) {
  const std::string usage = render_usage(*find_command_help("sweep"));
  try {
    Args args(argc, argv, "sweep");
    std::optional<std::string> out = args.option("--out");
    std::optional<std::string> junit = args.option("--junit");
    if (args.flag("--merge")) return merge(args, out, junit);
    if (std::optional<std::string> mode = args.option("--explore")) {
      StopSignals signals;
      return explore_sweep(args, *mode, out, &g_stop);
    }
    return sweep(args, out, junit);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "sluice sweep: %s\n%s", e.what(), usage.c_str());
    return 2;
  } catch (const MergeError& e) {
    std::fprintf(stderr, "sluice sweep --merge: %s\n", e.what());
    return 2;
  } catch (const ScenarioError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}

}  // namespace sluice
