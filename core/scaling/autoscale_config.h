// A stage's `autoscale` block as the core uses it: which algorithm decides
// the replica count, on which metric, between which bounds, how fast it may
// move (behaviour policies, stabilization windows) and how long a new
// replica takes to start. Defaults are the anchors' own (README, "Elastic
// scaling and alerts"): Kubernetes' HPA (pkg/controller/podautoscaler),
// KEDA's Kafka scaler (pkg/scalers/kafka_scaler.go) and DS2 (Kalavri et al.,
// OSDI 2018).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/random/distribution.h"
#include "core/time.h"

namespace sluice {

enum class ScalingAlgorithm : std::uint8_t { hpa, keda_lag, rate };

// What an `hpa` scaler compares with its target, per ready replica.
enum class ScalingMetric : std::uint8_t {
  utilization,   // busy fraction (service time / wall time), the HPA's CPU utilisation
  queue_depth,   // events waiting in the stage's input (buffer depth, or topic backlog)
  lag,           // consumer lag: appended and not committed, summed over partitions
  arrival_rate,  // events entering the input per second
};

// HPAScalingRules.selectPolicy.
enum class SelectPolicy : std::uint8_t { max, min, disabled };

// HPAScalingPolicy: at most `value` pods, or `value` percent, per `period`.
struct ScalingPolicy {
  enum class Kind : std::uint8_t { pods, percent };
  Kind kind = Kind::pods;
  std::uint32_t value = 1;
  Nanos period = 15 * kNanosPerSecond;
};

// HPAScalingRules for one direction.
struct ScalingRules {
  SelectPolicy select = SelectPolicy::max;
  Nanos stabilization = 0;
  std::vector<ScalingPolicy> policies;
};

// The HPA's defaults (pkg/controller/podautoscaler, horizontal.go and
// apis/autoscaling/v2 defaults): up 100% or 4 pods per 15 s, whichever is
// more, no stabilization; down 100% per 15 s after a 300 s window.
ScalingRules default_scale_up_rules();
ScalingRules default_scale_down_rules();

struct AutoscaleConfig {
  ScalingAlgorithm algorithm = ScalingAlgorithm::hpa;
  std::uint32_t min_replicas = 1;
  std::uint32_t max_replicas = 1;
  std::uint32_t initial_replicas = 1;  // the stage's `workers`
  // hpa: the metric and its per-replica target (utilization: a fraction in (0, 1]).
  ScalingMetric metric = ScalingMetric::utilization;
  double target = 0.8;
  double tolerance = 0.1;  // --horizontal-pod-autoscaler-tolerance
  // How often the controller decides: the HPA's sync period (15 s), KEDA's
  // pollingInterval (30 s), DS2's decision interval.
  Nanos period = 15 * kNanosPerSecond;
  ScalingRules up = default_scale_up_rules();
  ScalingRules down = default_scale_down_rules();
  // keda_lag (kafka_scaler.go): lagThreshold, activationLagThreshold,
  // allowIdleConsumers; KEDA's cooldownPeriod before scaling to zero.
  double lag_threshold = 10;
  double activation_lag_threshold = 0;
  bool allow_idle_consumers = false;
  Nanos cooldown = 300 * kNanosPerSecond;
  // rate (DS2): the busy fraction each replica should run at.
  double target_utilization = 1.0;
  // From the decision to a ready replica (image pull, JVM warm-up, join).
  Distribution startup_ns = Distribution::constant(0);
  // Not the controller's: the bounds the no_flapping invariant judges it by
  // (at most max_reversals changes of direction within flapping_window).
  Nanos flapping_window = 600 * kNanosPerSecond;
  std::uint32_t max_reversals = 2;
};

}  // namespace sluice
