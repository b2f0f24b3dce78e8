// Every run ends with a verdict, from the command line: budget flags end a
// run with exit 1 and outcome budget_exhausted, --strict fails a vacuous
// invariant, validate warns without failing.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/cli/cli_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

TEST(VerdictCli, MaxEventsEndsTheRunWithBudgetExhausted) {
  fs::path out = fresh_dir("verdict-cli", "events");
  std::string output;
  EXPECT_EQ(sluice("run " + scenario("scenarios/liveness/slowed_forever.json") + " --max-events 100 --out " +
                       out.string(), &output),
            1)
      << output;
  EXPECT_NE(output.find("outcome budget_exhausted"), std::string::npos) << output;
  EXPECT_NE(output.find("run.max_events (100 scheduler events)"), std::string::npos) << output;
  nlohmann::json summary = read_json(out / "summary.json");
  EXPECT_EQ(summary["outcome"], "budget_exhausted");
  EXPECT_EQ(summary["budgets"]["max_events"], 100);
  fs::remove_all(out);
}

TEST(VerdictCli, MaxVirtualTimeTakesADuration) {
  fs::path out = fresh_dir("verdict-cli", "vt");
  std::string output;
  EXPECT_EQ(sluice("run " + scenario("scenarios/basics/slow_consumer.json") + " --max-virtual-time 10s --out " +
                       out.string(), &output),
            1)
      << output;
  EXPECT_NE(output.find("run.max_virtual_time (10000000000ns"), std::string::npos) << output;
  EXPECT_EQ(sluice("run " + scenario("scenarios/basics/slow_consumer.json") + " --max-virtual-time soon", &output), 2);
  EXPECT_NE(output.find("--max-virtual-time takes a positive duration"), std::string::npos) << output;
  fs::remove_all(out);
}

TEST(VerdictCli, StrictFailsAVacuousInvariant) {
  // Every event is lost before an effect: no_duplicate_effects, expected to hold, checks nothing.
  fs::path out = fresh_dir("verdict-cli", "strict");
  const std::string file = scenario("scenarios/liveness/always_fails_no_dlq.json");
  std::string output;
  EXPECT_EQ(sluice("run " + file + " --out " + out.string(), &output), 0) << output;
  EXPECT_NE(output.find("VAC  no_duplicate_effects"), std::string::npos) << output;
  EXPECT_EQ(read_json(out / "summary.json")["invariants"]["no_duplicate_effects"]["vacuous"], true);
  EXPECT_EQ(sluice("run " + file + " --strict --out " + out.string(), &output), 1) << output;
  EXPECT_NE(output.find("checked nothing (vacuous, and --strict is on)"), std::string::npos) << output;
  fs::remove_all(out);
}

TEST(VerdictCli, ValidateWarnsOnStderrAndExitsZero) {
  fs::path dir = fresh_dir("verdict-cli", "warn");
  fs::create_directories(dir);
  nlohmann::json doc = read_json(scenario("scenarios/faults/crash_worker.json"));
  doc.erase("$schema");
  doc["faults"].push_back({{"at", "20m"}, {"kind", "pause"}, {"target", "worker"}, {"duration", "1s"}});
  const fs::path file = dir / "late_fault.json";
  std::ofstream(file) << doc.dump();
  std::string output;
  EXPECT_EQ(sluice("validate " + file.string(), &output), 0) << output;
  EXPECT_NE(output.find("warning: /faults/2/at: the fault begins at 20m, at or after run.until"), std::string::npos)
      << output;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sluice
