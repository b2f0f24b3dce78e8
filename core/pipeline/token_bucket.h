// A token bucket in virtual time: `rate` tokens per second, at most `burst`
// saved up ("a rate limit of 10 per minute on an event sensor").
#pragma once

#include <algorithm>

#include "core/check.h"
#include "core/time.h"

namespace sluice {

struct TokenBucketConfig {
  double rate_per_s = 0;  // 0: unlimited
  double burst = 1;
};

class TokenBucket {
 public:
  explicit TokenBucket(TokenBucketConfig config) : config_(config), tokens_(config.burst) {
    SLUICE_CHECK(config.rate_per_s >= 0 && config.burst >= 1, "a token bucket needs rate >= 0 and burst >= 1");
  }
  bool limited() const { return config_.rate_per_s > 0; }

  // Takes one token at `now` if there is one; otherwise returns the virtual
  // time at which one will be there (the caller sleeps until then and retries).
  Nanos take_or_when(Nanos now) {
    if (!limited()) return now;
    refill(now);
    if (tokens_ >= 1) {
      tokens_ -= 1;
      return now;
    }
    double missing_s = (1 - tokens_) / config_.rate_per_s;
    return saturating_add(now, std::max<Nanos>(1, nanos_from_double(missing_s * kNanosPerSecond + 0.999)));
  }

 private:
  void refill(Nanos now) {
    tokens_ = std::min(config_.burst, tokens_ + to_seconds(now - last_) * config_.rate_per_s);
    last_ = now;
  }

  TokenBucketConfig config_;
  double tokens_;
  Nanos last_ = 0;
};

}  // namespace sluice
