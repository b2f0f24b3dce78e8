// A processing stage: workers on named nodes take events from one buffer,
// spend a sampled service time on each, and hand them downstream.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/pipeline/buffer.h"
#include "core/pipeline/inlet.h"
#include "core/pipeline/observer.h"
#include "core/random/distribution.h"
#include "core/runtime/runtime.h"

namespace sluice {

struct StageConfig {
  StageIndex index = 0;
  std::string name;
  std::vector<NodeId> worker_nodes;  // one worker fiber per entry
  Distribution service_ns = Distribution::constant(0);
};

class Stage {
 public:
  Stage(Runtime& runtime, Observer& observer, StageConfig config, Buffer& input, Inlet& output);
  // Registers each worker fiber with its node.
  void install();
  const StageConfig& config() const { return config_; }

 private:
  void work(std::uint32_t worker, Rng& rng);

  Runtime& runtime_;
  Observer& observer_;
  StageConfig config_;
  Buffer& input_;
  Inlet& output_;
  std::vector<Rng> worker_rngs_;
};

}  // namespace sluice
