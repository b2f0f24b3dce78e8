// summary.json "failover" on whole runs: a crash that heals has a recovery
// and a catch-up no earlier than the restart; a crash that never heals has
// neither; a run without a crash has no row.
#include <gtest/gtest.h>

#include <string>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"

namespace sluice {
namespace {

nlohmann::json failover_of(const std::string& file) {
  Scenario scenario = load_scenario_file(std::string(SLUICE_SOURCE_DIR) + "/scenarios/" + file);
  return run_scenario(scenario, RunOptions{}).summary["failover"];
}

TEST(Failover, ACrashThatHealsRecoversAfterTheRestart) {
  const nlohmann::json f = failover_of("faults/crash_worker.json");  // crash worker at 13.5 s, back after 5 s
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]["node"], "worker");
  EXPECT_EQ(f[0]["crashed_at_ns"], 13'500'000'000);
  EXPECT_EQ(f[0]["restarted_at_ns"], 18'500'000'000);
  ASSERT_TRUE(f[0]["first_effect_at_ns"].is_number());
  EXPECT_GE(f[0]["first_effect_at_ns"].get<Nanos>(), 18'500'000'000);
  EXPECT_EQ(f[0]["recovery_ns"].get<Nanos>(), f[0]["first_effect_at_ns"].get<Nanos>() - 13'500'000'000);
  ASSERT_TRUE(f[0]["caught_up_at_ns"].is_number());
  EXPECT_GE(f[0]["caught_up_at_ns"].get<Nanos>(), 18'500'000'000);
}

TEST(Failover, ACrashThatNeverHealsNeverRecovers) {
  const nlohmann::json f = failover_of("liveness/crash_no_restart.json");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(f[0]["restarted_at_ns"].is_null());
  EXPECT_TRUE(f[0]["recovery_ns"].is_null());
  EXPECT_TRUE(f[0]["catch_up_ns"].is_null());
}

TEST(Failover, NoCrashNoRow) { EXPECT_TRUE(failover_of("faults/pause_worker.json").empty()); }

}  // namespace
}  // namespace sluice
