// A bounded FIFO channel between fibers, blocking in virtual time.
// Three forms of each operation, named alike (SimGrid's put / put_async /
// put-with-timeout trio): try_* never blocks, push/pop block, *_until block
// until a virtual deadline.
#pragma once

#include <cstddef>
#include <deque>
#include <utility>

#include "core/check.h"
#include "core/runtime/runtime.h"

namespace sluice {

enum class ChannelStatus { ok, full, empty, closed, timeout };

template <class T>
class Channel {
 public:
  // REQUIRES: capacity >= 1.
  Channel(Runtime& runtime, std::size_t capacity, const char* label = "channel")
      : runtime_(runtime), capacity_(capacity), not_full_(label), not_empty_(label) {
    SLUICE_CHECK(capacity >= 1, "a channel needs room for one item");
  }

  std::size_t size() const { return items_.size(); }
  std::size_t capacity() const { return capacity_; }
  bool closed() const { return closed_; }

  // Moves `value` in only on success.
  ChannelStatus try_push(T&& value) {
    runtime_.check_alive();
    if (closed_) return ChannelStatus::closed;
    if (items_.size() >= capacity_) return ChannelStatus::full;
    enqueue(std::move(value));
    return ChannelStatus::ok;
  }
  ChannelStatus push(T&& value) { return push_until(std::move(value), kNever); }
  ChannelStatus push_until(T&& value, Nanos deadline) {
    runtime_.check_alive();
    while (!closed_ && items_.size() >= capacity_) {
      if (!runtime_.wait(not_full_, deadline) && items_.size() >= capacity_) {
        return ChannelStatus::timeout;
      }
    }
    if (closed_) return ChannelStatus::closed;
    enqueue(std::move(value));
    return ChannelStatus::ok;
  }

  ChannelStatus try_pop(T& out) {
    runtime_.check_alive();
    if (items_.empty()) return closed_ ? ChannelStatus::closed : ChannelStatus::empty;
    dequeue(out);
    return ChannelStatus::ok;
  }
  ChannelStatus pop(T& out) { return pop_until(out, kNever); }
  ChannelStatus pop_until(T& out, Nanos deadline) {
    runtime_.check_alive();
    while (items_.empty() && !closed_) {
      if (!runtime_.wait(not_empty_, deadline) && items_.empty()) {
        return closed_ ? ChannelStatus::closed : ChannelStatus::timeout;
      }
    }
    if (items_.empty()) return ChannelStatus::closed;
    dequeue(out);
    return ChannelStatus::ok;
  }

  // Wakes every waiter: pushes fail with `closed`, pops drain what is left.
  void close() {
    closed_ = true;
    runtime_.notify_all(not_full_);
    runtime_.notify_all(not_empty_);
  }

  // Drops every queued item, e.g. when the node holding it crashes.
  void clear() {
    items_.clear();
    runtime_.notify_all(not_full_);
  }

 private:
  void enqueue(T&& value) {
    items_.push_back(std::move(value));
    runtime_.notify_one(not_empty_);
  }
  void dequeue(T& out) {
    out = std::move(items_.front());
    items_.pop_front();
    runtime_.notify_one(not_full_);
  }

  Runtime& runtime_;
  std::size_t capacity_;
  std::deque<T> items_;
  bool closed_ = false;
  WaitQueue not_full_;
  WaitQueue not_empty_;
};

}  // namespace sluice
