// The visualizer's scaling and alert model read from real runs of shipped
// scenarios (summary.json, series.json and trace.jsonl as `sluice run --out
// DIR --trace` writes them), checked against those files.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"
#include "visualizer/run_model.h"
#include "visualizer/trace_index.h"

namespace sluice::viz {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct RecordedRun {
  json summary, series;
  std::string trace_path;
};

// Runs a shipped scenario with its own seed, keeping the trace in a temporary file.
RecordedRun record(const std::string& file, const std::string& dir) {
  const Scenario scenario = load_scenario_file(std::string(SLUICE_SOURCE_DIR "/scenarios/") + file);
  RunOptions options;
  options.trace_path = dir + "/trace.jsonl";
  const RunReport report = run_scenario(scenario, options);
  return {report.summary, report.series, options.trace_path};
}

class ScalingRun : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/viz_scaling_run_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(ScalingRun, ReplicasAndDecisionsAreTheRunsOwn) {
  const RecordedRun run = record("scaling/hpa_flapping.json", dir_);
  const RunModel model = model_from_json(run.summary, run.series);
  ASSERT_EQ(model.replicas.size(), 1u);
  const ReplicaTrack& track = model.replicas[0];
  EXPECT_EQ(track.stage, "enrich");
  EXPECT_EQ(track.min_replicas, 2u);
  EXPECT_EQ(track.max_replicas, 10u);
  EXPECT_EQ(track.initial, 2u);
  const json& decisions = run.summary["scaling"]["enrich"]["decisions"];
  ASSERT_EQ(track.decisions.size(), decisions.size());
  ASSERT_GE(track.decisions.size(), 5u);
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    EXPECT_EQ(track.decisions[i].at, decisions[i]["at_ns"].get<Nanos>());
    EXPECT_EQ(track.decisions[i].to, decisions[i]["to"].get<std::uint32_t>());
    EXPECT_EQ(track.decisions[i].reason, decisions[i]["reason"].get<std::string>());
  }

  // The replica records replayed agree with series.json's ready gauge
  // wherever a bucket saw one value, and tell starting and draining apart.
  TraceIndex index(run.trace_path);
  index.build();
  ASSERT_FALSE(index.replica_records().empty());
  ReplicaTrack with_steps = track;
  set_replica_steps(with_steps, index.replica_records());
  const json& gauge = run.series["replicas"]["enrich"];
  std::size_t compared = 0;
  for (std::size_t i = 0; i < gauge["t"].size(); ++i) {
    if (gauge["min"][i] != gauge["max"][i]) continue;
    const Nanos mid = gauge["t"][i].get<Nanos>() + gauge["width_ns"].get<Nanos>() / 2;
    EXPECT_EQ(replicas_at(with_steps, mid, model.virtual_time).ready, gauge["max"][i].get<std::uint32_t>()) << "t=" << mid;
    EXPECT_EQ(replicas_at(track, mid, model.virtual_time).ready, gauge["max"][i].get<std::uint32_t>()) << "t=" << mid;
    ++compared;
  }
  EXPECT_GT(compared, 100u);
  // The first decision (2 -> 3 at 40 s) starts a replica that is not ready yet a moment later.
  const Nanos first = track.decisions[0].at;
  EXPECT_EQ(replicas_at(with_steps, first + kNanosPerMilli, model.virtual_time).starting, 1u);
  // A scale-in (8 -> 2 at 80 s) drains: the idle replicas leave at once, one
  // still holding an event drains for a few milliseconds, then leaves.
  bool scaled_in = false;
  for (const ScalingDecision& d : track.decisions) {
    if (d.to >= d.from) continue;
    const ReplicaCounts at = replicas_at(with_steps, d.at, model.virtual_time);
    EXPECT_EQ(at.ready, d.to) << "at " << d.at;
    EXPECT_EQ(at.draining, 1u) << "at " << d.at;
    EXPECT_EQ(replicas_at(with_steps, d.at + kNanosPerSecond, model.virtual_time).draining, 0u);
    scaled_in = true;
    break;
  }
  EXPECT_TRUE(scaled_in);
}

TEST_F(ScalingRun, AlertSpansStartWhereTheTraceSays) {
  const RecordedRun run = record("scaling/alert_lag_slowdown.json", dir_);
  const RunModel model = model_from_json(run.summary, run.series);
  ASSERT_EQ(model.alerts.size(), 2u);
  const AlertTrack* lag = nullptr;
  for (const AlertTrack& a : model.alerts) lag = a.name == "consumer-lag" ? &a : lag;
  ASSERT_NE(lag, nullptr);
  EXPECT_EQ(lag->fired, 1u);
  // Every alert record of the trace opens (pending, firing) or closes a span.
  std::ifstream in(run.trace_path);
  std::string line;
  std::vector<std::pair<Nanos, std::string>> records;
  TraceRecord r;
  while (std::getline(in, line)) {
    if (!parse_trace_line(line, r) || r.kind != TraceKind::alert) continue;
    const json j = json::parse(line);
    if (j["alert"] == "consumer-lag") records.emplace_back(r.t, j["state"].get<std::string>());
  }
  ASSERT_EQ(records.size(), 3u);
  ASSERT_EQ(lag->spans.size(), 2u);
  EXPECT_EQ(records[0].second, "pending");
  EXPECT_EQ(lag->spans[0].from, records[0].first);
  EXPECT_FALSE(lag->spans[0].firing);
  EXPECT_EQ(records[1].second, "firing");
  EXPECT_EQ(lag->spans[1].from, records[1].first);
  EXPECT_EQ(lag->spans[0].to, records[1].first);
  EXPECT_TRUE(lag->spans[1].firing);
  EXPECT_EQ(records[2].second, "resolved");
  EXPECT_EQ(lag->spans[1].to, records[2].first);
  // The same spans series.json gives the report.
  const json& spans = run.series["alerts"]["consumer-lag"];
  ASSERT_EQ(spans.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(lag->spans[i].from, spans[i]["from_ns"].get<Nanos>());
    EXPECT_EQ(lag->spans[i].to, spans[i]["to_ns"].get<Nanos>());
  }
}

}  // namespace
}  // namespace sluice::viz
