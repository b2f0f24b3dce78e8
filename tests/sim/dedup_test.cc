// Identity and deduplication: idempotent producers (the broker's idempotence
// window, also across a restart), idempotent sinks, sink deduplication
// windows (by size and by ttl), and the loader's errors for them.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/broker/idempotence_window.h"
#include "core/pipeline/sink_dedup.h"
#include "sim/run/runner.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/scenario_error.h"
#include "tests/sim/run_test_support.h"

namespace sluice {
namespace {

constexpr Nanos kMs = kNanosPerMilli;

using testing::count;
using testing::shipped;
using testing::verdict;

RunReport run(const Scenario& scenario, std::uint64_t seed, std::string trace_path = "") {
  RunOptions options;
  options.seed = seed;
  options.trace_path = std::move(trace_path);
  return run_scenario(scenario, options);
}

// --- the pieces on their own ------------------------------------------------

TEST(IdempotenceWindow, RemembersEachProducersLastAppendsOnly) {
  IdempotenceWindow window(2);
  window.appended(make_event_id(0, 10), 100);
  window.appended(make_event_id(1, 10), 101);  // another producer, its own window
  window.appended(make_event_id(0, 11), 102);
  EXPECT_EQ(window.offset_of(make_event_id(0, 10)), 100u);
  EXPECT_EQ(window.offset_of(make_event_id(1, 10)), 101u);
  window.appended(make_event_id(0, 12), 103);  // pushes 0:10 out
  EXPECT_FALSE(window.offset_of(make_event_id(0, 10)));
  EXPECT_EQ(window.offset_of(make_event_id(0, 12)), 103u);
  EXPECT_EQ(window.offset_of(make_event_id(1, 10)), 101u);
}

TEST(SinkDedup, AnIdempotentSinkSuppressesEveryRepeatHoweverLate) {
  SinkDedup dedup(SinkDedupConfig{.idempotent = true});
  for (std::uint64_t seq = 0; seq < 10'000; ++seq) EXPECT_FALSE(dedup.repeat(make_event_id(0, seq), 0));
  EXPECT_TRUE(dedup.repeat(make_event_id(0, 0), 1'000'000 * kMs));
  EXPECT_TRUE(dedup.repeat(make_event_id(0, 9'999), 0));
  EXPECT_FALSE(dedup.repeat(make_event_id(1, 0), 0)) << "another source's sequence 0 is another event";
  SinkDedup skipping(SinkDedupConfig{.idempotent = true, .skip = true});
  EXPECT_FALSE(skipping.repeat(make_event_id(0, 0), 0));
  EXPECT_FALSE(skipping.repeat(make_event_id(0, 0), 0)) << "skip_dedup lets the repeat through";
}

TEST(SinkDedup, AWindowForgetsIdsPushedOutByNewerOnes) {
  SinkDedup dedup(SinkDedupConfig{.window = 3});
  EXPECT_FALSE(dedup.repeat(1, 0));
  EXPECT_FALSE(dedup.repeat(2, 0));
  EXPECT_FALSE(dedup.repeat(3, 0));
  EXPECT_TRUE(dedup.repeat(1, 0)) << "inside the window";
  EXPECT_FALSE(dedup.repeat(4, 0));
  EXPECT_FALSE(dedup.repeat(1, 0)) << "1 left the window when 4 came: it takes effect again";
  EXPECT_TRUE(dedup.repeat(1, 0)) << "and is remembered again";
}

TEST(SinkDedup, AWindowForgetsIdsAfterTheirTtlOnTheSinksClock) {
  SinkDedup dedup(SinkDedupConfig{.window = 100, .ttl = 10 * kMs});
  EXPECT_FALSE(dedup.repeat(1, 0));
  EXPECT_FALSE(dedup.repeat(2, 5 * kMs));
  EXPECT_TRUE(dedup.repeat(1, 10 * kMs - 1));
  EXPECT_FALSE(dedup.repeat(1, 10 * kMs)) << "expired: takes effect again";
  // A local clock skewed back (the sink node's clock) does not expire anything early.
  EXPECT_TRUE(dedup.repeat(2, -1'000 * kMs));
  // One skewed far ahead expires everything at once.
  EXPECT_FALSE(dedup.repeat(2, 1'000 * kMs));
}

// --- idempotent producers end to end ----------------------------------------

TEST(IdempotentProducer, TheBrokerStoresEachRetriedRecordOnce) {
  Scenario scenario = shipped("guarantees/idempotent_producer.json");
  ASSERT_TRUE(scenario.sources[0].idempotent);
  for (std::uint64_t seed = 1; seed <= 2; ++seed) {
    RunReport idempotent = run(scenario, seed);
    EXPECT_TRUE(idempotent.ok) << idempotent.summary["expectations"].dump(2);
    EXPECT_GT(count(idempotent, "duplicates_suppressed"), 0u) << "seed " << seed;
    EXPECT_EQ(count(idempotent, "effects"), count(idempotent, "produced")) << "seed " << seed;
    EXPECT_TRUE(verdict(idempotent, "no_duplicate_effects").ok()) << verdict(idempotent, "no_duplicate_effects").first;

    Scenario plain = scenario;
    plain.sources[0].idempotent = false;
    RunReport at_least_once = run(plain, seed);
    EXPECT_EQ(count(at_least_once, "duplicates_suppressed"), 0u);
    EXPECT_FALSE(verdict(at_least_once, "no_duplicate_effects").ok()) << "seed " << seed << ": retries stored twice";
    EXPECT_GT(count(at_least_once, "redelivered"), count(idempotent, "redelivered") + 50) << "seed " << seed;
    EXPECT_TRUE(verdict(at_least_once, "no_loss").ok());
  }
}

TEST(IdempotentProducer, TheBrokerSkippingItsCheckStoresRetriesTwice) {
  Scenario scenario = shipped("guarantees/idempotent_producer.json");
  scenario.defects.skip_dedup = true;
  RunReport report = run(scenario, 1);
  EXPECT_EQ(count(report, "duplicates_suppressed"), 0u);
  EXPECT_FALSE(verdict(report, "no_duplicate_effects").ok());
}

// A record appended before a broker crash and retried after the restart is
// recognised: the window was rebuilt from the durable log.
TEST(IdempotentProducer, TheWindowSurvivesABrokerRestart) {
  Scenario scenario = shipped("guarantees/idempotent_producer.json");
  std::vector<std::pair<Nanos, Nanos>> outages;  // [crash, restart) of the broker
  for (const FaultSpec& fault : scenario.faults) {
    if (fault.kind == FaultKind::crash) outages.emplace_back(fault.at, fault.at + fault.restart_after);
  }
  ASSERT_EQ(outages.size(), 2u);
  const std::string trace = (std::filesystem::temp_directory_path() / "sluice_dedup_restart_trace.jsonl").string();
  std::uint64_t across_restart = 0;
  for (std::uint64_t seed = 1; seed <= 5 && across_restart == 0; ++seed) {
    RunReport report = run(scenario, seed, trace);
    ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
    std::map<std::string, Nanos> appended_at;  // event id -> first append
    std::ifstream in(trace);
    std::string line;
    while (std::getline(in, line)) {
      const nlohmann::json record = nlohmann::json::parse(line);
      const std::string kind = record["kind"];
      const Nanos t = record["t"].get<Nanos>();
      if (kind == "enqueue") appended_at.emplace(record["id"].get<std::string>(), t);
      if (kind != "duplicate_suppressed") continue;
      const auto original = appended_at.find(record["id"].get<std::string>());
      ASSERT_NE(original, appended_at.end()) << "a suppressed produce of a record never appended";
      for (const auto& [crash, restart] : outages) {
        if (original->second < crash && t >= restart) ++across_restart;
      }
    }
  }
  std::remove(trace.c_str());
  EXPECT_GT(across_restart, 0u) << "no retry straddled a restart in 5 seeds";
}

// --- sinks ---------------------------------------------------------------------

TEST(IdempotentSink, SuppressesEveryNetworkDuplicateExactly) {
  Scenario scenario = shipped("defects/skip_dedup.json");
  scenario.defects = Defects{};
  ASSERT_TRUE(scenario.sinks[0].dedup.idempotent);
  RunReport idempotent = run(scenario, 1);
  EXPECT_TRUE(verdict(idempotent, "no_duplicate_effects").ok()) << verdict(idempotent, "no_duplicate_effects").first;
  EXPECT_TRUE(verdict(idempotent, "no_loss").ok());
  EXPECT_GT(count(idempotent, "duplicates_suppressed"), 0u);
  EXPECT_EQ(count(idempotent, "effects"), count(idempotent, "produced"));

  Scenario plain = scenario;
  plain.sinks[0].dedup = SinkDedupConfig{};
  RunReport applied_twice = run(plain, 1);
  EXPECT_FALSE(verdict(applied_twice, "no_duplicate_effects").ok());
  // The same run: every repeat the idempotent sink suppressed, the plain one applied.
  EXPECT_EQ(count(applied_twice, "effects") - count(applied_twice, "produced"), count(idempotent, "duplicates_suppressed"));
}

TEST(DedupWindow, ATooSmallWindowLetsLateRetriesThroughAndAnAdequateOneDoesNot) {
  RunReport small = run(shipped("guarantees/dedup_window_too_small.json"), 1);
  EXPECT_TRUE(small.ok) << small.summary["expectations"].dump(2);
  EXPECT_FALSE(verdict(small, "no_duplicate_effects").ok());
  EXPECT_GT(count(small, "duplicates_suppressed"), 0u) << "duplicated requests arrive inside even a small window";

  RunReport enough = run(shipped("guarantees/dedup_window_enough.json"), 1);
  EXPECT_TRUE(enough.ok) << enough.summary["expectations"].dump(2);
  EXPECT_TRUE(verdict(enough, "no_duplicate_effects").ok()) << verdict(enough, "no_duplicate_effects").first;
  EXPECT_GT(count(enough, "duplicates_suppressed"), count(small, "duplicates_suppressed"));
}

TEST(DedupWindow, ATtlShorterThanTheRetryDelayLetsRetriesThrough) {
  Scenario scenario = shipped("guarantees/dedup_window_enough.json");
  ASSERT_GE(scenario.sinks[0].rpc_timeout, 50 * kMs);
  scenario.sinks[0].dedup.ttl = 10 * kMs;  // a retry comes after the 50 ms rpc timeout
  RunReport report = run(scenario, 1);
  EXPECT_FALSE(verdict(report, "no_duplicate_effects").ok());
  EXPECT_GT(count(report, "duplicates_suppressed"), 0u) << "duplicated requests arrive within the ttl";
}

// --- loading -------------------------------------------------------------------

std::string with_sink(const std::string& sink) {
  return R"({"name":"x","sources":[{"id":"s","node":"n","count":1,"arrival":{"dist":"constant","rate":1},"to":"d"}],
             "sinks":[)" + sink + "]}";
}

std::string error_pointer(const std::string& text) {
  try {
    load_scenario_text(text, "inline.json");
  } catch (const ScenarioError& e) {
    return e.pointer;
  }
  return "(accepted)";
}

TEST(DedupLoading, ReadsModesAndWindows) {
  Scenario s = load_scenario_text(with_sink(R"({"id":"d","node":"n","dedup":{"window":8,"ttl":"2s"}})"), "inline.json");
  EXPECT_EQ(s.sinks[0].dedup.window, 8u);
  EXPECT_EQ(s.sinks[0].dedup.ttl, 2 * kNanosPerSecond);
  EXPECT_FALSE(s.sinks[0].dedup.idempotent);
  s = load_scenario_text(with_sink(R"({"id":"d","node":"n","dedup":{"window":8}})"), "inline.json");
  EXPECT_EQ(s.sinks[0].dedup.ttl, kNever);
  s = load_scenario_text(with_sink(R"({"id":"d","node":"n","mode":"idempotent"})"), "inline.json");
  EXPECT_TRUE(s.sinks[0].dedup.idempotent);
  EXPECT_FALSE(s.sinks[0].dead_letter);
}

TEST(DedupLoading, ErrorsNameTheJsonPointer) {
  EXPECT_EQ(error_pointer(with_sink(R"({"id":"d","node":"n","dedup":{"window":0}})")), "/sinks/0/dedup/window");
  EXPECT_EQ(error_pointer(with_sink(R"({"id":"d","node":"n","dedup":{"ttl":"1s"}})")), "/sinks/0/dedup");  // window missing
  EXPECT_EQ(error_pointer(with_sink(R"({"id":"d","node":"n","dedup":{"window":4,"ttl":"0s"}})")), "/sinks/0/dedup/ttl");
  EXPECT_EQ(error_pointer(with_sink(R"({"id":"d","node":"n","dedup":{"window":4,"ttl":5}})")), "/sinks/0/dedup/ttl");
  EXPECT_EQ(error_pointer(with_sink(R"({"id":"d","node":"n","dedup":{"window":4,"size":4}})")), "/sinks/0/dedup/size");
  EXPECT_EQ(error_pointer(with_sink(R"({"id":"d","node":"n","mode":"idempotent","dedup":{"window":4}})")),
            "/sinks/0/dedup");
  EXPECT_EQ(error_pointer(with_sink(R"({"id":"d","node":"n","mode":"exactly"})")), "/sinks/0/mode");
  const std::string idempotent_to_sink =
      R"({"name":"x","sources":[{"id":"s","node":"n","count":1,"arrival":{"dist":"constant","rate":1},"to":"d",
          "idempotent":true}],"sinks":[{"id":"d","node":"n"}]})";
  EXPECT_EQ(error_pointer(idempotent_to_sink), "/sources/0/idempotent");
}

}  // namespace
}  // namespace sluice
