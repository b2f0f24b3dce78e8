// The Kubernetes Horizontal Pod Autoscaler's arithmetic, as in
// kubernetes/kubernetes pkg/controller/podautoscaler:
//   replica_calculator.go  desired = ceil(ratio x replicas), ratio = metric / target,
//                          no change while |ratio - 1| <= tolerance (0.1);
//   horizontal.go          stabilizeRecommendationWithBehaviors (the highest
//                          recommendation of the scale-down window, the lowest
//                          of the scale-up window), then
//                          convertDesiredReplicasWithBehaviorRate (the
//                          behaviour policies' limits per period, selectPolicy
//                          Max / Min / Disabled, clamped to min and max).
// Pure: no runtime, no randomness; the controller feeds it virtual time.
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "core/scaling/autoscale_config.h"
#include "core/time.h"

namespace sluice {

// GetResourceReplicas: a per-replica average (utilisation) against its
// target, over `ready` replicas; `current` when within the tolerance.
std::uint32_t hpa_desired_from_average(std::uint32_t current, std::uint32_t ready, double average, double target,
                                       double tolerance);
// GetExternalPerPodMetricReplicas: a total (lag, depth, rate) against a
// per-replica average-value target; `current` when within the tolerance.
std::uint32_t hpa_desired_from_total(std::uint32_t current, double total, double target_per_replica, double tolerance);

struct Normalized {
  std::uint32_t replicas = 0;
  std::string reason;  // why the recommendation was cut (empty: it was not)
};

// The state the HPA keeps per target between syncs: recommendations for the
// stabilization windows and scale events for the rate policies.
class HpaBehavior {
 public:
  struct ScaleEvent {
    Nanos at;
    std::uint32_t change;  // always positive; the direction is the list it is in
  };
  // The replicas to set at `now`, from the raw recommendation `desired`.
  // `stabilize` false skips the windows (the no_stabilization defect).
  Normalized normalize(Nanos now, std::uint32_t current, std::uint32_t desired, std::uint32_t min_replicas,
                       std::uint32_t max_replicas, const ScalingRules& up, const ScalingRules& down, bool stabilize);
  // A change was made (horizontal.go's storeScaleEvent).
  void record_scale(Nanos now, std::uint32_t from, std::uint32_t to);

 private:
  struct Recommendation {
    Nanos at;
    std::uint32_t replicas;
  };
  std::uint32_t stabilized(Nanos now, std::uint32_t current, std::uint32_t desired, Nanos up_window, Nanos down_window);
  static std::uint32_t change_in_period(const std::deque<ScaleEvent>& events, Nanos now, Nanos period);
  std::uint32_t up_limit(Nanos now, std::uint32_t current, const ScalingRules& rules) const;
  std::uint32_t down_limit(Nanos now, std::uint32_t current, const ScalingRules& rules) const;

  std::deque<Recommendation> recommendations_;
  std::deque<ScaleEvent> up_events_;
  std::deque<ScaleEvent> down_events_;
};

}  // namespace sluice
