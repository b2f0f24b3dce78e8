// The progress checker on its own: a stall, a livelock, faults excusing
// both until they heal, and a pipeline that keeps moving.
#include <gtest/gtest.h>

#include "sim/check/progress_checker.h"

namespace sluice {
namespace {

ProgressChecker checker(Nanos judged_from = 0) {
  return ProgressChecker(ProgressBounds{.stall_after = 100, .attempts_max = 3, .judged_from = judged_from},
                         [](const PendingPlace& place) { return "at part " + std::to_string(place.part); });
}

Event event(std::uint64_t sequence) { return Event{.id = make_event_id(0, sequence)}; }

TEST(ProgressChecker, HoldsWhileEventsKeepReachingOutcomes) {
  ProgressChecker c = checker();
  for (std::uint64_t i = 0; i < 10; ++i) {
    const Nanos t = static_cast<Nanos>(i) * 50;
    c.moved(event(i), PendingPlace::Spot::queue, 0, 0, t);
    c.accepted(event(i), t);
    c.resolved(event(i), t + 40);
  }
  Verdict v = c.verdict(1000, true);
  EXPECT_TRUE(v.ok()) << v.first;
  EXPECT_EQ(v.checked, 10u);
}

TEST(ProgressChecker, AStallIsFoundAndTheStuckEventNamed) {
  ProgressChecker c = checker();
  c.moved(event(7), PendingPlace::Spot::queue, 4, 0, 10);
  c.accepted(event(7), 10);
  EXPECT_FALSE(c.check(110));
  EXPECT_TRUE(c.check(111));
  Verdict v = c.verdict(200, true);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.first.find("run.stall_after"), std::string::npos) << v.first;
  ASSERT_EQ(v.context.size(), 1u);
  EXPECT_EQ(v.context[0], "event 0:7 at part 4");
}

TEST(ProgressChecker, FaultsExcuseAStallUntilTheyHeal) {
  ProgressChecker c = checker(/*judged_from=*/1000);
  c.moved(event(1), PendingPlace::Spot::queue, 0, 0, 0);
  c.accepted(event(1), 0);
  EXPECT_FALSE(c.check(999));
  EXPECT_FALSE(c.check(1100));
  EXPECT_TRUE(c.check(1101));
}

TEST(ProgressChecker, AnEventAttemptedPastTheBoundIsALivelock) {
  ProgressChecker c = checker();
  c.moved(event(3), PendingPlace::Spot::retry, 2, 0, 0);
  c.accepted(event(3), 0);
  for (int i = 0; i < 3; ++i) c.attempted(event(3), "refused", 1);
  EXPECT_FALSE(c.violated());
  c.attempted(event(3), "refused", 2);
  ASSERT_TRUE(c.violated());
  EXPECT_NE(c.verdict(2, true).first.find("livelock bound of 3"), std::string::npos);
}

TEST(ProgressChecker, PendingEventsWithNothingLeftToRunAreStuckForEver) {
  ProgressChecker c = checker();
  c.moved(event(1), PendingPlace::Spot::inbox, 0, 0, 0);
  c.accepted(event(1), 0);
  EXPECT_TRUE(c.verdict(5, /*can_move=*/true).ok());
  ProgressChecker d = checker();
  d.moved(event(1), PendingPlace::Spot::inbox, 0, 0, 0);
  d.accepted(event(1), 0);
  Verdict v = d.verdict(5, /*can_move=*/false);
  EXPECT_FALSE(v.ok());
  EXPECT_NE(v.first.find("nothing left in the simulation"), std::string::npos);
}

}  // namespace
}  // namespace sluice
