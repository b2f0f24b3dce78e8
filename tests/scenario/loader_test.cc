#include "sim/scenario/loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario/distribution_reader.h"

namespace sluice {
namespace {

using nlohmann::json;

constexpr double kNs = 1e9;  // nanoseconds per second, for expected distributions

// A small valid scenario that tests edit into each invalid one:
// src -> ingest -> work -> db.
json base() {
  return json::parse(R"({
    "name": "t",
    "sources": [ { "id": "src", "node": "n1", "count": 10,
                   "arrival": { "dist": "constant", "value": "1ms" }, "to": "ingest" } ],
    "buffers": [ { "id": "ingest", "node": "n1", "capacity": 4 } ],
    "stages":  [ { "id": "work", "from": "ingest", "workers": ["w1"],
                   "service_time": { "dist": "constant", "value": "1ms" }, "to": "db" } ],
    "sinks":   [ { "id": "db", "node": "n2" } ]
  })");
}

Scenario load(const json& document) { return load_scenario_text(document.dump(), "test.json"); }

// The error loading `text` raises; a load that succeeds is a test failure.
ScenarioError error_of(const std::string& text) {
  try {
    load_scenario_text(text, "test.json");
  } catch (const ScenarioError& error) {
    return error;
  }
  ADD_FAILURE() << "loaded without error: " << text;
  return ScenarioError("", "", "");
}

ScenarioError error_of(const json& document) { return error_of(document.dump()); }

// Asserts the pointer exactly and that the message holds every key phrase.
#define EXPECT_ERROR(document, expected_pointer, ...)                         \
  do {                                                                        \
    const ScenarioError error_ = error_of(document);                          \
    EXPECT_EQ(error_.pointer, expected_pointer) << error_.what();             \
    EXPECT_EQ(error_.file, "test.json");                                      \
    for (const std::string phrase_ : std::vector<std::string>{__VA_ARGS__}) { \
      EXPECT_NE(error_.message.find(phrase_), std::string::npos)              \
          << "'" << phrase_ << "' not in: " << error_.what();                 \
    }                                                                         \
  } while (0)

std::vector<std::filesystem::path> scenario_files() {
  std::vector<std::filesystem::path> files;
  const std::filesystem::path root = std::filesystem::path(SLUICE_SOURCE_DIR) / "scenarios";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json" &&
        entry.path().filename() != "schema.json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// ---------------------------------------------------------------------------
// The shipped scenarios

TEST(ScenarioFiles, EveryFileLoads) {
  const std::vector<std::filesystem::path> files = scenario_files();
  ASSERT_GE(files.size(), 7u);
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    try {
      const Scenario scenario = load_scenario_file(path.string());
      EXPECT_EQ(scenario.file, path.string());
      EXPECT_FALSE(scenario.description.empty());
      EXPECT_FALSE(scenario.expect.hold.empty());
    } catch (const ScenarioError& error) {
      ADD_FAILURE() << error.what();
    }
  }
}

TEST(ScenarioFiles, SlowConsumerMeansWhatItSays) {
  const Scenario s =
      load_scenario_file(std::string(SLUICE_SOURCE_DIR) + "/scenarios/basics/slow_consumer.json");
  EXPECT_EQ(s.name, "slow-consumer");
  ASSERT_EQ(s.sources.size(), 1u);
  EXPECT_EQ(s.sources[0].count, 20000u);
  EXPECT_EQ(s.sources[0].interarrival_ns, Distribution::exponential(100 / kNs));
  EXPECT_EQ(s.sources[0].key, Distribution::uniform_int(0, 49));
  ASSERT_EQ(s.buffers.size(), 1u);
  EXPECT_EQ(s.buffers[0].capacity, 64u);
  EXPECT_EQ(s.buffers[0].policy, OverflowPolicy::block);
  ASSERT_EQ(s.stages.size(), 1u);
  EXPECT_EQ(s.stages[0].workers, std::vector<std::string>{"worker-1"});
  EXPECT_DOUBLE_EQ(s.stages[0].service_ns.mean(), 12e6);
  EXPECT_EQ(s.expect.hold, (std::vector<std::string>{"no_loss", "no_duplicate_effects", "per_key_order",
                                                      "bounded_queues", "flow_control", "drains_after_heal"}));
  EXPECT_TRUE(s.expect.violate.empty());
}

TEST(ScenarioFiles, Mm1AndTandemHaveTheirRates) {
  const std::string dir = std::string(SLUICE_SOURCE_DIR) + "/scenarios/";
  const Scenario mm1 = load_scenario_file(dir + "basics/mm1.json");
  EXPECT_DOUBLE_EQ(mm1.sources[0].interarrival_ns.mean(), 12.5e6);
  EXPECT_DOUBLE_EQ(mm1.stages[0].service_ns.mean(), 10e6);
  EXPECT_EQ(mm1.buffers[0].capacity, 100000u);
  EXPECT_EQ(mm1.sources[0].count, 200000u);
  const Scenario tandem = load_scenario_file(dir + "bench/tandem.json");
  EXPECT_EQ(tandem.sources[0].count, 1000000u);
  ASSERT_EQ(tandem.stages.size(), 2u);
  for (const StageSpec& stage : tandem.stages) EXPECT_DOUBLE_EQ(stage.service_ns.mean(), 0.8e9);
  EXPECT_EQ(tandem.sources[0].key, Distribution::constant(0));
}

// ---------------------------------------------------------------------------
// Defaults and what each field becomes

TEST(Loader, DefaultsOfAMinimalScenario) {
  const Scenario s = load(base());
  EXPECT_EQ(s.file, "test.json");
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.strategy, StrategyKind::fifo);
  EXPECT_EQ(s.run.until, kNever);
  EXPECT_EQ(s.run.drain_within, kNever);
  EXPECT_EQ(s.sources[0].key, Distribution::constant(0));
  EXPECT_EQ(s.sources[0].key_offset, 0);
  EXPECT_EQ(s.sources[0].size_bytes, Distribution::constant(100));
  EXPECT_EQ(s.sources[0].priority, Distribution::constant(0));
  EXPECT_EQ(s.sources[0].interarrival_ns, Distribution::constant(1e6));
  EXPECT_EQ(s.buffers[0].policy, OverflowPolicy::block);
  EXPECT_EQ(s.expect.hold, invariant_names());
  EXPECT_TRUE(s.expect.violate.empty());
}

