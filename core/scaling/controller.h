// The control loop of one autoscaled stage: a fiber that wakes every period
// of virtual time, samples the stage, asks its Autoscaler and applies a
// change (the HPA controller's sync loop, KEDA's polling loop). It runs on
// a node that never crashes (the control plane is not what Sluice tests).
#pragma once

#include <cstdint>

#include "core/model/observer.h"
#include "core/runtime/runtime.h"
#include "core/scaling/autoscaler.h"
#include "core/scaling/scaling_sample.h"

namespace sluice {

// What a controller scales: a stage.
class ScalingTarget {
 public:
  virtual ~ScalingTarget() = default;
  virtual ScalingSample scaling_sample() const = 0;
  // Starts replicas (each after its start-up delay) or drains them.
  virtual void scale_to(std::uint32_t replicas) = 0;
};

class ScalingController {
 public:
  ScalingController(Runtime& runtime, Observer& observer, StageIndex stage, ScalingTarget& target,
                    AutoscaleConfig config, bool stabilize);
  // Starts the loop on `node` when the run starts (a daemon: it never ends by itself).
  void start(NodeId node);

 private:
  void run();

  Runtime& runtime_;
  Observer& observer_;
  StageIndex stage_;
  ScalingTarget& target_;
  Autoscaler autoscaler_;
};

}  // namespace sluice
