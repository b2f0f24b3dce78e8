// The circuit breaker on its own (it needs no runtime: callers pass the
// time): it opens after exactly its threshold of consecutive failures,
// half-opens after exactly its cool-down, lets one trial through, and closes
// or opens again on the trial's outcome.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/pipeline/circuit_breaker.h"

namespace sluice {
namespace {

struct Breaker {
  explicit Breaker(std::uint32_t threshold, Nanos open_for = 1000)
      : breaker(BreakerConfig{.failure_threshold = threshold, .open_for = open_for},
                [this](BreakerState state) { changes.push_back(breaker_state_name(state)); }) {}
  std::vector<std::string> changes;
  CircuitBreaker breaker;
};

TEST(CircuitBreaker, OpensAfterExactlyItsThresholdOfConsecutiveFailures) {
  Breaker b(3);
  b.breaker.record_failure(10);
  b.breaker.record_failure(20);
  EXPECT_EQ(b.breaker.state(), BreakerState::closed);
  EXPECT_EQ(b.breaker.permit_at(25), 25);
  b.breaker.record_failure(30);
  EXPECT_EQ(b.breaker.state(), BreakerState::open);
  EXPECT_EQ(b.changes, std::vector<std::string>{"open"});
}

TEST(CircuitBreaker, ASuccessResetsTheCountOfConsecutiveFailures) {
  Breaker b(2);
  b.breaker.record_failure(10);
  b.breaker.record_success();
  b.breaker.record_failure(20);
  EXPECT_EQ(b.breaker.state(), BreakerState::closed);
  EXPECT_TRUE(b.changes.empty());
}

TEST(CircuitBreaker, HalfOpensAfterExactlyItsCoolDown) {
  Breaker b(1, 1000);
  b.breaker.record_failure(500);  // open until 1500
  EXPECT_EQ(b.breaker.permit_at(500), 1500);
  EXPECT_EQ(b.breaker.permit_at(1499), 1500) << "one nanosecond early is still open";
  EXPECT_EQ(b.breaker.state(), BreakerState::open);
  EXPECT_EQ(b.breaker.permit_at(1500), 1500) << "the trial goes at exactly the end of the cool-down";
  EXPECT_EQ(b.breaker.state(), BreakerState::half_open);
  EXPECT_EQ(b.changes, (std::vector<std::string>{"open", "half_open"}));
}

TEST(CircuitBreaker, HalfOpenLetsOneTrialThroughAtATime) {
  Breaker b(1, 1000);
  b.breaker.record_failure(0);
  EXPECT_EQ(b.breaker.permit_at(1000), 1000);  // the trial
  EXPECT_GT(b.breaker.permit_at(1000), 1000) << "a second caller waits while the trial is out";
}

TEST(CircuitBreaker, ASuccessfulTrialClosesAndAFailedOneReopensForAnotherCoolDown) {
  Breaker closes(1, 1000);
  closes.breaker.record_failure(0);
  closes.breaker.permit_at(1000);
  closes.breaker.record_success();
  EXPECT_EQ(closes.breaker.state(), BreakerState::closed);
  EXPECT_EQ(closes.changes, (std::vector<std::string>{"open", "half_open", "closed"}));

  Breaker reopens(5, 1000);
  for (Nanos t = 0; t < 5; ++t) reopens.breaker.record_failure(t);
  reopens.breaker.permit_at(2000);
  reopens.breaker.record_failure(2100);  // one failed trial is enough, whatever the threshold
  EXPECT_EQ(reopens.breaker.state(), BreakerState::open);
  EXPECT_EQ(reopens.breaker.permit_at(2100), 3100);
}

TEST(CircuitBreaker, AThresholdOfZeroMeansNoBreaker) {
  Breaker b(0);
  for (Nanos t = 0; t < 100; ++t) b.breaker.record_failure(t);
  EXPECT_EQ(b.breaker.permit_at(100), 100);
  EXPECT_EQ(b.breaker.state(), BreakerState::closed);
  EXPECT_TRUE(b.changes.empty());
}

}  // namespace
}  // namespace sluice
