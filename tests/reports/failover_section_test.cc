// The report's Failover section: one row per crash of summary.json's
// "failover", "never" where the node or the pipeline did not come back,
// and nothing at all for a run without a crash.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "reports/html_report.h"

namespace sluice {
namespace {

using nlohmann::json;

json summary_with(json failover) {
  return json{{"scenario", "s"}, {"seed", 1}, {"ok", true}, {"virtual_time_ns", 100e9}, {"failover", failover}};
}

TEST(FailoverSection, OneRowPerCrashWithItsTimes) {
  const json crashes = json::array(
      {{{"node", "w1"}, {"kind", "crash"}, {"crashed_at_ns", 10e9}, {"restarted_at_ns", 15e9},
        {"pending_at_crash", 12}, {"first_effect_at_ns", 15.5e9}, {"recovery_ns", 5.5e9}, {"caught_up_at_ns", 17e9},
        {"catch_up_ns", 7e9}},
       {{"node", "broker"}, {"kind", "crash_at_point"}, {"crashed_at_ns", 40e9}, {"restarted_at_ns", nullptr},
        {"pending_at_crash", 3}, {"first_effect_at_ns", nullptr}, {"recovery_ns", nullptr},
        {"caught_up_at_ns", nullptr}, {"catch_up_ns", nullptr}}});
  const std::string html = render_run_report(summary_with(crashes), json{{"virtual_time_ns", 100e9}});
  ASSERT_NE(html.find("id=\"failover\""), std::string::npos);
  EXPECT_NE(html.find("crash <code>w1</code>"), std::string::npos);
  EXPECT_NE(html.find("crash_at_point <code>broker</code>"), std::string::npos);
  EXPECT_NE(html.find("href=\"#failover\""), std::string::npos);
  // The broker never came back: its row says so instead of a time.
  const std::size_t broker = html.find("<code>broker</code>");
  EXPECT_NE(html.find("never", broker), std::string::npos);
}

// How the crash's restores rebuilt their state: the backend, the records
// replayed and the promoted standbys; a dash for a crash without a restore.
TEST(FailoverSection, SaysHowEachRestoreRebuiltItsState) {
  const json crashes = json::array(
      {{{"node", "w1"}, {"kind", "crash"}, {"crashed_at_ns", 6e9}, {"restarted_at_ns", 8e9}, {"pending_at_crash", 50},
        {"recovery_ns", 2.7e9}, {"catch_up_ns", 2.7e9}, {"backend", "standby"},
        {"restore", {{"restores", 13}, {"records_replayed", 1619}, {"bytes_read", 118500},
                     {"promoted_standbys", {"w2", "w3"}}}}},
       {{"node", "db"}, {"kind", "crash"}, {"crashed_at_ns", 9e9}, {"restarted_at_ns", 10e9}, {"pending_at_crash", 5},
        {"recovery_ns", 1e9}, {"catch_up_ns", 1e9}, {"backend", nullptr},
        {"restore", {{"restores", 0}, {"records_replayed", 0}, {"bytes_read", 0}, {"promoted_standbys", json::array()}}}}});
  const std::string html = render_run_report(summary_with(crashes), json{{"virtual_time_ns", 100e9}});
  EXPECT_NE(html.find("<th>State restore</th>"), std::string::npos);
  EXPECT_NE(html.find("standby: 13 restore(s), 1619 records replayed, promoted <code>w2</code> <code>w3</code>"),
            std::string::npos);
  const std::size_t db = html.find("<code>db</code>");
  ASSERT_NE(db, std::string::npos);
  EXPECT_NE(html.find("<td>-</td>", db), std::string::npos);
}

TEST(FailoverSection, AbsentWithoutACrash) {
  const std::string html = render_run_report(summary_with(json::array()), json{{"virtual_time_ns", 100e9}});
  EXPECT_EQ(html.find("id=\"failover\""), std::string::npos);
}

}  // namespace
}  // namespace sluice
