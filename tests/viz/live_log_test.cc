#include "visualizer/live_log.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice::viz {
namespace {

std::string record(int t, const char* kind, const char* part = "q") {
  return "{\"t\":" + std::to_string(t) + ",\"kind\":\"" + kind + "\",\"queue\":\"" + part + "\"}";
}

TEST(LiveLog, KeepsOnlyTheNewestRecords) {
  LiveLog log(4);
  for (int i = 0; i < 10; ++i) log.push(record(i * 10, "enqueue"));
  EXPECT_EQ(log.total(), 10u);
  EXPECT_EQ(log.lines(), 4u);
  EXPECT_EQ(log.first_kept(), 6u);
  log.set_filter(EventFilter{});
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log.line_of(0), 6u);
  EXPECT_EQ(log.text(6), record(60, "enqueue"));
  EXPECT_EQ(log.text(9), record(90, "enqueue"));
  EXPECT_TRUE(log.text(5).empty()) << "dropped from the ring";
  EXPECT_EQ(log.kind_counts()[static_cast<std::size_t>(TraceKind::enqueue)], 10u) << "counts cover the whole run";
}

TEST(LiveLog, FiltersIncrementallyAndForgetsWhatLeftTheRing) {
  LiveLog log(6);
  EventFilter only_sheds;
  only_sheds.kinds = 1u << static_cast<unsigned>(TraceKind::shed);
  log.push(record(0, "shed"));
  log.push(record(1, "enqueue"));
  log.set_filter(only_sheds);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log.line_of(0), 0u);
  for (int i = 2; i < 8; ++i) log.push(record(i, i % 2 == 0 ? "shed" : "enqueue"));
  log.set_filter(only_sheds);  // catches up: line 0 left the ring, lines 2, 4, 6 match
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log.line_of(0), 2u);
  EXPECT_EQ(log.line_of(2), 6u);
  EventFilter part;
  part.part = "zz";
  log.push(record(8, "enqueue", "zz"));
  log.set_filter(part);  // a new filter rescans what is kept
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log.line_of(0), 8u);
}

TEST(LiveLog, FindsTheFirstRowAtATime) {
  LiveLog log(100);
  for (int i = 0; i < 10; ++i) log.push(record(i * 10, i % 2 == 0 ? "shed" : "enqueue"));
  log.set_filter(EventFilter{});
  EXPECT_EQ(log.row_at_time(0), 0u);
  EXPECT_EQ(log.row_at_time(35), 4u);
  EXPECT_EQ(log.row_at_time(1000), 10u);
  EventFilter only_sheds;
  only_sheds.kinds = 1u << static_cast<unsigned>(TraceKind::shed);
  log.set_filter(only_sheds);
  EXPECT_EQ(log.row_at_time(35), 2u);  // rows at 0, 20, 40, ...: 40 is row 2
}

TEST(LiveLog, KeepsEveryReplicaRecord) {
  LiveLog log(2);
  log.push(R"({"t":5,"kind":"replica","stage":"s","worker":3,"state":"starting"})");
  for (int i = 0; i < 5; ++i) log.push(record(10 + i, "enqueue"));
  ASSERT_EQ(log.replica_records().size(), 1u);
  EXPECT_EQ(log.replica_records()[0].worker, 3u);
  EXPECT_EQ(log.replica_records()[0].state, "starting");
}

}  // namespace
}  // namespace sluice::viz
