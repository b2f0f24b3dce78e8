// sluice validate SCENARIO.json...: load and check each file without running it.
#include <cstdio>

#include "sim/cli/args.h"
#include "sim/cli/commands.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/scenario_error.h"
#include "sim/scenario/scenario_warnings.h"

namespace sluice {

int validate_command(int argc, char** argv) {
  std::vector<std::string> files;
  try {
    files = Args(argc, argv, "validate").positionals();
    if (files.empty()) throw UsageError("validate needs at least one scenario file");
  } catch (const UsageError& e) {
    std::fprintf(stderr, "sluice validate: %s\nusage: sluice validate SCENARIO.json...\n", e.what());
    return 2;
  }
  int status = 0;
  for (const std::string& file : files) {
    try {
      Scenario scenario = load_scenario_file(file);
      std::printf("%s: ok (%s: %zu sources, %zu buffers, %zu topics, %zu stages, %zu sinks; %s)\n", file.c_str(),
                  scenario.name.c_str(), scenario.sources.size(), scenario.buffers.size(), scenario.topics.size(),
                  scenario.stages.size(), scenario.sinks.size(), delivery_mode_name(scenario.delivery));
      // Warnings do not fail validation: the file is valid, it may just not test what it seems to.
      for (const std::string& warning : scenario_warnings(scenario)) {
        std::fprintf(stderr, "%s: warning: %s\n", file.c_str(), warning.c_str());
      }
    } catch (const ScenarioError& e) {
      std::fprintf(stderr, "%s\n", e.what());
      status = 2;
    }
  }
  return status;
}

}  // namespace sluice
