// Every command the README shows is run here, so a README that drifts from
// the tool fails the suite instead of misleading its first user.
//
// The README's shell blocks are read line by line; every line that invokes
// the tool (`$B ...`, `build/release/...`, `tools/...`) must appear in
// kCommands below with the exit status it must end with, and every entry of
// kCommands must still be in the README. Commands quoted inline in the prose
// (`sluice run scenarios/...`) are held to the same rule through kInline,
// except templates with placeholders (`sluice run SCENARIO.json`, `...`). Commands run in order (a later one
// may read an earlier one's output) from a scratch directory that links to
// the source tree's scenarios, with $B set to this build's `sluice`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/cli_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

struct Command {
  const char* text;  // as the README shows it, without its trailing comment
  int exit_status;   // what it must end with
  const char* why;   // for a non-zero status: what the command shows
};

// The README's commands, in its order.
const Command kCommands[] = {
    // Quick start: tools/test.sh is what CI runs (.ci/run), so it runs on
    // every submission; tools/demo.sh builds a Release binary and then runs
    // exactly the next command, which this test runs on this build.
    {"tools/demo.sh", -1, "the Release build plus the slow-consumer demo below"},
    {"tools/test.sh", -1, "CI itself (.ci/run)"},
    {"$B run scenarios/basics/slow_consumer.json", 0, ""},
    {"$B run scenarios/faults/crash_worker.json --seed 7 --trace --perfetto --out /tmp/run7", 0, ""},
    {"$B run scenarios/guarantees/exactly_once.json --trace", 0, ""},
    {"$B sweep scenarios/guarantees/sweep_exactly_once.json --seeds 1..1000 --jobs 2", 0, ""},
    {"$B run scenarios/basics/drop_oldest.json --strategy random --check-determinism", 0, ""},
    {"$B run scenarios/faults/partition_one_way.json --explain 3", 0, ""},
    {"$B run scenarios/guarantees/exactly_once.json --strategy pct:3", 0, ""},
    {"$B sweep scenarios/faults/swarm.json --seeds 1..1000 --jobs 2 --junit /tmp/junit.xml", 0, ""},
    {"$B sweep scenarios/tour/swarm_expects_no_loss.json --seeds 1..100 --jobs 2", 1,
     "the tour's scenario expects what its pipeline cannot promise: most seeds fail"},
    {"$B shrink scenarios/tour/swarm_expects_no_loss.json --seed 8", 0, ""},
    {"$B sweep scenarios/guarantees/sweep_at_least_once.json --explore guided --runs 200 --defect commit_before_process --jobs 2",
     1, "guided exploration finds the injected defect and prints the repro line"},
    {"tools/bench_explore.sh --roots 20 --cap 100 --long 100 --jobs 1", -1,
     "the exploration benchmark: minutes of CPU; ctest bench_explore_tiny runs it in miniature"},
    {"tools/bench_explore.sh --pairs tools/bench_explore_hard_pairs.txt --roots 20 --cap 300 --long 300 --jobs 1 --sluice build/release/sim/sluice",
     -1, "the benchmark on the hard pairs: an hour of CPU; ctest bench_explore_tiny runs the script in miniature"},
    {"tools/bench_explore.sh --modes swarm,guided --roots 20 --cap 300 --long 300 --jobs 1 --sluice build/release/sim/sluice",
     -1, "the benchmark on the shallow pairs, two modes: minutes of CPU; ctest bench_explore_tiny runs the script in miniature"},
    {"$B run scenarios/guarantees/exactly_once_chain.json", 0, ""},
    {"$B run scenarios/guarantees/exactly_once_fan_out.json", 0, ""},
    {"$B sweep scenarios/guarantees/sweep_exactly_once_chain.json --seeds 1..200 --jobs 2", 0, ""},
    {"$B sweep scenarios/guarantees/sweep_at_least_once.json --seeds 1..50 --jobs 2 --perturb", 0, ""},
    {"$B validate scenarios/*/*.json", 0, ""},
    {"$B report runs/slow-consumer-1", 0, ""},
    {"build/release/visualizer/sluice-viz scenarios/basics/slow_consumer.json --seed 3", 0, ""},
    {"build/release/visualizer/sluice-viz /tmp/run7", 0, ""},
};

// The concrete commands the README quotes inline (`sluice ...` in its prose),
// run as `$B ...`.
const Command kInline[] = {
    {"sluice run scenarios/bench/tandem.json", 0, ""},
    {"sluice sweep scenarios/bench/sweep.json --seeds 1..1000", -1,
     "the sweep benchmark: a minute of CPU on the Release build; its figures are in the README's performance section"},
    {"sluice sweep scenarios/guarantees/sweep_*.json --seeds 1..300 --jobs 2", -1,
     "six sweeps of 300 seeds; ctest scenario_suite sweeps each shipped sweep scenario"},
};

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

// The tool invocations in the README's fenced blocks, comments stripped.
std::vector<std::string> readme_commands() {
  std::ifstream in(fs::path(SLUICE_SOURCE_DIR) / "README.md");
  std::vector<std::string> out;
  bool fenced = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("```")) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) continue;
    const std::string command = trim(line.substr(0, line.find(" #")));
    if (command.starts_with("$B ") || command.starts_with("build/release/") || command.starts_with("tools/")) {
      out.push_back(command);
    }
  }
  return out;
}

