// The violation marker sits at the violating outcome's time, which the
// explanation gives (not the event's emit time in the violation's text), and
// selecting it filters the event log to the events the explanation involves.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "visualizer/event_filter.h"
#include "visualizer/run_model.h"

namespace sluice::viz {
namespace {

const char* kSummary = R"({
  "scenario": "partition-one-way", "seed": 1, "ok": true, "virtual_time_ns": 60000000000,
  "invariants": {
    "no_duplicate_effects": {"ok": false, "checked": 10, "violations": 1, "first": {
      "text": "event 0:1958 (key 6, emitted at t=18587000000ns) took effect twice: again at t=21026000000ns in sink 'db'",
      "explanation": {"why": "A retry after a lost reply.", "at_ns": 21026000000, "events": ["0:1958"],
                      "steps": [{"t_ns": 19920000000, "node": "db", "part": "sink 'db'", "kind": "effect",
                                 "event": "0:1958", "text": "first effect"}]}}}
  }
})";

TEST(ViolationMarker, SitsAtTheViolatingOutcomeNotTheEmitTime) {
  const RunModel m = model_from_json(nlohmann::json::parse(kSummary), nlohmann::json::object());
  ASSERT_EQ(m.invariants.size(), 1u);
  const InvariantRow& row = m.invariants[0];
  ASSERT_TRUE(row.at.has_value());
  EXPECT_EQ(*row.at, 21'026'000'000);
  EXPECT_EQ(row.why, "A retry after a lost reply.");
  EXPECT_EQ(row.first.rfind("event 0:1958", 0), 0u);
  ASSERT_EQ(row.involved.size(), 1u);
  EXPECT_EQ(row.involved[0], "0:1958");
}

TEST(ViolationMarker, TheInvolvedEventsFilterTheLog) {
  EventFilter filter;
  filter.ids = {"0:1958", "0:7"};
  EXPECT_FALSE(filter.empty());
  TraceRecord involved, other;
  involved.id = "0:7";
  other.id = "0:8";
  EXPECT_TRUE(filter.matches(involved));
  EXPECT_FALSE(filter.matches(other));
}

}  // namespace
}  // namespace sluice::viz
