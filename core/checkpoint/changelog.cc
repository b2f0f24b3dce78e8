#include "core/checkpoint/changelog.h"

#include <algorithm>
#include <iterator>

#include "core/runtime/le_bytes.h"

namespace sluice {
namespace {

// KeyedState's snapshot layout (keyed_state.cc): a tag byte, the newest
// window, then entries; a delta's entries start with a set/erased tag.
constexpr char kFull = 'F';
constexpr char kDelta = 'D';
constexpr std::uint64_t kErased = 0;
constexpr std::uint64_t kSet = 1;

}  // namespace

void Changelog::add(const ChangelogRecord& record) {
  records_[record.offset] = record;
  latest_[Slot{record.key, record.window}] = record.offset;
  end_ = record.offset + 1;
}

void Changelog::append(const ChangelogRecord& record) { add(record); }

bool Changelog::append_snapshot(std::string_view bytes, std::uint64_t checkpoint, std::vector<ChangelogRecord>& appended) {
  if (bytes.empty() || (bytes[0] != kFull && bytes[0] != kDelta)) return false;
  const bool full = bytes[0] == kFull;
  std::size_t at = 1;
  if (!fits(bytes, at)) return false;
  const auto newest = static_cast<std::int64_t>(get_le(bytes, at));
  std::vector<ChangelogRecord> out;
  std::map<Slot, bool> present;  // a full snapshot's keys
  while (at < bytes.size()) {
    std::uint64_t tag = kSet;
    if (!full) {
      if (!fits(bytes, at)) return false;
      tag = get_le(bytes, at);
    }
    if (!fits(bytes, at, 16)) return false;
    ChangelogRecord r{.offset = 0, .checkpoint = checkpoint, .key = get_le(bytes, at), .window = 0, .value = 0,
                      .tombstone = tag == kErased, .newest = newest};
    r.window = static_cast<std::int64_t>(get_le(bytes, at));
    if (!r.tombstone) {
      if (!fits(bytes, at)) return false;
      r.value = static_cast<std::int64_t>(get_le(bytes, at));
    }
    present[Slot{r.key, r.window}] = true;
    out.push_back(r);
  }
  if (full) {
    for (const auto& [slot, offset] : latest_) {
      if (present.count(slot) == 0 && !records_.at(offset).tombstone) {
        out.push_back({.offset = 0, .checkpoint = checkpoint, .key = slot.first, .window = slot.second, .value = 0,
                       .tombstone = true, .newest = newest});
      }
    }
  }
  for (ChangelogRecord& r : out) {
    r.offset = end_;
    add(r);
    appended.push_back(r);
  }
  return true;
}

void Changelog::compact(std::uint64_t tombstone_horizon) {
  for (auto it = records_.begin(); it != records_.end();) {
    const ChangelogRecord& r = it->second;
    auto latest = latest_.find(Slot{r.key, r.window});
    const bool superseded = latest->second != r.offset;
    const bool dead_tombstone = !superseded && r.tombstone && r.offset < tombstone_horizon;
    if (dead_tombstone) {
      latest_.erase(latest);
      restart_below_ = std::max(restart_below_, r.offset + 1);
    }
    it = superseded || dead_tombstone ? records_.erase(it) : std::next(it);
  }
}

void Changelog::trim_front(std::uint64_t first) {
  trimmed_to_ = std::max(trimmed_to_, first);
  while (!records_.empty() && records_.begin()->first < first) {
    const ChangelogRecord& r = records_.begin()->second;
    auto latest = latest_.find(Slot{r.key, r.window});
    if (latest != latest_.end() && latest->second == r.offset) {
      if (!r.tombstone) ++live_trimmed_;
      latest_.erase(latest);
    }
    records_.erase(records_.begin());
  }
  restart_below_ = std::max(restart_below_, first);
}

std::vector<ChangelogRecord> Changelog::records_from(std::uint64_t from) const {
  std::vector<ChangelogRecord> out;
  for (auto it = records_.lower_bound(from); it != records_.end(); ++it) out.push_back(it->second);
  return out;
}

std::string records_as_delta(const std::vector<ChangelogRecord>& records, std::int64_t newest_window) {
  std::string out(1, kDelta);
  put_le(out, static_cast<std::uint64_t>(records.empty() ? newest_window : records.back().newest));
  for (const ChangelogRecord& r : records) {
    put_le(out, r.tombstone ? kErased : kSet);
    put_le(out, r.key);
    put_le(out, static_cast<std::uint64_t>(r.window));
    if (!r.tombstone) put_le(out, static_cast<std::uint64_t>(r.value));
  }
  return out;
}

std::string encode_changelog_record(std::uint32_t partition, const ChangelogRecord& record) {
  std::string out;
  put_le(out, partition, 4);
  put_le(out, record.offset);
  put_le(out, record.checkpoint);
  put_le(out, record.key);
  put_le(out, static_cast<std::uint64_t>(record.window));
  put_le(out, static_cast<std::uint64_t>(record.value));
  put_le(out, record.tombstone ? 1 : 0, 1);
  put_le(out, static_cast<std::uint64_t>(record.newest));
  return out;
}

bool decode_changelog_record(std::string_view bytes, std::uint32_t& partition, ChangelogRecord& record) {
  if (bytes.size() != 4 + 6 * 8 + 1) return false;
  std::size_t at = 0;
  partition = static_cast<std::uint32_t>(get_le(bytes, at, 4));
  record.offset = get_le(bytes, at);
  record.checkpoint = get_le(bytes, at);
  record.key = get_le(bytes, at);
  record.window = static_cast<std::int64_t>(get_le(bytes, at));
  record.value = static_cast<std::int64_t>(get_le(bytes, at));
  record.tombstone = get_le(bytes, at, 1) != 0;
  record.newest = static_cast<std::int64_t>(get_le(bytes, at));
  return true;
}

}  // namespace sluice
