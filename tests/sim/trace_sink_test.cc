// A trace handed to a TraceLineSink (the live visualizer's event log) is the
// same trace.jsonl, line for line, as the file a recorded run writes, and
// leaves the run's trace_hash as it is.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/run/trace_writer.h"
#include "tests/sim/run_test_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using testing::shipped;

struct Lines : TraceLineSink {
  std::vector<std::string> lines;
  void line(std::string_view record) override { lines.emplace_back(record); }
};

TEST(TraceSink, GetsTheLinesOfTheTraceFile) {
  for (const char* scenario : {"basics/slow_consumer.json", "scaling/hpa_flapping.json"}) {
    const fs::path dir = fs::temp_directory_path() / ("sluice-trace-sink-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    RunOptions to_file;
    to_file.trace_path = (dir / "trace.jsonl").string();
    const RunReport recorded = run_scenario(shipped(scenario), to_file);
    std::vector<std::string> file_lines;
    std::ifstream in(to_file.trace_path);
    for (std::string line; std::getline(in, line);) file_lines.push_back(line);
    fs::remove_all(dir);

    Lines sink;
    RunOptions to_sink;
    to_sink.trace_sink = &sink;
    const RunReport live = run_scenario(shipped(scenario), to_sink);
    EXPECT_EQ(live.trace_hash, recorded.trace_hash) << scenario;
    ASSERT_GT(file_lines.size(), 1000u) << scenario;
    ASSERT_EQ(sink.lines.size(), file_lines.size()) << scenario;
    EXPECT_EQ(sink.lines, file_lines) << scenario;
    EXPECT_NE(sink.lines.back().find("\"kind\":\"footer\""), std::string::npos);
  }
}

}  // namespace
}  // namespace sluice
