// A stage's time splits into busy (serving), blocked on downstream (a served
// event waiting to be handed on) and idle: summary.json's busy_fraction,
// blocked_fraction and idle_fraction, which the report draws side by side.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/run/pipeline_metrics.h"
#include "sim/run/runner.h"
#include "sim/scenario/loader.h"

namespace sluice {
namespace {

nlohmann::json tandem() {
  std::ifstream in(std::string(SLUICE_SOURCE_DIR) + "/scenarios/bench/tandem.json");
  nlohmann::json doc = nlohmann::json::parse(in);
  doc["sources"][0]["count"] = 3000;
  doc["sources"][0]["arrival"]["rate"] = 2;  // faster than either station
  doc.erase("expect");
  return doc;
}

nlohmann::json stages_of(const nlohmann::json& doc) {
  RunReport report = run_scenario(load_scenario_json(doc, "tandem-variant"), RunOptions{});
  return report.summary["stages"];
}

// The second station slower, with a 4-slot blocking buffer in front of it:
// the first station spends much of its time waiting to hand events on.
TEST(StageTime, AFullBlockingBufferDownstreamShowsAsBlocked) {
  nlohmann::json doc = tandem();
  doc["buffers"][1]["capacity"] = 4;
  doc["stages"][1]["service_time"]["rate"] = 0.8;
  const nlohmann::json stages = stages_of(doc);
  const nlohmann::json& s1 = stages["s1"];
  EXPECT_GT(s1["blocked_fraction"].get<double>(), 0.2) << s1.dump();
  EXPECT_NEAR(s1["busy_fraction"].get<double>() + s1["blocked_fraction"].get<double>() +
                  s1["idle_fraction"].get<double>(),
              1.0, 1e-9);
  // The last station hands to a local sink: it never waits.
  EXPECT_LT(stages["s2"]["blocked_fraction"].get<double>(), 0.01) << stages["s2"].dump();
  EXPECT_GT(stages["s2"]["busy_fraction"].get<double>(), 0.95);

  // With room downstream the same first station is hardly ever blocked.
  nlohmann::json roomy = tandem();
  roomy["stages"][1]["service_time"]["rate"] = 5;
  EXPECT_LT(stages_of(roomy)["s1"]["blocked_fraction"].get<double>(), 0.01);
}

// The bookkeeping itself: service end to release is blocked; a new attempt ends it.
TEST(StageTime, BlockedRunsFromServiceEndToRelease) {
  std::vector<StageMetrics> stages;
  stages.emplace_back("s", 1);
  PipelineMetrics m({}, std::move(stages));
  m.service_started(0, 0, 0);
  m.service_finished(0, 0, 10);
  m.released(0, 0, 25);    // 15 ns blocked
  m.service_started(0, 0, 30);
  m.service_finished(0, 0, 40);
  m.service_started(0, 0, 45);  // a retry: the 5 ns waiting for it count as blocked
  m.service_finished(0, 0, 50);
  m.finish(60);                 // still blocked at the end: 10 ns more
  const nlohmann::json s = m.stages_json(100)["s"];
  EXPECT_DOUBLE_EQ(s["busy_fraction"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(s["blocked_fraction"].get<double>(), 0.30);
  EXPECT_DOUBLE_EQ(s["idle_fraction"].get<double>(), 0.45);
}

}  // namespace
}  // namespace sluice
