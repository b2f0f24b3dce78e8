// A map from event id to a small value for the events in flight: open
// addressing with linear probing and backward-shift deletion, in one array.
//
// Why not std::unordered_map: the checkers insert and erase one entry per
// event per hop, and a node-based map allocates and frees on each of them
// (that was 10% of a tandem run). Here the table only grows, to twice the
// peak number of events in flight, and steady state never allocates.
//
// Iteration (for_each) visits slots in table order, which depends only on
// the ids and the order they came in: deterministic, but not sorted. Callers
// that show entries to a user sort them first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/check.h"
#include "core/model/event.h"

namespace sluice {

template <typename Value>
class EventIdMap {
 public:
  // The value for `id`, default-constructed and inserted when absent.
  Value& operator[](EventId id) { return *try_emplace(id).first; }

  // The value for `id` and true when it was absent (then default-constructed).
  std::pair<Value*, bool> try_emplace(EventId id) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    std::size_t i = home(id);
    while (slots_[i].used) {
      if (slots_[i].id == id) return {&slots_[i].value, false};
      i = (i + 1) & mask_;
    }
    slots_[i].used = true;
    slots_[i].id = id;
    slots_[i].value = Value{};
    ++size_;
    return {&slots_[i].value, true};
  }

  Value* find(EventId id) {
    if (size_ == 0) return nullptr;
    for (std::size_t i = home(id); slots_[i].used; i = (i + 1) & mask_) {
      if (slots_[i].id == id) return &slots_[i].value;
    }
    return nullptr;
  }
  const Value* find(EventId id) const { return const_cast<EventIdMap*>(this)->find(id); }
  bool contains(EventId id) const { return find(id) != nullptr; }

  // Removes `id` if present; returns whether it was, and its value in
  // `removed` when given (one probe where find-then-erase takes two).
  bool erase(EventId id, Value* removed = nullptr) {
    if (size_ == 0) return false;
    std::size_t i = home(id);
    while (slots_[i].id != id || !slots_[i].used) {
      if (!slots_[i].used) return false;
      i = (i + 1) & mask_;
    }
    if (removed != nullptr) *removed = slots_[i].value;
    // Backward shift: pull later entries of the probe run into the hole so
    // that every entry stays reachable from its home without tombstones.
    for (std::size_t j = (i + 1) & mask_; slots_[j].used; j = (j + 1) & mask_) {
      const std::size_t h = home(slots_[j].id);
      const bool movable = i <= j ? (h <= i || h > j) : (h <= i && h > j);
      if (movable) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i].used = false;
    --size_;
    return true;
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  template <typename Visit>
  void for_each(Visit visit) const {
    for (const Slot& slot : slots_) {
      if (slot.used) visit(slot.id, slot.value);
    }
  }

 private:
  struct Slot {
    EventId id = 0;
    bool used = false;
    Value value{};
  };

  std::size_t home(EventId id) const {
    // The splitmix64 finaliser: ids of one source differ only in low bits.
    std::uint64_t z = id + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<std::size_t>(z ^ (z >> 31)) & mask_;
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (const Slot& slot : old) {
      if (slot.used) (*this)[slot.id] = slot.value;
    }
    SLUICE_CHECK(size_ * 2 <= slots_.size(), "an event-id map keeps at most half its slots in use");
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace sluice
