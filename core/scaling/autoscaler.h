// One stage's decision maker: fed a sample of the stage every period, it
// returns the replica count to set and why. The algorithms (hpa, keda_lag,
// rate) are in hpa.h, keda_lag.h and rate.h; this class keeps what they
// remember between decisions (the previous sample, the HPA's
// recommendations and scale events, KEDA's last active time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/scaling/autoscale_config.h"
#include "core/scaling/hpa.h"
#include "core/scaling/scaling_sample.h"

namespace sluice {

struct ScalingDecision {
  Nanos at = 0;
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  std::string reason;  // the metric against its target, and any limit that cut the change
};

class Autoscaler {
 public:
  // `stabilize` false: the no_stabilization defect (windows ignored).
  Autoscaler(AutoscaleConfig config, bool stabilize);
  // The decision at `sample.at` (to == from: no change). The first call only
  // remembers the sample: rates need two.
  std::optional<ScalingDecision> decide(const ScalingSample& sample);
  const AutoscaleConfig& config() const { return config_; }

 private:
  ScalingDecision hpa(const ScalingSample& now, const ScalingWindow& window);
  ScalingDecision keda(const ScalingSample& now);
  ScalingDecision rate(const ScalingSample& now, const ScalingWindow& window);
  // The HPA's behaviour on a raw recommendation, between `lowest` and max.
  ScalingDecision behave(const ScalingSample& now, std::uint32_t desired, std::uint32_t lowest, std::string reason);

  AutoscaleConfig config_;
  bool stabilize_;
  std::optional<ScalingSample> last_;
  HpaBehavior behavior_;
  Nanos last_active_ = 0;  // keda: when the lag last exceeded the activation threshold
};

}  // namespace sluice
