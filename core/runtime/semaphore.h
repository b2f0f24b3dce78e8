// A counting semaphore in virtual time (e.g. "at most 5 concurrent workflow
// submissions"). Waiters are woken in FIFO order.
#pragma once

#include <cassert>
#include <cstdint>

#include "core/runtime/runtime.h"

namespace sluice {

class Semaphore {
 public:
  Semaphore(Runtime& runtime, std::int64_t permits, const char* label = "semaphore")
      : runtime_(runtime), permits_(permits), waiters_(label) {
    assert(permits >= 0);
  }

  std::int64_t available() const { return permits_; }

  bool try_acquire() {
    runtime_.check_alive();
    if (permits_ == 0) return false;
    --permits_;
    return true;
  }
  void acquire() { acquire_until(kNever); }
  // A state-checking loop rather than handing the permit to the woken fiber:
  // a permit handed to a fiber whose node crashes before it runs would leak.
  bool acquire_until(Nanos deadline) {
    runtime_.check_alive();
    while (permits_ == 0) {
      if (!runtime_.wait(waiters_, deadline) && permits_ == 0) return false;
    }
    --permits_;
    return true;
  }
  void release() {
    ++permits_;
    runtime_.notify_one(waiters_);
  }

 private:
  Runtime& runtime_;
  std::int64_t permits_;
  WaitQueue waiters_;
};

}  // namespace sluice