// The concrete `sluice ...` commands quoted inline in the README's prose: a
// code span (it may wrap lines) that starts with "sluice " and names a
// shipped scenario, without a placeholder (an upper-case word, "...", "<",
// "|" or "["). A bare subcommand (`sluice sweep --merge`) names a feature,
// not a command to run.
std::vector<std::string> readme_inline_commands() {
  std::ifstream in(fs::path(SLUICE_SOURCE_DIR) / "README.md");
  std::string prose;
  bool fenced = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("```")) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) prose += line + " ";
  }
  std::vector<std::string> out;
  for (std::size_t open = prose.find('`'); open != std::string::npos;) {
    const std::size_t close = prose.find('`', open + 1);
    if (close == std::string::npos) break;
    std::string span = trim(prose.substr(open + 1, close - open - 1));
    open = prose.find('`', close + 1);
    while (span.find("  ") != std::string::npos) span.replace(span.find("  "), 2, " ");
    if (!span.starts_with("sluice ") || span.find("scenarios/") == std::string::npos) continue;
    bool placeholder = span.find("...") != std::string::npos || span.find_first_of("<|[") != std::string::npos;
    std::istringstream words(span);
    for (std::string word; words >> word;) {
      const bool upper = word.size() > 1 && std::all_of(word.begin(), word.end(), [](char c) {
                           return (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
                         });
      placeholder = placeholder || upper || word == "N" || word.find("SCENARIO") != std::string::npos;
    }
    if (!placeholder) out.push_back(span);
  }
  return out;
}

TEST(Readme, EveryInlineCommandIsListedHereAndEveryListedOneIsShown) {
  const std::vector<std::string> shown = readme_inline_commands();
  std::set<std::string> listed;
  for (const Command& c : kInline) listed.insert(c.text);
  for (const std::string& command : shown) {
    EXPECT_TRUE(listed.count(command)) << "README.md quotes a command no test runs: `" << command << "`";
  }
  const std::set<std::string> in_readme(shown.begin(), shown.end());
  for (const std::string& command : listed) {
    EXPECT_TRUE(in_readme.count(command)) << "listed in kInline but no longer quoted in README.md: " << command;
  }
}

// A scratch directory that links to the source tree's scenarios, so README
// commands run as a user runs them and write their outputs there.
fs::path scratch_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("sluice_readme_" + name + "_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::create_directory_symlink(fs::path(SLUICE_SOURCE_DIR) / "scenarios", dir / "scenarios");
  return dir;
}

// Runs a shell line in `dir`; *output gets the last 2,000 bytes of what it printed.
int run_in(const fs::path& dir, const std::string& line, std::string* output) {
  return sluice_shell("cd '" + dir.string() + "' && " + line + " > output.txt 2>&1; s=$?; tail -c 2000 output.txt; exit $s",
                      output);
}

TEST(Readme, EveryInlineCommandRunsAndEndsAsItSays) {
  const fs::path dir = scratch_dir("inline");
  for (const Command& c : kInline) {
    if (c.exit_status < 0) continue;  // heavy: see kInline
    const std::string args = std::string(c.text).substr(std::string("sluice ").size());
    std::string output;
    EXPECT_EQ(run_in(dir, std::string(SLUICE_BIN) + " " + args, &output), c.exit_status) << c.text << "\n" << output;
  }
  fs::remove_all(dir);
}

TEST(Readme, EveryCommandItShowsIsListedHereAndEveryListedOneIsShown) {
  const std::vector<std::string> shown = readme_commands();
  ASSERT_FALSE(shown.empty()) << "no command found in README.md";
  std::set<std::string> listed;
  for (const Command& c : kCommands) listed.insert(c.text);
  for (const std::string& command : shown) {
    EXPECT_TRUE(listed.count(command)) << "README.md shows a command no test runs: " << command;
  }
  const std::set<std::string> in_readme(shown.begin(), shown.end());
  for (const std::string& command : listed) {
    EXPECT_TRUE(in_readme.count(command)) << "listed here but no longer in README.md: " << command;
  }
}

// The shell line that runs a README command on this build.
std::string runnable(std::string command) {
  const std::string viz = "build/release/visualizer/sluice-viz ";
  if (command.starts_with("$B ")) return std::string(SLUICE_BIN) + command.substr(2);
#ifdef SLUICE_VIZ_BIN
  if (command.starts_with(viz)) {
    // The window is replaced by one rendered frame (xvfb, as the screenshot test does).
    static int shot = 0;
    return "xvfb-run -a -s '-screen 0 1600x1000x24' " + std::string(SLUICE_VIZ_BIN) + " " +
           command.substr(viz.size()) + " --screenshot shot" + std::to_string(++shot) + ".png";
  }
#endif
  return "";
}

TEST(Readme, EveryCommandItShowsRunsAndEndsAsItSays) {
  const fs::path dir = scratch_dir("blocks");
  for (const Command& c : kCommands) {
    if (c.exit_status < 0) continue;  // the quick-start scripts: see kCommands
    const std::string line = runnable(c.text);
    ASSERT_FALSE(line.empty()) << "no way to run: " << c.text;
    std::string output;
    const int status = run_in(dir, line, &output);
    EXPECT_EQ(status, c.exit_status) << c.text << (c.why[0] ? std::string(" (") + c.why + ")" : "") << "\n" << output;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sluice
