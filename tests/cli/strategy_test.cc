// `--strategy`: pct from the command line is deterministic, recorded in the
// summary with what it did, kept in the repro command and by shrink, and a
// bad strategy text is a usage error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "tests/cli/cli_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

std::string scenario(const std::string& relative) { return std::string(SLUICE_SOURCE_DIR) + "/" + relative; }

fs::path fresh_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("sluice-strategy-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

TEST(CliStrategy, PctRunIsDeterministicAndRecordedInTheSummary) {
  const std::string file = scenario("scenarios/broker/topic_basic.json");
  std::vector<std::string> hashes;
  for (int i = 0; i < 2; ++i) {
    fs::path out = fresh_dir("pct" + std::to_string(i));
    std::string output;
    ASSERT_EQ(sluice("run " + file + " --seed 3 --strategy pct:2 --out " + out.string(), &output), 0) << output;
    nlohmann::json summary = read_json(out / "summary.json");
    hashes.push_back(summary["trace_hash"]);
    const std::string strategy = summary["strategy"];
    EXPECT_EQ(strategy.rfind("pct:2:", 0), 0u) << strategy;  // the calibrated horizon is written out
    EXPECT_GT(summary["strategy_stats"]["decisions"].get<std::uint64_t>(), 0u);
    EXPECT_EQ(summary["strategy_stats"]["change_points"].size(), 1u);
    EXPECT_NE(summary["repro"].get<std::string>().find("--strategy pct:2"), std::string::npos) << summary["repro"];
    fs::remove_all(out);
  }
  EXPECT_EQ(hashes[0], hashes[1]);

  fs::path fifo = fresh_dir("fifo");
  ASSERT_EQ(sluice("run " + file + " --seed 3 --out " + fifo.string()), 0);
  EXPECT_NE(read_json(fifo / "summary.json")["trace_hash"], hashes[0]);
  EXPECT_EQ(read_json(fifo / "summary.json")["repro"].get<std::string>().find("--strategy"), std::string::npos);
  fs::remove_all(fifo);
}

TEST(CliStrategy, ABadStrategyIsAUsageError) {
  std::string output;
  EXPECT_EQ(sluice("run " + scenario("scenarios/basics/mm1.json") + " --strategy pct:0", &output), 2);
  EXPECT_NE(output.find("depth"), std::string::npos) << output;
  EXPECT_EQ(sluice("run " + scenario("scenarios/basics/mm1.json") + " --strategy lifo", &output), 2);
  EXPECT_NE(output.find("fifo, random or pct"), std::string::npos) << output;
}

TEST(CliStrategy, ShrinkKeepsTheStrategyInTheScenarioItWrites) {
  // The swarm scenario claiming no_loss, small: seeds whose swarm crashes a busy node fail.
  fs::path dir = fresh_dir("shrink-pct");
  fs::create_directories(dir);
  nlohmann::json document = read_json(scenario("scenarios/faults/swarm.json"));
  document.erase("$schema");
  document["sources"][0]["count"] = 3000;
  document["expect"]["hold"].push_back("no_loss");
  const fs::path file = dir / "lossy.json";
  std::ofstream(file) << document.dump(2);
  int failing = 0;
  for (int seed = 1; seed <= 40 && failing == 0; ++seed) {
    if (sluice("run " + file.string() + " --strategy pct:2 --seed " + std::to_string(seed) + " --out " +
               (dir / "run").string()) == 1) {
      failing = seed;
    }
  }
  ASSERT_NE(failing, 0) << "no seed of 1..40 lost an event under pct:2";
  std::string output;
  const fs::path out = dir / "shrunk.json";
  ASSERT_EQ(sluice("shrink " + file.string() + " --seed " + std::to_string(failing) +
                       " --strategy pct:2 --max-runs 60 --out " + out.string(),
                   &output),
            0)
      << output;
  EXPECT_EQ(read_json(out)["strategy"], "pct:2") << output;
  // The shrunk scenario fails the same way on its own, strategy included.
  EXPECT_EQ(sluice("run " + out.string() + " --seed " + std::to_string(failing) + " --out " + (dir / "again").string()),
            1);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sluice
