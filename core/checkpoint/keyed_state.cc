#include "core/checkpoint/keyed_state.h"

#include "core/runtime/le_bytes.h"

#include <algorithm>
#include <iterator>

namespace sluice {
namespace {

bool get64(std::string_view in, std::size_t& at, std::uint64_t& value) {
  if (!fits(in, at)) return false;
  value = get_le(in, at);
  return true;
}

constexpr char kFull = 'F';
constexpr char kDelta = 'D';
constexpr std::uint64_t kErased = 0;  // entry tags in a delta
constexpr std::uint64_t kSet = 1;

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

}  // namespace

const char* operator_kind_name(OperatorKind kind) {
  switch (kind) {
    case OperatorKind::none: return "none";
    case OperatorKind::count_by_key: return "count_by_key";
    case OperatorKind::sum_by_key: return "sum_by_key";
    case OperatorKind::last_by_key: return "last_by_key";
    case OperatorKind::tumbling_count: return "tumbling_count";
  }
  return "?";
}

KeyedState::Entry& KeyedState::touch(const Slot& slot) {
  Entry& entry = values_[slot];
  entry.changed = ++changes_;
  return entry;
}

void KeyedState::forget_changes_up_to(std::uint64_t mark) {
  clean_ = std::max(clean_, mark);
  for (auto it = erased_.begin(); it != erased_.end();) {
    it = it->second <= clean_ ? erased_.erase(it) : std::next(it);
  }
}

void KeyedState::apply(const Event& event) {
  const Slot plain{event.key, 0};
  switch (spec_.kind) {
    case OperatorKind::none: return;
    case OperatorKind::count_by_key: touch(plain).value += 1; return;
    case OperatorKind::sum_by_key: touch(plain).value += event.size_bytes; return;
    case OperatorKind::last_by_key: touch(plain).value = event.size_bytes; return;
    case OperatorKind::tumbling_count: {
      const std::int64_t window = event.emitted_at / spec_.window;
      if (window < newest_window_ - 1) return;  // late: its window has fired
      touch(Slot{event.key, window}).value += 1;
      if (window > newest_window_) fire_old_windows(window);
      return;
    }
  }
}

void KeyedState::fire_old_windows(std::int64_t newest) {
  newest_window_ = newest;
  for (auto it = values_.begin(); it != values_.end();) {
    if (it->first.window < newest - 1) {
      erased_[it->first] = ++changes_;
      it = values_.erase(it);
    } else {
      ++it;
    }
  }
}

std::uint64_t KeyedState::digest() const {
  std::uint64_t h = 0x5eed;
  for (const auto& [slot, entry] : values_) {
    h = mix(h, slot.key);
    h = mix(h, static_cast<std::uint64_t>(slot.window));
    h = mix(h, static_cast<std::uint64_t>(entry.value));
  }
  return mix(h, values_.size());
}

std::string KeyedState::encode_full() const {
  std::string out(1, kFull);
  put_le(out, static_cast<std::uint64_t>(newest_window_));
  for (const auto& [slot, entry] : values_) {
    put_le(out, slot.key);
    put_le(out, static_cast<std::uint64_t>(slot.window));
    put_le(out, static_cast<std::uint64_t>(entry.value));
  }
  return out;
}

std::string KeyedState::encode_delta() const {
  std::string out(1, kDelta);
  put_le(out, static_cast<std::uint64_t>(newest_window_));
  for (const auto& [slot, when] : erased_) {
    if (when <= clean_ || values_.count(slot) != 0) continue;  // re-created since: written below
    put_le(out, kErased);
    put_le(out, slot.key);
    put_le(out, static_cast<std::uint64_t>(slot.window));
  }
  for (const auto& [slot, entry] : values_) {
    if (entry.changed <= clean_) continue;
    put_le(out, kSet);
    put_le(out, slot.key);
    put_le(out, static_cast<std::uint64_t>(slot.window));
    put_le(out, static_cast<std::uint64_t>(entry.value));
  }
  return out;
}

bool KeyedState::apply_snapshot(std::string_view bytes) {
  if (bytes.empty() || (bytes[0] != kFull && bytes[0] != kDelta)) return false;
  const bool full = bytes[0] == kFull;
  std::size_t at = 1;
  std::uint64_t newest = 0;
  if (!get64(bytes, at, newest)) return false;
  std::map<Slot, Entry> values = full ? std::map<Slot, Entry>{} : values_;
  while (at < bytes.size()) {
    std::uint64_t tag = kSet, key = 0, window = 0, value = 0;
    if (!full && !get64(bytes, at, tag)) return false;
    if (!get64(bytes, at, key) || !get64(bytes, at, window)) return false;
    const Slot slot{key, static_cast<std::int64_t>(window)};
    if (tag == kErased) {
      values.erase(slot);
      continue;
    }
    if (!get64(bytes, at, value)) return false;
    values[slot] = Entry{static_cast<std::int64_t>(value), 0};
  }
  values_ = std::move(values);
  newest_window_ = static_cast<std::int64_t>(newest);
  // What was applied is the base of the next delta: nothing has changed since.
  erased_.clear();
  for (auto& [slot, entry] : values_) entry.changed = 0;
  clean_ = changes_;
  return true;
}

}  // namespace sluice
