// sluice sweep SCENARIO.json --seeds A..B [--jobs J] [--shard I/N] [--out DIR] [--junit FILE]
// sluice sweep --merge SWEEP.json... [--out DIR] [--junit FILE]
#include <unistd.h>

#include <chrono>  // determinism-ok: progress display only
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>  // determinism-ok: hardware_concurrency for the default --jobs

#include "reports/html_report.h"
#include "reports/junit.h"
#include "sim/cli/args.h"
#include "sim/cli/budget_args.h"
#include "sim/cli/commands.h"
#include "sim/output/atomic_file.h"
#include "sim/run/sweep.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/scenario_error.h"

namespace sluice {
namespace {

constexpr const char* kUsage =
    "usage: sluice sweep SCENARIO.json --seeds A..B [--jobs J] [--shard I/N] [--out DIR] [--junit FILE]\n"
    "                    [--max-virtual-time DURATION] [--max-events N] [--max-wall-ms N] [--strict]\n"
    "       sluice sweep --merge SWEEP.json... [--out DIR] [--junit FILE]\n";

struct SeedRange {
  std::uint64_t first, last;
};

SeedRange parse_seeds(const std::string& text) {
  std::size_t dots = text.find("..");
  if (dots == std::string::npos) throw UsageError("--seeds takes A..B, e.g. 1..1000");
  SeedRange range{parse_unsigned(text.substr(0, dots), "--seeds"), parse_unsigned(text.substr(dots + 2), "--seeds")};
  if (range.last < range.first) throw UsageError("--seeds " + text + " is empty");
  return range;
}

std::pair<std::uint64_t, std::uint64_t> parse_shard(const std::string& text) {
  std::size_t slash = text.find('/');
  if (slash == std::string::npos) throw UsageError("--shard takes I/N, e.g. 0/4");
  std::uint64_t index = parse_unsigned(text.substr(0, slash), "--shard");
  std::uint64_t count = parse_unsigned(text.substr(slash + 1), "--shard");
  if (count == 0 || index >= count) throw UsageError("--shard " + text + ": need 0 <= I < N");
  return {index, count};
}

// "\r 412/1000 seeds  3 failing  57.2 seeds/s  ~10s left" on a terminal only.
class Progress {
 public:
  Progress(std::size_t total) : total_(total), tty_(::isatty(STDERR_FILENO) == 1) {}
  void update(std::size_t done, std::size_t failures) {
    if (!tty_) return;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();  // determinism-ok
    double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    double left = rate > 0 ? static_cast<double>(total_ - done) / rate : 0;
    std::fprintf(stderr, "\r%6zu/%zu seeds  %zu failing  %.1f seeds/s  ~%.0fs left   ", done, total_, failures, rate,
                 left);
    if (done == total_) std::fputc('\n', stderr);
  }

 private:
  std::size_t total_;
  bool tty_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();  // determinism-ok
};

void print_groups(const nlohmann::json& sweep) {
  std::printf("%s: %llu seeds, %llu failing\n", sweep["scenario"].get<std::string>().c_str(),
              sweep["seeds_run"].get<unsigned long long>(), sweep["failures"].get<unsigned long long>());
  for (const nlohmann::json& group : sweep["groups"]) {
    std::printf("\n  %llu seed(s): %s\n    e.g. %s\n    %s\n", group["count"].get<unsigned long long>(),
                group["signature"].get<std::string>().c_str(), group["example"].get<std::string>().c_str(),
                group["repro"].get<std::string>().c_str());
  }
}

int write_outputs(const nlohmann::json& sweep, const std::filesystem::path& out, const std::optional<std::string>& junit) {
  std::filesystem::create_directories(out);
  write_file_atomically((out / "sweep.json").string(), sweep.dump(2) + "\n");
  write_file_atomically((out / "sweep.html").string(), render_sweep_report(sweep));
  if (junit) write_file_atomically(*junit, render_sweep_junit(sweep));
  print_groups(sweep);
  std::printf("\nresults: %s\n", (out / "sweep.json").string().c_str());
  return sweep["ok"].get<bool>() ? 0 : 1;
}

int merge(Args& args, const std::optional<std::string>& out, const std::optional<std::string>& junit) {
  std::vector<nlohmann::json> shards;
  for (const std::string& file : args.positionals()) {
    std::ifstream in(file);
    if (!in) throw UsageError("cannot read " + file);
    try {
      shards.push_back(nlohmann::json::parse(in));
    } catch (const nlohmann::json::exception& e) {
      throw UsageError(file + " is not a sweep.json: " + e.what());
    }
  }
  if (shards.empty()) throw UsageError("--merge needs the shards' sweep.json files");
  nlohmann::json merged = merge_sweeps(shards);
  return write_outputs(merged, out.value_or("runs/" + merged["scenario"].get<std::string>() + "-sweep"), junit);
}

int sweep(Args& args, const std::optional<std::string>& out, const std::optional<std::string>& junit) {
  std::optional<std::string> seeds_text = args.option("--seeds");
  if (!seeds_text) throw UsageError("--seeds A..B is required");
  SeedRange range = parse_seeds(*seeds_text);
  auto [shard, shards] = parse_shard(args.option("--shard").value_or("0/1"));
  unsigned jobs = static_cast<unsigned>(
      args.unsigned_option("--jobs").value_or(std::max(1u, std::thread::hardware_concurrency())));  // determinism-ok
  if (jobs == 0) throw UsageError("--jobs must be at least 1");
  RunOptions run;
  take_budget_options(args, run);
  std::vector<std::string> files = args.positionals();
  if (files.size() != 1) throw UsageError("sweep takes exactly one scenario file");
  Scenario scenario = load_scenario_file(files[0]);

  SweepOptions options;
  options.seeds = shard_seeds(range.first, range.last, shard, shards);
  options.jobs = jobs;
  options.run = run;
  Progress progress(options.seeds.size());
  options.on_progress = [&](std::size_t done, std::size_t failures) { progress.update(done, failures); };
  std::vector<SeedResult> results = run_sweep(scenario, options);
  nlohmann::json result = sweep_json(scenario, results, group_failures(results));
  if (shards > 1) result["shard"] = {{"index", shard}, {"count", shards}, {"seeds", *seeds_text}};
  std::string suffix = shards > 1 ? "-shard" + std::to_string(shard) + "of" + std::to_string(shards) : "";
  return write_outputs(result, out.value_or("runs/" + scenario.name + "-sweep" + suffix), junit);
}

}  // namespace

int sweep_command(int argc, char** argv) {
  try {
    Args args(argc, argv, 2);
    std::optional<std::string> out = args.option("--out");
    std::optional<std::string> junit = args.option("--junit");
    if (args.flag("--merge")) return merge(args, out, junit);
    return sweep(args, out, junit);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "sluice sweep: %s\n%s", e.what(), kUsage);
    return 2;
  } catch (const ScenarioError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}

}  // namespace sluice
