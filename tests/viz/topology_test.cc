#include "visualizer/topology.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace sluice::viz {
namespace {

TEST(Topology, ColumnsFollowDagDepth) {
  const Topology t = topology_from_json(nlohmann::json::parse(R"({
    "nodes": ["edge", "w1", "w2", "db"],
    "sources": [{"id": "a", "node": "edge", "to": "q1"}, {"id": "b", "node": "edge", "to": "q2"}],
    "buffers": [{"id": "q1", "node": "edge", "capacity": 64, "policy": "block"},
                {"id": "q2", "node": "edge", "capacity": 8, "policy": "drop_newest"},
                {"id": "q3", "node": "w1", "capacity": 16, "policy": "block"}],
    "stages": [{"id": "s1", "from": "q1", "to": "q3", "workers": ["w1"]},
               {"id": "s2", "from": "q2", "to": "q3", "workers": ["w2"]},
               {"id": "s3", "from": "q3", "to": "db", "workers": ["w1", "w2"]}],
    "sinks": [{"id": "db", "node": "db"}, {"id": "unused", "node": "db"}]
  })"));
  ASSERT_EQ(t.parts.size(), 10u);
  auto column = [&](const char* id) { return t.parts[t.find(id)].column; };
  EXPECT_EQ(column("a"), 0);
  EXPECT_EQ(column("q1"), 1);
  EXPECT_EQ(column("s1"), 2);
  EXPECT_EQ(column("q3"), 3);
  EXPECT_EQ(column("s3"), 4);
  EXPECT_EQ(column("db"), 5);
  EXPECT_EQ(column("unused"), 5);  // sinks line up at the right
  EXPECT_EQ(t.columns, 6);
  EXPECT_EQ(t.max_rows, 2);
  EXPECT_EQ(t.parts[t.find("q2")].capacity, 8u);
  EXPECT_EQ(t.parts[t.find("q2")].policy, "drop_newest");
  EXPECT_EQ(t.parts[t.find("s3")].nodes, (std::vector<std::string>{"w1", "w2"}));
  EXPECT_EQ(t.edges.size(), 8u);
  EXPECT_EQ(t.nodes.size(), 4u);
}

TEST(Topology, RowsFollowTheirPredecessors) {
  const Topology t = topology_from_json(nlohmann::json::parse(R"({
    "sources": [{"id": "a", "node": "n", "to": "qa"}, {"id": "b", "node": "n", "to": "qb"}],
    "buffers": [{"id": "qb", "node": "n", "capacity": 1}, {"id": "qa", "node": "n", "capacity": 1}],
    "stages": [], "sinks": []
  })"));
  // qb is listed first but fed by b (row 1), so it goes below qa.
  EXPECT_EQ(t.parts[t.find("qa")].row, 0);
  EXPECT_EQ(t.parts[t.find("qb")].row, 1);
  EXPECT_EQ(t.nodes, std::vector<std::string>{"n"});
}

TEST(Topology, DanglingReferencesAreDropped) {
  const Topology t = topology_from_json(nlohmann::json::parse(R"({
    "sources": [{"id": "a", "node": "n", "to": "nowhere"}], "buffers": [], "stages": [], "sinks": []
  })"));
  EXPECT_TRUE(t.edges.empty());
  EXPECT_EQ(t.find(PartKind::source, "a"), 0);
  EXPECT_EQ(t.find(PartKind::sink, "a"), -1);
}

}  // namespace
}  // namespace sluice::viz
