// The last `capacity` ids remembered, each with a value (an offset, the time
// it was seen), forgetting the oldest first: the memory of a deduplication
// window. Lookups and inserts take constant time and memory never exceeds
// the capacity, however long the run.
//
// An id may be remembered more than once (a check that was skipped let a
// repeat through): a lookup then finds its latest value, and the id is
// forgotten when its last copy leaves the window.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_map>
#include <utility>

#include "core/check.h"

namespace sluice {

template <class Value>
class RecentIds {
 public:
  // REQUIRES: capacity >= 1.
  explicit RecentIds(std::size_t capacity) : capacity_(capacity) {
    SLUICE_CHECK(capacity_ >= 1, "a window of ids needs room for one");
  }

  // The latest value remembered with `id`, or null.
  const Value* find(std::uint64_t id) const {
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : &it->second.value;
  }
  // Remembers `id`, forgetting the oldest id when the window is full.
  void insert(std::uint64_t id, Value value) {
    if (order_.size() == capacity_) forget_oldest();
    order_.emplace_back(id, value);
    Slot& slot = index_[id];
    slot.value = value;
    ++slot.copies;
  }
  // Forgets oldest ids while `expired(value)` holds for the oldest one.
  template <class Predicate>
  void forget_oldest_while(Predicate expired) {
    while (!order_.empty() && expired(order_.front().second)) forget_oldest();
  }
  void clear() {
    order_.clear();
    index_.clear();
  }
  std::size_t size() const { return order_.size(); }

 private:
  struct Slot {
    Value value{};
    std::uint32_t copies = 0;
  };
  void forget_oldest() {
    auto it = index_.find(order_.front().first);
    SLUICE_CHECK(it != index_.end() && it->second.copies > 0, "a window's order and index disagree");
    if (--it->second.copies == 0) index_.erase(it);
    order_.pop_front();
  }

  std::size_t capacity_;
  std::deque<std::pair<std::uint64_t, Value>> order_;  // oldest first
  std::unordered_map<std::uint64_t, Slot> index_;      // lookups only, never iterated
};

}  // namespace sluice
