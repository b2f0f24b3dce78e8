// The world in scenario files: reading "network", "disks" and the partition
// faults (with JSON-pointer errors), swarm partitions, and runs that report
// them in summary.json.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"

namespace sluice {
namespace {

using nlohmann::json;

// src (n1) -> ingest (n1) -> work (w1) -> db (n2)
json base() {
  return json::parse(R"({
    "name": "world",
    "sources": [ { "id": "src", "node": "n1", "count": 200,
                   "arrival": { "dist": "constant", "value": "10ms" }, "to": "ingest" } ],
    "buffers": [ { "id": "ingest", "node": "n1", "capacity": 400 } ],
    "stages":  [ { "id": "work", "from": "ingest", "workers": ["w1"],
                   "service_time": { "dist": "constant", "value": "1ms" }, "to": "db" } ],
    "sinks":   [ { "id": "db", "node": "n2" } ]
  })");
}

Scenario load(const json& document) { return load_scenario_text(document.dump(), "world.json"); }

// The JSON pointer of the error loading `document` raises ("" if none).
std::string error_pointer(const json& document) {
  try {
    load(document);
  } catch (const ScenarioError& e) {
    return e.pointer;
  }
  return "no error";
}

TEST(WorldScenario, DefaultsAreAPerfectWorld) {
  Scenario s = load(base());
  EXPECT_EQ(s.network.defaults.latency_ns, Distribution::constant(0));
  EXPECT_EQ(s.network.defaults.drop, 0);
  EXPECT_FALSE(s.network.defaults.fifo);
  EXPECT_EQ(s.network.defaults.bandwidth_bytes_per_s, 0);
  EXPECT_TRUE(s.network.links.empty());
  EXPECT_EQ(s.disks.defaults.faults.bit_flip, 0);
  EXPECT_TRUE(s.disks.nodes.empty());
}

TEST(WorldScenario, ReadsTheNetwork) {
  json doc = base();
  doc["network"] = json::parse(R"({
    "latency": { "dist": "uniform", "min": "1ms", "max": "3ms" },
    "drop": 0.01, "duplicate": 0.001, "fifo": true, "bandwidth_bytes_per_s": "125MB", "mailbox_capacity": 64,
    "links": [ { "from": "n1", "to": "w1", "both_ways": true, "latency": { "dist": "constant", "value": "20ms" },
                 "drop": 0.5, "bandwidth_bytes_per_s": 1000 } ] })");
  Scenario s = load(doc);
  EXPECT_EQ(s.network.defaults.latency_ns, Distribution::uniform(1e6, 3e6));
  EXPECT_EQ(s.network.defaults.drop, 0.01);
  EXPECT_EQ(s.network.defaults.duplicate, 0.001);
  EXPECT_TRUE(s.network.defaults.fifo);
  EXPECT_EQ(s.network.defaults.bandwidth_bytes_per_s, 125e6);
  EXPECT_EQ(s.network.mailbox_capacity, 64u);
  ASSERT_EQ(s.network.links.size(), 1u);
  const LinkOverride& link = s.network.links[0];
  EXPECT_EQ(link.from, "n1");
  EXPECT_EQ(link.to, "w1");
  EXPECT_TRUE(link.both_ways);
  EXPECT_EQ(link.latency_ns, Distribution::constant(20e6));
  EXPECT_EQ(link.drop, 0.5);
  EXPECT_FALSE(link.duplicate.has_value());
  EXPECT_EQ(link.bandwidth_bytes_per_s, 1000.0);
}

TEST(WorldScenario, ReadsTheDisksWithPerNodeOverrides) {
  json doc = base();
  doc["disks"] = json::parse(R"({
    "write": { "dist": "constant", "value": "50us" },
    "fsync": { "dist": "constant", "value": "2ms" },
    "faults": { "fsync_spike": { "probability": 0.01, "factor": 50 }, "torn_write": 0.5 },
    "nodes": { "w1": { "fsync": { "dist": "constant", "value": "9ms" }, "faults": { "bit_flip": 0.001 } } } })");
  Scenario s = load(doc);
  EXPECT_EQ(s.disks.defaults.write_ns, Distribution::constant(50e3));
  EXPECT_EQ(s.disks.defaults.faults.fsync_spike, 0.01);
  EXPECT_EQ(s.disks.defaults.faults.fsync_spike_factor, 50);
  const DiskParams& w1 = s.disks.params_of("w1");
  EXPECT_EQ(w1.write_ns, Distribution::constant(50e3));  // inherited
  EXPECT_EQ(w1.fsync_ns, Distribution::constant(9e6));
  EXPECT_EQ(w1.faults.torn_write, 0.5);  // inherited fault by fault
  EXPECT_EQ(w1.faults.bit_flip, 0.001);
  EXPECT_EQ(s.disks.params_of("n1").faults.bit_flip, 0);
}

