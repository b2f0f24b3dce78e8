// bounded_queues: no buffer or topic partition ever holds more events than
// its capacity. Judged on every arrival, from the depth the queue reports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/model/event.h"
#include "sim/check/verdict.h"

namespace sluice {

class BoundedQueuesChecker {
 public:
  // A run without queues has nothing to bound: the verdict says so.
  explicit BoundedQueuesChecker(bool has_queues);
  // An arrival at `queue`, which now holds `depth` events. Inline: it runs
  // on every arrival, and only a violation builds a message (out of line).
  void enqueued(const std::string& queue, std::uint64_t capacity, std::size_t depth, Nanos now, const Event& event) {
    ++verdict_.checked;
    if (depth > capacity) [[unlikely]] over_capacity(queue, capacity, depth, now, event);
  }
  const Verdict& verdict() const { return verdict_; }

 private:
  [[gnu::cold]] void over_capacity(const std::string& queue, std::uint64_t capacity, std::size_t depth, Nanos now,
                                   const Event& event);
  Verdict verdict_;
};

}  // namespace sluice
