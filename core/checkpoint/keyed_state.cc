#include "core/checkpoint/keyed_state.h"

#include "core/runtime/le_bytes.h"

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

void KeyedState::set(const Slot& slot, std::int64_t value) {
  values_[slot] = value;
  changed_[slot] = ++changes_;
}

void KeyedState::forget_changes_up_to(std::uint64_t mark) {
  for (auto it = changed_.begin(); it != changed_.end();) {
    it = it->second <= mark ? changed_.erase(it) : std::next(it);
  }
}

void KeyedState::apply(const Event& event) {
  const Slot plain{event.key, 0};
  switch (spec_.kind) {
    case OperatorKind::none: return;
    case OperatorKind::count_by_key: set(plain, values_[plain] + 1); return;
    case OperatorKind::sum_by_key: set(plain, values_[plain] + event.size_bytes); return;
    case OperatorKind::last_by_key: set(plain, event.size_bytes); return;
    case OperatorKind::tumbling_count: {
      const std::int64_t window = event.emitted_at / spec_.window;
      if (window < newest_window_ - 1) return;  // late: its window has fired
      const Slot slot{event.key, window};
      set(slot, values_[slot] + 1);
      if (window > newest_window_) fire_old_windows(window);
      return;
    }
  }
}

void KeyedState::fire_old_windows(std::int64_t newest) {
  newest_window_ = newest;
  for (auto it = values_.begin(); it != values_.end();) {
    if (it->first.window < newest - 1) {
      changed_[it->first] = ++changes_;
      it = values_.erase(it);
    } else {
      ++it;
    }
  }
}

std::uint64_t KeyedState::digest() const {
  std::uint64_t h = 0x5eed;
  for (const auto& [slot, value] : values_) {
    h = mix(h, slot.key);
    h = mix(h, static_cast<std::uint64_t>(slot.window));
    h = mix(h, static_cast<std::uint64_t>(value));
  }
  return mix(h, values_.size());
}

std::string KeyedState::encode_full() const {
  std::string out(1, kFull);
  put_le(out, static_cast<std::uint64_t>(newest_window_));
  for (const auto& [slot, value] : values_) {
    put_le(out, slot.key);
    put_le(out, static_cast<std::uint64_t>(slot.window));
    put_le(out, static_cast<std::uint64_t>(value));
  }
  return out;
}

std::string KeyedState::encode_delta() const {
  std::string out(1, kDelta);
  put_le(out, static_cast<std::uint64_t>(newest_window_));
  for (const auto& [slot, when] : changed_) {
    auto it = values_.find(slot);
    put_le(out, it == values_.end() ? kErased : kSet);
    put_le(out, slot.key);
    put_le(out, static_cast<std::uint64_t>(slot.window));
    if (it != values_.end()) put_le(out, static_cast<std::uint64_t>(it->second));
  }
  return out;
}

bool KeyedState::apply_snapshot(std::string_view bytes) {
  if (bytes.empty() || (bytes[0] != kFull && bytes[0] != kDelta)) return false;
  const bool full = bytes[0] == kFull;
  std::size_t at = 1;
  std::uint64_t newest = 0;
  if (!get64(bytes, at, newest)) return false;
  std::map<Slot, std::int64_t> values = full ? std::map<Slot, std::int64_t>{} : values_;
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
    values[slot] = static_cast<std::int64_t>(value);
  }
  values_ = std::move(values);
  newest_window_ = static_cast<std::int64_t>(newest);
  changed_.clear();
  return true;
}

}  // namespace sluice
