// An adaptive checkpoint interval ("checkpoint": {"interval": "adaptive"}):
// after each completed checkpoint the interval moves between `min` and `max`
// to keep two costs within their targets as the workload drifts:
//   barrier alignment (trigger to completion): over its target, checkpoints
//     are too costly for the load (barriers queue behind busy workers'
//     prefetched records), so the interval doubles;
//   recovery replay (records appended between two checkpoints, what a crash
//     just before the next one replays): otherwise the interval is the time
//     in which `replay_target` records arrive at the current rate, so a calm
//     stream checkpoints rarely and a busy one often.
// Pure: the coordinator feeds it what it measured.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/model/checkpoint_config.h"
#include "core/time.h"

namespace sluice {

class AdaptiveInterval {
 public:
  AdaptiveInterval(AdaptiveCheckpointConfig config, Nanos initial);
  Nanos interval() const { return interval_; }
  // After a checkpoint completed: its alignment time, and the records and
  // time since the previous completed one. Returns the reason when the
  // interval changed.
  std::optional<std::string> completed(Nanos alignment, std::uint64_t records, Nanos since_previous);

 private:
  AdaptiveCheckpointConfig config_;
  Nanos interval_;
};

}  // namespace sluice