TEST(Loader, ReadsEveryTopLevelField) {
  json doc = base();
  doc["$schema"] = "../schema.json";
  doc["description"] = "d";
  doc["seed"] = 9007199254740992.0;
  doc["strategy"] = "random";
  doc["run"] = {{"until", "10m"}, {"drain_within", "2s"}};
  doc["buffers"][0]["policy"] = "shed_by_priority";
  doc["sinks"][0]["mode"] = "plain";
  const Scenario s = load(doc);
  EXPECT_EQ(s.description, "d");
  EXPECT_EQ(s.seed, 9007199254740992u);
  EXPECT_EQ(s.strategy, StrategyKind::random);
  EXPECT_EQ(s.run.until, 600 * kNanosPerSecond);
  EXPECT_EQ(s.run.drain_within, 2 * kNanosPerSecond);
  EXPECT_EQ(s.buffers[0].policy, OverflowPolicy::shed_by_priority);
}

TEST(Loader, SourceDirectlyIntoASink) {
  json doc = base();
  doc["sources"][0]["to"] = "db";
  doc.erase("buffers");
  doc.erase("stages");
  const Scenario s = load(doc);
  EXPECT_TRUE(s.buffers.empty());
  EXPECT_TRUE(s.stages.empty());
}

TEST(Loader, Keys) {
  json doc = base();
  doc["sources"][0]["keys"] = {{"count", 500}, {"dist", "zipf"}, {"s", 1.1}};
  Scenario s = load(doc);
  EXPECT_EQ(s.sources[0].key, Distribution::zipf(500, 1.1));
  EXPECT_EQ(s.sources[0].key_offset, -1);
  doc["sources"][0]["keys"] = {{"count", 8}, {"dist", "uniform"}};
  s = load(doc);
  EXPECT_EQ(s.sources[0].key, Distribution::uniform_int(0, 7));
  EXPECT_EQ(s.sources[0].key_offset, 0);
  doc["sources"][0]["keys"] = {{"count", 1}};
  EXPECT_EQ(load(doc).sources[0].key, Distribution::constant(0));
}

TEST(Loader, SizeAndPriority) {
  json doc = base();
  doc["sources"][0]["size_bytes"] = 512;
  doc["sources"][0]["priority"] = {{"dist", "uniform_int"}, {"min", 0}, {"max", 3}};
  const Scenario s = load(doc);
  EXPECT_EQ(s.sources[0].size_bytes, Distribution::constant(512));
  EXPECT_EQ(s.sources[0].priority, Distribution::uniform_int(0, 3));
}

TEST(Loader, NodesInOrderOfFirstMention) {
  json doc = base();
  doc["stages"][0]["workers"] = {"w1", "n1", "w2", "w1"};
  doc["sinks"][0]["node"] = "w2";
  const Scenario s = load(doc);
  EXPECT_EQ(s.nodes(), (std::vector<std::string>{"n1", "w1", "w2"}));
  EXPECT_EQ(s.stages[0].workers.size(), 4u);  // two workers may share a node
}

TEST(Loader, InvariantNamesInReportOrder) {
  EXPECT_EQ(invariant_names(), (std::vector<std::string>{"no_loss", "no_duplicate_effects", "per_key_order",
                                                         "checkpoint_consistency", "bounded_queues",
                                                         "flow_control", "drains_after_heal", "progress",
                                                         "no_flapping", "scale_in_is_lossless", "latency_slo"}));
}

// ---------------------------------------------------------------------------
// Distributions

Distribution time_dist(const std::string& text) {
  const json value = json::parse(text);
  return read_time_distribution(JsonReader(value, "d.json", "/d"));
}

Distribution number_dist(const std::string& text) {
  const json value = json::parse(text);
  return read_number_distribution(JsonReader(value, "d.json", "/d"));
}

ScenarioError dist_error(Distribution (*read)(const std::string&), const std::string& text) {
  try {
    read(text);
  } catch (const ScenarioError& error) {
    return error;
  }
  ADD_FAILURE() << "accepted: " << text;
  return ScenarioError("", "", "");
}

#define EXPECT_DIST_ERROR(read, text, expected_pointer, phrase)                 \
  do {                                                                          \
    const ScenarioError error_ = dist_error(read, text);                        \
    EXPECT_EQ(error_.pointer, expected_pointer) << error_.what();               \
    EXPECT_NE(error_.message.find(phrase), std::string::npos) << error_.what(); \
  } while (0)

