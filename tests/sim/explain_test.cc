// Every shipped scenario that expects a violation explains it by the
// mechanism that caused it (issue 16): the explanation names the fault,
// policy or defect, and the parts by node, not just that something broke.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"

namespace sluice {
namespace {

struct Expected {
  std::string file;       // under scenarios/
  std::string invariant;  // the violation to explain
  std::vector<std::string> why_names;  // each must appear in the why
};

const Verdict& verdict_of(const RunReport& report, const std::string& name) {
  for (const auto& [n, v] : report.invariants) {
    if (n == name) return v;
  }
  static const Verdict kNone;
  ADD_FAILURE() << "no invariant " << name;
  return kNone;
}

RunReport run_file(const std::string& file) {
  Scenario scenario = load_scenario_file(std::string(SLUICE_SOURCE_DIR) + "/scenarios/" + file);
  return run_scenario(scenario, RunOptions{});
}

// Every shipped scenario whose expect.violate lists an invariant with an
// explainer (ShippedViolationsAreAllCovered checks the list is complete).
std::vector<Expected> expected_cases() {
  return {
      {"faults/partition_one_way.json", "no_duplicate_effects",
       {"retry after a lost reply", "partition_one_way db -> worker", "sink node db", "worker node worker"}},
      {"world/lossy_network.json", "no_duplicate_effects", {"retry after a lost reply", "no fault was active"}},
      {"defects/skip_dedup.json", "no_duplicate_effects",
       {"duplicated message", "skip_dedup defect", "sink 'db' on node db"}},
      {"guarantees/dedup_window_too_small.json", "no_duplicate_effects",
       {"retry after a lost reply", "deduplication window of the last 4 event ids had already forgotten it"}},
      // The zombie: who wrote the stale transaction, with which generation, against the current one.
      {"defects/no_fencing.json", "no_duplicate_effects",
       {"zombie writing without fencing", "worker-2 of 'count' on node w3", "with generation 4",
        "with generation 5", "partition_one_way w1 -> broker", "from checkpoint 13",
        "nothing fenced the stale generation 4 transaction", "no_fencing defect"}},
      {"faults/crash_edge.json", "no_loss", {"in queue 'ingest' on node edge", "crash edge"}},
      {"faults/crash_worker.json", "no_loss", {"inside stage 'work'", "crash worker"}},
      {"defects/ack_before_fsync.json", "no_loss", {"unsynced write", "crash broker", "ack_before_fsync defect"}},
      // The commit that skipped past the record, and the crash behind the rebalance that handed it back.
      {"defects/commit_before_process.json", "no_loss",
       {"committed its partition past it when it was fetched", "before it was processed",
        "commit_before_process defect", "rebalance to generation 5", "crash w1",
        "worker-1 of 'enrich' on node w2, which still held it unprocessed"}},
      {"defects/no_retry_on_timeout.json", "no_loss", {"no_retry_on_timeout defect", "on node worker-1"}},
      {"guarantees/at_most_once.json", "no_loss", {"at-most-once delivery does not redeliver", "crash w1"}},
      {"liveness/always_fails_no_dlq.json", "no_loss", {"gave up on it with no dead-letter sink"}},
      {"liveness/crash_no_restart.json", "no_loss", {"inside stage 'handle'", "crash worker-1"}},
      // A fan-out: the causal log follows the event until every branch has
      // settled, so the branch that lost it still knows where it was.
      {"verdicts/fan_out_branch_shed.json", "no_loss",
       {"last seen in queue 'main-q' on node mainbox", "crash mainbox (5.000 s to 6.000 s) took it"}},
      {"defects/restore_stale_offsets.json", "checkpoint_consistency",
       {"restore of partition", "stale checkpoint", "crash w1", "restore_stale_offsets defect"}},
      // The trim, not the restore, lost the state: the why names the cut and what it deleted.
      {"defects/changelog_trimmed_early.json", "checkpoint_consistency",
       {"was trimmed past what the restore needed", "still the latest value of their key",
        "changelog_trimmed_early defect"}},
      {"defects/reorder_on_retry.json", "per_key_order", {"by a retry", "reorder_on_retry defect"}},
      {"pipeline/unordered_workers.json", "per_key_order", {"unordered routing", "on node worker-"}},
      {"verdicts/cross_source_keys_total.json", "per_key_order",
       {"unordered routing", "on node west", "on node east"}},
      {"defects/ignore_credits.json", "flow_control", {"was granted", "ignore_credits defect"}},
      {"defects/unbounded_buffer.json", "bounded_queues", {"capacity of 32", "unbounded_buffer defect"}},
      {"pipeline/rate_limited.json", "drains_after_heal",
       {"still queued or in service", "in the inbox of worker-0 of 'handle' on node worker-1",
        "waits on that worker to take it"}},
      {"liveness/crash_no_restart.json", "drains_after_heal", {"waits on a worker of stage 'handle'", "crash that never heals"}},
      {"liveness/partitioned_consumer.json", "drains_after_heal",
       {"in the retry loop of worker-0 of 'consume' on node w1", "never healed: partition w1 | broker,edge,db"}},
      {"verdicts/topic_cut_by_until.json", "drains_after_heal",
       {"of 'enrich' on node w", "never healed: crash w1"}},
      // progress: what the stuck events wait on, from the progress checker's places.
      {"liveness/crash_no_restart.json", "progress",
       {"nothing left in the simulation could move them", "waits on a worker of stage 'handle'",
        "crash that never heals"}},
      {"liveness/livelock_retry.json", "progress",
       {"livelock", "the looping event", "in the retry loop of worker-0 of 'handle' on node worker-1",
        "last failure: timeout", "hand-over to 'db' succeeding"}},
      {"liveness/partitioned_consumer.json", "progress",
       {"longer than run.stall_after", "in the retry loop of worker-0 of 'consume' on node w1",
        "last failure: timeout", "never healed: partition w1 | broker,edge,db"}},
      {"liveness/slowed_forever.json", "progress",
       {"longer than run.stall_after", "worker-0 of 'handle' on node worker-1", "never healed: slow worker-1"}},
      // Multi-hop exactly-once: which transactions committed the copy twice, and the defect that let them.
      {"defects/offsets_outside_transaction.json", "no_duplicate_effects",
       {"committed twice in partition 'parsed/", "offsets_outside_transaction defect", "re-read the input"}},
      {"defects/abort_markers_lost.json", "no_duplicate_effects",
       {"committed twice in partition 'parsed/", "abort markers were lost", "abort_markers_lost defect"}},
      {"defects/no_producer_fencing.json", "no_duplicate_effects",
       {"committed twice in partition 'parsed/", "did not bump the writer's epoch", "no_producer_fencing defect"}},
      {"defects/read_uncommitted_downstream.json", "no_duplicate_effects",
       {"A read of uncommitted data", "of 'count' on node c", "read_uncommitted_downstream defect",
        "applied a second time"}},
      // Not expected by the scenario (it ships for no_duplicate_effects), but explained all the same:
      // the checker re-folds its records to find what the snapshot folded.
      {"defects/read_uncommitted_downstream.json", "checkpoint_consistency",
       {"folded records of aborted transactions that read_committed skips", "(event 0:",
        "read_uncommitted_downstream defect"}},
      // Elastic scaling: the decision, the replica that left, and what it held.
      {"defects/scale_in_without_drain.json", "scale_in_is_lossless",
       {"worker-3 of 'enrich' on node worker-4 was scaled in at 15.000 s", "4 -> 3 replicas",
        "scale_in_without_drain defect", "it held 2 event(s)", "0:1507"}},
      {"defects/scale_in_without_drain.json", "no_loss",
       {"held by worker-3 of 'enrich' on node worker-4", "was scaled in at 15.000 s", "scale_in_without_drain defect"}},
      {"defects/no_stabilization.json", "no_flapping",
       {"stage 'enrich' flapped", "reversed direction 5 times", "then 8 -> 2 at 80.000 s on utilization 0.124",
        "no_stabilization defect"}},
      {"scaling/hpa_flapping.json", "no_flapping",
       {"stage 'enrich' flapped", "reversed direction 5 times", "(scale-up none, scale-down none)", "shorter than the load's swings"}},
      // The hard defects: each names the defect and the rare condition that let it show.
      {"defects/dedup_evicts_by_wall_clock.json", "no_duplicate_effects",
       {"retry after a lost reply", "dedup_evicts_by_wall_clock defect", "node db's clock",
        "clock_skew db (8.000 s to 18.000 s) set that clock back"}},
      {"defects/idempotence_window_volatile.json", "no_duplicate_effects",
       {"A produce retried across a broker restart", "partition 'orders-topic/", "held event 0:", "twice",
        "crash broker", "appended again", "idempotence_window_volatile defect"}},
      {"defects/idempotent_sink_forgets_gaps.json", "no_loss",
       {"worker-1 of 'work' on node w2", "reached the sink late", "partition w2 | db (5.000 s to 8.000 s)",
        "idempotent_sink_forgets_gaps defect", "suppressed the write as a repeat"}},
      {"defects/checkpoint_commit_not_redriven.json", "no_loss",
       {"crash_at_point broker", "did not commit that checkpoint again", "checkpoint_commit_not_redriven defect",
        "aborted the transaction"}},
      {"walkthrough/orders_partitioned.json", "no_duplicate_effects",
       {"retry after a lost reply", "partition_one_way db -> w1", "worker node w1"}},
  };
}

std::vector<std::pair<std::string, std::string>> covered_cases() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Expected& c : expected_cases()) out.emplace_back(c.file, c.invariant);
  return out;
}

