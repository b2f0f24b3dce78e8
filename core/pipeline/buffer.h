// An in-memory bounded buffer between pipeline parts, with an overflow
// policy: block the producer (backpressure), or shed by a rule and count it.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>

#include "core/model/inlet.h"
#include "core/model/observer.h"
#include "core/runtime/runtime.h"

namespace sluice {

enum class OverflowPolicy {
  block,             // the producer waits for space
  drop_newest,       // the arriving event is shed
  drop_oldest,       // the head is shed to make room
  shed_by_priority,  // the lowest-priority event is shed (the newest among equals);
                     // a higher-priority event is never shed while a lower one is queued
};
const char* overflow_policy_name(OverflowPolicy policy);

class Buffer final : public Inlet {
 public:
  // REQUIRES: capacity >= 1.
  // The contents live in `node`'s memory: a crash of the node drops them.
  // `unbounded` is the unbounded_buffer defect: the capacity is ignored.
  Buffer(Runtime& runtime, Observer& observer, QueueIndex index, NodeId node, std::size_t capacity,
         OverflowPolicy policy, const char* label, bool unbounded = false);

  OfferResult offer(Event event) override;
  // Takes the head. REQUIRES: depth() > 0. Consumers never block on a
  // buffer: a stage is told of each push (on_push) and takes what its
  // workers have credit for.
  void take(Event& out);
  // The head, without taking it; REQUIRES: depth() > 0.
  const Event& front() const { return items_.front().event; }
  // Runs after every event that enters the buffer, in the pusher's fiber: a
  // consumer that pushes events on to its workers (a stage) drains it here
  // instead of keeping a fiber blocked on it.
  void on_push(std::function<void()> listener) { on_push_ = std::move(listener); }

  std::size_t depth() const { return items_.size(); }
  std::size_t capacity() const { return capacity_; }
  QueueIndex index() const { return index_; }

 private:
  struct Entry {
    Event event;
    Nanos enqueued_at;
  };
  void make_room_or_shed(Event& arriving, bool* arriving_shed);
  void drop_all_in_crash();
  void push(Event&& event);

  Runtime& runtime_;
  Observer& observer_;
  QueueIndex index_;
  std::size_t capacity_;
  std::size_t limit_;  // the capacity, or unlimited under the unbounded_buffer defect
  OverflowPolicy policy_;
  std::deque<Entry> items_;
  WaitQueue not_full_;
  std::function<void()> on_push_;
};

}  // namespace sluice
