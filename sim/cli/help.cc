#include "sim/cli/help.h"

#include "sim/output/provenance.h"

namespace sluice {
namespace {

const char* kExitStatus =
    "exit status: 0 every expectation held, 1 an expectation failed, 2 usage, input or output error,\n"
    "             130 or 143 interrupted by SIGINT or SIGTERM (sweep)\n";

// The budgets and --strict, shared by run and sweep (sim/cli/budget_args.cc).
void add_budget_options(std::vector<OptionHelp>& options) {
  options.push_back({"--max-virtual-time DURATION",
                     "End the run as budget_exhausted (exit 1) past this much virtual time, e.g. 30d (overrides "
                     "run.max_virtual_time; default 365 days)."});
  options.push_back({"--max-events N", "End the run as budget_exhausted past N scheduler events (overrides "
                                       "run.max_events; default 2,000,000,000)."});
  options.push_back({"--max-wall-ms N", "End the run as budget_exhausted past N ms of wall time (overrides "
                                        "run.max_wall_ms; default 600,000). Checked between slices of timers, so "
                                        "it never changes a run that stays within it."});
  options.push_back({"--strict", "An invariant expected to hold that checked nothing (vacuous) fails the run."});
}

std::vector<OptionHelp> run_options() {
  std::vector<OptionHelp> options = {
      {"--seed N", "The master seed (default: the scenario's \"seed\"). Same scenario, seed and binary: same run."},
      {"--out DIR", "Where the outputs go (default runs/NAME-SEED). Trace files an earlier run left in DIR are "
                    "removed, so DIR holds only this run's files."},
      {"--trace", "Also write DIR/trace.jsonl: one JSON line per pipeline event, a header line first (scenario, "
                  "seed, provenance) and a footer line last (trace_hash)."},
      {"--perfetto", "Also write DIR/trace.perfetto.json for ui.perfetto.dev or chrome://tracing."},
      {"--trace-max SIZE", "Stop each trace file at SIZE (default 1GiB; units B, KB, MB, GB, KiB, MiB, GiB) with a "
                           "final record saying so. The run itself goes on."},
      {"--strategy fifo|random|pct[:DEPTH[:HORIZON]]",
       "How the scheduler orders fibers woken at the same virtual instant (default: the scenario's). pct: random "
       "fiber priorities with DEPTH-1 demotions among the first HORIZON decisions (PCT); without a horizon a "
       "calibration run under fifo counts the seed's decisions."},
      {"--check-determinism", "Run twice and compare trace hashes; exit 1 if they differ."},
      {"--perturb", "Turn on every perturbation site (BUGGIFY) with the default probabilities, overriding the "
                    "scenario's \"perturb\": each site is enabled with probability 0.25 per seed and fires with "
                    "probability 0.05 where reached. summary.json \"perturbation\" lists what fired."},
      {"--defect NAME[,NAME]", "Inject these defects (core/model/defects.h names) into the scenario, as if its "
                               "\"defects\" listed them; summary.json \"defects_injected\" and the repro line name them."},
  };
  options.push_back({"--explain N", "Explain the first N violations of each invariant, not only the first "
                                     "(summary.json invariants.NAME.explanations)."});
  add_budget_options(options);
  return options;
}

std::vector<OptionHelp> sweep_options() {
  std::vector<OptionHelp> options = {
      {"--seeds A..B", "The seed range, inclusive (required unless --merge). Memory does not grow with its size."},
      {"--jobs J", "Seeds run in parallel, one simulation per OS thread (default: the number of cores)."},
      {"--strategy fifo|random|pct[:DEPTH[:HORIZON]]",
       "Every seed runs with this scheduling strategy (as `run --strategy`); sweep.json records it, repro lines "
       "carry it, and shards run under different strategies do not merge."},
      {"--perturb", "Every seed runs with every perturbation site on (as `run --perturb`); sweep.json records it "
                    "and repro lines carry it."},
      {"--shard I/N", "Run only every N-th seed of the range, from the I-th (0 <= I < N), to split a sweep across "
                      "machines; merge the shards with --merge."},
      {"--out DIR", "Where sweep.json and sweep.html go (default runs/NAME-sweep, or runs/NAME-sweep-shardIofN)."},
      {"--junit FILE", "Also write a JUnit XML file: one testcase per seed and invariant."},
      {"--defect NAME[,NAME]", "Every seed runs with these defects injected (as `run --defect`); sweep.json records "
                               "them as \"defects\" and repro lines carry them."},
      {"--explore guided", "Coverage-guided exploration instead of a seed range: keep a corpus of runs that reached "
                           "new coverage and derive new runs by mutating their fault schedules, perturbation sites, "
                           "strategy and seed (README \"Guided exploration\"). Stops at the first failure and "
                           "writes a scenario file that reruns it."},
      {"--runs N", "--explore guided: stop after N runs (default 1000)."},
      {"--explore-seed K", "--explore guided: the explorer's own seed (default 1); same seed, same runs, whatever --jobs."},
      {"--keep-going", "--explore guided: go on after a failure until --runs."},
      {"--merge", "Merge the shards' sweep.json files given as arguments instead of running: they must be of one "
                  "scenario and seed range and cover it exactly once."},
  };
  add_budget_options(options);
  return options;
}

std::vector<CommandHelp> make_helps() {
  return {
      {"run",
       {"sluice run SCENARIO.json [options]"},
       "Runs one scenario with one seed in virtual time, judges its invariants and expectations, and writes "
       "summary.json, series.json and report.html to the output directory.",
       run_options(),
       "A run that fails prints the `sluice run ... --seed N` line that reproduces it."},
      {"sweep",
       {"sluice sweep SCENARIO.json --seeds A..B [options]", "sluice sweep SCENARIO.json --explore guided [--runs N] [options]",
        "sluice sweep --merge SWEEP.json... [--out DIR] [--junit FILE]"},
       "Runs a scenario over a range of seeds and groups the failures by signature. Each seed's result is "
       "written to sweep.json (and the JUnit file) as it finishes; on SIGINT or SIGTERM the sweep stops, writes "
       "the finished seeds with \"interrupted\": true, and exits 130 or 143.",
       sweep_options(),
       "sweep.json also records, per seed, the fault kinds a swarm enabled and the faults that began; "
       "sweep.html shows how often each fault kind and fault point was exercised."},
      {"shrink",
       {"sluice shrink SCENARIO.json --seed N [options]"},
       "Minimises a scenario that fails at seed N while it still fails the same way.",
       {{"--seed N", "The failing seed (required)."},
        {"--strategy S", "Run the trials with this scheduling strategy (as `run --strategy`); the shrunk scenario "
                         "keeps it."},
        {"--perturb", "Run the trials with every perturbation site on (as `run --perturb`); the shrunk scenario "
                      "keeps it as its \"perturb\"."},
        {"--defect NAME[,NAME]", "Inject these defects into the trials (as `run --defect`); the shrunk scenario "
                                 "lists them in its \"defects\"."},
        {"--out FILE", "Where the smaller scenario goes (default runs/NAME-seedN-shrunk.json)."},
        {"--max-runs N", "Stop after N trial runs (default 500)."},
        {"--max-time DURATION", "Stop after this much wall time, e.g. 90s or 5m (default 10m)."}},
       ""},
      {"validate",
       {"sluice validate SCENARIO.json..."},
       "Loads and checks each scenario file without running it; a problem names the file, the JSON Pointer and "
       "what is wrong.",
       {},
       ""},
      {"report",
       {"sluice report RUN_DIR [options]"},
       "Renders a run directory's summary.json and series.json as one self-contained HTML page.",
       {{"--html FILE", "Where the page goes (default RUN_DIR/report.html)."},
        {"--junit FILE", "Also write JUnit XML: one testcase per invariant."}},
       ""},
      {"help", {"sluice help [COMMAND]", "sluice COMMAND --help"}, "Shows this help, or one command's.", {}, ""},
      {"version", {"sluice --version"}, "Prints the version, source commit and build type of this binary.", {}, ""},
  };
}

// Wraps `text` at 100 columns; `column` is where it starts, later lines are indented by `indent`.
std::string wrap(const std::string& text, std::size_t indent, std::size_t column) {
  std::string out, word;
  bool line_start = true;
  auto put = [&] {
    if (word.empty()) return;
    if (!line_start && column + 1 + word.size() > 100) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
      line_start = true;
    }
    if (!line_start) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    line_start = false;
    word.clear();
  };
  for (char c : text) {
    if (c == ' ') put();
    else word += c;
  }
  put();
  return out;
}

}  // namespace

