// The short report `sluice run` prints for a person.
#pragma once

#include <cstdio>
#include <string>

#include "sim/run/runner.h"

namespace sluice {

void print_human_summary(std::FILE* out, const RunReport& report, const std::string& out_dir);
std::string format_nanos(double ns);

}  // namespace sluice