TEST(TimeDistribution, EveryKind) {
  EXPECT_EQ(time_dist(R"({"dist":"constant","value":"5ms"})"), Distribution::constant(5e6));
  EXPECT_EQ(time_dist(R"({"dist":"constant","rate":100})"), Distribution::constant(1e7));
  EXPECT_EQ(time_dist(R"({"dist":"exponential","rate":1.25})"), Distribution::exponential(1.25 / kNs));
  EXPECT_EQ(time_dist(R"({"dist":"exponential","mean":"800ms"})"), Distribution::exponential(1 / 8e8));
  EXPECT_EQ(time_dist(R"({"dist":"uniform","min":"1ms","max":"3ms"})"), Distribution::uniform(1e6, 3e6));
  EXPECT_EQ(time_dist(R"({"dist":"normal","mean":"10ms","stddev":"2ms"})"), Distribution::normal(1e7, 2e6));
  EXPECT_EQ(time_dist(R"({"dist":"lognormal","mean":"12ms","sigma":0.6})"),
            Distribution::lognormal(1.2e7, 0.6));
  EXPECT_EQ(time_dist(R"({"dist":"pareto","scale":"1ms","shape":2.5})"), Distribution::pareto(1e6, 2.5));
}

TEST(TimeDistribution, Errors) {
  const auto t = &time_dist;
  EXPECT_DIST_ERROR(t, R"({"dist":"exponential","rate":1,"sigma":2})", "/d/sigma", "unknown field 'sigma'");
  EXPECT_DIST_ERROR(t, R"({"dist":"exponential","rate":1,"mean":"1s"})", "/d/mean",
                    "either 'rate' or 'mean'");
  EXPECT_DIST_ERROR(t, R"({"dist":"exponential"})", "/d", "missing required field 'rate' or 'mean'");
  EXPECT_DIST_ERROR(t, R"({"dist":"exponential","rate":0})", "/d/rate", "greater than 0");
  EXPECT_DIST_ERROR(t, R"({"dist":"exponential","rate":-2})", "/d/rate", "greater than 0");
  EXPECT_DIST_ERROR(t, R"({"dist":"exponential","mean":"0"})", "/d/mean", "greater than 0");
  EXPECT_DIST_ERROR(t, R"({"dist":"constant","value":5})", "/d/value", "durations are strings with a unit");
  EXPECT_DIST_ERROR(t, R"({"dist":"constant","value":"5"})", "/d/value", "need a unit");
  EXPECT_DIST_ERROR(t, R"({"dist":"constant","rate":1e-310})", "/d/rate", "too small");
  EXPECT_DIST_ERROR(t, R"({"dist":"uniform","min":"3ms","max":"1ms"})", "/d/max",
                    "less than 'min' (\"3ms\")");
  EXPECT_DIST_ERROR(t, R"({"dist":"uniform","min":"3ms"})", "/d", "missing required field 'max'");
  EXPECT_DIST_ERROR(t, R"({"dist":"lognormal","mean":"0","sigma":1})", "/d/mean",
                    "lognormal mean must be > 0");
  EXPECT_DIST_ERROR(t, R"({"dist":"lognormal","mean":"1ms","sigma":-1})", "/d/sigma",
                    "lognormal sigma must be >= 0");
  EXPECT_DIST_ERROR(t, R"({"dist":"zipf","n":3,"s":1})", "/d/dist",
                    "must be one of: constant, uniform, exponential");
  EXPECT_DIST_ERROR(t, R"({"dist":"exponental","rate":1})", "/d/dist", "did you mean \"exponential\"");
  EXPECT_DIST_ERROR(t, R"({"dsit":"exponential","rate":1})", "/d/dsit", "did you mean 'dist'");
  EXPECT_DIST_ERROR(t, R"({"rate":1})", "/d", "missing required field 'dist'");
  EXPECT_DIST_ERROR(t, R"("5ms")", "/d", "expected a distribution object");
  EXPECT_DIST_ERROR(t, R"([])", "/d", "expected an object");
}

TEST(NumberDistribution, EveryKind) {
  EXPECT_EQ(number_dist("7.5"), Distribution::constant(7.5));
  EXPECT_EQ(number_dist(R"({"dist":"constant","value":3})"), Distribution::constant(3));
  EXPECT_EQ(number_dist(R"({"dist":"uniform","min":1,"max":2})"), Distribution::uniform(1, 2));
  EXPECT_EQ(number_dist(R"({"dist":"uniform_int","min":0,"max":3})"), Distribution::uniform_int(0, 3));
  EXPECT_EQ(number_dist(R"({"dist":"exponential","rate":2})"), Distribution::exponential(2));
  EXPECT_EQ(number_dist(R"({"dist":"normal","mean":5,"stddev":1})"), Distribution::normal(5, 1));
  EXPECT_EQ(number_dist(R"({"dist":"lognormal","mean":300,"sigma":0.4})"), Distribution::lognormal(300, 0.4));
  EXPECT_EQ(number_dist(R"({"dist":"pareto","scale":1,"shape":2})"), Distribution::pareto(1, 2));
  EXPECT_EQ(number_dist(R"({"dist":"zipf","n":10,"s":1.1})"), Distribution::zipf(10, 1.1));
  EXPECT_EQ(number_dist(R"({"dist":"bernoulli","p":0.25})"), Distribution::bernoulli(0.25));
}

