// The exactly-once topology rule (issue 17): an exactly-once stage that
// reads a topic writes each output to a transactional sink or a topic, so
// chains, fan-out and fan-in load; a buffer or a plain sink as such an
// output is rejected with its JSON path.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "sim/scenario/loader.h"

namespace sluice {
namespace {

// source -> raw -> parse -> parsed -> count -> db (transactional).
nlohmann::json chain() {
  return nlohmann::json::parse(R"({
    "name": "chain", "delivery": "exactly_once",
    "sources": [{"id": "s", "node": "edge", "count": 10, "arrival": {"dist": "constant", "rate": 10}, "to": "raw"}],
    "topics": [{"id": "raw", "node": "b"}, {"id": "parsed", "node": "b"}],
    "stages": [{"id": "parse", "from": "raw", "workers": ["w1"], "service_time": {"dist": "constant", "value": "1ms"}, "to": "parsed"},
               {"id": "count", "from": "parsed", "workers": ["w2"], "service_time": {"dist": "constant", "value": "1ms"}, "operator": {"kind": "count_by_key"}, "to": "db"}],
    "sinks": [{"id": "db", "node": "d", "mode": "transactional"}, {"id": "plain", "node": "d"}]
  })");
}

std::string error_at(const nlohmann::json& doc, std::string* message) {
  try {
    load_scenario_json(doc, "test.json");
  } catch (const ScenarioError& e) {
    *message = e.message;
    return e.pointer;
  }
  return "(loaded)";
}

TEST(TxnLoader, AcceptsAChainAFanOutAndAFanIn) {
  nlohmann::json doc = chain();
  doc["sinks"].erase(1);  // a sink nothing reaches is rejected on its own account
  EXPECT_NO_THROW(load_scenario_json(doc, "test.json"));
  doc["sinks"].push_back({{"id", "db2"}, {"node", "d"}, {"mode", "transactional"}});
  doc["stages"][0]["to"] = {"parsed", "db2"};  // fan-out: a topic and a transactional sink in one transaction
  doc["sources"].push_back(
      {{"id", "s2"}, {"node", "edge"}, {"count", 5}, {"arrival", {{"dist", "constant"}, {"rate", 5}}}, {"to", "parsed"}});
  const Scenario scenario = load_scenario_json(doc, "test.json");
  EXPECT_EQ(scenario.stages[0].fan_out.size(), 1u);
}

TEST(TxnLoader, RejectsAnOutputThatCannotTakePartInATransaction) {
  std::string message;
  nlohmann::json doc = chain();
  doc["stages"][1]["to"] = "plain";
  doc["sinks"].erase(0);
  EXPECT_EQ(error_at(doc, &message), "/stages/1/to");
  EXPECT_NE(message.find("cannot take part in a transaction"), std::string::npos) << message;

  doc = chain();
  doc["stages"][1]["to"] = {"db", "plain"};
  EXPECT_EQ(error_at(doc, &message), "/stages/1/to/1");
  EXPECT_NE(message.find("'plain' is a sink that cannot take part in a transaction"), std::string::npos) << message;
}

TEST(TxnLoader, IsolationIsReadPerStage) {
  nlohmann::json doc = chain();
  doc["sinks"].erase(1);
  doc["stages"][1]["group"] = {{"isolation", "read_uncommitted"}};
  const Scenario scenario = load_scenario_json(doc, "test.json");
  ASSERT_TRUE(scenario.stages[1].group.has_value());
  EXPECT_EQ(scenario.stages[1].group->isolation, Isolation::read_uncommitted);
  doc["stages"][1]["group"] = {{"isolation", "read_comitted"}};
  std::string message;
  EXPECT_EQ(error_at(doc, &message), "/stages/1/group/isolation");
}

}  // namespace
}  // namespace sluice
