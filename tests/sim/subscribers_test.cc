// The history's subscribers on their own, fed hand-made records: each
// checker fails on a bad sequence and passes on a good one, and the drain
// watch stops the run exactly when the pipeline has drained.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/model/records.h"
#include "sim/watch/bounded_queues_check.h"
#include "sim/watch/checker_context.h"
#include "sim/watch/delivery_check.h"
#include "sim/watch/drain_causes.h"
#include "sim/watch/drain_watch.h"
#include "sim/watch/duplicate_effects_check.h"
#include "sim/check/explain/causal_log.h"
#include "sim/check/explain/explanation_book.h"
#include "sim/watch/flow_check.h"
#include "sim/watch/order_check.h"
#include "sim/watch/part_names.h"
#include "sim/check/recent_history.h"
#include "sim/watch/recent_records.h"
#include "sim/runtime/simulation.h"

namespace sluice {
namespace {

// One source feeding one queue (capacity 2) read by one stage of one worker
// that writes to one sink.
PartNames one_line() {
  PartNames names;
  names.sources = {"src"};
  names.queues = {"q"};
  names.queue_capacities = {2};
  names.buffer_queues = 1;
  names.queue_topic = {PartNames::kNotATopic};
  names.queue_sinks = {{0}};
  names.queue_consumers = {0};
  names.stages = {"work"};
  names.stage_workers = {1};
  names.stage_sinks = {{0}};
  names.stage_drops_on_give_up = {false};
  names.stage_reads_topic = {false};
  names.sinks = {"db"};
  names.sink_is_dead_letter = {false};
  names.source_sinks = {{0}};
  return names;
}

Event event(std::uint64_t sequence, std::uint64_t key) {
  return Event{.id = make_event_id(0, sequence), .key = key, .emitted_at = static_cast<Nanos>(sequence)};
}

// What a checker subscriber reads besides its records.
struct Fixture {
  Simulation sim;
  PartNames names = one_line();
  RecentHistory recent;
  CausalLog causal{names.places};
  ExplanationBook book;
  CheckerContext ctx{sim, names, recent, causal, book};
};

TEST(BoundedQueuesCheck, FailsOnlyWhenAnArrivalExceedsTheCapacity) {
  Fixture f;
  BoundedQueuesCheck check(f.ctx);
  const Event a = event(0, 1), b = event(1, 1), c = event(2, 1);
  check.on(Enqueued{0, a, 1});
  check.on(Enqueued{0, b, 2});
  check.on(Dequeued{0, a, 1, 0});  // ignored: the generic no-op
  EXPECT_TRUE(check.verdict().ok()) << check.verdict().first;
  EXPECT_EQ(check.verdict().checked, 2u);

  check.on(Enqueued{0, c, 3});
  const Verdict v = check.verdict();
  ASSERT_EQ(v.violations, 1u);
  EXPECT_NE(v.first.find("queue 'q' held 3 events, over its capacity of 2"), std::string::npos) << v.first;
  ASSERT_NE(f.book.find("bounded_queues"), nullptr) << "the violation is explained as it happens";
  EXPECT_EQ(f.book.find("bounded_queues")->size(), 1u);
}

TEST(OrderCheck, FailsWhenALaterEventOfAKeyTakesEffectFirst) {
  for (const bool reordered : {false, true}) {
    Fixture f;
    DeliveryCheck delivery(f.ctx);
    OrderCheck order(f.ctx, delivery);
    const Event first = event(0, 7), second = event(1, 7);
    for (const Event* e : {&first, &second}) {
      delivery.on(Produced{0, *e});
      delivery.on(Acked{0, *e});
    }
    for (const Event* e : reordered ? std::vector{&second, &first} : std::vector{&first, &second}) {
      const Effect effect{0, *e};
      delivery.on(effect);  // the history's order: the delivery check judges first
      order.on(effect);
    }
    EXPECT_EQ(order.verdict().ok(), !reordered) << order.verdict().first;
    EXPECT_EQ(f.book.find("per_key_order") != nullptr, reordered);
  }
}

TEST(DuplicateEffectsCheck, ARepeatAtTheSameSinkFailsAndIsNotAReordering) {
  Fixture f;
  DeliveryCheck delivery(f.ctx);
  OrderCheck order(f.ctx, delivery);
  DuplicateEffectsCheck duplicates(f.ctx, delivery);
  RecentRecords recent(f.sim, f.names, f.recent);
  const Event a = event(0, 3), b = event(1, 3);
  for (const Event* e : {&a, &b}) {
    delivery.on(Produced{0, *e});
    delivery.on(Acked{0, *e});
  }
  for (const Event* e : {&a, &b, &a}) {
    const Effect effect{0, *e};
    delivery.on(effect);  // in the history's order
    recent.on(effect);
    order.on(effect);
    duplicates.on(effect);
  }
  EXPECT_EQ(duplicates.verdict().violations, 1u);
  EXPECT_TRUE(order.verdict().ok()) << "a repeat is judged by no_duplicate_effects only: " << order.verdict().first;
  // The first violation's context: the key's recent records, ending with the repeat.
  const std::vector<std::string> context = duplicates.verdict().context;
  ASSERT_EQ(context.size(), 3u);
  EXPECT_NE(context.back().find("effect event 0:0"), std::string::npos) << context.back();
}

TEST(FlowCheck, FailsWhenAWorkerGetsMoreThanItsCredits) {
  Fixture f;
  FlowCheck flow(f.ctx);
  const Event a = event(0, 1), b = event(1, 1), c = event(2, 1);
  flow.on(CreditRequested{0, 0, 2});
  flow.on(DeliveredToWorker{0, 0, a});
  flow.on(DeliveredToWorker{0, 0, b});
  EXPECT_TRUE(flow.verdict().ok()) << flow.verdict().first;
  flow.on(DeliveredToWorker{0, 0, c});
  EXPECT_EQ(flow.verdict().violations, 1u);
  // A lost worker's credits are gone: a restarted one must ask again.
  FlowCheck fresh(f.ctx);
  fresh.on(CreditRequested{0, 0, 1});
  fresh.on(WorkerLost{0, 0});
  fresh.on(DeliveredToWorker{0, 0, a});
  EXPECT_EQ(fresh.verdict().violations, 1u);
}

TEST(DrainWatch, StopsTheRunOnceWhenTheLastEventLeavesAfterTheSourcesFinish) {
  Simulation sim;
  DrainWatch drain(sim, 1);
  int stops = 0;
  drain.on_drained([&] { ++stops; });
  const Event a = event(0, 1);
  drain.on(Enqueued{0, a, 1});
  drain.on(SourceFinished{0});
  EXPECT_EQ(stops, 0) << "one event still queued";
  drain.on(Dequeued{0, a, 0, 0});
  EXPECT_EQ(drain.backlog(), 1u) << "in service now";
  drain.on(Released{0, 0, a});
  EXPECT_EQ(stops, 1);
  EXPECT_EQ(drain.drained_at(), 0);
  drain.check();
  EXPECT_EQ(stops, 1) << "only once";
}

TEST(DrainWatch, WaitsForTheQuietPoint) {
  Simulation sim;
  DrainWatch drain(sim, 1);
  int stops = 0;
  drain.on_drained([&] { ++stops; });
  drain.set_quiet_after(5);  // a fault heals at t=5
  drain.on(SourceFinished{0});
  EXPECT_EQ(stops, 0) << "the faults are not over";
  EXPECT_EQ(drain.facts(10, kNever).drained_at, -1);
}

// What held the drain back: each mechanism counted over the run and after
// the quiet point, the most frequent first, named in words.
TEST(DrainCauses, CountsEachMechanismBeforeAndAfterTheQuietPoint) {
  Simulation sim;
  const PartNames names = one_line();
  DrainWatch drain(sim, 1);
  DrainCauses causes(names, drain);
  const Event a = event(0, 1);
  const std::string node = "w";
  causes.on(AttemptFailed{0, 0, a, 1, "timeout"});
  causes.on(Perturbed{PerturbSite::rpc_spurious_timeout, node});
  drain.on(SourceFinished{0});  // quiet from here (no fault)
  ASSERT_TRUE(drain.past_quiet());
  causes.on(AttemptFailed{0, 0, a, 2, "timeout"});
  causes.on(AttemptFailed{0, 0, a, 3, "error"});
  causes.on(BreakerChanged{0, "half_open"});  // only an opening costs time
  causes.on(BreakerChanged{0, "open"});
  const std::vector<std::string> phrases = causes.phrases();
  ASSERT_EQ(phrases.size(), 3u);
  EXPECT_EQ(phrases[0], "3 failed attempt(s) in stage 'work' (error 1, timeout 2), 2 after the quiet point");
  // Ties: the perturbation first (it is what causes failed attempts), then the breaker.
  EXPECT_EQ(phrases[1].rfind("the perturbation site rpc_spurious_timeout fired 1 time(s) (the reply arrives", 0), 0u)
      << phrases[1];
  EXPECT_NE(phrases[1].find(", 0 after the quiet point"), std::string::npos) << phrases[1];
  EXPECT_EQ(phrases[2], "the breaker of stage 'work' opened 1 time(s), 1 after the quiet point");
}

// A late drain is told in durations a person reads, with its backlog and causes.
TEST(DrainChecker, ALateDrainNamesItsBacklogDurationsAndCauses) {
  DrainFacts facts;
  facts.drained_at = 400'000'000'000;
  facts.quiet_at = 100'000'000'000;
  facts.drain_within = 120'000'000'000;
  facts.backlog_at_quiet = 3000;
  facts.all_sources_finished = true;
  facts.causes = {"cause one", "cause two", "cause three", "cause four"};
  const Verdict late = judge_drain(facts);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.first,
            "the backlog of 3000 event(s) took 300.000 s to drain after the sources finished and the faults healed (at "
            "100.000 s), over the bound of 120.000 s; held back by cause one; cause two; cause three; and 1 more cause(s)");
  facts.drained_at = 200'000'000'000;
  EXPECT_TRUE(judge_drain(facts).ok()) << "within the bound";
  facts.drained_at = 400'000'000'000;
  facts.causes.clear();
  EXPECT_NE(judge_drain(facts).first.find("; no failed attempt, give-up, breaker opening, rebalance or perturbation was "
                                          "recorded: the stages worked the backlog off at their own pace"),
            std::string::npos);
  facts.drained_at = -1;
  facts.backlog = 7;
  facts.end = 500'000'000'000;
  EXPECT_EQ(judge_drain(facts).first, "7 event(s) still queued or in service when the run ended at 500.000 s");
}

}  // namespace
}  // namespace sluice