TEST(NumberDistribution, Errors) {
  const auto n = &number_dist;
  EXPECT_DIST_ERROR(n, R"({"dist":"bernoulli","p":1.5})", "/d/p", "bernoulli p must be in [0, 1]");
  EXPECT_DIST_ERROR(n, R"({"dist":"zipf","n":2.5,"s":1})", "/d/n", "zipf n must be an integer");
  EXPECT_DIST_ERROR(n, R"({"dist":"zipf","n":3,"s":0})", "/d/s", "zipf s must be > 0");
  EXPECT_DIST_ERROR(n, R"({"dist":"uniform_int","min":1.5,"max":3})", "/d/min", "must be an integer");
  EXPECT_DIST_ERROR(n, R"({"dist":"uniform","min":3,"max":1})", "/d/max", "less than 'min' (3)");
  EXPECT_DIST_ERROR(n, R"({"dist":"exponential","rate":-1})", "/d/rate", "exponential rate must be > 0");
  EXPECT_DIST_ERROR(n, R"({"dist":"exponential","mean":1})", "/d/mean", "unknown field 'mean'");
  EXPECT_DIST_ERROR(n, R"({"dist":"constant","rate":1})", "/d/rate", "unknown field 'rate'");
  EXPECT_DIST_ERROR(n, R"({"dist":"normal","mean":"5","stddev":1})", "/d/mean", "expected a number");
  EXPECT_DIST_ERROR(n, R"("5")", "/d", "expected a number or a distribution object");
}

// ---------------------------------------------------------------------------
// Validation rules, one test each

TEST(Validation, UnknownFieldsAtEveryLevel) {
  json doc = base();
  doc["topic"] = json::array();
  EXPECT_ERROR(doc, "/topic", "unknown field 'topic'", "did you mean 'topics'?");
  doc = base();
  doc["buffers"][0]["capcity"] = doc["buffers"][0]["capacity"];
  doc["buffers"][0].erase("capacity");
  EXPECT_ERROR(doc, "/buffers/0/capcity", "unknown field 'capcity'", "did you mean 'capacity'?");
  doc = base();
  doc["stages"][0]["workrs"] = doc["stages"][0]["workers"];
  doc["stages"][0].erase("workers");
  EXPECT_ERROR(doc, "/stages/0/workrs", "did you mean 'workers'?");
  doc = base();
  doc["run"] = {{"untill", "1s"}};
  EXPECT_ERROR(doc, "/run/untill", "did you mean 'until'?");
  doc = base();
  doc["sources"][0]["keys"] = {{"count", 3}, {"dsit", "zipf"}};
  EXPECT_ERROR(doc, "/sources/0/keys/dsit", "did you mean 'dist'?");
  doc = base();
  doc["expect"] = {{"holds", json::array()}};
  EXPECT_ERROR(doc, "/expect/holds", "did you mean 'hold'?");
  doc = base();
  doc["sinks"][0]["delivery"] = "exactly_once";
  EXPECT_ERROR(doc, "/sinks/0/delivery", "unknown field 'delivery'", "valid fields: dedup, id, mode, node");
}

TEST(Validation, WrongTypes) {
  json doc = base();
  doc["buffers"][0]["capacity"] = "64";
  EXPECT_ERROR(doc, "/buffers/0/capacity", "expected an integer");
  doc = base();
  doc["sources"] = json::object();
  EXPECT_ERROR(doc, "/sources", "expected an array");
  doc = base();
  doc["stages"][0]["workers"] = "w1";
  EXPECT_ERROR(doc, "/stages/0/workers", "expected an array");
  doc = base();
  doc["name"] = 5;
  EXPECT_ERROR(doc, "/name", "expected a string");
  doc = base();
  doc["sources"][0]["count"] = 2.5;
  EXPECT_ERROR(doc, "/sources/0/count", "expected an integer");
  doc = base();
  doc["expect"] = {{"hold", "no_loss"}};
  EXPECT_ERROR(doc, "/expect/hold", "expected an array");
  EXPECT_ERROR(std::string("[1, 2]"), "", "top-level value to be an object");
}

TEST(Validation, OutOfRangeValues) {
  json doc = base();
  doc["buffers"][0]["capacity"] = 0;
  EXPECT_ERROR(doc, "/buffers/0/capacity", "between 1 and", "got 0");
  doc["buffers"][0]["capacity"] = 1e308;
  EXPECT_ERROR(doc, "/buffers/0/capacity", "between 1 and 1000000000");
  doc = base();
  doc["sources"][0]["count"] = 0;
  EXPECT_ERROR(doc, "/sources/0/count", "between 1 and", "got 0");
  doc = base();
  doc["sources"][0]["arrival"] = {{"dist", "exponential"}, {"rate", -1}};
  EXPECT_ERROR(doc, "/sources/0/arrival/rate", "greater than 0");
  doc = base();
  doc["sources"][0]["arrival"] = {{"dist", "constant"}, {"value", "250"}};
  EXPECT_ERROR(doc, "/sources/0/arrival/value", "need a unit");
  doc = base();
  doc["sources"][0]["priority"] = {{"dist", "bernoulli"}, {"p", 1.5}};
  EXPECT_ERROR(doc, "/sources/0/priority/p", "[0, 1]");
  doc = base();
  doc["sources"][0]["priority"] = 256;
  EXPECT_ERROR(doc, "/sources/0/priority", "between 0 and 255");
  doc = base();
  doc["sources"][0]["size_bytes"] = -1;
  EXPECT_ERROR(doc, "/sources/0/size_bytes", "between 0");
  doc = base();
  doc["seed"] = -1;
  EXPECT_ERROR(doc, "/seed", "between 0 and 9007199254740992");
  doc = base();
  doc["run"] = {{"until", "0"}};
  EXPECT_ERROR(doc, "/run/until", "at least 1ns");
  doc = base();
  doc["stages"][0]["workers"] = json::array();
  EXPECT_ERROR(doc, "/stages/0/workers", "at least 1 item");
  doc["stages"][0]["workers"] = std::vector<std::string>(1025, "w");
  EXPECT_ERROR(doc, "/stages/0/workers", "at most 1024");
}

