// The live event log's ring, filters and lookups, fed records by hand at the
// times a real run's clock shows (its names and metrics write the lines).
#include "visualizer/live_log.h"

#include <gtest/gtest.h>

#include <string>

#include "sim/run/history.h"
#include "sim/run/runner.h"
#include "sim/scenario/loader.h"

namespace sluice::viz {
namespace {

// slow_consumer: one buffer, "buffer", and one sink.
struct Fixture {
  Scenario scenario = load_scenario_file(SLUICE_SOURCE_DIR "/scenarios/basics/slow_consumer.json");
  ScenarioRun run{scenario, RunOptions{}};
  Event event{.id = make_event_id(0, 7), .key = 3, .emitted_at = 0};

  LiveLog log(std::size_t capacity) {
    return LiveLog(run.simulation(), run.history().names(), run.history().metrics(), capacity);
  }
  void enqueue(LiveLog& log, std::size_t depth) { log.keep(PipelineRecord{Enqueued{0, event, depth}}); }
  void shed(LiveLog& log) { log.keep(PipelineRecord{Shed{0, event, ShedReason::drop_newest, 64, kShedOnArrival}}); }
};

TEST(LiveLog, KeepsOnlyTheNewestRecordsAndWritesTheirLines) {
  Fixture f;
  LiveLog log = f.log(4);
  for (std::size_t i = 0; i < 10; ++i) f.enqueue(log, i);
  EXPECT_EQ(log.total(), 10u);
  EXPECT_EQ(log.lines(), 4u);
  EXPECT_EQ(log.first_kept(), 6u);
  log.set_filter(EventFilter{});
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log.line_of(0), 6u);
  const std::string queue = f.run.history().names().queues[0];
  EXPECT_EQ(log.text(6), "{\"t\":0,\"kind\":\"enqueue\",\"id\":\"0:7\",\"key\":3,\"queue\":\"" + queue + "\",\"depth\":6}");
  EXPECT_EQ(log.text(9), "{\"t\":0,\"kind\":\"enqueue\",\"id\":\"0:7\",\"key\":3,\"queue\":\"" + queue + "\",\"depth\":9}");
  EXPECT_TRUE(log.text(5).empty()) << "dropped from the ring";
  EXPECT_EQ(log.kind_counts()[static_cast<std::size_t>(TraceKind::enqueue)], 10u) << "counts cover the whole run";
}

TEST(LiveLog, KeepsNoRowForARecordWithoutALine) {
  Fixture f;
  LiveLog log = f.log(4);
  log.keep(PipelineRecord{Released{0, 0, f.event}});
  const std::string node = "worker";
  log.keep(WorldRecord{Perturbed{PerturbSite{}, node}});
  EXPECT_EQ(log.total(), 0u);
}

TEST(LiveLog, FiltersIncrementallyAndForgetsWhatLeftTheRing) {
  Fixture f;
  LiveLog log = f.log(6);
  EventFilter only_sheds;
  only_sheds.kinds = 1u << static_cast<unsigned>(TraceKind::shed);
  f.shed(log);
  f.enqueue(log, 1);
  log.set_filter(only_sheds);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log.line_of(0), 0u);
  for (int i = 2; i < 8; ++i) {
    if (i % 2 == 0) {
      f.shed(log);
    } else {
      f.enqueue(log, 1);
    }
  }
  log.set_filter(only_sheds);  // catches up: line 0 left the ring, lines 2, 4, 6 match
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log.line_of(0), 2u);
  EXPECT_EQ(log.line_of(2), 6u);
  EventFilter by_id;
  by_id.id = "0:7";
  log.set_filter(by_id);  // a new filter rescans what is kept
  EXPECT_EQ(log.size(), 6u);
}

TEST(LiveLog, FindsTheFirstRowAtATime) {
  Fixture f;
  LiveLog log = f.log(100);
  for (int i = 0; i < 10; ++i) {
    f.run.advance(i * 10);  // the clock the records' moments read
    if (i % 2 == 0) {
      f.shed(log);
    } else {
      f.enqueue(log, 1);
    }
  }
  log.set_filter(EventFilter{});
  EXPECT_EQ(log.row_at_time(0), 0u);
  EXPECT_EQ(log.row_at_time(35), 4u);
  EXPECT_EQ(log.row_at_time(1000), 10u);
  EventFilter only_sheds;
  only_sheds.kinds = 1u << static_cast<unsigned>(TraceKind::shed);
  log.set_filter(only_sheds);
  EXPECT_EQ(log.row_at_time(35), 2u);  // rows at 0, 20, 40, ...: 40 is row 2
}

}  // namespace
}  // namespace sluice::viz
