// drains_after_heal: once every source has finished and every fault has
// healed, the backlog drains, within run.drain_within if the scenario bounds
// it. Judged once, at the end, from what the history saw.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"
#include "sim/check/verdict.h"

namespace sluice {

struct DrainFacts {
  Nanos drained_at = -1;            // when the backlog last reached zero after the quiet point; -1: never
  Nanos quiet_at = 0;               // the later of the last source finishing and the last fault healing
  std::uint64_t backlog = 0;        // events still queued or in service at the end
  bool all_sources_finished = false;
  Nanos end = 0;                    // when the run ended
  Nanos drain_within = kNever;      // run.drain_within; kNever: no bound
  std::uint64_t backlog_at_quiet = 0;  // events queued or in service at the quiet point
  // What cost the pipeline time, most frequent first, as phrases
  // (sim/watch/drain_causes.h); the verdict quotes the first few.
  std::vector<std::string> causes;
};

Verdict judge_drain(const DrainFacts& facts);

}  // namespace sluice
