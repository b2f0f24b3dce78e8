#include "core/scaling/hpa.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace sluice {
namespace {

std::uint32_t ceil_replicas(double value) {
  if (!(value > 0)) return 0;
  return static_cast<std::uint32_t>(std::min(std::ceil(value - 1e-9), 1e6));
}

// Events older than the longest policy period can no longer limit anything.
void forget_before(std::deque<HpaBehavior::ScaleEvent>& events, Nanos cutoff);

}  // namespace

std::uint32_t hpa_desired_from_average(std::uint32_t current, std::uint32_t ready, double average, double target,
                                       double tolerance) {
  if (ready == 0 || !(target > 0)) return current;
  const double ratio = average / target;
  if (std::abs(ratio - 1.0) <= tolerance) return current;
  return ceil_replicas(ratio * ready);
}

std::uint32_t hpa_desired_from_total(std::uint32_t current, double total, double target_per_replica, double tolerance) {
  if (!(target_per_replica > 0)) return current;
  if (current > 0) {
    const double ratio = total / (target_per_replica * current);
    if (std::abs(ratio - 1.0) <= tolerance) return current;
  }
  return ceil_replicas(total / target_per_replica);
}

Normalized HpaBehavior::normalize(Nanos now, std::uint32_t current, std::uint32_t desired, std::uint32_t min_replicas,
                                  std::uint32_t max_replicas, const ScalingRules& up, const ScalingRules& down,
                                  bool stabilize) {
  Normalized out;
  std::uint32_t recommendation =
      stabilize ? stabilized(now, current, desired, up.stabilization, down.stabilization) : desired;
  if (recommendation != desired) out.reason = "stabilization window";
  // convertDesiredReplicasWithBehaviorRate.
  std::uint32_t lowest = min_replicas, highest = max_replicas;
  if (recommendation > current) {
    const std::uint32_t limit = std::max(up_limit(now, current, up), current);
    if (limit < highest) {
      highest = limit;
      if (recommendation > limit) out.reason = "scale-up limit";
    } else if (recommendation > highest) {
      out.reason = "too many replicas";
    }
  } else if (recommendation < current) {
    const std::uint32_t limit = std::min(down_limit(now, current, down), current);
    if (limit > lowest) {
      lowest = limit;
      if (recommendation < limit) out.reason = "scale-down limit";
    } else if (recommendation < lowest) {
      out.reason = "too few replicas";
    }
  }
  out.replicas = std::clamp(recommendation, lowest, std::max(lowest, highest));
  return out;
}

// stabilizeRecommendationWithBehaviors: scale up no further than the lowest
// recommendation of the up window, down no further than the highest of the
// down window (so a dip shorter than 300 s scales nothing down).
std::uint32_t HpaBehavior::stabilized(Nanos now, std::uint32_t current, std::uint32_t desired, Nanos up_window,
                                      Nanos down_window) {
  std::uint32_t up = desired, down = desired;
  for (const Recommendation& r : recommendations_) {
    if (r.at > now - up_window) up = std::min(up, r.replicas);
    if (r.at > now - down_window) down = std::max(down, r.replicas);
  }
  recommendations_.push_back({now, desired});
  const Nanos keep = std::max(up_window, down_window);
  while (!recommendations_.empty() && recommendations_.front().at <= now - keep) recommendations_.pop_front();
  std::uint32_t recommendation = current;
  if (recommendation < up) recommendation = up;
  if (recommendation > down) recommendation = down;
  return recommendation;
}

void HpaBehavior::record_scale(Nanos now, std::uint32_t from, std::uint32_t to) {
  if (to > from) up_events_.push_back({now, to - from});
  if (to < from) down_events_.push_back({now, from - to});
  // The longest policy period of the defaults and of any sane scenario is
  // far below an hour; older events limit nothing.
  forget_before(up_events_, now - 3600 * kNanosPerSecond);
  forget_before(down_events_, now - 3600 * kNanosPerSecond);
}

// getReplicasChangePerPeriod.
std::uint32_t HpaBehavior::change_in_period(const std::deque<ScaleEvent>& events, Nanos now, Nanos period) {
  std::uint32_t change = 0;
  for (const ScaleEvent& e : events) {
    if (e.at > now - period) change += e.change;
  }
  return change;
}

// calculateScaleUpLimitWithScalingRules.
std::uint32_t HpaBehavior::up_limit(Nanos now, std::uint32_t current, const ScalingRules& rules) const {
  if (rules.select == SelectPolicy::disabled) return current;
  const bool pick_min = rules.select == SelectPolicy::min;
  std::int64_t result = pick_min ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
  for (const ScalingPolicy& policy : rules.policies) {
    const std::int64_t start = static_cast<std::int64_t>(current) - change_in_period(up_events_, now, policy.period);
    const std::int64_t proposed =
        policy.kind == ScalingPolicy::Kind::pods
            ? start + policy.value
            // Rounded up, or a small count would never grow by a percentage.
            : static_cast<std::int64_t>(std::ceil(static_cast<double>(start) * (1 + policy.value / 100.0)));
    result = pick_min ? std::min(result, proposed) : std::max(result, proposed);
  }
  if (rules.policies.empty()) return current;
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(result, 0, 1'000'000));
}

// calculateScaleDownLimitWithBehaviors: Max selects the lowest bound (the
// biggest change), Min the highest.
std::uint32_t HpaBehavior::down_limit(Nanos now, std::uint32_t current, const ScalingRules& rules) const {
  if (rules.select == SelectPolicy::disabled) return current;
  const bool pick_min = rules.select == SelectPolicy::min;
  std::int64_t result = pick_min ? std::numeric_limits<std::int64_t>::min() : std::numeric_limits<std::int64_t>::max();
  for (const ScalingPolicy& policy : rules.policies) {
    const std::int64_t start = static_cast<std::int64_t>(current) - change_in_period(up_events_, now, policy.period) +
                               change_in_period(down_events_, now, policy.period);
    const std::int64_t proposed =
        policy.kind == ScalingPolicy::Kind::pods
            ? start - policy.value
            : static_cast<std::int64_t>(static_cast<double>(start) * (1 - policy.value / 100.0));
    result = pick_min ? std::max(result, proposed) : std::min(result, proposed);
  }
  if (rules.policies.empty()) return current;
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(result, 0, 1'000'000));
}

namespace {
void forget_before(std::deque<HpaBehavior::ScaleEvent>& events, Nanos cutoff) {
  while (!events.empty() && events.front().at <= cutoff) events.pop_front();
}
}  // namespace

ScalingRules default_scale_up_rules() {
  return ScalingRules{.select = SelectPolicy::max,
                      .stabilization = 0,
                      .policies = {{ScalingPolicy::Kind::percent, 100, 15 * kNanosPerSecond},
                                   {ScalingPolicy::Kind::pods, 4, 15 * kNanosPerSecond}}};
}

ScalingRules default_scale_down_rules() {
  return ScalingRules{.select = SelectPolicy::max,
                      .stabilization = 300 * kNanosPerSecond,
                      .policies = {{ScalingPolicy::Kind::percent, 100, 15 * kNanosPerSecond}}};
}

}  // namespace sluice
