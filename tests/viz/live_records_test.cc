// The live visualizer's record tap (visualizer/live_records.h): the event
// log's rows, written from kept records, are the run's trace.jsonl lines, and
// the model's depths, faults and replica changes built from records are what
// a recorded run (its trace.jsonl and summary.json) says at the same times.
#include "visualizer/live_records.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"
#include "visualizer/live_session.h"
#include "visualizer/run_model.h"
#include "visualizer/trace_line.h"

namespace sluice::viz {
namespace {

namespace fs = std::filesystem;

Scenario shipped(const std::string& path) { return load_scenario_file(SLUICE_SOURCE_DIR "/scenarios/" + path); }

struct Recorded {
  RunReport report;
  std::vector<std::string> lines;  // trace.jsonl without the lines no record produces
};

Recorded record(const std::string& scenario) {
  const fs::path dir = fs::temp_directory_path() / ("sluice-live-records-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  RunOptions options;
  options.seed = 1;
  options.trace_path = (dir / "trace.jsonl").string();
  Recorded out;
  out.report = run_scenario(shipped(scenario), options);
  std::ifstream in(options.trace_path);
  TraceRecord parsed;
  for (std::string line; std::getline(in, line);) {
    if (!parse_trace_line(line, parsed)) continue;
    // The runner's own lines: the header, the drain, the end and the footer.
    if (parsed.kind_text == "header" || parsed.kind_text == "drained" || parsed.kind_text == "end" ||
        parsed.kind_text == "footer") {
      continue;
    }
    out.lines.push_back(line);
  }
  fs::remove_all(dir);
  return out;
}

constexpr const char* kScenarios[] = {"basics/slow_consumer.json", "scaling/hpa_flapping.json",
                                      "broker/broker_crash.json", "scaling/alert_lag_slowdown.json",
                                      "faults/partition.json"};

TEST(LiveRecords, LogRowsAreTheTraceLinesAndTheirKinds) {
  for (const char* scenario : kScenarios) {
    const Recorded recorded = record(scenario);
    LiveSession live(shipped(scenario), 1, 600'000);
    live.advance_now(kNever - 1);
    ASSERT_TRUE(live.over()) << scenario;
    EXPECT_EQ(live.model().trace_hash, hex64(recorded.report.trace_hash)) << scenario;
    const LiveLog& log = live.log();
    ASSERT_EQ(log.total(), recorded.lines.size()) << scenario;
    ASSERT_EQ(log.first_kept(), 0u) << scenario << ": the whole run fits the ring";
    ASSERT_GT(log.total(), 1000u) << scenario;
    std::array<std::uint64_t, kTraceKinds> kinds{};
    TraceRecord parsed;
    for (std::uint64_t line = 0; line < log.total(); ++line) {
      ASSERT_EQ(log.text(line), recorded.lines[line]) << scenario << " line " << line;
      ASSERT_TRUE(parse_trace_line(recorded.lines[line], parsed));
      ++kinds[static_cast<std::size_t>(parsed.kind)];
    }
    EXPECT_EQ(log.kind_counts(), kinds) << scenario << ": the kinds counted from records are the lines' kinds";
  }
}

// The depth of each queue after the last trace line at or before `t` that names its depth.
std::map<std::string, std::int64_t> depths_at(const std::vector<std::string>& lines, Nanos t) {
  std::map<std::string, std::int64_t> depths;
  TraceRecord parsed;
  for (const std::string& line : lines) {
    if (!parse_trace_line(line, parsed) || parsed.t > t) break;
    if (parsed.part_kind != "queue") continue;
    for (std::size_t i = 0; i < parsed.extra_count; ++i) {
      if (parsed.extra[i].name == "depth") depths[std::string(parsed.part)] = std::stoll(std::string(parsed.extra[i].value));
    }
  }
  return depths;
}

TEST(LiveRecords, ModelFromRecordsIsTheRecordedRunAtAFewTimes) {
  for (const char* scenario : kScenarios) {
    const Recorded recorded = record(scenario);
    const RunModel recorded_model = model_from_json(recorded.report.summary, recorded.report.series);
    std::vector<ReplicaRecord> recorded_replicas;
    for (const std::string& line : recorded.lines) {
      ReplicaRecord replica;
      if (parse_replica_record(line, replica)) recorded_replicas.push_back(replica);
    }
    LiveSession live(shipped(scenario), 1, 1000, /*live_log=*/false);
    std::size_t compared_depths = 0, compared_replicas = 0;
    // Odd times, so that no record falls exactly on one.
    for (const Nanos t : {Nanos{1'234'567'891}, Nanos{7'777'777'777}, Nanos{20'000'000'003}, Nanos{44'444'444'447}}) {
      live.advance_now(t);
      if (live.over()) break;
      const std::map<std::string, std::int64_t> depths = depths_at(recorded.lines, t);
      for (const DepthTrack& queue : live.model().queues) {
        const auto it = depths.find(queue.name);
        ASSERT_TRUE(queue.current.has_value());
        EXPECT_EQ(*queue.current, it == depths.end() ? 0 : it->second) << scenario << " " << queue.name << " at " << t;
        ++compared_depths;
      }
      std::vector<Fault> recorded_faults;
      for (const Fault& fault : recorded_model.faults) {
        if (fault.at <= t) recorded_faults.push_back(fault);
      }
      ASSERT_EQ(live.model().faults.size(), recorded_faults.size()) << scenario << " at " << t;
      for (std::size_t i = 0; i < recorded_faults.size(); ++i) {
        EXPECT_EQ(live.model().faults[i].at, recorded_faults[i].at) << scenario;
        EXPECT_EQ(live.model().faults[i].end, recorded_faults[i].end) << scenario;
        EXPECT_EQ(live.model().faults[i].label, recorded_faults[i].label) << scenario;
        EXPECT_EQ(live.model().faults[i].targets, recorded_faults[i].targets) << scenario;
      }
      // Each autoscaled stage's replica states, replayed from the trace's replica lines so far.
      std::vector<ReplicaRecord> replicas_so_far;
      for (const ReplicaRecord& r : recorded_replicas) {
        if (r.at <= t) replicas_so_far.push_back(r);
      }
      for (const ReplicaTrack& track : live.model().replicas) {
        ReplicaTrack expected = track;
        set_replica_steps(expected, replicas_so_far);
        ASSERT_EQ(track.steps.size(), expected.steps.size()) << scenario << " " << track.stage << " at " << t;
        for (std::size_t i = 0; i < expected.steps.size(); ++i) {
          EXPECT_EQ(track.steps[i].at, expected.steps[i].at) << scenario;
          EXPECT_EQ(track.steps[i].counts, expected.steps[i].counts) << scenario;
        }
        compared_replicas += track.steps.size();
      }
    }
    EXPECT_GT(compared_depths, 0u) << scenario;
    if (std::string(scenario) == "scaling/hpa_flapping.json") {
      EXPECT_GT(compared_replicas, 0u);
    }
    if (std::string(scenario) == "broker/broker_crash.json") {
      EXPECT_FALSE(live.model().faults.empty());
    }
    EXPECT_EQ(live.log().total(), 0u) << "the live log was off";
  }
}

}  // namespace
}  // namespace sluice::viz
