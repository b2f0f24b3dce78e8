// sluice sweep: independence from --jobs, failure groups, shards and merging.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/run/sweep.h"
#include "tests/cli/cli_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

// The swarm scenario, but claiming no_loss holds: seeds whose swarm enables
// crashes of a busy node lose volatile events and fail.
fs::path lossy_scenario(const fs::path& dir) {
  std::ifstream in(std::string(SLUICE_SOURCE_DIR) + "/scenarios/faults/swarm.json");
  nlohmann::json scenario = nlohmann::json::parse(in);
  scenario.erase("$schema");
  scenario["expect"]["hold"].push_back("no_loss");
  fs::create_directories(dir);
  fs::path file = dir / "lossy_swarm.json";
  std::ofstream(file) << scenario.dump(2);
  return file;
}

class Sweep : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-sweep-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    scenario_ = lossy_scenario(dir_).string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::string scenario_;
};

TEST_F(Sweep, ResultsDoNotDependOnJobsAndFailuresAreGrouped) {
  std::string output;
  EXPECT_EQ(sluice("sweep " + scenario_ + " --seeds 1..40 --jobs 1 --out " + (dir_ / "j1").string(), &output), 1) << output;
  EXPECT_EQ(sluice("sweep " + scenario_ + " --seeds 1..40 --jobs 3 --out " + (dir_ / "j3").string()), 1);
  nlohmann::json one = read_json(dir_ / "j1" / "sweep.json");
  nlohmann::json three = read_json(dir_ / "j3" / "sweep.json");
  EXPECT_EQ(one, three);
  ASSERT_GT(one["failures"].get<int>(), 0);
  ASSERT_LT(one["failures"].get<int>(), 40);
  // Every no_loss failure has the same shape: one group, with a runnable repro.
  bool found = false;
  for (const auto& group : one["groups"]) {
    if (group["signature"].get<std::string>().rfind("no_loss: event #:# from source 'orders'", 0) == 0) {
      found = true;
      EXPECT_GE(group["count"].get<int>(), 1);
      std::string repro = group["repro"];
      EXPECT_NE(repro.find("--seed " + std::to_string(group["fastest_seed"].get<int>())), std::string::npos);
    }
  }
  EXPECT_TRUE(found) << one["groups"].dump(2);
  EXPECT_NE(output.find("sluice run " + scenario_ + " --seed"), std::string::npos) << output;
  // The group's fastest seed reproduces on its own.
  std::uint64_t seed = one["groups"][0]["fastest_seed"];
  EXPECT_EQ(sluice("run " + scenario_ + " --seed " + std::to_string(seed) + " --out " + (dir_ / "repro").string()), 1);
}

TEST_F(Sweep, ShardsAreDisjointAndMergeIntoTheWholeSweep) {
  ASSERT_NE(sluice("sweep " + scenario_ + " --seeds 1..30 --jobs 2 --out " + (dir_ / "all").string()), 2);
  std::string shard_files;
  for (int i = 0; i < 3; ++i) {
    fs::path out = dir_ / ("shard" + std::to_string(i));
    ASSERT_NE(sluice("sweep " + scenario_ + " --seeds 1..30 --shard " + std::to_string(i) + "/3 --out " + out.string()), 2);
    EXPECT_EQ(read_json(out / "sweep.json")["seeds_run"], 10);
    shard_files += " " + (out / "sweep.json").string();
  }
  ASSERT_NE(sluice("sweep --merge" + shard_files + " --out " + (dir_ / "merged").string() + " --junit " +
                (dir_ / "junit.xml").string()), 2);
  nlohmann::json all = read_json(dir_ / "all" / "sweep.json");
  nlohmann::json merged = read_json(dir_ / "merged" / "sweep.json");
  EXPECT_EQ(merged["seeds"], all["seeds"]);
  EXPECT_EQ(merged["groups"], all["groups"]);
  EXPECT_TRUE(fs::exists(dir_ / "junit.xml"));
  EXPECT_TRUE(fs::exists(dir_ / "merged" / "sweep.html"));
}

TEST(SweepUnits, ShardSeedsPartitionTheRange) {
  std::vector<std::uint64_t> all;
  for (std::uint64_t shard = 0; shard < 4; ++shard) {
    for (std::uint64_t seed : shard_seeds(5, 17, shard, 4)) all.push_back(seed);
  }
  std::sort(all.begin(), all.end());
  std::vector<std::uint64_t> expected;
  for (std::uint64_t s = 5; s <= 17; ++s) expected.push_back(s);
  EXPECT_EQ(all, expected);
}

TEST(SweepUnits, SignaturesIgnoreNumbers) {
  EXPECT_EQ(failure_signature("no_loss", "event 0:17 (key 5) lost at t=100ns"),
            failure_signature("no_loss", "event 0:9921 (key 12) lost at t=99ns"));
  EXPECT_NE(failure_signature("no_loss", "a"), failure_signature("per_key_order", "a"));
}

TEST(SweepUnits, BadArgumentsExitTwo) {
  std::string scenario = std::string(SLUICE_SOURCE_DIR) + "/scenarios/basics/mm1.json";
  EXPECT_EQ(sluice("sweep " + scenario), 2);
  EXPECT_EQ(sluice("sweep " + scenario + " --seeds 5..1"), 2);
  EXPECT_EQ(sluice("sweep " + scenario + " --seeds 1..5 --shard 3/3"), 2);
  EXPECT_EQ(sluice("sweep " + scenario + " --seeds x..y"), 2);
  EXPECT_EQ(sluice("sweep --merge /nonexistent.json"), 2);
}

}  // namespace
}  // namespace sluice
