// sluice: run, sweep, validate, report (shrink arrives with its issue).
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "sim/cli/commands.h"

namespace {

constexpr const char* kUsage =
    "usage:\n"
    "  sluice run SCENARIO.json [--seed N] [--out DIR] [--trace] [--perfetto] [--strategy fifo|random|pct[:D[:H]]]\n"
    "             [--check-determinism]\n"
    "  sluice sweep SCENARIO.json --seeds A..B [--jobs J] [--shard I/N] [--out DIR] [--junit FILE]\n"
    "  sluice sweep --merge SWEEP.json... [--out DIR] [--junit FILE]\n"
    "  sluice shrink SCENARIO.json --seed N [--out FILE] [--max-runs N] [--max-time DURATION]\n"
    "  sluice validate SCENARIO.json...\n"
    "  sluice report RUN_DIR [--html FILE] [--junit FILE]\n"
    "\n"
    "exit status: 0 every expectation held, 1 an expectation failed, 2 usage or input error\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string command = argv[1];
  try {
    if (command == "run") return sluice::run_command(argc, argv);
    if (command == "validate") return sluice::validate_command(argc, argv);
    if (command == "sweep") return sluice::sweep_command(argc, argv);
    if (command == "report") return sluice::report_command(argc, argv);
    if (command == "shrink") return sluice::shrink_command(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sluice %s: %s\n", command.c_str(), e.what());
    return 2;
  }
  std::fprintf(stderr, "sluice: unknown command '%s'\n%s", command.c_str(), kUsage);
  return 2;
}
