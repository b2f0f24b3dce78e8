#include "core/pipeline/circuit_breaker.h"

namespace sluice {

const char* breaker_state_name(BreakerState state) {
  switch (state) {
    case BreakerState::closed: return "closed";
    case BreakerState::open: return "open";
    case BreakerState::half_open: return "half_open";
  }
  return "?";
}

Nanos CircuitBreaker::permit_at(Nanos now) {
  if (!enabled()) return now;
  switch (state_) {
    case BreakerState::closed: return now;
    case BreakerState::open:
      if (now < open_until_) return open_until_;
      move_to(BreakerState::half_open);
      trial_in_flight_ = true;
      return now;
    case BreakerState::half_open:
      if (!trial_in_flight_) {
        trial_in_flight_ = true;
        return now;
      }
      // Someone else's trial is out: look again a little later.
      return now + config_.open_for / 10 + 1;
  }
  return now;
}

void CircuitBreaker::record_success() {
  consecutive_failures_ = 0;
  trial_in_flight_ = false;
  if (state_ != BreakerState::closed) move_to(BreakerState::closed);
}

void CircuitBreaker::record_failure(Nanos now) {
  if (!enabled()) return;
  trial_in_flight_ = false;
  ++consecutive_failures_;
  if (state_ == BreakerState::half_open || consecutive_failures_ >= config_.failure_threshold) {
    open_until_ = now + config_.open_for;
    if (state_ != BreakerState::open) move_to(BreakerState::open);
  }
}

void CircuitBreaker::move_to(BreakerState state) {
  state_ = state;
  if (on_change_) on_change_(state);
}

}  // namespace sluice