TEST(Validation, EnumerationsSuggest) {
  json doc = base();
  doc["buffers"][0]["policy"] = "drop-newest";
  EXPECT_ERROR(doc, "/buffers/0/policy", "block, drop_newest, drop_oldest, shed_by_priority",
               "did you mean \"drop_newest\"?");
  doc = base();
  doc["strategy"] = "randon";
  EXPECT_ERROR(doc, "/strategy", "did you mean \"random\"?");
  doc = base();
  doc["sinks"][0]["mode"] = "transactionl";
  EXPECT_ERROR(doc, "/sinks/0/mode", "must be one of: plain", "did you mean \"transactional\"?");
}

TEST(Validation, KeysRules) {
  json doc = base();
  doc["sources"][0]["keys"] = {{"count", 5}, {"dist", "zipf"}};
  EXPECT_ERROR(doc, "/sources/0/keys", "missing required field 's'");
  doc["sources"][0]["keys"]["s"] = 0;
  EXPECT_ERROR(doc, "/sources/0/keys/s", "greater than 0");
  doc["sources"][0]["keys"] = {{"count", 5}, {"s", 1.1}};
  EXPECT_ERROR(doc, "/sources/0/keys/s", "only a zipf");
  doc["sources"][0]["keys"] = {{"count", 0}};
  EXPECT_ERROR(doc, "/sources/0/keys/count", "between 1 and", "got 0");
}

TEST(Validation, IdsMustMatchThePattern) {
  json doc = base();
  doc["buffers"][0]["id"] = "in gest";
  EXPECT_ERROR(doc, "/buffers/0/id", "may contain only", "found a space");
  doc = base();
  doc["sinks"][0]["id"] = "";
  EXPECT_ERROR(doc, "/sinks/0/id", "must not be empty");
  doc = base();
  doc["sources"][0]["node"] = "edge/1";
  EXPECT_ERROR(doc, "/sources/0/node", "found '/'");
  doc = base();
  doc["stages"][0]["workers"][0] = std::string(101, 'w');
  EXPECT_ERROR(doc, "/stages/0/workers/0", "at most 100 characters");
}

TEST(Validation, IdsAreUniqueAcrossKinds) {
  json doc = base();
  doc["sinks"][0]["id"] = "ingest";
  doc["stages"][0]["to"] = "ingest";
  EXPECT_ERROR(doc, "/sinks/0/id", "duplicate id 'ingest' (first used at /buffers/0/id)");
  doc = base();
  doc["sources"].push_back(doc["sources"][0]);
  EXPECT_ERROR(doc, "/sources/1/id", "duplicate id 'src' (first used at /sources/0/id)");
}

TEST(Validation, NameIsRequiredAndLowercase) {
  json doc = base();
  doc.erase("name");
  EXPECT_ERROR(doc, "", "missing required field 'name'");
  doc["name"] = "Slow-Consumer";
  EXPECT_ERROR(doc, "/name", "may contain only a-z", "found 'S'");
}

TEST(Validation, DanglingReferencesSuggestTheNearestId) {
  json doc = base();
  doc["stages"][0]["from"] = "ingset";
  EXPECT_ERROR(doc, "/stages/0/from", "no buffer or topic named 'ingset' (did you mean 'ingest'?)");
  doc = base();
  doc["sources"][0]["to"] = "ingets";
  EXPECT_ERROR(doc, "/sources/0/to", "no buffer or topic or sink named 'ingets' (did you mean 'ingest'?)");
  doc = base();
  doc["stages"][0]["to"] = "dbb";
  EXPECT_ERROR(doc, "/stages/0/to", "no buffer or topic or sink named 'dbb' (did you mean 'db'?)");
  doc = base();
  doc["stages"][0]["to"] = "elsewhere";
  const ScenarioError error = error_of(doc);
  EXPECT_EQ(error.pointer, "/stages/0/to");
  EXPECT_EQ(error.message.find("did you mean"), std::string::npos) << error.what();
}

TEST(Validation, ReferencesMustNameTheRightKind) {
  json doc = base();
  doc["stages"][0]["from"] = "db";
  EXPECT_ERROR(doc, "/stages/0/from", "'db' is a sink; a stage reads from a buffer or a topic");
  doc = base();
  doc["sources"][0]["to"] = "work";
  EXPECT_ERROR(doc, "/sources/0/to", "'work' is a stage; a source sends to a buffer, a topic or a sink");
  doc = base();
  doc["stages"][0]["to"] = "src";
  EXPECT_ERROR(doc, "/stages/0/to", "'src' is a source; a stage sends to a buffer, a topic or a sink");
}

TEST(Validation, EveryBufferIsDrained) {
  json doc = base();
  doc["buffers"].push_back({{"id", "spare"}, {"node", "n1"}, {"capacity", 2}});
  EXPECT_ERROR(doc, "/buffers/1", "nothing drains buffer 'spare'");
}