TEST(Explain, EveryExpectedViolationNamesItsMechanism) {
  const std::vector<Expected> cases = expected_cases();
  for (const Expected& c : cases) {
    RunReport report = run_file(c.file);
    const Verdict& v = verdict_of(report, c.invariant);
    ASSERT_FALSE(v.ok()) << c.file;
    ASSERT_FALSE(v.explanation.empty()) << c.file << " " << c.invariant << " has no explanation";
    for (const std::string& name : c.why_names) {
      EXPECT_NE(v.explanation.why.find(name), std::string::npos)
          << c.file << ": the why does not name '" << name << "': " << v.explanation.why;
    }
    EXPECT_FALSE(v.explanation.steps.empty()) << c.file;
    for (const ExplainStep& step : v.explanation.steps) {
      EXPECT_FALSE(step.kind.empty()) << c.file << ": a step without its trace record kind: " << step.text;
    }
  }
}

// The list above is complete: every shipped scenario that expects a violation
// has each expected violation explained there.
TEST(Explain, ShippedViolationsAreAllCovered) {
  const std::vector<std::pair<std::string, std::string>> covered = covered_cases();
  namespace fs = std::filesystem;
  const fs::path root = fs::path(SLUICE_SOURCE_DIR) / "scenarios";
  std::size_t expected = 0;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".json" || entry.path().filename() == "schema.json") continue;
    std::ifstream in(entry.path());
    const nlohmann::json scenario = nlohmann::json::parse(in);
    if (!scenario.contains("expect") || !scenario["expect"].contains("violate")) continue;
    const std::string file = fs::relative(entry.path(), root).generic_string();
    for (const nlohmann::json& invariant : scenario["expect"]["violate"]) {
      ++expected;
      const std::pair<std::string, std::string> want{file, invariant.get<std::string>()};
      EXPECT_NE(std::find(covered.begin(), covered.end(), want), covered.end())
          << file << " expects " << want.second << " violated, and no test asserts its explanation";
    }
  }
  EXPECT_GT(expected, 20u);
}

