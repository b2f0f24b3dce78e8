#include "visualizer/run_model.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace sluice::viz {
namespace {

const char* kSummary = R"({
  "scenario": "slow-consumer", "seed": 7, "trace_hash": "9d033bba5c98610b", "ok": false,
  "outcome": "stopped", "virtual_time_ns": 4000, "events": 99,
  "invariants": {
    "no_loss": {"ok": true, "checked": 10, "violations": 0, "first": null},
    "bounded_queues": {"ok": false, "checked": 10, "violations": 2, "first": "ingest held 65 > 64 at t=1500ns"},
    "flow_control": {"ok": true, "checked": 0, "violations": 0, "first": null, "not_applicable": "no credit"}
  },
  "counts": {"produced": 10, "shed": 1},
  "queues": {"ingest": {"capacity": 64, "max_depth": 65, "mean_depth": 30.5}},
  "latency_ns": {"count": 10, "mean": 5.5, "p50": 5, "p90": 9, "p99": 10, "max": 10},
  "faults": [{"at_ns": 1000, "kind": "crash", "target": "worker-1", "end_ns": 2000}],
  "topology": {"nodes": ["edge", "worker-1", "db"],
    "sources": [{"id": "orders", "node": "edge", "to": "ingest"}],
    "buffers": [{"id": "ingest", "node": "edge", "capacity": 64, "policy": "block"}],
    "stages": [{"id": "work", "from": "ingest", "to": "db", "workers": ["worker-1"]}],
    "sinks": [{"id": "db", "node": "db"}]},
  "repro": "sluice run x.json --seed 7"
})";

const char* kSeries = R"({
  "virtual_time_ns": 4000,
  "queues": {"ingest": {"width_ns": 1000, "t": [0, 1000, 2000, 3000], "min": [0, 10, 64, 20],
                         "max": [10, 64, 65, 30], "mean": [5, 40, 64.5, 25], "capacity": 64}},
  "stages": {"work": {"width_ns": 1000, "t": [0, 1000, 2000, 3000], "count": [1, 2, 3, 1]}},
  "effects": {"width_ns": 1000, "t": [0, 1000], "count": [1, 2]},
  "shed": {"width_ns": 1000, "t": [0], "count": [1]},
  "latency_ns": {"width_ns": 2000, "t": [0, 2000], "count": [3, 4], "p50": [1, 2], "p90": [3, 4], "p99": [5, 6],
                 "max": [7, 8]},
  "faults": []
})";

TEST(RunModel, ReadsSummaryAndSeries) {
  const RunModel m = model_from_json(nlohmann::json::parse(kSummary), nlohmann::json::parse(kSeries));
  EXPECT_EQ(m.scenario, "slow-consumer");
  EXPECT_EQ(m.seed, 7u);
  EXPECT_FALSE(m.ok);
  EXPECT_EQ(m.virtual_time, 4000);
  ASSERT_EQ(m.queues.size(), 1u);
  EXPECT_EQ(m.queues[0].capacity, 64u);
  EXPECT_EQ(m.queues[0].max_depth, 65);
  ASSERT_EQ(m.stages.size(), 1u);
  EXPECT_EQ(m.latency.p99.size(), 2u);
  ASSERT_EQ(m.faults.size(), 1u);
  EXPECT_EQ(m.topology.parts.size(), 4u);
  // Report order (DESIGN.md), not alphabetical.
  ASSERT_EQ(m.invariants.size(), 3u);
  EXPECT_EQ(m.invariants[0].name, "no_loss");
  EXPECT_EQ(m.invariants[1].name, "bounded_queues");
  EXPECT_EQ(m.invariants[1].at, 1500);
  EXPECT_FALSE(m.invariants[2].applicable);
}

TEST(RunModel, DepthAndRateAtATime) {
  const RunModel m = model_from_json(nlohmann::json::parse(kSummary), nlohmann::json::parse(kSeries));
  const DepthTrack& q = m.queues[0];
  DepthAt d = depth_at(q, 2500, m.virtual_time);
  ASSERT_TRUE(d.valid);
  EXPECT_EQ(d.mean, 64.5);
  EXPECT_EQ(d.max, 65);
  EXPECT_EQ(depth_at(q, 0, m.virtual_time).mean, 5);
  EXPECT_FALSE(depth_at(q, -1, m.virtual_time).valid);
  EXPECT_DOUBLE_EQ(rate_at(m.stages[0], 1500, m.virtual_time), 2e6);  // 2 events per 1000ns
  EXPECT_DOUBLE_EQ(peak_rate(m.stages[0], m.virtual_time), 3e6);
  EXPECT_EQ(bucket_at({0, 10, 20}, 15), 1u);
  EXPECT_EQ(bucket_at({}, 15), kNoBucket);
}

