// The sluice command line as a user drives it: exit codes, outputs, errors,
// and determinism across processes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"
#include "tests/cli/cli_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

std::string scenario(const std::string& relative) { return std::string(SLUICE_SOURCE_DIR) + "/" + relative; }

fs::path fresh_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("sluice-cli-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

TEST(Cli, RunWritesSummaryAndSeriesAndExitsZero) {
  fs::path out = fresh_dir("run");
  std::string r_output;
  int r_status = sluice("run " + scenario("scenarios/basics/slow_consumer.json") + " --out " + out.string(), &r_output);
  ASSERT_EQ(r_status, 0) << r_output;
  EXPECT_NE(r_output.find("trace_hash"), std::string::npos);
  EXPECT_NE(r_output.find("PASS no_loss"), std::string::npos) << r_output;
  nlohmann::json summary = read_json(out / "summary.json");
  for (const char* field : {"scenario", "seed", "trace_hash", "ok", "virtual_time_ns", "events", "wall_ms",
                            "invariants", "counts", "queues", "latency_ns", "stages", "faults"}) {
    EXPECT_TRUE(summary.contains(field)) << field;
  }
  EXPECT_EQ(summary["ok"], true);
  EXPECT_EQ(summary["trace_hash"].get<std::string>().size(), 16u);
  EXPECT_EQ(summary["queues"]["ingest"]["capacity"], 64);
  for (const char* field : {"count", "mean", "p50", "p90", "p99", "max"})
    EXPECT_TRUE(summary["latency_ns"].contains(field));
  nlohmann::json series = read_json(out / "series.json");
  EXPECT_TRUE(series["queues"].contains("ingest"));
  // No temporary files are left behind.
  for (const auto& entry : fs::directory_iterator(out)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
  }
  fs::remove_all(out);
}

TEST(Cli, SameSeedSameHashInASecondProcessAsInProcess) {
  Scenario s = load_scenario_file(scenario("scenarios/basics/slow_consumer.json"));
  for (std::uint64_t seed : {1u, 7u, 42u}) {
    RunOptions options;
    options.seed = seed;
    std::string in_process = hex64(run_scenario(s, options).trace_hash);
    fs::path out = fresh_dir("det" + std::to_string(seed));
    std::string r_output;
    int r_status = sluice("run " + scenario("scenarios/basics/slow_consumer.json") + " --seed " + std::to_string(seed) +
                              " --out " + out.string(),
                          &r_output);
    ASSERT_EQ(r_status, 0) << r_output;
    EXPECT_EQ(read_json(out / "summary.json")["trace_hash"], in_process) << "seed " << seed;
    EXPECT_EQ(read_json(out / "summary.json")["seed"], seed);
    fs::remove_all(out);
  }
}

TEST(Cli, CheckDeterminismRunsTwice) {
  fs::path out = fresh_dir("checkdet");
  std::string r_output;
  int r_status = sluice("run " + scenario("scenarios/basics/drop_oldest.json") +
                            " --check-determinism --strategy random --out " + out.string(),
                        &r_output);
  ASSERT_EQ(r_status, 0) << r_output;
  EXPECT_EQ(read_json(out / "summary.json")["determinism_checked"], true);
  fs::remove_all(out);
}

TEST(Cli, TraceIsStreamedAsJsonLines) {
  fs::path out = fresh_dir("trace");
  std::string r_output;
  int r_status =
      sluice("run " + scenario("scenarios/basics/drop_newest.json") + " --trace --out " + out.string(), &r_output);
  ASSERT_EQ(r_status, 0) << r_output;
  std::ifstream in(out / "trace.jsonl");
  std::string line;
  std::size_t lines = 0, effects = 0;
  long long last_t = -1;
  while (std::getline(in, line)) {
    nlohmann::json record = nlohmann::json::parse(line);
    ASSERT_GE(record["t"].get<long long>(), last_t) << "trace time went backwards at line " << lines;
    last_t = record["t"].get<long long>();
    if (record["kind"] == "effect") ++effects;
    ++lines;
  }
  nlohmann::json summary = read_json(out / "summary.json");
  EXPECT_EQ(effects, summary["counts"]["effects"].get<std::size_t>());
  EXPECT_GT(lines, effects);
  fs::remove_all(out);
}

// The Chrome Trace Event Format as ui.perfetto.dev and Chrome DevTools read it.
TEST(Cli, PerfettoTraceHasCounterTracksSlicesAndFaultInstants) {
  fs::path out = fresh_dir("perfetto");
  std::string r_output;
  int r_status =
      sluice("run " + scenario("scenarios/faults/crash_worker.json") + " --perfetto --out " + out.string(), &r_output);
  ASSERT_EQ(r_status, 0) << r_output;
  nlohmann::json trace = read_json(out / "trace.perfetto.json");
  ASSERT_TRUE(trace["traceEvents"].is_array());
  std::size_t counters = 0, slices = 0, instants = 0, names = 0;
  double last_counter_ts = -1;
  for (const nlohmann::json& e : trace["traceEvents"]) {
    ASSERT_TRUE(e.contains("ph") && e.contains("pid") && e.contains("tid") && e.contains("name")) << e.dump();
    std::string ph = e["ph"];
    if (ph == "M") {
      ++names;
      continue;
    }
    ASSERT_TRUE(e["ts"].is_number()) << e.dump();
    if (ph == "C") {
      ++counters;
      EXPECT_TRUE(e["args"]["depth"].is_number_integer());
      EXPECT_EQ(e["name"], "ingest");
      EXPECT_GE(e["ts"].get<double>(), last_counter_ts);
      last_counter_ts = e["ts"].get<double>();
    } else if (ph == "X") {
      ++slices;
      EXPECT_GE(e["dur"].get<double>(), 0.0);
    } else if (ph == "i") {
      ++instants;
    } else {
      ADD_FAILURE() << "unexpected phase " << ph;
    }
  }
  nlohmann::json summary = read_json(out / "summary.json");
  EXPECT_GT(counters, 1000u);
  // One slice per processed event, one per aborted one, one per healed fault.
  EXPECT_EQ(slices, summary["stages"]["work"]["processed"].get<std::size_t>() + 1 + summary["faults"].size());
  EXPECT_EQ(instants, summary["faults"].size());
  EXPECT_GE(names, 4u);
  fs::remove_all(out);
}

TEST(Cli, AScenarioErrorNamesFileAndPointerExitsTwoAndWritesNothing) {
  fs::path dir = fresh_dir("bad");
  fs::create_directories(dir);
  fs::path bad = dir / "bad.json";
  std::ifstream in(scenario("scenarios/basics/slow_consumer.json"));
  std::stringstream text;
  text << in.rdbuf();
  std::string broken = text.str();
  std::size_t at = broken.find("\"capacity\"");
  ASSERT_NE(at, std::string::npos);
  broken.replace(at, 10, "\"capcity\"");
  write_text(bad, broken);
  fs::path out = dir / "out";
  std::string r_output;
  int r_status = sluice("run " + bad.string() + " --out " + out.string(), &r_output);
  EXPECT_EQ(r_status, 2) << r_output;
  EXPECT_NE(r_output.find(bad.string()), std::string::npos) << r_output;
  EXPECT_NE(r_output.find("/buffers/0/capcity"), std::string::npos) << r_output;
  EXPECT_NE(r_output.find("did you mean 'capacity'"), std::string::npos) << r_output;
  EXPECT_FALSE(fs::exists(out));
  fs::remove_all(dir);
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(sluice(""), 2);
  EXPECT_EQ(sluice("frobnicate"), 2);
  EXPECT_EQ(sluice("run"), 2);
  EXPECT_EQ(sluice("run a.json b.json"), 2);
  EXPECT_EQ(sluice("run " + scenario("scenarios/basics/mm1.json") + " --seed banana"), 2);
  EXPECT_EQ(sluice("run " + scenario("scenarios/basics/mm1.json") + " --bogus"), 2);
  std::string missing_output;
  int missing_status = sluice("run /nonexistent/scenario.json", &missing_output);
  EXPECT_EQ(missing_status, 2);
  EXPECT_NE(missing_output.find("/nonexistent/scenario.json"), std::string::npos) << missing_output;
}

TEST(Cli, ValidateAcceptsEveryShippedScenario) {
  std::string files;
  for (const auto& entry : fs::recursive_directory_iterator(scenario("scenarios"))) {
    if (entry.path().extension() == ".json" && entry.path().filename() != "schema.json") {
      files += " " + entry.path().string();
    }
  }
  std::string r_output;
  int r_status = sluice("validate" + files, &r_output);
  EXPECT_EQ(r_status, 0) << r_output;
}

}  // namespace
}  // namespace sluice
