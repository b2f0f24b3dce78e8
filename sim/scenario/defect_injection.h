// Injecting a defect into any scenario from the command line (--defect NAME,
// on run, sweep and shrink), so the benchmark can ask "how fast does each
// exploration mode find this bug in that realistic pipeline" without a copy
// of every scenario per defect.
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/scenario.h"

namespace sluice {

// "a,b" -> {"a", "b"}. Returns false, with `why`, for an empty item or a name
// that is not an implemented defect (naming the nearest one).
bool parse_defect_list(const std::string& text, std::vector<std::string>* names, std::string* why);

// Turns the defects on and records them in injected_defects (repro lines repeat them).
void inject_defects(Scenario& scenario, const std::vector<std::string>& names);

// "a,b", as --defect takes it.
std::string defect_list_text(const std::vector<std::string>& names);

}  // namespace sluice
