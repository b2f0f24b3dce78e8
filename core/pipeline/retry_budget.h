// A retry budget (Finagle's RetryBudget, gRPC's retry throttling): retries
// may add at most a fixed fraction to the load a client puts on a failing
// downstream, so a long outage cannot turn into a retry storm.
//
// The exact rule, with r = ratio:
//   - the budget holds a balance of tokens, starting at kRetryBudgetReserve
//     and never above kRetryBudgetReserve + 100 * r;
//   - every first attempt deposits r tokens (up to that cap);
//   - every retry withdraws one token; with less than one token in the
//     balance the retry is not made (the caller falls back: it drops).
// So over any stretch, retries <= r * first attempts + the balance at its
// start, and the reserve lets a quiet client retry a few times at once.
// A ratio of 0 means no budget: every retry the policy allows is made.
#pragma once

#include <algorithm>

#include "core/check.h"

namespace sluice {

inline constexpr double kRetryBudgetReserve = 10;

class RetryBudget {
 public:
  // REQUIRES: ratio >= 0.
  explicit RetryBudget(double ratio) : ratio_(ratio), balance_(kRetryBudgetReserve) {
    SLUICE_CHECK(ratio >= 0, "a retry budget ratio must not be negative");
  }
  bool limited() const { return ratio_ > 0; }

  void first_attempt() {
    if (limited()) balance_ = std::min(balance_ + ratio_, kRetryBudgetReserve + 100 * ratio_);
  }
  // True when a retry may be made (and pays for it).
  bool try_withdraw() {
    if (!limited()) return true;
    if (balance_ < 1) return false;
    balance_ -= 1;
    return true;
  }
  // The balance lives in the client's memory: a crash resets it.
  void reset() { balance_ = kRetryBudgetReserve; }

 private:
  double ratio_;
  double balance_;
};

}  // namespace sluice
