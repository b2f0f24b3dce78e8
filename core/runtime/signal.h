// Waiting for something to happen, in virtual time.
#pragma once

#include "core/runtime/runtime.h"

namespace sluice {

// A manual-reset signal (an "event" in OS terms; named apart from the
// pipeline's Event): wait() returns at once while it is set.
class Signal {
 public:
  explicit Signal(Runtime& runtime, const char* label = "signal") : runtime_(runtime), waiters_(label) {}

  bool is_set() const { return set_; }
  void set() {
    set_ = true;
    runtime_.notify_all(waiters_);
  }
  void reset() { set_ = false; }
  // Wakes current waiters without latching (a pulse).
  void notify_all() { runtime_.notify_all(waiters_); }

  void wait() { wait_until(kNever); }
  bool wait_until(Nanos deadline) {
    runtime_.check_alive();
    if (set_) return true;
    return runtime_.wait(waiters_, deadline);
  }

 private:
  Runtime& runtime_;
  bool set_ = false;
  WaitQueue waiters_;
};

}  // namespace sluice
