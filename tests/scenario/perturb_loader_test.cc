// The scenario's "perturb" object: "all" or a list of site names from the
// one table, the two probabilities, and exit-2 errors with a JSON path.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario/loader.h"
#include "sim/scenario/perturb_reader.h"
#include "sim/scenario/scenario_error.h"

namespace sluice {
namespace {

using nlohmann::json;

json with_perturb(const json& perturb) {
  json document = json::parse(R"({
    "name": "t",
    "sources": [ { "id": "src", "node": "n1", "count": 10,
                   "arrival": { "dist": "constant", "value": "1ms" }, "to": "ingest" } ],
    "buffers": [ { "id": "ingest", "node": "n1", "capacity": 4 } ],
    "stages":  [ { "id": "work", "from": "ingest", "workers": ["w1"],
                   "service_time": { "dist": "constant", "value": "1ms" }, "to": "db" } ],
    "sinks":   [ { "id": "db", "node": "n2" } ]
  })");
  document["perturb"] = perturb;
  return document;
}

ScenarioError error_of(const json& perturb) {
  try {
    load_scenario_text(with_perturb(perturb).dump(), "test.json");
  } catch (const ScenarioError& error) {
    return error;
  }
  ADD_FAILURE() << "loaded without error: " << perturb;
  return ScenarioError("", "", "");
}

TEST(PerturbLoader, AbsentIsOffAndAllIsEverySiteWithTheDefaults) {
  json document = with_perturb(nullptr);
  document.erase("perturb");
  EXPECT_FALSE(load_scenario_text(document.dump(), "test.json").perturb.on());
  const Scenario all = load_scenario_text(with_perturb({{"sites", "all"}}).dump(), "test.json");
  EXPECT_EQ(all.perturb, PerturbSpec::all());
  EXPECT_EQ(all.perturb.enable_probability, 0.25);
  EXPECT_EQ(all.perturb.fire_probability, 0.05);
}

TEST(PerturbLoader, AListNamesSitesAndTheProbabilitiesAreRead) {
  const Scenario s = load_scenario_text(
      with_perturb({{"sites", {"produce_ack_lost", "fetch_short"}}, {"enable_probability", 1}, {"fire_probability", 0.5}})
          .dump(),
      "test.json");
  // Kept in table order, whatever order the file lists them in.
  EXPECT_EQ(s.perturb.sites, (std::vector<PerturbSite>{PerturbSite::fetch_short, PerturbSite::produce_ack_lost}));
  EXPECT_EQ(s.perturb.enable_probability, 1);
  EXPECT_EQ(s.perturb.fire_probability, 0.5);
  // perturb_json writes what read_perturb reads (shrink --perturb uses it).
  EXPECT_EQ(perturb_json(s.perturb)["sites"], json({"fetch_short", "produce_ack_lost"}));
  EXPECT_EQ(perturb_json(PerturbSpec::all())["sites"], "all");
}

TEST(PerturbLoader, ABadSiteNameOrProbabilityNamesItsPath) {
  ScenarioError error = error_of({{"sites", {"fetch_short", "fetch_shrot"}}});
  EXPECT_EQ(error.pointer, "/perturb/sites/1") << error.what();
  EXPECT_NE(error.message.find("fetch_short"), std::string::npos) << error.what();  // the suggestion
  error = error_of({{"sites", {"fetch_short", "fetch_short"}}});
  EXPECT_EQ(error.pointer, "/perturb/sites/1") << error.what();
  EXPECT_NE(error.message.find("twice"), std::string::npos) << error.what();
  error = error_of({{"sites", "some"}});
  EXPECT_EQ(error.pointer, "/perturb/sites") << error.what();
  error = error_of({{"sites", json::array()}});
  EXPECT_EQ(error.pointer, "/perturb/sites") << error.what();
  error = error_of({{"sites", "all"}, {"fire_probability", 1.5}});
  EXPECT_EQ(error.pointer, "/perturb/fire_probability") << error.what();
  error = error_of({{"sites", "all"}, {"fire_prob", 0.1}});
  EXPECT_EQ(error.pointer, "/perturb/fire_prob") << error.what();
  error = error_of({{"enable_probability", 0.5}});
  EXPECT_EQ(error.pointer, "/perturb") << error.what();
  EXPECT_NE(error.message.find("sites"), std::string::npos) << error.what();
}

// The schema lists the table's sites, in its order.
TEST(PerturbLoader, TheSchemaListsEverySiteOfTheTable) {
  std::ifstream in(std::string(SLUICE_SOURCE_DIR) + "/scenarios/schema.json");
  const json schema = json::parse(in);
  std::vector<std::string> names;
  for (const PerturbSiteInfo& info : kPerturbSites) names.emplace_back(info.name);
  EXPECT_EQ(schema["$defs"]["perturb_site"]["enum"].get<std::vector<std::string>>(), names);
  EXPECT_EQ(schema["properties"]["perturb"]["$ref"], "#/$defs/perturb");
}

}  // namespace
}  // namespace sluice