const std::vector<CommandHelp>& command_helps() {
  static const std::vector<CommandHelp> helps = make_helps();
  return helps;
}

const CommandHelp* find_command_help(std::string_view name) {
  for (const CommandHelp& help : command_helps()) {
    if (help.name == name) return &help;
  }
  return nullptr;
}

bool describes_option(const CommandHelp& help, std::string_view flag) {
  for (const OptionHelp& option : help.options) {
    std::string_view listed = option.flag;
    listed = listed.substr(0, listed.find(' '));
    if (listed == flag) return true;
  }
  return flag == "--help";
}

std::string render_usage(const CommandHelp& help) {
  std::string out;
  for (std::size_t i = 0; i < help.synopsis.size(); ++i) out += (i == 0 ? "usage: " : "       ") + help.synopsis[i] + "\n";
  return out;
}

std::string render_command_help(const CommandHelp& help) {
  std::string out = render_usage(help) + "\n" + wrap(help.summary, 0, 0) + "\n";
  if (!help.options.empty()) {
    out += "\noptions:\n";
    for (const OptionHelp& option : help.options) {
      out += "  " + option.flag;
      std::size_t column = 2 + option.flag.size();
      if (column >= 26) {
        out += "\n" + std::string(26, ' ');
      } else {
        out += std::string(26 - column, ' ');
      }
      out += wrap(option.text, 26, 26) + "\n";
    }
  }
  if (!help.notes.empty()) out += "\n" + wrap(help.notes, 0, 0) + "\n";
  return out + "\n" + kExitStatus;
}

std::string render_overview() {
  std::string out = version_line() + ": deterministic simulation and fault injection for event pipelines\n\nusage:\n";
  for (const CommandHelp& help : command_helps()) {
    for (const std::string& line : help.synopsis) out += "  " + line + "\n";
  }
  out += "\ncommands:\n";
  for (const CommandHelp& help : command_helps()) {
    std::size_t stop = help.summary.find(". ");
    std::string first_sentence = stop == std::string::npos ? help.summary : help.summary.substr(0, stop + 1);
    out += "  " + help.name + std::string(10 - help.name.size(), ' ') + wrap(first_sentence, 12, 12) + "\n";
  }
  return out + "\n`sluice COMMAND --help` describes every option of a command.\n\n" + kExitStatus;
}

}  // namespace sluice
