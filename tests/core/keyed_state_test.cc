// Operator state: folding, digests, and full and incremental snapshots that
// rebuild exactly the state they were taken from.
#include <gtest/gtest.h>

#include "core/checkpoint/keyed_state.h"

namespace sluice {
namespace {

Event event(std::uint64_t key, Nanos at = 0, std::uint32_t size = 1) {
  Event e;
  e.key = key;
  e.emitted_at = at;
  e.size_bytes = size;
  return e;
}

TEST(KeyedState, EachOperatorFoldsItsOwnWay) {
  KeyedState count({OperatorKind::count_by_key}), sum({OperatorKind::sum_by_key}), last({OperatorKind::last_by_key});
  for (std::uint32_t size : {5u, 7u}) {
    for (KeyedState* s : {&count, &sum, &last}) s->apply(event(1, 0, size));
  }
  KeyedState expect_count({OperatorKind::count_by_key});
  ASSERT_TRUE(expect_count.apply_snapshot(count.encode_full()));
  EXPECT_EQ(expect_count.digest(), count.digest());
  EXPECT_NE(count.digest(), sum.digest());
  EXPECT_NE(sum.digest(), last.digest());
  EXPECT_EQ(count.size(), 1u);
}

TEST(KeyedState, ADeltaOnItsBaseRebuildsTheState) {
  KeyedState live({OperatorKind::count_by_key});
  for (std::uint64_t k = 0; k < 100; ++k) live.apply(event(k));
  KeyedState copy({OperatorKind::count_by_key});
  ASSERT_TRUE(copy.apply_snapshot(live.encode_full()));
  live.forget_changes_up_to(live.mark());  // the full snapshot was kept
  live.apply(event(3));
  live.apply(event(200));
  const std::string delta = live.encode_delta();
  EXPECT_LT(delta.size(), live.encode_full().size() / 10) << "only two keys changed";
  ASSERT_TRUE(copy.apply_snapshot(delta));
  EXPECT_EQ(copy.digest(), live.digest());
}

TEST(KeyedState, FiredWindowsLeaveThroughTheDeltaToo) {
  const OperatorSpec tumbling{OperatorKind::tumbling_count, 10};
  KeyedState live(tumbling);
  live.apply(event(1, 5));
  live.apply(event(2, 15));
  KeyedState copy(tumbling);
  ASSERT_TRUE(copy.apply_snapshot(live.encode_full()));
  live.forget_changes_up_to(live.mark());
  live.apply(event(1, 35));  // window 3: windows before 2 fire and are dropped
  EXPECT_EQ(live.size(), 1u);
  ASSERT_TRUE(copy.apply_snapshot(live.encode_delta()));
  EXPECT_EQ(copy.digest(), live.digest());
  EXPECT_EQ(copy.size(), 1u);
}

TEST(KeyedState, GarbageIsNotASnapshot) {
  KeyedState s({OperatorKind::count_by_key});
  EXPECT_FALSE(s.apply_snapshot(""));
  EXPECT_FALSE(s.apply_snapshot("X1234567"));
  EXPECT_FALSE(s.apply_snapshot(std::string("F") + std::string(3, '\0')));
}

}  // namespace
}  // namespace sluice
