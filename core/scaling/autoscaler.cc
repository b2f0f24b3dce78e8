#include "core/scaling/autoscaler.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "core/scaling/keda_lag.h"
#include "core/scaling/rate.h"

namespace sluice {
namespace {

std::string format(const char* pattern, double a, double b) {
  char text[160];
  std::snprintf(text, sizeof text, pattern, a, b);
  return text;
}

const char* metric_name(ScalingMetric metric) {
  switch (metric) {
    case ScalingMetric::utilization: return "utilization";
    case ScalingMetric::queue_depth: return "queue_depth";
    case ScalingMetric::lag: return "lag";
    case ScalingMetric::arrival_rate: return "arrival_rate";
  }
  return "?";
}

}  // namespace

Autoscaler::Autoscaler(AutoscaleConfig config, bool stabilize) : config_(std::move(config)), stabilize_(stabilize) {}

std::optional<ScalingDecision> Autoscaler::decide(const ScalingSample& sample) {
  if (!last_) {
    last_ = sample;
    last_active_ = sample.at;
    return std::nullopt;
  }
  const ScalingWindow window = window_between(*last_, sample);
  last_ = sample;
  ScalingDecision decision;
  switch (config_.algorithm) {
    case ScalingAlgorithm::hpa: decision = hpa(sample, window); break;
    case ScalingAlgorithm::keda_lag: decision = keda(sample); break;
    case ScalingAlgorithm::rate: decision = rate(sample, window); break;
  }
  decision.at = sample.at;
  decision.from = sample.replicas;
  if (decision.to != decision.from) behavior_.record_scale(sample.at, decision.from, decision.to);
  return decision;
}

ScalingDecision Autoscaler::hpa(const ScalingSample& now, const ScalingWindow& window) {
  std::uint32_t desired = now.replicas;
  double value = 0;
  switch (config_.metric) {
    case ScalingMetric::utilization:
      value = window.busy_fraction;
      desired = hpa_desired_from_average(now.replicas, now.ready, value, config_.target, config_.tolerance);
      break;
    case ScalingMetric::queue_depth:
      value = static_cast<double>(now.queue_depth);
      desired = hpa_desired_from_total(now.replicas, value, config_.target, config_.tolerance);
      break;
    case ScalingMetric::lag:
      value = static_cast<double>(now.lag);
      desired = hpa_desired_from_total(now.replicas, value, config_.target, config_.tolerance);
      break;
    case ScalingMetric::arrival_rate:
      value = window.arrival_rate;
      desired = hpa_desired_from_total(now.replicas, value, config_.target, config_.tolerance);
      break;
  }
  std::string reason = std::string(metric_name(config_.metric)) + format(" %.3g against target %.3g", value, config_.target);
  if (config_.metric == ScalingMetric::utilization) reason += " per replica";
  return behave(now, desired, config_.min_replicas, std::move(reason));
}

// KEDA owns 0 <-> 1 (activation, and scale-to-zero after the cooldown);
// between 1 and max its HPA decides on the lag with lagThreshold as the
// average-value target per replica.
ScalingDecision Autoscaler::keda(const ScalingSample& now) {
  const KedaLag lag = keda_lag_metric(static_cast<double>(now.lag), now.partitions, config_.lag_threshold,
                                      config_.activation_lag_threshold, config_.allow_idle_consumers);
  if (lag.active) last_active_ = now.at;
  ScalingDecision d;
  d.to = now.replicas;
  if (now.replicas == 0) {
    if (lag.active) {
      d.to = std::max<std::uint32_t>(1, config_.min_replicas);
      d.reason = format("activated: lag %.0f above activation_lag_threshold %.0f", static_cast<double>(now.lag),
                        config_.activation_lag_threshold);
    }
    return d;
  }
  if (!lag.active && config_.min_replicas == 0 && now.at - last_active_ >= config_.cooldown) {
    d.to = 0;
    d.reason = format("inactive for the cooldown (%.0f s): lag %.0f", to_seconds(config_.cooldown), static_cast<double>(now.lag));
    return d;
  }
  const std::uint32_t desired = hpa_desired_from_total(now.replicas, lag.metric, config_.lag_threshold, config_.tolerance);
  std::string reason = format("lag %.0f against lag_threshold %.0f per replica", lag.metric, config_.lag_threshold);
  if (lag.capped) reason += format(" (capped from %.0f at %.0f partitions)", static_cast<double>(now.lag), now.partitions);
  return behave(now, desired, std::max<std::uint32_t>(1, config_.min_replicas), std::move(reason));
}

ScalingDecision Autoscaler::rate(const ScalingSample& now, const ScalingWindow& window) {
  ScalingDecision d;
  d.to = now.replicas;
  std::optional<std::uint32_t> wanted = ds2_parallelism(window.arrival_rate, window.true_rate, config_.target_utilization);
  if (!wanted) {
    // No useful time measured: with events arriving and nobody ready, one replica is the only way to learn a rate.
    if (now.replicas == 0 && window.arrival_rate > 0) d.to = std::max<std::uint32_t>(1, config_.min_replicas);
    return d;
  }
  d.to = std::clamp(*wanted, config_.min_replicas, config_.max_replicas);
  d.reason = format("arrival %.4g/s over true rate %.4g/s per replica", window.arrival_rate, window.true_rate);
  return d;
}

ScalingDecision Autoscaler::behave(const ScalingSample& now, std::uint32_t desired, std::uint32_t lowest,
                                   std::string reason) {
  const Normalized n = behavior_.normalize(now.at, now.replicas, desired, lowest, config_.max_replicas, config_.up,
                                           config_.down, stabilize_);
  ScalingDecision d;
  d.to = n.replicas;
  d.reason = std::move(reason);
  if (!n.reason.empty()) d.reason += ", " + n.reason;
  return d;
}

}  // namespace sluice
