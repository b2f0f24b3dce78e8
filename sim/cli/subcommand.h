// The shape every sluice subcommand shares: parse the arguments (a usage
// error prints the usage and exits 2), then execute (a scenario error
// prints the file, JSON Pointer and message and exits 2).
#pragma once

#include <cstdio>

#include "sim/cli/args.h"
#include "sim/scenario/scenario_error.h"

namespace sluice {

template <class Options>
int run_subcommand(const char* name, const char* usage, Options (*parse)(int, char**), int (*execute)(const Options&),
                   int argc, char** argv) {
  Options options;
  try {
    options = parse(argc, argv);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "sluice %s: %s\n%s", name, e.what(), usage);
    return 2;
  }
  try {
    return execute(options);
  } catch (const ScenarioError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}

}  // namespace sluice
