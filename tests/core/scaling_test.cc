// The autoscalers' arithmetic against the anchors' own numbers
// (replica_calculator.go, horizontal.go, kafka_scaler.go, DS2).
#include <gtest/gtest.h>

#include "core/checkpoint/adaptive_interval.h"
#include "core/scaling/autoscaler.h"
#include "core/scaling/hpa.h"
#include "core/scaling/keda_lag.h"
#include "core/scaling/rate.h"

namespace sluice {
namespace {

constexpr Nanos kSecond = kNanosPerSecond;

TEST(HpaFormula, NoChangeWithinTheTolerance) {
  EXPECT_EQ(hpa_desired_from_average(4, 4, 0.85, 0.8, 0.1), 4u);  // ratio 1.0625
  EXPECT_EQ(hpa_desired_from_average(4, 4, 0.95, 0.8, 0.1), 5u);  // ratio 1.1875: ceil(4.75)
  EXPECT_EQ(hpa_desired_from_average(4, 4, 0.2, 0.8, 0.1), 1u);   // ceil(1.0)
}

TEST(HpaFormula, AverageValueTargetOnATotal) {
  EXPECT_EQ(hpa_desired_from_total(2, 100, 10, 0.1), 10u);
  EXPECT_EQ(hpa_desired_from_total(10, 105, 10, 0.1), 10u);  // within the tolerance
  EXPECT_EQ(hpa_desired_from_total(0, 5, 10, 0.1), 1u);
}

TEST(HpaBehaviorTest, DefaultScaleUpIsTheMoreOfDoubleOrFourPods) {
  AutoscaleConfig c;
  HpaBehavior b;
  EXPECT_EQ(b.normalize(0, 2, 50, 1, 100, c.up, c.down, true).replicas, 6u);  // max(2*2, 2+4)
  EXPECT_EQ(b.normalize(0, 10, 50, 1, 100, c.up, c.down, true).replicas, 20u);  // max(20, 14)
}

TEST(HpaBehaviorTest, SelectMinAndDisabled) {
  AutoscaleConfig c;
  c.up.select = SelectPolicy::min;
  HpaBehavior b;
  EXPECT_EQ(b.normalize(0, 2, 50, 1, 100, c.up, c.down, true).replicas, 4u);
  c.up.select = SelectPolicy::disabled;
  EXPECT_EQ(b.normalize(kSecond, 2, 50, 1, 100, c.up, c.down, true).replicas, 2u);
}

TEST(HpaBehaviorTest, PolicyPeriodCountsEarlierScaleEvents) {
  AutoscaleConfig c;
  c.up.policies = {{ScalingPolicy::Kind::pods, 2, 60 * kSecond}};
  HpaBehavior b;
  Normalized first = b.normalize(0, 2, 10, 1, 100, c.up, c.down, true);
  EXPECT_EQ(first.replicas, 4u);
  b.record_scale(0, 2, 4);
  // 30 s later the period still holds the +2: no room left.
  EXPECT_EQ(b.normalize(30 * kSecond, 4, 10, 1, 100, c.up, c.down, true).replicas, 4u);
  EXPECT_EQ(b.normalize(61 * kSecond, 4, 10, 1, 100, c.up, c.down, true).replicas, 6u);
}

TEST(HpaBehaviorTest, ScaleDownWaitsForTheStabilizationWindow) {
  AutoscaleConfig c;  // down: 300 s window
  HpaBehavior b;
  EXPECT_EQ(b.normalize(0, 8, 8, 1, 100, c.up, c.down, true).replicas, 8u);
  Normalized dip = b.normalize(15 * kSecond, 8, 2, 1, 100, c.up, c.down, true);
  EXPECT_EQ(dip.replicas, 8u);
  EXPECT_EQ(dip.reason, "stabilization window");
  // Without the window (the no_stabilization defect) it follows the dip.
  HpaBehavior unstable;
  unstable.normalize(0, 8, 8, 1, 100, c.up, c.down, false);
  EXPECT_EQ(unstable.normalize(15 * kSecond, 8, 2, 1, 100, c.up, c.down, false).replicas, 2u);
  // After 300 s of low recommendations it goes down.
  for (Nanos t = 30 * kSecond; t <= 315 * kSecond; t += 15 * kSecond) b.normalize(t, 8, 2, 1, 100, c.up, c.down, true);
  EXPECT_EQ(b.normalize(330 * kSecond, 8, 2, 1, 100, c.up, c.down, true).replicas, 2u);
}

TEST(HpaBehaviorTest, ClampedToMinAndMax) {
  AutoscaleConfig c;
  HpaBehavior b;
  Normalized n = b.normalize(0, 4, 50, 1, 6, c.up, c.down, true);
  EXPECT_EQ(n.replicas, 6u);
  EXPECT_EQ(n.reason, "too many replicas");
}

TEST(KedaLagTest, CappedAtPartitionsUnlessIdleConsumersAllowed) {
  KedaLag capped = keda_lag_metric(1000, 4, 10, 0, false);
  EXPECT_TRUE(capped.capped);
  EXPECT_DOUBLE_EQ(capped.metric, 40);
  EXPECT_EQ(hpa_desired_from_total(1, capped.metric, 10, 0.1), 4u);
  KedaLag idle = keda_lag_metric(1000, 4, 10, 0, true);
  EXPECT_FALSE(idle.capped);
  EXPECT_EQ(hpa_desired_from_total(1, idle.metric, 10, 0.1), 100u);
  EXPECT_FALSE(keda_lag_metric(5, 4, 10, 5, false).active);
  EXPECT_TRUE(keda_lag_metric(6, 4, 10, 5, false).active);
}

TEST(Ds2Test, ParallelismFromTrueRate) {
  EXPECT_EQ(ds2_parallelism(400, 50, 1.0), 8u);
  EXPECT_EQ(ds2_parallelism(400, 50, 0.8), 10u);
  EXPECT_EQ(ds2_parallelism(399.9999999, 50, 1.0), 8u);
  EXPECT_FALSE(ds2_parallelism(400, 0, 1.0).has_value());
}

ScalingSample sample(Nanos at, std::uint32_t replicas, std::uint64_t lag) {
  return ScalingSample{.at = at, .replicas = replicas, .ready = replicas, .lag = lag, .partitions = 8};
}

TEST(AutoscalerTest, KedaActivatesFromZeroAndReturnsAfterTheCooldown) {
  AutoscaleConfig c;
  c.algorithm = ScalingAlgorithm::keda_lag;
  c.min_replicas = 0;
  c.max_replicas = 8;
  c.cooldown = 60 * kSecond;
  Autoscaler a(c, true);
  EXPECT_FALSE(a.decide(sample(0, 0, 0)).has_value());
  EXPECT_EQ(a.decide(sample(30 * kSecond, 0, 0))->to, 0u);
  ScalingDecision up = *a.decide(sample(60 * kSecond, 0, 7));
  EXPECT_EQ(up.to, 1u);
  EXPECT_NE(up.reason.find("activated"), std::string::npos);
  EXPECT_EQ(a.decide(sample(90 * kSecond, 1, 0))->to, 1u);  // inactive 30 s: not yet
  ScalingDecision down = *a.decide(sample(120 * kSecond, 1, 0));
  EXPECT_EQ(down.to, 0u);
  EXPECT_NE(down.reason.find("cooldown"), std::string::npos);
}

TEST(AutoscalerTest, RateFollowsAStepInOneDecision) {
  AutoscaleConfig c;
  c.algorithm = ScalingAlgorithm::rate;
  c.min_replicas = 1;
  c.max_replicas = 32;
  Autoscaler a(c, true);
  // 2 replicas, each 20 ms per event (50/s); 400 events/s arrive.
  ScalingSample s0{.at = 0, .replicas = 2, .ready = 2};
  ScalingSample s1{.at = 10 * kSecond, .replicas = 2, .ready = 2, .arrived = 4000, .processed = 1000,
                   .busy_ns = 20 * kSecond};
  a.decide(s0);
  EXPECT_EQ(a.decide(s1)->to, 8u);
}

TEST(AdaptiveIntervalTest, DoublesOverTheAlignmentTargetAndFollowsReplayOtherwise) {
  AdaptiveCheckpointConfig c{.min = 100 * kNanosPerMilli, .max = 8 * kSecond, .alignment_target = 20 * kNanosPerMilli,
                             .replay_target = 100};
  AdaptiveInterval a(c, kSecond);
  // 100 records in 1 s: on target, no change.
  EXPECT_FALSE(a.completed(5 * kNanosPerMilli, 100, kSecond).has_value());
  std::optional<std::string> longer = a.completed(50 * kNanosPerMilli, 700, kSecond);
  ASSERT_TRUE(longer.has_value());
  EXPECT_NE(longer->find("alignment"), std::string::npos) << *longer;
  EXPECT_EQ(a.interval(), 2 * kSecond);
  a.completed(50 * kNanosPerMilli, 1400, 2 * kSecond);
  a.completed(50 * kNanosPerMilli, 2800, 4 * kSecond);
  a.completed(50 * kNanosPerMilli, 5600, 8 * kSecond);
  EXPECT_EQ(a.interval(), 8 * kSecond);  // capped at max
  // Calm again: 100 records per second wants a 1 s interval, at once.
  std::optional<std::string> shorter = a.completed(2 * kNanosPerMilli, 800, 8 * kSecond);
  ASSERT_TRUE(shorter.has_value());
  EXPECT_NE(shorter->find("replay"), std::string::npos) << *shorter;
  EXPECT_EQ(a.interval(), kSecond);
}

}  // namespace
}  // namespace sluice