TEST(WorldScenario, ErrorsPointAtTheOffendingValue) {
  json doc = base();
  doc["network"] = json::parse(R"({ "links": [ { "from": "n1", "to": "nope" } ] })");
  EXPECT_EQ(error_pointer(doc), "/network/links/0/to");
  doc["network"] = {{"dorp", 0.1}};
  EXPECT_EQ(error_pointer(doc), "/network/dorp");
  doc["network"] = {{"drop", 1.5}};
  EXPECT_EQ(error_pointer(doc), "/network/drop");
  doc["network"] = json::parse(R"({ "links": [ { "from": "n1", "to": "n1" } ] })");
  EXPECT_EQ(error_pointer(doc), "/network/links/0/to");
  doc["network"] = {{"bandwidth_bytes_per_s", 0}};
  EXPECT_EQ(error_pointer(doc), "/network/bandwidth_bytes_per_s");
  doc.erase("network");
  doc["disks"] = json::parse(R"({ "nodes": { "ghost": {} } })");
  EXPECT_EQ(error_pointer(doc), "/disks/nodes/ghost");
  doc["disks"] = json::parse(R"({ "faults": { "torn_write": 2 } })");
  EXPECT_EQ(error_pointer(doc), "/disks/faults/torn_write");
  doc["disks"] = json::parse(R"({ "faults": { "fsync_spike": { "probability": 0.1 } } })");
  EXPECT_EQ(error_pointer(doc), "/disks/faults/fsync_spike");
}

TEST(WorldScenario, ReadsPartitionFaults) {
  json doc = base();
  doc["faults"] = json::parse(R"([
    { "at": "1s", "kind": "partition", "groups": [["n1"], ["w1", "n2"]], "duration": "2s" },
    { "at": "3s", "kind": "partition_one_way", "from": ["w1"], "to": ["n2"] } ])");
  Scenario s = load(doc);
  ASSERT_EQ(s.faults.size(), 2u);
  EXPECT_EQ(s.faults[0].kind, FaultKind::partition);
  EXPECT_EQ(s.faults[0].groups, (std::vector<std::vector<std::string>>{{"n1"}, {"w1", "n2"}}));
  EXPECT_EQ(s.faults[0].duration, 2 * kNanosPerSecond);
  EXPECT_TRUE(s.faults[0].target.empty());
  EXPECT_EQ(s.faults[1].kind, FaultKind::partition_one_way);
  EXPECT_EQ(s.faults[1].from, std::vector<std::string>{"w1"});
  EXPECT_EQ(s.faults[1].to, std::vector<std::string>{"n2"});
  EXPECT_EQ(s.faults[1].duration, kNever);
}

TEST(WorldScenario, PartitionErrorsPointAtTheOffendingValue) {
  json doc = base();
  doc["faults"] = json::parse(R"([{ "at": "1s", "kind": "partition", "groups": [["n1"], ["w9"]] }])");
  EXPECT_EQ(error_pointer(doc), "/faults/0/groups/1/0");
  doc["faults"] = json::parse(R"([{ "at": "1s", "kind": "partition", "groups": [["n1"], ["w1", "n1"]] }])");
  EXPECT_EQ(error_pointer(doc), "/faults/0/groups/1/1");
  doc["faults"] = json::parse(R"([{ "at": "1s", "kind": "partition", "groups": [["n1"]] }])");
  EXPECT_EQ(error_pointer(doc), "/faults/0/groups");
  doc["faults"] = json::parse(R"([{ "at": "1s", "kind": "partition", "target": "n1", "groups": [["n1"], ["w1"]] }])");
  EXPECT_EQ(error_pointer(doc), "/faults/0/target");
  doc["faults"] = json::parse(R"([{ "at": "1s", "kind": "partition_one_way", "from": ["n1"], "to": ["n1"] }])");
  EXPECT_EQ(error_pointer(doc), "/faults/0/to/0");
  doc["faults"] = json::parse(R"([{ "at": "1s", "kind": "partition_one_way", "from": ["n1"] }])");
  EXPECT_EQ(error_pointer(doc), "/faults/0");
}

