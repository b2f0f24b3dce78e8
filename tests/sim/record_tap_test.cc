// The history's record tap (sim/run/record_tap.h): it sees every record the
// history dispatches, once, in dispatch order, after the subscribers, and
// nothing once the run is frozen; and holding one leaves the trace_hash as it is.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "sim/run/history.h"
#include "sim/run/record_tap.h"
#include "sim/run/trace_records.h"
#include "sim/run/trace_writer.h"
#include "sim/runtime/simulation.h"
#include "tests/sim/run_test_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using testing::shipped;

struct Lines : TraceLineSink {
  std::vector<std::string> lines;
  void line(std::string_view record) override { lines.emplace_back(record); }
};

// Writes each record it is handed as its trace line, at once: the lines of
// the records in the order the tap saw them.
struct LineTap : RecordTap {
  Lines lines;
  TraceWriter writer{lines, ""};
  std::unique_ptr<TraceRecords> format;  // set once the run (its names and metrics) exists
  std::uint64_t records = 0;
  LineTap() { lines.lines.clear(); }  // the writer's header is not a record's line
  void on(const PipelineRecord& record) override {
    ++records;
    std::visit([this](const auto& r) { format->on(writer, r); }, record);
  }
  void on(const WorldRecord& record) override {
    ++records;
    std::visit([this](const auto& r) { format->on(writer, r); }, record);
  }
};

bool written_by_the_runner(const std::string& line) {
  // Lines no record produces: the header, the drain, the end and the footer.
  for (const char* kind : {"header", "drained", "end", "footer"}) {
    if (line.find(std::string("\"kind\":\"") + kind + "\"") != std::string::npos) return true;
  }
  return false;
}

TEST(RecordTap, SeesEveryRecordOnceInDispatchOrderAndLeavesTheHash) {
  for (const char* scenario : {"basics/slow_consumer.json", "scaling/hpa_flapping.json", "broker/broker_crash.json"}) {
    const fs::path dir = fs::temp_directory_path() / ("sluice-record-tap-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    RunOptions to_file;
    to_file.trace_path = (dir / "trace.jsonl").string();
    const RunReport recorded = run_scenario(shipped(scenario), to_file);
    std::vector<std::string> file_lines;
    std::ifstream in(to_file.trace_path);
    for (std::string line; std::getline(in, line);) {
      if (!written_by_the_runner(line)) file_lines.push_back(line);
    }
    fs::remove_all(dir);

    const Scenario tapped_scenario = shipped(scenario);
    LineTap tap;
    RunOptions tapped;
    tapped.record_tap = &tap;
    ScenarioRun run(tapped_scenario, tapped);
    tap.format = std::make_unique<TraceRecords>(run.simulation(), run.history().names(), run.history().metrics());
    while (run.advance(kNever)) {
    }
    const RunReport report = run.finish();
    EXPECT_EQ(report.trace_hash, recorded.trace_hash) << scenario;
    ASSERT_GT(file_lines.size(), 1000u) << scenario;
    // Records without a line (a worker's release, a barrier's time, ...) reach the tap too.
    EXPECT_GT(tap.records, tap.lines.lines.size()) << scenario;
    ASSERT_EQ(tap.lines.lines.size(), file_lines.size()) << scenario;
    EXPECT_EQ(tap.lines.lines, file_lines) << scenario;
  }
}

struct CountingTap : RecordTap {
  std::vector<std::string> seen;
  void on(const PipelineRecord& record) override { seen.push_back("core " + std::to_string(record.index())); }
  void on(const WorldRecord& record) override { seen.push_back("world " + std::to_string(record.index())); }
};

TEST(RecordTap, GetsNothingOnceTheHistoryIsFrozen) {
  Simulation sim;
  History history(sim, PartNames{}, nullptr);
  const std::string alert = "lag";
  history.on(WorldRecord{AlertChanged{alert, "firing", 1.0}});  // no tap: only the subscribers
  CountingTap tap;
  history.set_tap(&tap);
  history.on(WorldRecord{AlertChanged{alert, "resolved", 0.0}});
  history.on(WorldRecord{AlertChanged{alert, "firing", 3.0}});
  EXPECT_EQ(tap.seen, (std::vector<std::string>{"world 2", "world 2"}));
  history.freeze();
  history.on(WorldRecord{AlertChanged{alert, "resolved", 2.0}});
  EXPECT_EQ(tap.seen.size(), 2u) << "a frozen history dispatches nothing, to the tap neither";
}

}  // namespace
}  // namespace sluice
