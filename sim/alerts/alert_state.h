// One alert's Prometheus state machine over its evaluations:
//   inactive -> pending (condition true) -> firing (true for `for`) ->
//   resolved (false again; then inactive). A pending alert whose condition
//   goes false returns to inactive without firing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace sluice {

struct AlertTransition {
  Nanos at = 0;
  const char* state = "";  // "pending", "firing", "resolved", "inactive" (a pending alert cleared)
  double value = 0;
};

class AlertState {
 public:
  explicit AlertState(Nanos hold_for) : hold_for_(hold_for) {}
  // One evaluation at `now`; returns true when the state changed.
  bool evaluate(Nanos now, bool condition, double value);
  const std::vector<AlertTransition>& transitions() const { return transitions_; }
  bool firing() const { return phase_ == Phase::firing; }

 private:
  enum class Phase : std::uint8_t { inactive, pending, firing };
  Nanos hold_for_;
  Phase phase_ = Phase::inactive;
  Nanos pending_since_ = 0;
  std::vector<AlertTransition> transitions_;
};

}  // namespace sluice
