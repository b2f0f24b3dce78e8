#include "sim/alerts/alert_state.h"

namespace sluice {

bool AlertState::evaluate(Nanos now, bool condition, double value) {
  switch (phase_) {
    case Phase::inactive:
      if (!condition) return false;
      pending_since_ = now;
      phase_ = Phase::pending;
      transitions_.push_back({now, "pending", value});
      // Prometheus: with `for` 0 an active alert fires at the same evaluation.
      if (hold_for_ > 0) return true;
      [[fallthrough]];
    case Phase::pending:
      if (!condition) {
        phase_ = Phase::inactive;
        transitions_.push_back({now, "inactive", value});
        return true;
      }
      if (now - pending_since_ < hold_for_) return false;
      phase_ = Phase::firing;
      transitions_.push_back({now, "firing", value});
      return true;
    case Phase::firing:
      if (condition) return false;
      phase_ = Phase::inactive;
      transitions_.push_back({now, "resolved", value});
      return true;
  }
  return false;
}

}  // namespace sluice
