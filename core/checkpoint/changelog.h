// One operator partition's changelog (the Kafka Streams model): every change
// of the partition's state, one record per key and checkpoint, in offset
// order. It is compacted as Kafka's log cleaner compacts a changelog topic
// (cleanup.policy=compact): a record superseded by a later one of the same
// key is dropped, and a tombstone (a removed key: a fired window) is dropped
// once no reader is still before it. Replaying the live records from the
// start rebuilds the state; a reader that holds the state at offset s needs
// only the live records from s on.
//
// This class is the data structure only; the checkpoint coordinator owns one
// per partition, appends a completed checkpoint's changes to it and keeps its
// records on its node's disk (checkpoint_changelogs.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice {

struct ChangelogRecord {
  std::uint64_t offset = 0;
  std::uint64_t checkpoint = 0;  // the checkpoint whose completion appended it
  std::uint64_t key = 0;
  std::int64_t window = 0;  // tumbling_count's window; 0 otherwise
  std::int64_t value = 0;
  bool tombstone = false;   // the key was removed
  std::int64_t newest = 0;  // the state's newest window after this record (tumbling_count)
};

// What one record costs on the disk and the wire.
inline constexpr std::uint64_t kChangelogRecordBytes = 48;

class Changelog {
 public:
  // One checkpoint's snapshot of the partition (KeyedState::encode_full or
  // encode_delta) as records, appended. A full snapshot replaces the state,
  // so every live key it lacks gets a tombstone. Returns what was appended;
  // false when the bytes are not a snapshot (nothing appended then).
  bool append_snapshot(std::string_view bytes, std::uint64_t checkpoint, std::vector<ChangelogRecord>& appended);
  // A record read back from disk at a restart (its offset is kept).
  void append(const ChangelogRecord& record);

  std::uint64_t end() const { return end_; }
  std::size_t size() const { return records_.size(); }
  // Kafka's cleaner: drops every record superseded by a later one of its key,
  // and every tombstone below `tombstone_horizon` (the oldest position a
  // reader still stands at).
  void compact(std::uint64_t tombstone_horizon);
  // Retention (deleting old segments): every record before `first` goes,
  // live or not. Only the changelog_trimmed_early defect calls it past the
  // oldest live record.
  void trim_front(std::uint64_t first);
  // A reader whose position is below this must start over from 0: a
  // tombstone it has not applied was dropped.
  std::uint64_t restart_below() const { return restart_below_; }
  // Where the last trim_front cut and how many of the records it deleted
  // were still the latest of their key (state a replay no longer finds).
  std::uint64_t trimmed_to() const { return trimmed_to_; }
  std::uint64_t live_trimmed() const { return live_trimmed_; }
  // The live records at or after `from`.
  std::vector<ChangelogRecord> records_from(std::uint64_t from) const;

 private:
  using Slot = std::pair<std::uint64_t, std::int64_t>;  // key, window
  void add(const ChangelogRecord& record);
  std::map<std::uint64_t, ChangelogRecord> records_;  // by offset
  std::map<Slot, std::uint64_t> latest_;              // each key's latest record
  std::uint64_t end_ = 0;
  std::uint64_t restart_below_ = 0;
  std::uint64_t trimmed_to_ = 0;
  std::uint64_t live_trimmed_ = 0;
};

// The records as a KeyedState delta snapshot (KeyedState::apply_snapshot):
// applied to the state at the first record's position it gives the state
// after the last one; applied to an empty state, a replay from the start.
std::string records_as_delta(const std::vector<ChangelogRecord>& records, std::int64_t newest_window);

// A record on disk: the partition, then every field.
std::string encode_changelog_record(std::uint32_t partition, const ChangelogRecord& record);
bool decode_changelog_record(std::string_view bytes, std::uint32_t& partition, ChangelogRecord& record);

}  // namespace sluice
