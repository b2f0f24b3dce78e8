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

TEST(CliStrategy, PctRunIsDeterministicAndRecordedInTheSummary) {
  const std::string file = scenario("scenarios/broker/topic_basic.json");
  std::vector<std::string> hashes;
  for (int i = 0; i < 2; ++i) {
    fs::path out = fresh_dir("strategy-test", "pct" + std::to_string(i));
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

  fs::path fifo = fresh_dir("strategy-test", "fifo");
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
  fs::path dir = fresh_dir("strategy-test", "shrink-pct");
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

TEST(CliStrategy, ASweepRunsEverySeedUnderTheStrategyAndItsReprosCarryIt) {
  const std::string file = scenario("scenarios/tour/swarm_expects_no_loss.json");
  fs::path fifo = fresh_dir("strategy-test", "sweep-fifo"), random = fresh_dir("strategy-test", "sweep-random");
  std::string output;
  sluice("sweep " + file + " --seeds 1..6 --jobs 2 --out " + fifo.string(), &output);
  sluice("sweep " + file + " --seeds 1..6 --jobs 2 --strategy random --out " + random.string(), &output);
  const nlohmann::json a = read_json(fifo / "sweep.json"), b = read_json(random / "sweep.json");
  EXPECT_TRUE(a["strategy"].is_null());
  EXPECT_EQ(b["strategy"], "random");
  bool some_run_differs = false;
  for (std::size_t i = 0; i < 6; ++i) {
    some_run_differs |= a["seeds"][i]["trace_hash"] != b["seeds"][i]["trace_hash"];
    const std::string repro = b["seeds"][i]["repro"];
    EXPECT_NE(repro.find(" --strategy random --seed "), std::string::npos) << repro;
    // The repro line reproduces the seed's run.
    fs::path again = fresh_dir("strategy-test", "sweep-repro");
    sluice(repro.substr(std::string("sluice ").size()) + " --out " + again.string(), &output);
    EXPECT_EQ(read_json(again / "summary.json")["trace_hash"], b["seeds"][i]["trace_hash"]) << repro;
    fs::remove_all(again);
  }
  EXPECT_TRUE(some_run_differs) << "the strategy changed no seed's schedule";
  ASSERT_FALSE(b["groups"].empty()) << "the tour's scenario fails some of seeds 1..6";
  EXPECT_NE(b["groups"][0]["repro"].get<std::string>().find("--strategy random"), std::string::npos);
  fs::remove_all(fifo);
  fs::remove_all(random);
}

TEST(CliStrategy, ShardsSweptUnderDifferentStrategiesDoNotMerge) {
  const std::string file = scenario("scenarios/basics/mm1.json");
  fs::path zero = fresh_dir("strategy-test", "shard0"), one = fresh_dir("strategy-test", "shard1"), merged = fresh_dir("strategy-test", "merged");
  std::string output;
  ASSERT_EQ(sluice("sweep " + file + " --seeds 1..4 --shard 0/2 --strategy random --out " + zero.string(), &output), 0)
      << output;
  ASSERT_EQ(sluice("sweep " + file + " --seeds 1..4 --shard 1/2 --out " + one.string(), &output), 0) << output;
  EXPECT_EQ(sluice("sweep --merge " + (zero / "sweep.json").string() + " " + (one / "sweep.json").string() +
                       " --out " + merged.string(),
                   &output),
            2);
  EXPECT_NE(output.find("--strategy random"), std::string::npos) << output;
  EXPECT_NE(output.find("shards of different sweeps"), std::string::npos) << output;
  EXPECT_EQ(sluice("sweep " + file + " --seeds 1..4 --strategy pct:0", &output), 2) << output;
  fs::remove_all(zero);
  fs::remove_all(one);
  fs::remove_all(merged);
}

}  // namespace
}  // namespace sluice
