// A circuit breaker around a failing downstream: closed (calls go through)
// -> open after `failure_threshold` consecutive failures (calls wait) ->
// half-open after `open_for` (one trial call) -> closed on its success, open
// again on its failure.
#pragma once

#include <cstdint>
#include <functional>

#include "core/time.h"

namespace sluice {

enum class BreakerState { closed, open, half_open };
const char* breaker_state_name(BreakerState state);

struct BreakerConfig {
  std::uint32_t failure_threshold = 0;  // 0: no breaker
  Nanos open_for = kNanosPerSecond;
};

class CircuitBreaker {
 public:
  using Listener = std::function<void(BreakerState)>;
  CircuitBreaker(BreakerConfig config, Listener on_change) : config_(config), on_change_(std::move(on_change)) {}

  bool enabled() const { return config_.failure_threshold > 0; }
  BreakerState state() const { return state_; }
  // When a call may go through: `now` if it may, else when the breaker
  // half-opens. Only one trial call goes through while half-open.
  Nanos permit_at(Nanos now);
  void record_success();
  void record_failure(Nanos now);

 private:
  void move_to(BreakerState state);

  BreakerConfig config_;
  Listener on_change_;
  BreakerState state_ = BreakerState::closed;
  std::uint32_t consecutive_failures_ = 0;
  Nanos open_until_ = 0;
  bool trial_in_flight_ = false;
};

}  // namespace sluice
