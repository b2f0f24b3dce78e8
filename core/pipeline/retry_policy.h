// Retries with exponential backoff, jitter and a cap, as producers and
// stages use them.
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/random/rng.h"
#include "core/time.h"

namespace sluice {

struct RetryPolicy {
  std::uint32_t max_attempts = 1;  // 1: no retries
  Nanos backoff = 10 * kNanosPerMilli;
  Nanos max_backoff = 2 * kNanosPerSecond;
  double jitter = 0.2;  // the delay is scaled by a uniform factor in [1 - jitter, 1 + jitter]

  // The delay before attempt `attempt` + 1 (attempt counts from 1).
  Nanos delay_after(std::uint32_t attempt, Rng& rng) const {
    double base = static_cast<double>(backoff);
    for (std::uint32_t i = 1; i < attempt && base < static_cast<double>(max_backoff); ++i) base *= 2;
    base = std::min(base, static_cast<double>(max_backoff));
    double factor = 1.0 + jitter * (2.0 * rng.next_double() - 1.0);
    return std::max<Nanos>(0, static_cast<Nanos>(base * factor));
  }
};

}  // namespace sluice
