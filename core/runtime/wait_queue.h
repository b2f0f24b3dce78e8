// The one blocking primitive the Runtime offers: a FIFO queue of parked fibers.
// Channels, semaphores and events in core/ are built on it, so every way a
// fiber can block goes through Runtime::wait and is visible to the scheduler
// (virtual-time timeouts, deadlock detection, crash unwinding).
#pragma once

#include <cstddef>

#include "core/check.h"

namespace sluice {

class WaitQueue;

// Lives on the waiting fiber's stack for the duration of one wait.
struct Waiter {
  Waiter* prev = nullptr;
  Waiter* next = nullptr;
  WaitQueue* queue = nullptr;
  void* fiber = nullptr;  // the runtime's handle of the parked fiber
  bool notified = false;
};

class WaitQueue {
 public:
  // `label` names the queue in deadlock reports ("buffer ingest: not_full").
  explicit WaitQueue(const char* label = "wait") : label_(label) {}
  WaitQueue(const WaitQueue&) = delete;
  WaitQueue& operator=(const WaitQueue&) = delete;
  ~WaitQueue() { SLUICE_CHECK(empty(), "a WaitQueue was destroyed with fibers parked on it"); }

  bool empty() const { return head_ == nullptr; }
  std::size_t size() const { return size_; }
  const char* label() const { return label_; }

  // A wake-up can carry something (a semaphore hands its permit to the woken
  // fiber). When the woken fiber dies before it runs, the runtime passes the
  // wake-up to the next waiter, or, with nobody waiting, calls this so the
  // owner can take back what it carried.
  void on_unclaimed(void (*callback)(void* owner), void* owner) {
    unclaimed_ = callback;
    unclaimed_owner_ = owner;
  }
  void unclaimed() const {
    if (unclaimed_ != nullptr) unclaimed_(unclaimed_owner_);
  }
  void set_label(const char* label) { label_ = label; }

  void push_back(Waiter* w) {
    SLUICE_CHECK(w->queue == nullptr, "a fiber waits on one queue at a time");
    w->queue = this;
    w->prev = tail_;
    w->next = nullptr;
    (tail_ ? tail_->next : head_) = w;
    tail_ = w;
    ++size_;
  }

  Waiter* pop_front() {
    Waiter* w = head_;
    if (w) remove(w);
    return w;
  }

  void remove(Waiter* w) {
    SLUICE_CHECK(w->queue == this, "a waiter is removed only from the queue it waits on");
    (w->prev ? w->prev->next : head_) = w->next;
    (w->next ? w->next->prev : tail_) = w->prev;
    w->prev = w->next = nullptr;
    w->queue = nullptr;
    --size_;
  }

 private:
  Waiter* head_ = nullptr;
  Waiter* tail_ = nullptr;
  std::size_t size_ = 0;
  const char* label_;
  void (*unclaimed_)(void*) = nullptr;
  void* unclaimed_owner_ = nullptr;
};

}  // namespace sluice
