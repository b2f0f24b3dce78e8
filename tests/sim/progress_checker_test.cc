// The progress checker on its own: a stall, a livelock, faults excusing
// both until they heal, and a pipeline that keeps moving.
#include <gtest/gtest.h>

#include <map>

#include "sim/check/progress_checker.h"

namespace sluice {
namespace {

// Where each event is, as the run's causal log would say: set by the test.
struct Places {
  std::map<EventId, PendingPlace> at;
  void moved(EventId id, PendingPlace::Spot spot, std::uint32_t part, Nanos since) {
    at[id] = PendingPlace{.spot = spot, .part = part, .since = since};
  }
};

ProgressChecker checker(Places& places, Nanos judged_from = 0) {
  return ProgressChecker(
      ProgressBounds{.stall_after = 100, .attempts_max = 3, .judged_from = judged_from},
      [&places](EventId id) {
        auto it = places.at.find(id);
        return it == places.at.end() ? PendingPlace{.spot = PendingPlace::Spot::unseen} : it->second;
      },
      [](const PendingPlace& place) {
        return "at part " + std::to_string(place.part) + " since " + std::to_string(place.since) +
               (place.attempts > 0 ? " after " + std::to_string(place.attempts) + " attempts" : "");
      });
}

Event event(std::uint64_t sequence) { return Event{.id = make_event_id(0, sequence)}; }

TEST(ProgressChecker, HoldsWhileEventsKeepReachingOutcomes) {
  Places places;
  ProgressChecker c = checker(places);
  for (std::uint64_t i = 0; i < 10; ++i) {
    const Nanos t = static_cast<Nanos>(i) * 50;
    places.moved(event(i).id, PendingPlace::Spot::queue, 0, t);
    c.accepted(event(i), t);
    c.resolved(event(i), t + 40);
  }
  Verdict v = c.verdict(1000, true);
  EXPECT_TRUE(v.ok()) << v.first;
  EXPECT_EQ(v.checked, 10u);
}

TEST(ProgressChecker, AcceptingTwiceCountsOnePendingEvent) {
  Places places;
  ProgressChecker c = checker(places);
  c.accepted(event(1), 0);  // spilled durably
  c.accepted(event(1), 5);  // then replayed and acknowledged
  EXPECT_EQ(c.pending(), 1u);
  c.resolved(event(1), 6);
  EXPECT_EQ(c.pending(), 0u);
  EXPECT_TRUE(c.verdict(1000, false).ok());
}

TEST(ProgressChecker, TheLongestPendingEventsAreListedFirstAnUnseenOneSinceItsAcceptance) {
  Places places;
  ProgressChecker c = checker(places);
  places.moved(event(1).id, PendingPlace::Spot::queue, 1, 30);
  c.accepted(event(1), 5);
  c.accepted(event(2), 20);  // no record places it: it is described from its acceptance
  places.moved(event(3).id, PendingPlace::Spot::inbox, 3, 10);
  c.accepted(event(3), 10);
  const std::vector<std::string> stuck = c.stuck(2);
  ASSERT_EQ(stuck.size(), 2u);
  EXPECT_EQ(stuck[0], "event 0:1 at part 1 since 30");
  EXPECT_EQ(stuck[1], "event 0:3 at part 3 since 10");
  EXPECT_EQ(c.stuck(5).at(2), "event 0:2 at part 0 since 20");
}

TEST(ProgressChecker, AStallIsFoundAndTheStuckEventNamed) {
  Places places;
  ProgressChecker c = checker(places);
  places.moved(event(7).id, PendingPlace::Spot::queue, 4, 10);
  c.accepted(event(7), 10);
  EXPECT_FALSE(c.check(110));
  EXPECT_TRUE(c.check(111));
  Verdict v = c.verdict(200, true);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.first.find("run.stall_after"), std::string::npos) << v.first;
  ASSERT_EQ(v.context.size(), 1u);
  EXPECT_EQ(v.context[0], "event 0:7 at part 4 since 10");
}

TEST(ProgressChecker, FaultsExcuseAStallUntilTheyHeal) {
  Places places;
  ProgressChecker c = checker(places, /*judged_from=*/1000);
  places.moved(event(1).id, PendingPlace::Spot::queue, 0, 0);
  c.accepted(event(1), 0);
  EXPECT_FALSE(c.check(999));
  EXPECT_FALSE(c.check(1100));
  EXPECT_TRUE(c.check(1101));
}

TEST(ProgressChecker, AnEventAttemptedPastTheBoundIsALivelock) {
  Places places;
  ProgressChecker c = checker(places);
  places.moved(event(3).id, PendingPlace::Spot::retry, 2, 0);
  c.accepted(event(3), 0);
  for (int i = 0; i < 3; ++i) c.attempted(event(3), "refused", 1);
  EXPECT_FALSE(c.violated());
  c.attempted(event(3), "refused", 2);
  ASSERT_TRUE(c.violated());
  const Verdict v = c.verdict(2, true);
  EXPECT_NE(v.first.find("livelock bound of 3"), std::string::npos);
  EXPECT_NE(v.first.find("at part 2 since 0 after 4 attempts"), std::string::npos) << v.first;
}

TEST(ProgressChecker, PendingEventsWithNothingLeftToRunAreStuckForEver) {
  Places places;
  ProgressChecker c = checker(places);
  places.moved(event(1).id, PendingPlace::Spot::inbox, 0, 0);
  c.accepted(event(1), 0);
  EXPECT_TRUE(c.verdict(5, /*can_move=*/true).ok());
  ProgressChecker d = checker(places);
  places.moved(event(1).id, PendingPlace::Spot::inbox, 0, 0);
  d.accepted(event(1), 0);
  Verdict v = d.verdict(5, /*can_move=*/false);
  EXPECT_FALSE(v.ok());
  EXPECT_NE(v.first.find("nothing left in the simulation"), std::string::npos);
}

}  // namespace
}  // namespace sluice