// Both effects of the one-way partition's duplicate, each with its node and
// worker, the partition as a step, and the marker time at the second effect.
TEST(Explain, OneWayPartitionShowsBothEffectsAndThePartition) {
  RunReport report = run_file("faults/partition_one_way.json");
  const Verdict& v = verdict_of(report, "no_duplicate_effects");
  std::vector<const ExplainStep*> effects;
  bool partition = false;
  for (const ExplainStep& s : v.explanation.steps) {
    if (s.kind == "effect") effects.push_back(&s);
    if (s.kind == "fault" && s.part.find("partition_one_way") != std::string::npos) partition = true;
  }
  ASSERT_EQ(effects.size(), 2u);
  for (const ExplainStep* e : effects) {
    EXPECT_EQ(e->node, "db");
    EXPECT_NE(e->text.find("worker-0 of 'work' on node worker"), std::string::npos) << e->text;
  }
  EXPECT_LT(effects[0]->t_ns, effects[1]->t_ns);
  EXPECT_TRUE(partition);
  EXPECT_EQ(v.explanation.at, effects[1]->t_ns);
  // summary.json carries it under invariants.NAME.first.explanation.
  const nlohmann::json& first = report.summary["invariants"]["no_duplicate_effects"]["first"];
  ASSERT_TRUE(first.is_object());
  EXPECT_EQ(first["text"], v.first);
  const nlohmann::json& explanation = first["explanation"];
  EXPECT_EQ(explanation["why"], v.explanation.why);
  EXPECT_EQ(explanation["at_ns"], v.explanation.at);
  for (const char* field : {"t_ns", "node", "part", "kind", "event", "text"}) {
    EXPECT_TRUE(explanation["steps"][0].contains(field)) << field;
  }
}