TEST(Validation, CyclesAreRejectedAndNamed) {
  json doc = base();
  doc["buffers"].push_back({{"id", "q2"}, {"node", "n1"}, {"capacity", 2}});
  doc["stages"][0]["to"] = "q2";
  doc["stages"].push_back({{"id", "back"},
                           {"from", "q2"},
                           {"workers", {"w1"}},
                           {"service_time", {{"dist", "constant"}, {"value", "1ms"}}},
                           {"to", "ingest"}});
  doc["stages"].push_back({{"id", "out"},
                           {"from", "q2"},
                           {"workers", {"w1"}},
                           {"service_time", {{"dist", "constant"}, {"value", "1ms"}}},
                           {"to", "db"}});
  EXPECT_ERROR(doc, "/stages/1/to", "stage 'back' closes a cycle: ingest -> work -> q2 -> back -> ingest");
  doc = base();
  doc["stages"][0]["to"] = "ingest";
  doc["sources"][0]["to"] = "db";
  EXPECT_ERROR(doc, "/stages/0/to", "closes a cycle: ingest -> work -> ingest");
}

TEST(Validation, AtLeastOneSourceAndOneSink) {
  json doc = base();
  doc["sources"] = json::array();
  EXPECT_ERROR(doc, "/sources", "at least 1 item");
  doc = base();
  doc["sinks"] = json::array();
  EXPECT_ERROR(doc, "/sinks", "at least 1 item");
  doc = base();
  doc.erase("sinks");
  EXPECT_ERROR(doc, "", "missing required field 'sinks'");
}

TEST(Validation, EverySinkIsReachable) {
  json doc = base();
  doc["sinks"].push_back({{"id", "archive"}, {"node", "n3"}});
  EXPECT_ERROR(doc, "/sinks/1", "sink 'archive' is unreachable");
}

TEST(Validation, ExpectNamesValidInvariants) {
  json doc = base();
  doc["expect"] = {{"hold", {"no_loss", "no_los"}}};
  EXPECT_ERROR(doc, "/expect/hold/1", "unknown invariant 'no_los' (did you mean 'no_loss'?)",
               "valid names: no_loss");
  doc["expect"] = {{"violate", {"per_key_ordre"}}};
  EXPECT_ERROR(doc, "/expect/violate/0", "did you mean 'per_key_order'?");
}

TEST(Validation, ExpectListsAreDisjointWithoutRepeats) {
  json doc = base();
  doc["expect"] = {{"hold", {"no_loss", "flow_control"}}, {"violate", {"bounded_queues", "flow_control"}}};
  EXPECT_ERROR(doc, "/expect/violate/1",
               "'flow_control' cannot both hold and be violated (also at /expect/hold/1)");
  doc["expect"] = {{"hold", {"no_loss", "flow_control", "no_loss"}}};
  EXPECT_ERROR(doc, "/expect/hold/2", "'no_loss' is listed twice (first at /expect/hold/0)");
}

TEST(Validation, ExpectDefaults) {
  json doc = base();
  doc["expect"] = {{"violate", {"no_loss"}}};
  Scenario s = load(doc);
  EXPECT_EQ(s.expect.violate, std::vector<std::string>{"no_loss"});
  std::vector<std::string> rest(invariant_names().begin() + 1, invariant_names().end());
  EXPECT_EQ(s.expect.hold, rest);
  doc["expect"] = {{"hold", json::array()}};
  s = load(doc);
  EXPECT_TRUE(s.expect.hold.empty());
  EXPECT_TRUE(s.expect.violate.empty());
}

TEST(Validation, UnreadableInput) {
  EXPECT_ERROR(std::string("{\"name\": \"t\",}"), "", "invalid JSON at line 1");
  EXPECT_ERROR(std::string("{\"name\": \"t\", \"name\": \"u\"}"), "/name", "duplicate field 'name'");
  try {
    load_scenario_file("/nonexistent/scenario.json");
    ADD_FAILURE() << "loaded a missing file";
  } catch (const ScenarioError& error) {
    EXPECT_EQ(error.file, "/nonexistent/scenario.json");
    EXPECT_NE(error.message.find("cannot open"), std::string::npos) << error.what();
  }
}

// ---------------------------------------------------------------------------
// Never a crash: seeded mutation fuzzing of every shipped scenario.

struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  template <class T>
  const T& pick(const std::vector<T>& items) { return items[below(items.size())]; }
};

// Outcomes of loading mutants; anything but a Scenario or a ScenarioError fails.
struct Tally {
  int loaded = 0;
  int rejected = 0;

  void load(const std::string& text, const std::string& origin) {
    try {
      load_scenario_text(text, "fuzz.json");
      ++loaded;
    } catch (const ScenarioError&) {
      ++rejected;
    } catch (const std::exception& error) {
      ADD_FAILURE() << origin << ": " << typeid(error).name() << ": " << error.what() << "\n"
                    << text.substr(0, 2000);
    }
  }
};

const std::vector<std::string> kJunk = {
    "", "{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "0", "1e308", "-1e308", "1.5",
    "\"x\"", "[]", "{}", "\"0\"", "\"5ms\"", "\"-5ms\"", "\"1e3s\"", "9007199254740993", "\xff\xfe",
    "\\u0000", "\"\\ud800\"", "[[[[[[[[[[", "\"ingest\"", "\"db\"", "\"zipf\"", "\"no_loss\"",
    "{\"dist\":\"zipf\"}"};