TEST(RunModel, ArrivalsAreDeparturesPlusGrowth) {
  DepthTrack q;
  q.width = kNanosPerSecond;
  q.t = {0, kNanosPerSecond, 2 * kNanosPerSecond, 3 * kNanosPerSecond};
  q.mean = {0, 100, 200, 200};
  q.min = q.max = q.mean;
  // Around t=1.5s the depth grows by 200 over 2s: 100/s on top of what leaves.
  EXPECT_DOUBLE_EQ(arrival_rate_at(q, 0, 0, kNanosPerSecond + 1), 100);
  EXPECT_DOUBLE_EQ(arrival_rate_at(q, 50, 5, kNanosPerSecond + 1), 155);
  EXPECT_DOUBLE_EQ(arrival_rate_at(q, 80, 0, 3 * kNanosPerSecond), 80);  // flat at the end
  EXPECT_DOUBLE_EQ(arrival_rate_at(q, 0, 0, -5), 0);                     // before the data
  q.mean = {200, 100, 0, 0};
  EXPECT_DOUBLE_EQ(arrival_rate_at(q, 10, 0, kNanosPerSecond), 0);  // draining: never negative
}

TEST(RunModel, LiveCurrentDepthWinsAtTheEnd) {
  DepthTrack q;
  q.t = {0};
  q.min = {0};
  q.max = {9};
  q.mean = {3};
  q.width = 1000;
  q.current = 7;
  EXPECT_EQ(depth_at(q, 500, 500).mean, 7);
  EXPECT_EQ(depth_at(q, 100, 500).mean, 3);
}

TEST(RunModel, MalformedInputIsAnError) {
  EXPECT_THROW(model_from_json(nlohmann::json::array(), nullptr), RunDirError);
  EXPECT_THROW(model_from_json(nlohmann::json::parse(kSummary),
                               nlohmann::json::parse(R"({"queues": {"q": {"t": 5}}})")),
               RunDirError);
}

TEST(RunModel, LoadsARunDirectoryAndNamesMissingFiles) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "viz_run_model_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "summary.json") << kSummary;
  std::filesystem::remove(dir / "series.json");
  try {
    load_run_dir(dir.string());
    FAIL() << "expected an error";
  } catch (const RunDirError& e) {
    EXPECT_NE(std::string(e.what()).find("series.json"), std::string::npos) << e.what();
  }
  std::ofstream(dir / "series.json") << kSeries;
  EXPECT_EQ(load_run_dir(dir.string()).queues.size(), 1u);
  std::filesystem::remove_all(dir);
}

TEST(TraceMismatch, AcceptsOnlyTheRunsOwnTrace) {
  const RunModel run = model_from_json(nlohmann::json::parse(kSummary), nlohmann::json::parse(kSeries));
  const std::string header = R"({"t":0,"kind":"header","format":1,"scenario":"slow-consumer","seed":7})";
  const std::string body = R"({"t":5,"kind":"enqueue","id":"0:1","key":1,"queue":"ingest","depth":1})";
  const std::string footer = R"({"t":4000,"kind":"footer","trace_hash":"9d033bba5c98610b","records":3})";
  EXPECT_EQ(trace_mismatch(run, header + "\n" + body + "\n" + footer + "\n"), "");

  std::string other_seed = R"({"t":0,"kind":"header","format":1,"scenario":"slow-consumer","seed":8})";
  EXPECT_NE(trace_mismatch(run, other_seed + "\n" + footer + "\n").find("seed 8, the run is of seed 7"),
            std::string::npos);
  std::string other_scenario = R"({"t":0,"kind":"header","format":1,"scenario":"mm1","seed":7})";
  EXPECT_NE(trace_mismatch(run, other_scenario + "\n" + footer + "\n").find("scenario 'mm1'"), std::string::npos);
  std::string other_hash = R"({"t":4000,"kind":"footer","trace_hash":"0000000000000001","records":3})";
  EXPECT_NE(trace_mismatch(run, header + "\n" + other_hash + "\n").find("another run's trace"), std::string::npos);
  EXPECT_NE(trace_mismatch(run, header + "\n" + body + "\n").find("no footer"), std::string::npos);
  EXPECT_NE(trace_mismatch(run, body + "\n" + footer + "\n").find("not a trace header"), std::string::npos);
  EXPECT_NE(trace_mismatch(run, "").find("not a trace header"), std::string::npos);
}

}  // namespace
}  // namespace sluice::viz
