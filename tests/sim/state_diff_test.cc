// StateChecker::diff: after a mismatch, which records the state folded
// instead: records past its offset, records it misses, or records of
// aborted transactions that read_committed skips.
#include <gtest/gtest.h>

#include "sim/check/state_checker.h"

namespace sluice {
namespace {

const OperatorSpec kCount{OperatorKind::count_by_key};

Event event(EventId id, std::uint64_t key) {
  Event e;
  e.id = id;
  e.key = key;
  return e;
}

// Six records (ids 10..15, keys 0,1,0,1,0,1) on one partition.
StateChecker six_records() {
  StateChecker checker({kCount}, {"t/0"});
  for (EventId id = 10; id < 16; ++id) checker.appended(0, event(id, id % 2));
  return checker;
}

std::uint64_t digest_of(std::initializer_list<EventId> ids) {
  KeyedState state(kCount);
  for (EventId id : ids) state.apply(event(id, id % 2));
  return state.digest();
}

TEST(StateDiff, AStatePastItsOffsetNamesTheRecordsItAlreadyHolds) {
  StateChecker checker = six_records();
  const std::uint64_t ahead = digest_of({10, 11, 12, 13, 14});  // the fold before offset 5
  const StateDiff d = checker.diff(0, 3, ahead);                // claimed: before offset 3
  ASSERT_TRUE(d.found);
  EXPECT_FALSE(d.with_skipped);
  EXPECT_EQ(d.fold_offset, 5u);
  ASSERT_EQ(d.records.size(), 2u);
  EXPECT_EQ(d.records[0].offset, 3u);
  EXPECT_EQ(d.records[0].event, 13u);
  EXPECT_EQ(d.records[1].event, 14u);
}

TEST(StateDiff, AStateBehindItsOffsetNamesTheRecordsItMisses) {
  StateChecker checker = six_records();
  const StateDiff d = checker.diff(0, 4, digest_of({10, 11}));
  ASSERT_TRUE(d.found);
  EXPECT_EQ(d.fold_offset, 2u);
  ASSERT_EQ(d.records.size(), 2u);
  EXPECT_EQ(d.records[0].event, 12u);
}

TEST(StateDiff, AStateWithAbortedRecordsNamesThem) {
  StateChecker checker = six_records();
  checker.skipped(0, 1);  // record 1 (event 11) aborted: read_committed skips it
  const StateDiff d = checker.diff(0, 4, digest_of({10, 11, 12, 13}));
  ASSERT_TRUE(d.found);
  EXPECT_TRUE(d.with_skipped);
  EXPECT_EQ(d.fold_offset, 4u);
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_EQ(d.records[0].event, 11u);
}

TEST(StateDiff, NoDiffWhereTheStateIsRightOrUnknown) {
  StateChecker checker = six_records();
  EXPECT_FALSE(checker.diff(0, 3, digest_of({10, 11, 12})).found);  // it matches: no mismatch to explain
  EXPECT_FALSE(checker.diff(0, 3, 0x1234).found);                    // no kept fold has it
}

}  // namespace
}  // namespace sluice