// Text-level: the edits a slip of the keyboard or a bad merge makes.
std::string mutate_text(std::string text, SplitMix64& rng) {
  const int edits = 1 + static_cast<int>(rng.below(3));
  for (int i = 0; i < edits && !text.empty(); ++i) {
    const std::size_t at = rng.below(text.size());
    switch (rng.below(6)) {
      case 0:  // delete a span
        text.erase(at, 1 + rng.below(20));
        break;
      case 1:  // insert junk
        text.insert(at, rng.pick(kJunk));
        break;
      case 2:  // replace one byte
        text[at] = static_cast<char>(rng.below(256));
        break;
      case 3: {  // replace a number with an extreme one
        const std::size_t digit = text.find_first_of("0123456789", at);
        if (digit == std::string::npos) break;
        const std::size_t end = text.find_first_not_of("0123456789.", digit);
        text.replace(
            digit, end - digit,
            rng.pick(std::vector<std::string>{"1e308", "-1", "0", "-0.5", "1e-320", "18446744073709551616"}));
        break;
      }
      case 4:  // duplicate a span
        text.insert(at, text.substr(rng.below(text.size()), rng.below(200)));
        break;
      default:  // truncate
        text.resize(at);
        break;
    }
  }
  return text;
}

// A random value in the document: a walk from the root that descends into a
// random member with probability 3/4 at each level.
json::json_pointer random_pointer(const json& document, SplitMix64& rng) {
  json::json_pointer at;
  const json* node = &document;
  while (node->is_structured() && !node->empty() && rng.below(4) != 0) {
    const std::size_t index = rng.below(node->size());
    if (node->is_array()) {
      at /= index;
      node = &(*node)[index];
    } else {
      auto member = node->begin();
      std::advance(member, static_cast<std::ptrdiff_t>(index));
      at /= member.key();
      node = &member.value();
    }
  }
  return at;
}

// Every string that names something: ids, references, nodes.
std::vector<std::string> collect_names(const json& document) {
  std::vector<std::string> names = {"nowhere", ""};
  for (const char* section : {"sources", "buffers", "stages", "sinks"}) {
    if (!document.contains(section) || !document[section].is_array()) continue;
    for (const json& item : document[section]) {
      if (item.is_object() && item.contains("id") && item["id"].is_string()) names.push_back(item["id"]);
    }
  }
  return names;
}

json random_value(SplitMix64& rng, const std::vector<std::string>& names) {
  switch (rng.below(12)) {
    case 0: return nullptr;
    case 1: return true;
    case 2: return -1;
    case 3: return 1e308;
    case 4: return -1e308;
    case 5: return 0.5;
    case 6: return json::array();
    case 7: return json::object();
    case 8: return rng.pick(std::vector<std::string>{"0", "5ms", "1e3ms", "x", "zipf", "no_loss", "block"});
    case 9: return rng.pick(names);
    case 10: return std::uint64_t{18446744073709551615ULL};
    default: return json::array({rng.pick(names), 3});
  }
}

// Points a random source's or stage's "to" or "from" at a random id of any
// kind: dangling references, wrong kinds, cycles, orphaned buffers and sinks.
void rewire(json& document, SplitMix64& rng, const std::vector<std::string>& names) {
  const char* section = rng.below(2) == 0 ? "sources" : "stages";
  if (!document.is_object() || !document.contains(section)) return;
  json& list = document[section];
  if (!list.is_array() || list.empty()) return;
  json& item = list[rng.below(list.size())];
  if (item.is_object()) item[rng.below(2) == 0 ? "to" : "from"] = rng.pick(names);
}

// Parsed-level: structurally plausible documents that are subtly wrong.
json mutate_json(json document, SplitMix64& rng) {
  const int edits = 1 + static_cast<int>(rng.below(3));
  for (int i = 0; i < edits; ++i) {
    const json::json_pointer at = random_pointer(document, rng);
    const std::vector<std::string> names = collect_names(document);
    json& target = document[at];
    switch (rng.below(8)) {
      case 0:  // delete a key or element
        if (!at.empty()) {
          json& parent = document[at.parent_pointer()];
          if (parent.is_object())
            parent.erase(at.back());
          else if (parent.is_array() && !parent.empty())
            parent.erase(parent.begin() + static_cast<std::ptrdiff_t>(std::stoul(at.back())));
        }
        break;
      case 1:  // change the type or value
        target = random_value(rng, names);
        break;
      case 2:  // negate a number
        if (target.is_number()) target = -target.get<double>();
        break;
      case 3:  // empty an array, or duplicate its first element (duplicate ids)
        if (target.is_array() && !target.empty()) {
          if (rng.below(2) == 0)
            target = json::array();
          else
            target.push_back(target[0]);
        }
        break;
      case 4:  // point a reference somewhere else (swap references)
        if (target.is_string()) target = rng.pick(names);
        break;
      case 5:  // add an unknown or misspelled member
        if (target.is_object())
          target[rng.pick(std::vector<std::string>{"capcity", "x", "dist", "s", "rate", "mean"})] =
              random_value(rng, names);
        break;
      case 6:  // a huge number
        if (target.is_number()) target = 1e308;
        break;
      default: rewire(document, rng, names); break;
    }
  }
  return document;
}

// A hang detector, not a benchmark: generous, because CI runs tests in
// parallel on two cores and sanitizers slow the loader down about tenfold.
#ifdef SLUICE_SANITIZE
constexpr double kFuzzBudgetSeconds = 300;
#else
constexpr double kFuzzBudgetSeconds = 60;
#endif

