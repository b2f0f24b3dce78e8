// Runs a real JSON Schema validator (Ajv, draft 2020-12, strict mode) over
// scenarios/schema.json and every scenario file, through
// tools/schema-check/validate.js. Skipped, with the reason, when node or the
// npm-installed Ajv is missing. The enum checks at the end need neither.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/random/distribution.h"
#include "sim/catalog/fault_kind_catalog.h"
#include "sim/scenario/loader.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kRoot = SLUICE_SOURCE_DIR;
const fs::path kSchema = kRoot / "scenarios" / "schema.json";
const fs::path kValidator = kRoot / "tools" / "schema-check" / "validate.js";

// Single quotes make every byte literal for the shell, except a single quote.
std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Outcome {
  int status = -1;  // the validator's exit status; -1 if it did not exit normally
  std::string output;
};

Outcome run(const std::string& command) {
  Outcome outcome;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return outcome;
  char buffer[4096];
  while (const std::size_t count = std::fread(buffer, 1, sizeof buffer, pipe)) {
    outcome.output.append(buffer, count);
  }
  const int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) outcome.status = WEXITSTATUS(status);
  return outcome;
}

// Why the validator cannot run here, or "" when it can.
std::string missing_tools() {
  if (run("node --version").status != 0) return "node is not installed";
  if (!fs::exists(kRoot / "tools" / "schema-check" / "node_modules" / "ajv" / "dist" / "2020.js")) {
    return "ajv is not installed; run `npm ci` in tools/schema-check";
  }
  return "";
}

#define SKIP_WITHOUT_VALIDATOR()                                                 \
  do {                                                                           \
    const std::string missing_ = missing_tools();                                \
    if (!missing_.empty()) GTEST_SKIP() << "schema check skipped: " << missing_; \
  } while (0)

Outcome validate(const std::vector<fs::path>& documents) {
  std::string command = "node " + shell_quote(kValidator.string()) + " " + shell_quote(kSchema.string());
  for (const fs::path& document : documents) command += " " + shell_quote(document.string());
  return run(command);
}

std::vector<fs::path> scenario_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(kRoot / "scenarios")) {
    if (entry.is_regular_file() && entry.path().extension() == ".json" &&
        entry.path().filename() != "schema.json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

json read_json(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in);
}

// One broken document and what the validator must say about it.
struct Broken {
  std::string name;
  json document;
  std::string expected;  // a substring of the validator's error line, from the JSON Pointer on
};

json good() { return read_json(kRoot / "scenarios" / "basics" / "slow_consumer.json"); }

// `good()` with the value at `pointer` replaced (or removed, if `value` is discarded).
Broken broken(std::string name, const std::string& pointer, const json& value, std::string expected) {
  json document = good();
  if (value.is_discarded()) {
    const json::json_pointer at(pointer);
    document[at.parent_pointer()].erase(at.back());
  } else {
    document[json::json_pointer(pointer)] = value;
  }
  return {std::move(name), std::move(document), std::move(expected)};
}

std::vector<Broken> broken_documents() {
  const json removed = json::value_t::discarded;
  const json exponential_with_sigma = {{"dist", "exponential"}, {"rate", 2}, {"sigma", 1}};
  const json exponential_with_both = {{"dist", "exponential"}, {"rate", 2}, {"mean", "1s"}};
  return {
      broken("unknown-field", "/buffers/0/capcity", 64,
             "/buffers/0: must NOT have additional properties ('capcity')"),
      broken("unknown-top-level", "/topic", json::array(),
             "/: must NOT have additional properties ('topic')"),
      broken("zero-capacity", "/buffers/0/capacity", 0, "/buffers/0/capacity: must be >= 1"),
      broken("no-unit", "/stages/0/service_time", {{"dist", "exponential"}, {"mean", "12"}},
             "/stages/0/service_time/mean: must match pattern"),
      broken("bare-number-duration", "/stages/0/service_time", {{"dist", "constant"}, {"value", 5}},
             "/stages/0/service_time/value: must be string"),
      broken("zero-until", "/run", {{"until", "0ms"}}, "/run/until: must NOT be valid"),
      broken("sigma-on-exponential", "/stages/0/service_time", exponential_with_sigma,
             "/stages/0/service_time: must NOT have additional properties ('sigma')"),
      broken("rate-and-mean", "/stages/0/service_time", exponential_with_both,
             "/stages/0/service_time: must match exactly one schema in oneOf"),
      broken("zipf-as-time", "/stages/0/service_time", {{"dist", "zipf"}, {"n", 2}, {"s", 1}},
             "/stages/0/service_time/dist: must be equal to one of the allowed values"),
      broken("zipf-keys-without-s", "/sources/0/keys", {{"count", 5}, {"dist", "zipf"}},
             "/sources/0/keys: must have required property 's'"),
      broken("bad-name", "/name", "Slow Consumer", "/name: must match pattern"),
      broken("bad-invariant", "/expect/hold/0", "no_los",
             "/expect/hold/0: must be equal to one of the allowed values"),
      broken("bad-policy", "/buffers/0/policy", "drop",
             "/buffers/0/policy: must be equal to one of the allowed values"),
      broken("priority-out-of-range", "/sources/0/priority", 256, "/sources/0/priority: must be <= 255"),
      broken("missing-name", "/name", removed, "/: must have required property 'name'"),
      broken("bad-perturb-site", "/perturb", {{"sites", {"fetch_shrot"}}},
             "/perturb/sites/0: must be equal to one of the allowed values"),
  };
}

// Writes documents into a scratch directory, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() : path_(fs::path(::testing::TempDir()) / ("sluice-schema-test-" + std::to_string(getpid()))) {
    fs::create_directories(path_);
  }
  ~ScratchDir() { fs::remove_all(path_); }
  fs::path write(const std::string& name, const json& document) const {
    const fs::path path = path_ / (name + ".json");
    std::ofstream(path) << document.dump(2);
    return path;
  }

 private:
  fs::path path_;
};

