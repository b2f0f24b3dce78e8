// `sluice sweep SCENARIO.json --explore guided [--runs N] [--explore-seed K] ...`:
// the guided explorer's command line (sim/explore/guided.h).
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "sim/cli/args.h"

namespace sluice {

// Returns the exit code: 0 no failure, 1 a failure was found, 128+signal when interrupted.
int explore_sweep(Args& args, const std::string& mode, const std::optional<std::string>& out,
                  const std::atomic<bool>* stop);

}  // namespace sluice
