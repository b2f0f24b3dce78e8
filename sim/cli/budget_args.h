// The options run and sweep share to bound a run and judge it strictly:
// --max-virtual-time DURATION, --max-events N, --max-wall-ms N, --strict.
#pragma once

#include <string>
#include <vector>

#include "sim/cli/args.h"
#include "sim/run/runner.h"

namespace sluice {

// Takes the options out of `args` into `options` (a bad value is a UsageError).
void take_budget_options(Args& args, RunOptions& options);

// --defect NAME[,NAME...]: defects to inject into the scenario (sim/scenario/defect_injection.h).
std::vector<std::string> take_defect_option(Args& args);

}  // namespace sluice
