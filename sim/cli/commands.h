// The sluice subcommands. Each returns the process exit status:
// 0 every expectation held, 1 an expectation failed, 2 usage or input error.
#pragma once

namespace sluice {

int run_command(int argc, char** argv);
int validate_command(int argc, char** argv);
int sweep_command(int argc, char** argv);
// sluice report RUN_DIR [--html FILE] [--junit FILE] (reports/ renders, the CLI wires it).
int report_command(int argc, char** argv);

}  // namespace sluice
