// A scenario's latency objective ("slo"), judged by the latency_slo invariant.
#pragma once

#include "core/time.h"

namespace sluice {

// The p99 of source-to-effect latency of effects applied after `settle`
// must stay within `p99`.
struct LatencySlo {
  Nanos p99 = kNever;
  Nanos settle = 0;
};

}  // namespace sluice
