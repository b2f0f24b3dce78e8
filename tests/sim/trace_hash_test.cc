// The trace hash takes the contents of the strings it mixes, not their
// lengths: two runs that differ only in a name of the same length must hash
// apart wherever that name reaches the hash.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"
#include "tests/sim/run_test_support.h"

namespace sluice {
namespace {

// dedup_window_enough.json with its deduplicating sink renamed: the sink's
// name reaches the hash with every duplicate it suppresses.
Scenario with_sink_named(const std::string& name) {
  std::ifstream in(std::string(SLUICE_SOURCE_DIR) + "/scenarios/guarantees/dedup_window_enough.json");
  nlohmann::json doc = nlohmann::json::parse(in);
  doc.erase("$schema");
  doc["sources"][0]["count"] = 1500;
  doc["sinks"][0]["id"] = name;
  doc["stages"][0]["to"] = name;
  return load_scenario_text(doc.dump(), name + ".json");
}

TEST(TraceHash, TwoRunsDifferingOnlyInASinkNameOfTheSameLengthHashApart) {
  RunOptions options;
  options.seed = 3;
  const RunReport db1 = run_scenario(with_sink_named("db1"), options);
  const RunReport db2 = run_scenario(with_sink_named("db2"), options);
  // Guards the comparison: the runs are alike but for the name, and the name
  // reached the hash through suppressed duplicates.
  ASSERT_GT(testing::count(db1, "duplicates_suppressed"), 0u);
  ASSERT_EQ(db1.summary["counts"], db2.summary["counts"]);
  EXPECT_NE(db1.trace_hash, db2.trace_hash);
  EXPECT_EQ(db1.trace_hash, run_scenario(with_sink_named("db1"), options).trace_hash) << "and stays deterministic";
}

}  // namespace
}  // namespace sluice
