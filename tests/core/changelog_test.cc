// The changelog of one operator partition: a checkpoint's snapshot becomes
// records, compaction keeps each key's latest one (and tombstones until no
// reader is before them), a replay of the live records rebuilds the state,
// and retention past a key's latest record loses it.
#include <gtest/gtest.h>

#include "core/checkpoint/changelog.h"
#include "core/checkpoint/keyed_state.h"

namespace sluice {
namespace {

Event event(std::uint64_t key, Nanos at = 0) {
  Event e;
  e.key = key;
  e.emitted_at = at;
  e.size_bytes = 1;
  return e;
}

// Appends the state's changes since its last kept snapshot as checkpoint `id`.
void checkpoint(KeyedState& state, Changelog& log, std::uint64_t id) {
  std::vector<ChangelogRecord> appended;
  ASSERT_TRUE(log.append_snapshot(state.encode_delta(), id, appended));
  state.forget_changes_up_to(state.mark());
}

KeyedState replay(const Changelog& log, OperatorSpec op, std::uint64_t from = 0, const KeyedState* base = nullptr) {
  KeyedState out = base ? *base : KeyedState(op);
  const std::vector<ChangelogRecord> records = log.records_from(from);
  if (!records.empty()) EXPECT_TRUE(out.apply_snapshot(records_as_delta(records, 0)));
  return out;
}

TEST(Changelog, AReplayOfTheCompactedLogRebuildsTheState) {
  const OperatorSpec op{OperatorKind::count_by_key};
  KeyedState state(op);
  Changelog log;
  for (std::uint64_t id = 1; id <= 5; ++id) {
    for (std::uint64_t k = 0; k < 10; ++k) state.apply(event(k % (3 + id)));
    checkpoint(state, log, id);
  }
  const std::size_t before = log.size();
  log.compact(log.end());
  EXPECT_LT(log.size(), before) << "superseded records are dropped";
  EXPECT_EQ(log.size(), state.size()) << "one live record per key";
  EXPECT_EQ(replay(log, op).digest(), state.digest());
}

TEST(Changelog, AReaderAtAPositionNeedsOnlyTheTail) {
  const OperatorSpec op{OperatorKind::count_by_key};
  KeyedState state(op);
  Changelog log;
  for (std::uint64_t k = 0; k < 20; ++k) state.apply(event(k));
  checkpoint(state, log, 1);
  const std::uint64_t position = log.end();
  const KeyedState replica = replay(log, op);
  state.apply(event(3));
  state.apply(event(30));
  checkpoint(state, log, 2);
  log.compact(log.end());
  EXPECT_EQ(log.records_from(position).size(), 2u);
  EXPECT_EQ(replay(log, op, position, &replica).digest(), state.digest());
}

TEST(Changelog, TombstonesStayUntilNoReaderIsBeforeThem) {
  const OperatorSpec op{OperatorKind::tumbling_count, kNanosPerSecond};
  KeyedState state(op);
  Changelog log;
  state.apply(event(1, 0));
  checkpoint(state, log, 1);
  const std::uint64_t standby = log.end();
  const KeyedState replica = replay(log, op);
  state.apply(event(2, 5 * kNanosPerSecond));  // fires window 0: key 1's entry is removed
  checkpoint(state, log, 2);
  log.compact(standby);
  EXPECT_EQ(replay(log, op, standby, &replica).digest(), state.digest()) << "the reader still gets the tombstone";
  EXPECT_EQ(log.restart_below(), 0u);
  log.compact(log.end());
  EXPECT_GT(log.restart_below(), standby) << "a reader before the dropped tombstone must start over";
  EXPECT_EQ(replay(log, op).digest(), state.digest());
}

TEST(Changelog, AFullSnapshotRemovesTheKeysItLacks) {
  const OperatorSpec op{OperatorKind::count_by_key};
  KeyedState first(op), second(op);
  first.apply(event(1));
  first.apply(event(2));
  second.apply(event(2));
  Changelog log;
  std::vector<ChangelogRecord> appended;
  ASSERT_TRUE(log.append_snapshot(first.encode_full(), 1, appended));
  ASSERT_TRUE(log.append_snapshot(second.encode_full(), 2, appended));
  log.compact(log.end());
  EXPECT_EQ(replay(log, op).digest(), second.digest());
}

TEST(Changelog, RetentionPastAKeysLatestRecordLosesTheKey) {
  const OperatorSpec op{OperatorKind::count_by_key};
  KeyedState state(op);
  Changelog log;
  state.apply(event(1));
  checkpoint(state, log, 1);
  const std::uint64_t cut = log.end();
  state.apply(event(2));
  checkpoint(state, log, 2);
  log.trim_front(cut);
  EXPECT_EQ(log.live_trimmed(), 1u);
  EXPECT_EQ(log.trimmed_to(), cut);
  EXPECT_NE(replay(log, op).digest(), state.digest()) << "key 1 is gone from the replay";
}

TEST(Changelog, RecordsRoundTripThroughTheirDiskForm) {
  const ChangelogRecord record{.offset = 9, .checkpoint = 4, .key = 77, .window = -2, .value = 123, .tombstone = true,
                               .newest = 5};
  std::uint32_t partition = 0;
  ChangelogRecord back;
  ASSERT_TRUE(decode_changelog_record(encode_changelog_record(3, record), partition, back));
  EXPECT_EQ(partition, 3u);
  EXPECT_EQ(back.offset, 9u);
  EXPECT_EQ(back.key, 77u);
  EXPECT_EQ(back.window, -2);
  EXPECT_EQ(back.value, 123);
  EXPECT_TRUE(back.tombstone);
  EXPECT_EQ(back.newest, 5);
  EXPECT_FALSE(decode_changelog_record("short", partition, back));
}

}  // namespace
}  // namespace sluice
