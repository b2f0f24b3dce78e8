#include "visualizer/trace_index.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "visualizer/event_filter.h"
#include "visualizer/trace_line.h"

namespace sluice::viz {
namespace {

TEST(TraceLine, ParsesWhatTheWriterWrites) {
  TraceRecord r;
  ASSERT_TRUE(parse_trace_line(R"({"t":4538194,"kind":"enqueue","id":"0:0","key":7,"queue":"ingest","depth":1})", r));
  EXPECT_EQ(r.t, 4538194);
  EXPECT_EQ(r.kind, TraceKind::enqueue);
  EXPECT_EQ(r.id, "0:0");
  EXPECT_TRUE(r.has_key);
  EXPECT_EQ(r.key, 7);
  EXPECT_EQ(r.part_kind, "queue");
  EXPECT_EQ(r.part, "ingest");
  EXPECT_EQ(r.details(), "depth=1");
  ASSERT_TRUE(parse_trace_line(R"({"t":5,"kind":"shed","id":"1:2","key":3,"queue":"q","reason":"overflow"})", r));
  EXPECT_EQ(r.details(), "reason=overflow");
  ASSERT_TRUE(parse_trace_line(R"({"t":9,"kind":"end","run":""})", r));
  EXPECT_EQ(r.kind, TraceKind::end);
  EXPECT_FALSE(r.has_key);
}

TEST(TraceLine, KeepsNestedValuesRawAndRejectsJunk) {
  TraceRecord r;
  ASSERT_TRUE(parse_trace_line(R"({"kind":"fault","groups":[["a","b"],["c"]],"t":12, "target" : "x"})", r));
  EXPECT_EQ(r.t, 12);
  EXPECT_EQ(r.kind, TraceKind::fault);
  EXPECT_EQ(r.part, "x");
  EXPECT_EQ(r.details(), R"(groups=[["a","b"],["c"]])");
  ASSERT_TRUE(parse_trace_line(R"({"t":1,"kind":"rebalance"})", r));
  EXPECT_EQ(r.kind, TraceKind::other);
  EXPECT_EQ(r.kind_text, "rebalance");
  EXPECT_FALSE(parse_trace_line("", r));
  EXPECT_FALSE(parse_trace_line(R"({"kind":"ack"})", r));
  EXPECT_FALSE(parse_trace_line(R"({"t":1,"kind":"ack")", r));
  EXPECT_FALSE(parse_trace_line(R"({"t":"1"})", r));
  Nanos t = 0;
  EXPECT_TRUE(trace_line_time(R"({"t":42,"kind":"ack"})", t));
  EXPECT_EQ(t, 42);
}

class TraceFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() / ("viz_trace_index_test_" + std::to_string(::getpid()) + ".jsonl");
    std::ofstream out(path_);
    // 1000 events, 3 lines each, 10ns apart; keys cycle over 0..9.
    for (int i = 0; i < 1000; ++i) {
      const std::string id = std::to_string(i % 2) + ":" + std::to_string(i);
      const std::string common = R"(,"id":")" + id + R"(","key":)" + std::to_string(i % 10);
      out << R"({"t":)" << i * 10 << R"(,"kind":"produce")" << common << R"(,"source":"src"})" << "\n";
      out << R"({"t":)" << i * 10 << R"(,"kind":"enqueue")" << common << R"(,"queue":"ingest","depth":1})" << "\n";
      if (i == 500) out << "\n";  // a blank line is not a record
      out << R"({"t":)" << i * 10 + 5 << R"(,"kind":"effect")" << common << R"(,"sink":"db"})" << "\n";
    }
    out << R"({"t":99999,"kind":"end","run":""})";  // no final newline
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::filesystem::path path_;
};

TEST_F(TraceFileTest, IndexesLinesTimesAndKinds) {
  TraceIndex index(path_.string());
  index.build();
  ASSERT_TRUE(index.ready());
  EXPECT_EQ(index.lines(), 3001u);
  EXPECT_EQ(index.unreadable_lines(), 0u);
  EXPECT_EQ(index.kind_counts()[static_cast<std::size_t>(TraceKind::produce)], 1000u);
  EXPECT_EQ(index.kind_counts()[static_cast<std::size_t>(TraceKind::end)], 1u);
  EXPECT_EQ(index.last_time(), 99999);
  TraceRecord r;
  for (std::uint64_t n : {0ull, 1ull, 63ull, 64ull, 1502ull, 1503ull, 1504ull, 2999ull}) {
    ASSERT_TRUE(parse_trace_line(index.line(n), r)) << n << ": " << index.line(n);
    EXPECT_EQ(r.t, static_cast<Nanos>(n / 3 * 10 + (n % 3 == 2 ? 5 : 0))) << n;
  }
  EXPECT_EQ(index.line(3000), R"({"t":99999,"kind":"end","run":""})");
  EXPECT_EQ(index.line(3001), "");
}

TEST_F(TraceFileTest, FindsTheFirstLineAtATime) {
  TraceIndex index(path_.string());
  index.build();
  EXPECT_EQ(index.first_line_at_or_after(0), 0u);
  EXPECT_EQ(index.first_line_at_or_after(1), 2u);      // the effect at t=5
  EXPECT_EQ(index.first_line_at_or_after(6), 3u);      // the produce at t=10
  EXPECT_EQ(index.first_line_at_or_after(5000), 1500u);
  EXPECT_EQ(index.first_line_at_or_after(9995), 2999u);
  EXPECT_EQ(index.first_line_at_or_after(99999), 3000u);
  EXPECT_EQ(index.first_line_at_or_after(100000), 3001u);
}

TEST_F(TraceFileTest, BuildsInTheBackground) {
  TraceIndex index(path_.string());
  index.build_in_background();
  while (!index.ready()) std::this_thread::yield();
  EXPECT_EQ(index.lines(), 3001u);
  EXPECT_EQ(index.progress(), 1.0);
}

TEST_F(TraceFileTest, FiltersByKindKeyIdAndPart) {
  TraceIndex index(path_.string());
  index.build();
  FilteredLog log(index);
  log.set_filter(EventFilter{});
  EXPECT_EQ(log.size(), 3001u);
  EXPECT_EQ(log.line_of(17), 17u);

  EventFilter filter;
  filter.kinds = 1u << static_cast<unsigned>(TraceKind::effect);
  filter.key = 3;
  log.set_filter(filter);
  log.wait();
  EXPECT_EQ(log.size(), 100u);
  EXPECT_EQ(log.line_of(0), 3u * 3 + 2);
  EXPECT_EQ(log.row_at_or_after_line(12), 1u);  // past event 3, the next match is event 13

  filter = EventFilter{};
  filter.id = "1:501";
  log.set_filter(filter);
  log.wait();
  EXPECT_EQ(log.size(), 3u);
  filter.id = "1:*";
  log.set_filter(filter);
  log.wait();
  EXPECT_EQ(log.size(), 1500u);

  filter = EventFilter{};
  filter.part = "INGE";  // case-insensitive substring
  log.set_filter(filter);
  log.wait();
  EXPECT_EQ(log.size(), 1000u);
  filter.part = "edge-node";
  filter.part_names = {"src", "db"};  // the parts on a node called edge-node
  log.set_filter(filter);
  log.wait();
  EXPECT_EQ(log.size(), 2000u);
}

TEST_F(TraceFileTest, ARestartedScanCancelsTheOldOne) {
  TraceIndex index(path_.string());
  index.build();
  FilteredLog log(index);
  for (int i = 0; i < 20; ++i) {
    EventFilter filter;
    filter.key = i % 10;
    log.set_filter(filter);
  }
  log.wait();
  EXPECT_EQ(log.size(), 300u);
}

TEST(TraceIndex, MissingFileIsAnError) {
  EXPECT_THROW(TraceIndex("/nonexistent/trace.jsonl"), std::runtime_error);
}

}  // namespace
}  // namespace sluice::viz