TEST(Schema, EveryScenarioFileIsValid) {
  SKIP_WITHOUT_VALIDATOR();
  const std::vector<fs::path> files = scenario_files();
  ASSERT_GE(files.size(), 7u);
  const Outcome outcome = validate(files);
  EXPECT_EQ(outcome.status, 0) << outcome.output;
}

TEST(Schema, AcceptsTheUnbrokenDocument) {
  // Guards the test below: its documents must fail for the reason they name.
  SKIP_WITHOUT_VALIDATOR();
  const ScratchDir dir;
  const Outcome outcome = validate({dir.write("good", good())});
  EXPECT_EQ(outcome.status, 0) << outcome.output;
}

// One validator run for all documents (starting node dominates the time);
// each must be rejected with its own message, and by the loader too.
TEST(Schema, RejectsBrokenDocuments) {
  SKIP_WITHOUT_VALIDATOR();
  const ScratchDir dir;
  const std::vector<Broken> cases = broken_documents();
  std::vector<fs::path> paths;
  for (const Broken& c : cases) paths.push_back(dir.write(c.name, c.document));
  const Outcome outcome = validate(paths);
  EXPECT_EQ(outcome.status, 1) << outcome.output;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].name);
    const std::string prefix = paths[i].string() + ": ";
    EXPECT_EQ(outcome.output.find(prefix + "ok\n"), std::string::npos) << outcome.output;
    EXPECT_NE(outcome.output.find(prefix + cases[i].expected), std::string::npos) << outcome.output;
    EXPECT_THROW(load_scenario_text(cases[i].document.dump(), cases[i].name), ScenarioError);
  }
}

// The schema and the loader name the same things; these need no validator.
std::vector<std::string> strings_of(const json& array) { return array.get<std::vector<std::string>>(); }

TEST(SchemaAgreesWithLoader, Invariants) {
  const json schema = read_json(kSchema);
  EXPECT_EQ(strings_of(schema["$defs"]["invariant"]["enum"]), invariant_names());
  EXPECT_EQ(strings_of(schema["$defs"]["expect"]["properties"]["hold"]["default"]), invariant_names());
}

// Each kind of the fault-kind catalog has one branch in the schema's "fault",
// with exactly the catalog's fields (and a target unless it names groups).
TEST(SchemaAgreesWithLoader, FaultKinds) {
  const json schema = read_json(kSchema);
  EXPECT_EQ(strings_of(schema["$defs"]["fault_kind"]["enum"]), fault_kind_names());
  const json& branches = schema["$defs"]["fault"]["oneOf"];
  ASSERT_EQ(branches.size(), fault_kind_catalog().size());
  for (const json& branch : branches) {
    const std::string kind = branch["properties"]["kind"]["const"];
    const FaultKindInfo* info = find_fault_kind(kind);
    ASSERT_NE(info, nullptr) << kind;
    std::vector<std::string> fields;
    for (const auto& [field, spec] : branch["properties"].items()) {
      if (field != "at" && field != "kind" && field != "target") fields.push_back(field);
    }
    std::vector<std::string> listed(info->fields.begin(), info->fields.end());
    std::sort(listed.begin(), listed.end());
    EXPECT_EQ(fields, listed) << kind;  // items() iterates in sorted order
    EXPECT_EQ(branch["properties"].contains("target"), !info->on_network) << kind;
  }
}

TEST(SchemaAgreesWithLoader, DistributionKinds) {
  const json schema = read_json(kSchema);
  std::vector<std::string> all;
  for (int i = 0; i <= static_cast<int>(DistKind::bernoulli); ++i) {
    all.emplace_back(dist_kind_name(static_cast<DistKind>(i)));
  }
  EXPECT_EQ(strings_of(schema["$defs"]["number_distribution_object"]["properties"]["dist"]["enum"]), all);
  for (const std::string& kind : all) {
    EXPECT_TRUE(schema["$defs"].contains("number_" + kind)) << kind;
  }
  for (const std::string& kind :
       strings_of(schema["$defs"]["time_distribution"]["properties"]["dist"]["enum"])) {
    EXPECT_TRUE(schema["$defs"].contains("time_" + kind)) << kind;
  }
}

}  // namespace
}  // namespace sluice