TEST(WorldScenario, PartitionsAreReportedInSummaryWithTheirGroups) {
  json doc = base();
  doc["network"] = {{"drop", 0.01}};
  // At-least-once over a lossy link may apply an event twice: not expected away here.
  doc["expect"] = {{"hold", {"no_loss", "per_key_order", "bounded_queues", "flow_control", "drains_after_heal"}}};
  doc["faults"] = json::parse(R"([
    { "at": "1s", "kind": "partition", "groups": [["n1"], ["w1", "n2"]], "duration": "2s" },
    { "at": "1500ms", "kind": "partition_one_way", "from": ["w1"], "to": ["n2"], "duration": "1s" } ])");
  Scenario s = load(doc);
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_TRUE(report.ok) << report.summary.dump(2);
  const json& faults = report.summary["faults"];
  ASSERT_EQ(faults.size(), 2u);
  EXPECT_EQ(faults[0]["kind"], "partition");
  EXPECT_EQ(faults[0]["groups"], json::parse(R"([["n1"], ["w1", "n2"]])"));
  EXPECT_EQ(faults[0]["at_ns"], 1'000'000'000LL);
  EXPECT_EQ(faults[0]["end_ns"], 3'000'000'000LL);
  EXPECT_EQ(faults[0]["target"], "n1 | w1,n2");
  EXPECT_EQ(faults[1]["kind"], "partition_one_way");
  EXPECT_EQ(faults[1]["from"], json::array({"w1"}));
  EXPECT_EQ(faults[1]["to"], json::array({"n2"}));
  EXPECT_EQ(faults[1]["nodes"], json::array({"w1", "n2"}));
  ASSERT_TRUE(report.summary.contains("world"));
  EXPECT_GT(report.summary["world"]["network"]["sent"], 0);  // the worker reaches the sink over the network
  EXPECT_EQ(report.trace_hash, run_scenario(s, RunOptions{}).trace_hash);
}

TEST(WorldScenario, TheWorldLeavesTraceHashesOfScenariosWithoutItAlone) {
  // Building the (unused) world must not change what a run hashes: with the
  // worker on the sink's node, nothing crosses the network.
  json doc = base();
  doc["stages"][0]["workers"] = {"n2"};
  Scenario plain = load(doc);
  doc["network"] = json::parse(R"({ "latency": { "dist": "constant", "value": "1ms" }, "drop": 0.5 })");
  doc["disks"] = json::parse(R"({ "faults": { "bit_flip": 0.5 } })");
  Scenario worldly = load(doc);
  EXPECT_EQ(run_scenario(plain, RunOptions{}).trace_hash, run_scenario(worldly, RunOptions{}).trace_hash);
}

TEST(WorldScenario, SwarmDrawsPartitionsThatHealByFaultsEnd) {
  SwarmSpec swarm;
  swarm.kinds = {FaultKind::partition, FaultKind::partition_one_way};
  swarm.rate_per_s = 2;
  swarm.intensity = 1;
  const std::vector<std::string> nodes = {"a", "b", "c", "d"};
  const Nanos end = 60 * kNanosPerSecond;
  int symmetric = 0, one_way = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    for (const FaultSpec& fault : draw_swarm(swarm, end, nodes, seed)) {
      ASSERT_TRUE(is_partition(fault.kind));
      EXPECT_LE(fault.at + fault.duration, end);
      EXPECT_TRUE(fault.target.empty());
      std::vector<std::string> all = fault.nodes();
      std::sort(all.begin(), all.end());
      EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end()) << "a node on both sides";
      if (fault.kind == FaultKind::partition) {
        ++symmetric;
        ASSERT_EQ(fault.groups.size(), 2u);
        EXPECT_FALSE(fault.groups[0].empty());
        EXPECT_FALSE(fault.groups[1].empty());
        EXPECT_EQ(all.size(), nodes.size());
      } else {
        ++one_way;
        EXPECT_EQ(fault.from.size(), 1u);
        EXPECT_FALSE(fault.to.empty());
      }
    }
  }
  EXPECT_GT(symmetric, 0);
  EXPECT_GT(one_way, 0);
  // One node cannot be partitioned: the swarm leaves partitions out.
  EXPECT_TRUE(draw_swarm(swarm, end, {"solo"}, 1).empty());
}

TEST(WorldScenario, ASwarmWithPartitionsRunsDeterministically) {
  json doc = base();
  doc["run"] = json::parse(R"({ "faults_end": "1s" })");
  doc["swarm"] = json::parse(R"({ "kinds": ["partition", "partition_one_way", "crash"], "rate": 5 })");
  Scenario s = load(doc);
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    RunOptions options;
    options.seed = seed;
    RunReport first = run_scenario(s, options);
    EXPECT_EQ(first.trace_hash, run_scenario(s, options).trace_hash) << "seed " << seed;
  }
}

}  // namespace
}  // namespace sluice
