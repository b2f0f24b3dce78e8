// sluice: run, sweep, shrink, validate, report; help and --version.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "sim/cli/args.h"
#include "sim/cli/commands.h"
#include "sim/cli/help.h"
#include "sim/output/provenance.h"

namespace {

bool is_help(const char* arg) { return std::strcmp(arg, "--help") == 0 || std::strcmp(arg, "-h") == 0; }

// `sluice help [COMMAND]`, `sluice COMMAND --help`: stdout, exit 0; an unknown command: exit 2.
int help(const std::string& command) {
  if (command.empty()) {
    std::fputs(sluice::render_overview().c_str(), stdout);
    return 0;
  }
  const sluice::CommandHelp* help = sluice::find_command_help(command);
  if (help == nullptr) {
    std::fprintf(stderr, "sluice: unknown command '%s'\n\n%s", command.c_str(), sluice::render_overview().c_str());
    return 2;
  }
  std::fputs(sluice::render_command_help(*help).c_str(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(sluice::render_overview().c_str(), stderr);
    return 2;
  }
  std::string command = argv[1];
  if (is_help(argv[1])) return help("");
  if (command == "--version" || command == "version") {
    std::printf("%s\n", sluice::version_line().c_str());
    return 0;
  }
  if (command == "help") return help(argc > 2 ? argv[2] : "");
  for (int i = 2; i < argc; ++i) {
    if (is_help(argv[i])) return help(command);
  }
  try {
    if (command == "run") return sluice::run_command(argc, argv);
    if (command == "validate") return sluice::validate_command(argc, argv);
    if (command == "sweep") return sluice::sweep_command(argc, argv);
    if (command == "report") return sluice::report_command(argc, argv);
    if (command == "shrink") return sluice::shrink_command(argc, argv);
  } catch (const sluice::UndescribedOption& e) {
    std::fprintf(stderr, "sluice %s: internal error: %s\n", command.c_str(), e.what());
    return 70;  // EX_SOFTWARE: a bug in sluice, not in the input
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sluice %s: %s\n", command.c_str(), e.what());
    return 2;
  }
  std::fprintf(stderr, "sluice: unknown command '%s'\n\n%s", command.c_str(), sluice::render_overview().c_str());
  return 2;
}
