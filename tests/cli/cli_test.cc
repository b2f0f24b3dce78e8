// The sluice command line as a user drives it: exit codes, outputs, errors,
// and determinism across processes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <map>
#include <set>
#include <tuple>
#include <string>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"
#include "tests/cli/cli_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

TEST(Cli, RunWritesSummaryAndSeriesAndExitsZero) {
  fs::path out = fresh_dir("cli-test", "run");
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
    fs::path out = fresh_dir("cli-test", "det" + std::to_string(seed));
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
  fs::path out = fresh_dir("cli-test", "checkdet");
  std::string r_output;
  int r_status = sluice("run " + scenario("scenarios/basics/drop_oldest.json") +
                            " --check-determinism --strategy random --out " + out.string(),
                        &r_output);
  ASSERT_EQ(r_status, 0) << r_output;
  EXPECT_EQ(read_json(out / "summary.json")["determinism_checked"], true);
  fs::remove_all(out);
}

TEST(Cli, TraceIsStreamedAsJsonLines) {
  fs::path out = fresh_dir("cli-test", "trace");
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
// Processes (pid): 1 queue depths, 2 faults per node, 3 checkpoints and
// rebalances per stage, 4 committed offsets, 5 network messages per node,
// 6 duplicate effects per sink, 10+ one per stage with a thread per worker.
TEST(Cli, PerfettoTraceHasCounterTracksSlicesAndFaultInstants) {
  fs::path out = fresh_dir("cli-test", "perfetto");
  std::string r_output;
  int r_status =
      sluice("run " + scenario("scenarios/faults/crash_worker.json") + " --perfetto --out " + out.string(), &r_output);
  ASSERT_EQ(r_status, 0) << r_output;
  nlohmann::json trace = read_json(out / "trace.perfetto.json");
  ASSERT_TRUE(trace["traceEvents"].is_array());
  std::size_t counters = 0, worker_slices = 0, fault_slices = 0, fault_instants = 0, names = 0;
  std::set<std::string> thread_names;
  double last_counter_ts = -1;
  for (const nlohmann::json& e : trace["traceEvents"]) {
    ASSERT_TRUE(e.contains("ph") && e.contains("pid") && e.contains("tid") && e.contains("name")) << e.dump();
    std::string ph = e["ph"];
    const int pid = e["pid"];
    if (ph == "M") {
      ++names;
      if (e["name"] == "thread_name") thread_names.insert(e["args"]["name"].get<std::string>());
      continue;
    }
    ASSERT_TRUE(e["ts"].is_number()) << e.dump();
    if (ph == "C" && pid == 1) {
      ++counters;
      EXPECT_TRUE(e["args"]["depth"].is_number_integer());
      EXPECT_EQ(e["name"], "ingest");
      EXPECT_GE(e["ts"].get<double>(), last_counter_ts);
      last_counter_ts = e["ts"].get<double>();
    } else if (ph == "X") {
      EXPECT_GE(e["dur"].get<double>(), 0.0);
      if (pid >= 10) ++worker_slices;
      if (pid == 2) ++fault_slices;
    } else if (ph == "i") {
      if (pid == 2) ++fault_instants;
    } else if (ph != "s" && ph != "f" && ph != "C") {
      ADD_FAILURE() << "unexpected phase " << ph;
    }
  }
  nlohmann::json summary = read_json(out / "summary.json");
  EXPECT_GT(counters, 1000u);
  // One slice per processed event, one per aborted one; one per healed fault.
  EXPECT_EQ(worker_slices, summary["stages"]["work"]["processed"].get<std::size_t>() + 1);
  EXPECT_EQ(fault_slices, summary["faults"].size());
  EXPECT_EQ(fault_instants, summary["faults"].size());
  EXPECT_GE(names, 4u);
  // Workers are named by their node, and every node has a network track.
  EXPECT_TRUE(thread_names.count("worker-0 on node worker")) << nlohmann::json(thread_names).dump();
  for (const char* node : {"node edge", "node worker", "node db"}) EXPECT_TRUE(thread_names.count(node)) << node;
  fs::remove_all(out);
}

// Flow arrows pair up (each "s" has one "f" with its id), and each end sits on
// a slice of its own track at its time, so the viewer can bind it.
void expect_flows_bind(const nlohmann::json& events, int pid, std::size_t at_least) {
  std::map<std::uint64_t, std::pair<const nlohmann::json*, const nlohmann::json*>> flows;
  std::set<std::tuple<int, int, double>> slices;
  for (const nlohmann::json& e : events) {
    if (e["ph"] == "X") slices.emplace(e["pid"].get<int>(), e["tid"].get<int>(), e["ts"].get<double>());
  }
  for (const nlohmann::json& e : events) {
    if (e["pid"] != pid || (e["ph"] != "s" && e["ph"] != "f")) continue;
    auto& [start, finish] = flows[e["id"].get<std::uint64_t>()];
    (e["ph"] == "s" ? start : finish) = &e;
    EXPECT_TRUE(slices.count({e["pid"].get<int>(), e["tid"].get<int>(), e["ts"].get<double>()})) << e.dump();
  }
  EXPECT_GE(flows.size(), at_least);
  for (const auto& [id, ends] : flows) {
    ASSERT_TRUE(ends.first && ends.second) << "flow " << id << " has one end";
    EXPECT_LE(ends.first->at("ts").get<double>(), ends.second->at("ts").get<double>()) << id;
    EXPECT_EQ(ends.second->at("bp"), "e");
  }
}

// The one-way partition: messages as flows between node tracks (and the lost
// replies as slices), the worker's failed attempts, and the duplicate's two
// effects joined by a flow.
TEST(Cli, PerfettoTraceLinksMessagesRetriesAndDuplicates) {
  fs::path out = fresh_dir("cli-test", "perfetto-dup");
  std::string text;
  // The scenario expects its violation: the run meets its expectation either way.
  sluice("run " + scenario("scenarios/faults/partition_one_way.json") + " --perfetto --out " + out.string(), &text);
  ASSERT_TRUE(fs::exists(out / "trace.perfetto.json")) << text;
  const nlohmann::json events = read_json(out / "trace.perfetto.json")["traceEvents"];
  expect_flows_bind(events, 5, 1000);
  expect_flows_bind(events, 6, 1);
  std::size_t lost = 0, retries = 0, duplicates = 0;
  for (const nlohmann::json& e : events) {
    const std::string name = e.value("name", "");
    if (e["pid"] == 5 && name.starts_with("lost (dropped: the link is cut) to worker")) ++lost;
    if (e["pid"] == 10 && e["ph"] == "i" && name.starts_with("attempt 1 failed: timeout")) ++retries;
    if (e["pid"] == 6 && name.starts_with("duplicate effect 0:")) ++duplicates;
  }
  EXPECT_GT(lost, 0u);
  EXPECT_GT(retries, 0u);
  const nlohmann::json summary = read_json(out / "summary.json");
  EXPECT_EQ(duplicates, summary["invariants"]["no_duplicate_effects"]["violations"].get<std::size_t>());
  fs::remove_all(out);
}

// Checkpoints, rebalances and restores on the stage's marks track; commits as
// a counter per partition.
TEST(Cli, PerfettoTraceHasCheckpointRebalanceAndCommitTracks) {
  fs::path out = fresh_dir("cli-test", "perfetto-marks");
  std::string text;
  sluice("run " + scenario("scenarios/defects/no_fencing.json") + " --perfetto --out " + out.string(), &text);
  ASSERT_TRUE(fs::exists(out / "trace.perfetto.json")) << text;
  const nlohmann::json events = read_json(out / "trace.perfetto.json")["traceEvents"];
  std::size_t checkpoints = 0, rebalances = 0, restores = 0, commits = 0;
  for (const nlohmann::json& e : events) {
    const std::string name = e.value("name", "");
    if (e["pid"] == 3 && e["ph"] == "i") {
      checkpoints += name.find(" completed") != std::string::npos;
      rebalances += name.starts_with("rebalance to generation ");
      restores += name.starts_with("restore orders-topic/");
    }
    if (e["pid"] == 4 && e["ph"] == "C" && name.starts_with("commit orders-topic/")) {
      EXPECT_TRUE(e["args"]["offset"].is_number_integer());
      ++commits;
    }
  }
  const nlohmann::json summary = read_json(out / "summary.json");
  EXPECT_EQ(checkpoints, summary["stages"]["count"]["checkpoints"]["completed"].get<std::size_t>());
  EXPECT_EQ(rebalances, summary["stages"]["count"]["rebalances"].get<std::size_t>());
  EXPECT_GT(restores, 0u);
  EXPECT_GT(commits, 0u);
  fs::remove_all(out);
}

TEST(Cli, AScenarioErrorNamesFileAndPointerExitsTwoAndWritesNothing) {
  fs::path dir = fresh_dir("cli-test", "bad");
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
