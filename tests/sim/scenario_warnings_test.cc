// `sluice validate` warns, without failing, about scenarios that cannot test
// what they seem to; a plain scenario gets no warning.
#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/loader.h"
#include "sim/scenario/scenario_warnings.h"

namespace sluice {
namespace {

nlohmann::json base() {
  return nlohmann::json::parse(R"({
    "name": "w", "run": {"until": "1m"},
    "sources": [{"id": "s", "node": "edge", "count": 10, "arrival": {"dist": "constant", "value": "10ms"}, "to": "q"}],
    "buffers": [{"id": "q", "node": "edge", "capacity": 10}],
    "stages": [{"id": "st", "from": "q", "workers": ["w1"], "service_time": {"dist": "constant", "value": "1ms"}, "to": "db",
                "dead_letter": "dlq"}],
    "sinks": [{"id": "db", "node": "db"}, {"id": "dlq", "node": "spare", "mode": "dead_letter"}]
  })");
}

std::string all(const std::vector<std::string>& warnings) {
  std::string out;
  for (const std::string& w : warnings) out += w + "\n";
  return out;
}

TEST(ScenarioWarnings, APlainScenarioHasNone) {
  EXPECT_TRUE(scenario_warnings(load_scenario_json(base(), "w.json")).empty());
}

TEST(ScenarioWarnings, AFaultAfterTheEndOfTheRun) {
  nlohmann::json doc = base();
  doc["faults"] = {{{"at", "2m"}, {"kind", "crash"}, {"target", "w1"}, {"restart_after", "1s"}}};
  const std::string text = all(scenario_warnings(load_scenario_json(doc, "w.json")));
  EXPECT_NE(text.find("/faults/0/at: the fault begins at"), std::string::npos) << text;
}

// The stage never fails, so its dead-letter sink's node never sees an event.
TEST(ScenarioWarnings, AFaultOnANodeThatRunsNothing) {
  nlohmann::json doc = base();
  doc["faults"] = {{{"at", "1s"}, {"kind", "crash"}, {"target", "spare"}, {"restart_after", "1s"}}};
  const std::string text = all(scenario_warnings(load_scenario_json(doc, "w.json")));
  EXPECT_NE(text.find("node 'spare' runs nothing"), std::string::npos) << text;
}

TEST(ScenarioWarnings, ADrainBoundShorterThanAFault) {
  nlohmann::json doc = base();
  doc["run"]["drain_within"] = "5s";
  doc["faults"] = {{{"at", "1s"}, {"kind", "crash"}, {"target", "w1"}, {"restart_after", "30s"}}};
  const std::string text = all(scenario_warnings(load_scenario_json(doc, "w.json")));
  EXPECT_NE(text.find("/run/drain_within"), std::string::npos) << text;
}

TEST(ScenarioWarnings, ExactlyOnceWithoutAStatefulOperator) {
  nlohmann::json doc = nlohmann::json::parse(R"({
    "name": "eo", "delivery": "exactly_once",
    "sources": [{"id": "s", "node": "edge", "count": 10, "arrival": {"dist": "constant", "value": "10ms"}, "to": "t"}],
    "topics": [{"id": "t", "node": "broker", "partitions": 1}],
    "stages": [{"id": "st", "from": "t", "workers": ["w1"], "service_time": {"dist": "constant", "value": "1ms"}, "to": "db"}],
    "sinks": [{"id": "db", "node": "db", "mode": "transactional"}]
  })");
  const std::string text = all(scenario_warnings(load_scenario_json(doc, "eo.json")));
  EXPECT_NE(text.find("exactly_once without a stateful operator"), std::string::npos) << text;
}

}  // namespace
}  // namespace sluice