TEST(Explain, HumanTimes) {
  EXPECT_EQ(human_time(21'025'928'125), "21.026 s");
  EXPECT_EQ(human_time(0), "0.000 s");
  EXPECT_EQ(human_duration(200'000'000), "200 ms");
}

}  // namespace
}  // namespace sluice

namespace sluice {
namespace {

// run --explain N: the first N violations of each invariant are explained, in order.
TEST(Explain, ExplainNExplainsTheFirstNViolations) {
  Scenario scenario = load_scenario_file(std::string(SLUICE_SOURCE_DIR) + "/scenarios/faults/partition_one_way.json");
  RunOptions options;
  options.explain = 3;
  RunReport report = run_scenario(scenario, options);
  const Verdict& dup = verdict_of(report, "no_duplicate_effects");
  ASSERT_EQ(dup.explanations.size(), 3u);
  EXPECT_EQ(dup.explanations[0].why, dup.explanation.why);
  EXPECT_LT(dup.explanations[0].at, dup.explanations[1].at);
  EXPECT_LT(dup.explanations[1].at, dup.explanations[2].at);
  EXPECT_EQ(report.summary["invariants"]["no_duplicate_effects"]["explanations"].size(), 3u);
  // One by default: no list beside first.explanation.
  RunReport plain = run_scenario(scenario, RunOptions{});
  EXPECT_EQ(verdict_of(plain, "no_duplicate_effects").explanations.size(), 1u);
  EXPECT_FALSE(plain.summary["invariants"]["no_duplicate_effects"].contains("explanations"));

  Scenario crash = load_scenario_file(std::string(SLUICE_SOURCE_DIR) + "/scenarios/faults/crash_edge.json");
  options.explain = 2;
  const Verdict& loss = verdict_of(run_scenario(crash, options), "no_loss");
  ASSERT_EQ(loss.explanations.size(), 2u);
  EXPECT_NE(loss.explanations[0].why, loss.explanations[1].why);
}

}  // namespace
}  // namespace sluice
