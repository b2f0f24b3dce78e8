// The explainers against a hand-built causal log: the cause they name
// follows the facts (a partition, or none), so an explanation can be wrong
// and these tests would say so.
#include <gtest/gtest.h>

#include "sim/check/explain/causal_log.h"
#include "sim/check/explain/explainers.h"

namespace sluice {
namespace {

PartPlaces places() {
  PartPlaces p;
  p.sources = {"orders"};
  p.source_nodes = {"edge"};
  p.queues = {"ingest"};
  p.queue_nodes = {"edge"};
  p.queue_is_log = {false};
  p.stages = {"work"};
  p.worker_nodes = {{"w1", "w2"}};
  p.sinks = {"db"};
  p.sink_nodes = {"db"};
  p.sink_dedup = {""};
  return p;
}

// Event 0:7 handed to worker-1 (node w2), applied, its attempt fails, applied again.
CausalLog retried(bool with_partition) {
  CausalLog log(places());
  if (with_partition) {
    FaultWindow cut;
    cut.begin = 1'000;
    cut.end = 9'000;
    cut.kind = "partition_one_way";
    cut.target = "db -> w2";
    cut.from = {"db"};
    cut.to = {"w2"};
    cut.nodes = {"db", "w2"};
    log.fault_began(cut);
  }
  Event e{.id = make_event_id(0, 7), .key = 3, .emitted_at = 500};
  log.produced(500, e, {Role::source, 0});
  log.note("deliver", 2'000, e, {Role::worker, 0, 1});
  log.note("effect", 2'500, e, {Role::sink, 0});
  log.note("attempt_failed", 4'000, e, {Role::worker, 0, 1}, 1, "timeout");
  log.note("effect", 5'000, e, {Role::sink, 0});
  return log;
}

// Partition 'ingest' (queue 0, a log on node edge): checkpoint 21 snapshots
// it at offset 294, checkpoint 30 at 456; worker-1 of 'work' (node w2)
// restores checkpoint 21 at 12 s, after a pause of w2 when `paused`.
CausalLog stale_restore(bool paused) {
  PartPlaces p = places();
  p.queue_is_log = {true};
  CausalLog log(p);
  if (paused) {
    FaultWindow pause;
    pause.begin = 9'700'000'000;
    pause.end = 12'000'000'000;
    pause.healed = true;
    pause.kind = "pause";
    pause.target = "w2";
    pause.nodes = {"w2"};
    log.fault_began(pause);
  }
  log.mark({.kind = "snapshot", .t = 7'500'000'000, .part = 0, .id = 21, .offset = 294});
  log.mark({.kind = "snapshot", .t = 11'800'000'000, .part = 0, .id = 30, .offset = 456});
  log.mark({.kind = "restorer", .t = 12'000'000'000, .part = 0, .id = 0, .worker = 1});
  log.mark({.kind = "restore", .t = 12'000'000'000, .part = 0, .id = 21, .offset = 294});
  return log;
}

TEST(CausalLog, AStaleRestoreNamesTheNewerCheckpointAndTheWorker) {
  for (bool paused : {true, false}) {
    const CausalLog log = stale_restore(paused);
    const Explanation e = explain_state(log, 0, 21, 294, true, 12'000'000'000);
    EXPECT_NE(e.why.find("stale checkpoint was restored"), std::string::npos) << e.why;
    EXPECT_NE(e.why.find("worker-1 of 'work' on node w2"), std::string::npos) << e.why;
    EXPECT_NE(e.why.find("checkpoint 21"), std::string::npos) << e.why;
    EXPECT_NE(e.why.find("checkpoint 30 had completed at 11.800 s"), std::string::npos) << e.why;
    EXPECT_EQ(e.why.find("disagree"), std::string::npos) << "state and offsets agree here: " << e.why;
    EXPECT_EQ(e.why.find("pause w2") != std::string::npos, paused) << e.why;
  }
}

// Restored from the latest checkpoint: not the stale-restore story.
TEST(CausalLog, ARestoreOfTheLatestCheckpointIsNotCalledStale) {
  const CausalLog log = stale_restore(false);
  const Explanation e = explain_state(log, 0, 30, 294, true, 12'000'000'000);
  EXPECT_EQ(e.why.find("stale checkpoint was restored"), std::string::npos) << e.why;
}

TEST(CausalLog, DuplicateNamesThePartitionThatCutTheReply) {
  CausalLog log = retried(true);
  Explanation x = explain_duplicate(log, Event{.id = make_event_id(0, 7), .key = 3}, 0, 5'000);
  EXPECT_NE(x.why.find("partition_one_way db -> w2"), std::string::npos) << x.why;
  EXPECT_NE(x.why.find("worker node w2"), std::string::npos) << x.why;
  EXPECT_EQ(x.at, 5'000);
}

TEST(CausalLog, DuplicateWithoutAFaultBlamesTheNetwork) {
  CausalLog log = retried(false);
  Explanation x = explain_duplicate(log, Event{.id = make_event_id(0, 7), .key = 3}, 0, 5'000);
  EXPECT_EQ(x.why.find("partition"), std::string::npos) << x.why;
  EXPECT_NE(x.why.find("no fault was active"), std::string::npos) << x.why;
}

TEST(CausalLog, PartsAreNamedByNodeAndRole) {
  CausalLog log(places());
  EXPECT_EQ(log.where({Role::worker, 0, 1}), "worker-1 of 'work' on node w2");
  EXPECT_EQ(log.where({Role::sink, 0}), "sink 'db' on node db");
  EXPECT_EQ(log.where({Role::queue, 0}), "queue 'ingest' on node edge");
}

TEST(CausalLog, LossNamesTheCrashThatTookTheQueue) {
  CausalLog log(places());
  FaultWindow crash;
  crash.begin = 3'000;
  crash.end = 6'000;
  crash.kind = "crash";
  crash.target = "edge";
  crash.nodes = {"edge"};
  log.fault_began(crash);
  Event e{.id = make_event_id(0, 1), .key = 1, .emitted_at = 100};
  log.produced(100, e, {Role::source, 0});
  log.note("enqueue", 100, e, {Role::queue, 0}, 1);
  log.note("crash_drop", 3'000, e, {Role::queue, 0}, 0);
  Explanation x = explain_loss(log, e.id, "");
  EXPECT_NE(x.why.find("crash edge"), std::string::npos) << x.why;
  EXPECT_NE(x.why.find("queue 'ingest' on node edge"), std::string::npos) << x.why;
  // Once it took effect it is no longer in flight: nothing is left to explain.
  log.resolved(e);
  EXPECT_EQ(log.last_seen(e.id), nullptr);
}

TEST(CausalLog, AnEventInFlightKeepsItsLastSightingsAfterTheRingHasMovedOn) {
  CausalLog log(places());
  Event stuck{.id = make_event_id(0, 1), .key = 1};
  log.produced(0, stuck, {Role::source, 0});
  log.note("route", 10, stuck, {Role::worker, 0, 1});
  log.note("enqueue", 20, stuck, {Role::queue, 0}, 1);
  Event done{.id = make_event_id(0, 2), .key = 2};
  log.produced(30, done, {Role::source, 0});
  // Far more records than the ring holds, of an event that then takes effect.
  for (Nanos t = 40; t < 40 + 20'000; ++t) log.note("enqueue", t, done, {Role::queue, 0}, 1);
  log.resolved(done);
  ASSERT_NE(log.last_seen(stuck.id), nullptr);
  EXPECT_EQ(std::string(log.last_seen(stuck.id)->kind), "enqueue");
  EXPECT_EQ(log.last_seen(stuck.id)->t, 20);
  ASSERT_NE(log.last_holder(stuck.id), nullptr);
  EXPECT_EQ(log.last_holder(stuck.id)->t, 10);
  EXPECT_EQ(log.last_seen(done.id), nullptr);
  const std::vector<CausalRecord> unresolved = log.recent_unresolved(5);
  EXPECT_TRUE(unresolved.empty()) << "the stuck event's records have all left the ring";
  // A record in the ring is newer than the sighting kept from before.
  log.note("deliver", 50'000, stuck, {Role::worker, 0, 0});
  EXPECT_EQ(log.last_seen(stuck.id)->t, 50'000);
  EXPECT_EQ(log.last_holder(stuck.id)->t, 50'000);
  ASSERT_EQ(log.recent_unresolved(5).size(), 1u);
  EXPECT_EQ(log.recent_unresolved(5)[0].id, stuck.id);
}

// Sightings live in a pool that resolved events hand back: an event that
// reuses one must see only its own records, never the previous owner's.
TEST(CausalLog, AReusedSightingHoldsOnlyItsNewEventsRecords) {
  CausalLog log(places());
  Event first{.id = make_event_id(0, 1), .key = 1};
  log.produced(0, first, {Role::source, 0});
  log.note("route", 10, first, {Role::worker, 0, 1});
  Event filler{.id = make_event_id(0, 2), .key = 2};
  log.produced(20, filler, {Role::source, 0});
  Nanos t = 30;
  for (int i = 0; i < 20'000; ++i) log.note("enqueue", t++, filler, {Role::queue, 0}, 1);
  ASSERT_NE(log.last_holder(first.id), nullptr) << "the first event kept its worker sighting";
  log.resolved(first);  // its sighting goes back to the pool
  EXPECT_EQ(log.last_seen(first.id), nullptr);

  Event second{.id = make_event_id(0, 3), .key = 3};
  log.produced(t++, second, {Role::source, 0});
  const Nanos queued_at = t++;
  log.note("enqueue", queued_at, second, {Role::queue, 0}, 1);
  for (int i = 0; i < 20'000; ++i) log.note("enqueue", t++, filler, {Role::queue, 0}, 1);
  ASSERT_NE(log.last_seen(second.id), nullptr);
  EXPECT_EQ(log.last_seen(second.id)->id, second.id);
  EXPECT_EQ(log.last_seen(second.id)->t, queued_at);
  EXPECT_EQ(log.last_holder(second.id), nullptr) << "no worker ever held the second event";
  log.resolved(filler);
  log.resolved(second);
  EXPECT_EQ(log.last_seen(second.id), nullptr);
}

}  // namespace
}  // namespace sluice
