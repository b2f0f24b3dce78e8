// Pending virtual-time timers, fired in (time, insertion sequence) order.
// An entry either wakes a fiber (valid while the fiber's wait generation is
// unchanged: cancellation is lazy) or runs a callback in the loop's context.
#pragma once

#include <cstdint>
#include <queue>
#include <vector>

#include "core/time.h"

namespace sluice {

struct FiberRecord;

struct TimerEntry {
  Nanos time;
  std::uint64_t sequence;
  FiberRecord* fiber;         // null for a callback timer
  std::uint64_t generation;   // the fiber's wait generation, or the callback slot
};

struct TimerLater {
  bool operator()(const TimerEntry& a, const TimerEntry& b) const {
    return a.time != b.time ? a.time > b.time : a.sequence > b.sequence;
  }
};

class TimerHeap {
 public:
  void push(Nanos time, FiberRecord* fiber, std::uint64_t generation) {
    heap_.push(TimerEntry{time, next_sequence_++, fiber, generation});
  }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const TimerEntry& top() const { return heap_.top(); }
  TimerEntry pop() {
    TimerEntry entry = heap_.top();
    heap_.pop();
    return entry;
  }

 private:
  std::priority_queue<TimerEntry, std::vector<TimerEntry>, TimerLater> heap_;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace sluice