TEST(LoaderFuzz, MutantsLoadOrFailCleanly) {
  // A fixed total, shared by however many scenario files there are.
  constexpr int kMutationsTotal = 36'000;
  const auto files = scenario_files();
  const int kMutationsPerFile = std::max<int>(500, kMutationsTotal / static_cast<int>(files.size()));
  const auto start = std::chrono::steady_clock::now();
  Tally tally;
  SplitMix64 rng{20240601};
  for (const auto& path : files) {
    const std::string text = read_text(path);
    const json document = json::parse(text);
    for (int i = 0; i < kMutationsPerFile; ++i) {
      tally.load(mutate_text(text, rng), path.string() + " text mutant " + std::to_string(i));
      tally.load(mutate_json(document, rng).dump(), path.string() + " json mutant " + std::to_string(i));
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GT(tally.loaded, 0);
  EXPECT_GT(tally.rejected, 0);
  EXPECT_LT(seconds, kFuzzBudgetSeconds);
  std::printf("[ fuzz     ] %d mutants loaded, %d rejected, %.2f s\n", tally.loaded, tally.rejected, seconds);
}

}  // namespace
}  // namespace sluice

namespace sluice {
namespace {

// ---------------------------------------------------------------------------
// Hostile input: times past the representable range, and reference checks
// that must stay fast on the largest files.

// An outage or burst at the last nanosecond plus one used to overflow
// (undefined behaviour) and validate "ok"; now no time a scenario names, nor
// the end of any window, passes kMaxDuration.
TEST(LoaderHostile, TimesAndWindowEndsPastTheRangeAreRejected) {
  json doc = base();
  doc["sinks"][0]["outages"] = json::parse(R"([{"at": "9223372036854775807ns", "duration": "1ns"}])");
  EXPECT_ERROR(doc, "/sinks/0/outages/0/at", "must be at most 1000000000s, got 9223372036854775807ns");
  doc["sinks"][0]["outages"] = json::parse(R"([{"at": "1000000000s", "duration": "1ns"}])");
  EXPECT_ERROR(doc, "/sinks/0/outages/0/duration", "the window from 1000000000s lasting 1ns ends past 1000000000s");
  doc["sinks"][0]["outages"] = json::parse(R"([{"at": "999999999s", "duration": "1s"}])");
  EXPECT_EQ(load(doc).sinks[0].outages[0].end, kMaxDuration);

  doc = base();
  doc["sources"][0]["bursts"] = json::parse(R"([{"at": "600000000s", "duration": "400000001s", "factor": 2}])");
  EXPECT_ERROR(doc, "/sources/0/bursts/0/duration", "ends past 1000000000s");
}

TEST(LoaderHostile, FaultWindowsAndClockSkewsStayInRange) {
  json doc = base();
  doc["faults"] = json::parse(R"([{"at": "900000000s", "kind": "pause", "target": "w1", "duration": "100000001s"}])");
  EXPECT_ERROR(doc, "/faults/0/duration", "ends past 1000000000s");
  doc["faults"] = json::parse(R"([{"at": "900000000s", "kind": "crash", "target": "w1", "restart_after": "200000000s"}])");
  EXPECT_ERROR(doc, "/faults/0/restart_after", "ends past 1000000000s");
  doc["faults"] = json::parse(R"([{"at": "1s", "kind": "clock_skew", "target": "w1", "offset": "-9223372036854775807ns"}])");
  EXPECT_ERROR(doc, "/faults/0/offset", "must be at most 1000000000s either way");
  doc["run"] = json::parse(R"({"until": "1000000001s"})");
  doc.erase("faults");
  EXPECT_ERROR(doc, "/run/until", "must be between 1ns and 1000000000s, got 1000000001s");
}

// Reference checks used a linear scan per reference: 40 stages of 1,024
// workers with 40,960 swarm targets took 23 s. They are lookups now.
TEST(LoaderHostile, ManyWorkersAndSwarmTargetsValidateQuickly) {
  json doc = base();
  doc["run"] = {{"faults_end", "10s"}};
  json& stages = doc["stages"];
  std::vector<std::string> workers;
  for (int s = 0; s < 40; ++s) {
    json stage = stages[0];
    stage["id"] = "work" + std::to_string(s);
    stage["from"] = s == 0 ? "ingest" : "b" + std::to_string(s);
    stage["to"] = s == 39 ? "db" : "b" + std::to_string(s + 1);
    stage["workers"] = json::array();
    for (int w = 0; w < 1024; ++w) {
      workers.push_back("s" + std::to_string(s) + "-w" + std::to_string(w));
      stage["workers"].push_back(workers.back());
    }
    if (s > 0) doc["buffers"].push_back({{"id", "b" + std::to_string(s)}, {"node", "n1"}, {"capacity", 4}});
    stages.push_back(stage);
  }
  stages.erase(0);
  doc["swarm"] = {{"kinds", {"crash"}}, {"rate", 0.1}, {"targets", workers}};
  const std::string text = doc.dump();
  const auto start = std::chrono::steady_clock::now();
  const Scenario scenario = load_scenario_text(text, "test.json");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(scenario.swarm->targets.size(), 40'960u);
  // Well under a second in a release build; the linear scans took 23 s there.
  EXPECT_LT(seconds, 10.0) << "validation of 40 x 1024 workers took " << seconds << " s";
  // The lookups still reject what they should, at the right place.
  doc["swarm"]["targets"][40'000] = "s39-w9999";
  EXPECT_ERROR(doc, "/swarm/targets/40000", "no node named 's39-w9999'");
}

}  // namespace
}  // namespace sluice
