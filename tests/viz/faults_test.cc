#include "visualizer/faults.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/catalog/fault_kind_catalog.h"

namespace sluice::viz {
namespace {

std::vector<Fault> sample() {
  return faults_from_json(nlohmann::json::parse(R"([
    {"at_ns": 60, "kind": "crash", "target": "worker-1", "end_ns": 65},
    {"at_ns": 120, "kind": "partition", "groups": [["broker-1"], ["worker-2"]], "end_ns": 130},
    {"at_ns": 200, "kind": "slow", "target": "worker-2", "factor": 10, "end_ns": 230},
    {"at_ns": 210, "kind": "crash", "target": "worker-2"},
    {"at_ns": 300, "kind": "meteor", "target": "broker-1"},
    {"at_ns": 400, "kind": "partition", "target": "a,b | c", "groups": [["a", "b"], ["c"]], "nodes": ["a", "b", "c"],
     "end_ns": 500},
    {"at_ns": 400, "kind": "clock_skew", "target": "c", "offset_ns": 5, "end_ns": 450},
    {"kind": "crash", "target": "no-time"}
  ])"));
}

TEST(Faults, ReadsSpansTargetsAndLabels) {
  const std::vector<Fault> faults = sample();
  ASSERT_EQ(faults.size(), 7u);  // the entry without at_ns is skipped
  EXPECT_EQ(faults[0].targets, std::vector<std::string>{"worker-1"});
  EXPECT_EQ(faults[1].targets, (std::vector<std::string>{"broker-1", "worker-2"}));
  EXPECT_EQ(faults[1].label, "partition broker-1 | worker-2");
  EXPECT_EQ(faults[3].end, kNever);  // a crash without restart lasts
  EXPECT_EQ(faults[4].end, kNever);  // so does a kind this build does not know
  EXPECT_EQ(node_condition_at(faults, "broker-1", 10'000), kNodeOtherFault);
  // What the runner writes for a partition: a label as target, the nodes apart.
  EXPECT_EQ(faults[5].targets, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(faults[5].label, "partition a,b | c");
}

// Every kind the catalog has is drawn as what it does; names the simulator
// never writes ("kill", "isolate", "freeze", "delay") are not guessed at.
TEST(Faults, EveryCatalogKindHasItsConditionAndNoOtherNameDoes) {
  for (const FaultKindInfo& info : fault_kind_catalog()) {
    EXPECT_NE(condition_of_kind(info.name), kNodeOtherFault) << info.name;
  }
  EXPECT_EQ(condition_of_kind("partition_one_way"), kNodePartitioned);
  EXPECT_EQ(condition_of_kind("crash_at_point"), kNodeCrashed);
  for (const char* invented : {"kill", "isolate", "freeze", "delay"}) {
    EXPECT_EQ(condition_of_kind(invented), kNodeOtherFault) << invented;
  }
}

TEST(Faults, LabelsComeFromTheCatalog) {
  const std::vector<Fault> faults = faults_from_json(nlohmann::json::parse(R"([
    {"at_ns": 1, "kind": "partition_one_way", "target": "a -> b", "nodes": ["a", "b"], "end_ns": 9},
    {"at_ns": 1, "kind": "clock_skew", "target": "c", "end_ns": 9}
  ])"));
  ASSERT_EQ(faults.size(), 2u);
  EXPECT_EQ(faults[0].label, "one-way partition a -> b");
  EXPECT_EQ(faults[1].label, "clock skew c");
}

TEST(Faults, ClockSkewAndPartitionsAsTheRunnerWritesThem) {
  const std::vector<Fault> faults = sample();
  EXPECT_EQ(node_condition_at(faults, "c", 420), kNodePartitioned | kNodeClockSkewed);
  EXPECT_EQ(node_condition_at(faults, "a", 460), kNodePartitioned);
  EXPECT_EQ(condition_text(kNodeClockSkewed), "skewed");
}

TEST(Faults, NodeConditionAtATime) {
  const std::vector<Fault> faults = sample();
  EXPECT_EQ(node_condition_at(faults, "worker-1", 59), kNodeUp);
  EXPECT_EQ(node_condition_at(faults, "worker-1", 60), kNodeCrashed);
  EXPECT_EQ(node_condition_at(faults, "worker-1", 64), kNodeCrashed);
  EXPECT_EQ(node_condition_at(faults, "worker-1", 65), kNodeUp);  // restarted
  EXPECT_EQ(node_condition_at(faults, "broker-1", 125), kNodePartitioned);
  EXPECT_EQ(node_condition_at(faults, "worker-2", 205), kNodeSlow);
  EXPECT_EQ(node_condition_at(faults, "worker-2", 215), kNodeSlow | kNodeCrashed);
  EXPECT_EQ(node_condition_at(faults, "worker-2", 10'000), kNodeCrashed);
  EXPECT_EQ(condition_text(kNodeSlow | kNodeCrashed), "crashed+slow");
  EXPECT_EQ(condition_text(kNodeUp), "up");
}

TEST(Faults, ViolationTimeIsParsedFromTheText) {
  EXPECT_EQ(violation_time("3 event(s) still in flight when the run ended at t=238441594772ns"), 238441594772);
  EXPECT_EQ(violation_time("key 5: event 0:17 applied before 0:12 (t=1500ns)"), 1500);
  EXPECT_FALSE(violation_time("no time here").has_value());
  EXPECT_FALSE(violation_time("at=12ns").has_value());
  EXPECT_FALSE(violation_time("t=12ms").has_value());
  EXPECT_EQ(violation_time("start=5ns, t=7ns"), 7);
}

TEST(Faults, ViolationEventIdIsParsedFromTheText) {
  EXPECT_EQ(violation_event_id("event 0:1088 from source 'orders' was acknowledged but never took effect"), "0:1088");
  EXPECT_EQ(violation_event_id("key 5: 12:7 applied before 12:3"), "12:7");
  EXPECT_FALSE(violation_event_id("at 12:30:45 nothing").has_value());
  EXPECT_FALSE(violation_event_id("no ids").has_value());
  EXPECT_FALSE(violation_event_id("ratio 3:").has_value());
}

}  // namespace
}  // namespace sluice::viz
