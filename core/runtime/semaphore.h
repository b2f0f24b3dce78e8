// A counting semaphore in virtual time (e.g. "at most 5 concurrent workflow
// submissions"). Permits go to waiters in FIFO order.
#pragma once

#include <cstdint>

#include "core/check.h"
#include "core/runtime/runtime.h"

namespace sluice {

class Semaphore {
 public:
  Semaphore(Runtime& runtime, std::int64_t permits, const char* label = "semaphore")
      : runtime_(runtime), permits_(permits), waiters_(label) {
    SLUICE_CHECK(permits >= 0, "a semaphore starts with a non-negative count of permits");
    // A permit handed to a fiber that died before it ran comes back here.
    waiters_.on_unclaimed([](void* self) { ++static_cast<Semaphore*>(self)->permits_; }, this);
  }
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  std::int64_t available() const { return permits_; }

  bool try_acquire() {
    runtime_.check_alive();
    // Queued waiters go first: a newcomer never overtakes them.
    if (permits_ == 0 || !waiters_.empty()) return false;
    --permits_;
    return true;
  }
  void acquire() { acquire_until(kNever); }
  bool acquire_until(Nanos deadline) {
    if (try_acquire()) return true;
    // release() hands its permit straight to the longest waiter, so a fiber
    // that just released cannot barge back in ahead of it (no starvation).
    return runtime_.wait(waiters_, deadline);
  }
  void release() {
    if (!runtime_.notify_one(waiters_)) ++permits_;
  }

 private:
  Runtime& runtime_;
  std::int64_t permits_;
  WaitQueue waiters_;
};

}  // namespace sluice
