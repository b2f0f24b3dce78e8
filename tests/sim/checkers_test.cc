// The online checkers, fed hand-made histories: each must be able to fail.
#include <gtest/gtest.h>

#include "sim/check/delivery_checker.h"
#include "sim/check/order_checker.h"
#include "core/pipeline/sequence_set.h"

namespace sluice {
namespace {

Event event(SourceIndex source, std::uint64_t seq, std::uint64_t key = 0, Nanos emitted = 0) {
  Event e;
  e.id = make_event_id(source, seq);
  e.key = key;
  e.emitted_at = emitted == 0 ? static_cast<Nanos>(seq) : emitted;
  return e;
}

TEST(SequenceSet, TracksOutOfOrderInsertsInBoundedSpace) {
  SequenceSet set;
  EXPECT_TRUE(set.insert(2));
  EXPECT_TRUE(set.insert(0));
  EXPECT_EQ(set.watermark(), 1u);
  EXPECT_FALSE(set.insert(2));
  EXPECT_TRUE(set.insert(1));
  EXPECT_EQ(set.watermark(), 3u);
  EXPECT_EQ(set.sparse_size(), 0u);
  EXPECT_FALSE(set.insert(0));
  EXPECT_TRUE(set.insert(5));
  EXPECT_EQ(set.missing_below(7, 10), (std::vector<std::uint64_t>{3, 4, 6}));
  for (std::uint64_t i = 6; i < 1'000'000; ++i) set.insert(i);
  EXPECT_EQ(set.sparse_size(), 999'995u);  // 3 and 4 still missing: everything above waits
  set.insert(3);
  set.insert(4);
  EXPECT_EQ(set.sparse_size(), 0u);
  EXPECT_EQ(set.watermark(), 1'000'000u);
}

TEST(DeliveryChecker, AcknowledgedButNeverAppliedIsLost) {
  DeliveryChecker checker(1);
  for (std::uint64_t seq = 0; seq < 5; ++seq) {
    checker.produced(event(0, seq));
    if (seq != 3) checker.acked(event(0, seq));  // 3 was refused: the producer knows
  }
  checker.effect(event(0, 0), 10, "db");
  checker.shed(event(0, 1));
  checker.effect(event(0, 4), 11, "db");
  // 2: acknowledged, never applied nor shed -> lost. 3: never acknowledged -> not lost.
  Verdict verdict = checker.no_loss({"src"}, true);
  EXPECT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.violations, 1u);
  EXPECT_EQ(checker.lost(), 1u);
  EXPECT_NE(verdict.first.find("event 0:2"), std::string::npos) << verdict.first;
  EXPECT_NE(verdict.first.find("'src'"), std::string::npos);
}

TEST(DeliveryChecker, ARunCutShortCountsOnlyVanishedEventsAsLost) {
  DeliveryChecker checker(1);
  for (std::uint64_t seq = 0; seq < 4; ++seq) {
    checker.produced(event(0, seq));
    checker.acked(event(0, seq));
  }
  checker.effect(event(0, 0), 10, "db");
  checker.vanished(event(0, 2));  // a crash took it; 1 and 3 are still queued
  Verdict verdict = checker.no_loss({"src"}, /*drained=*/false);
  EXPECT_EQ(verdict.violations, 1u);
  EXPECT_NE(verdict.first.find("event 0:2"), std::string::npos);
  EXPECT_NE(verdict.first.find("a crash took it"), std::string::npos);
  EXPECT_EQ(checker.in_flight_at_end(), 2u);
}

TEST(DeliveryChecker, EverythingAppliedOrShedIsNoLoss) {
  DeliveryChecker checker(2);
  for (SourceIndex s = 0; s < 2; ++s) {
    for (std::uint64_t seq = 0; seq < 100; ++seq) {
      checker.produced(event(s, seq));
      checker.acked(event(s, seq));
      if (seq % 7 == 0) checker.shed(event(s, seq));
      else checker.effect(event(s, seq), 5, "db");
    }
  }
  EXPECT_EQ(checker.unresolved(), 0u);
  Verdict verdict = checker.no_loss({"a", "b"}, true);
  EXPECT_TRUE(verdict.ok());
  EXPECT_EQ(verdict.checked, 200u);
}

TEST(DeliveryChecker, ASecondEffectIsADuplicate) {
  DeliveryChecker checker(1);
  checker.produced(event(0, 0));
  checker.acked(event(0, 0));
  EXPECT_TRUE(checker.effect(event(0, 0, 42), 10, "db"));
  EXPECT_FALSE(checker.effect(event(0, 0, 42), 20, "db"));
  const Verdict& verdict = checker.no_duplicate_effects();
  EXPECT_EQ(verdict.violations, 1u);
  EXPECT_EQ(verdict.checked, 2u);
  EXPECT_NE(verdict.first.find("key 42"), std::string::npos) << verdict.first;
  EXPECT_NE(verdict.first.find("t=20ns"), std::string::npos) << verdict.first;
}

TEST(OrderChecker, AnEarlierEventOfTheSameKeyAppliedLaterIsAViolation) {
  OrderChecker checker;
  checker.effect(event(0, 1, 7, 100), 1000);
  checker.effect(event(0, 2, 8, 200), 1001);  // another key: no constraint
  checker.effect(event(0, 3, 7, 300), 1002);
  EXPECT_TRUE(checker.verdict().ok());
  checker.effect(event(0, 0, 8, 50), 1003);  // key 8 went backwards
  EXPECT_EQ(checker.verdict().violations, 1u);
  EXPECT_NE(checker.verdict().first.find("key 8"), std::string::npos) << checker.verdict().first;
}

// Independent producers define no order between them: per source by default,
// across sources only when the scenario declares a total order.
TEST(OrderChecker, KeyOrderIsPerSourceUnlessTotal) {
  for (bool total : {false, true}) {
    OrderChecker checker(total);
    checker.effect(event(1, 0, 7, 200), 1000);  // source 1, emitted later
    checker.effect(event(0, 0, 7, 100), 1001);  // source 0, emitted earlier, applied after
    EXPECT_EQ(checker.verdict().ok(), !total) << "total " << total;
    checker.effect(event(0, 1, 7, 300), 1002);
    checker.effect(event(0, 0, 7, 100), 1003);  // the same source going backwards: always a violation
    EXPECT_FALSE(checker.verdict().ok());
  }
}

}  // namespace
}  // namespace sluice
