// The sluice subcommands. Each returns the process exit status:
// 0 every expectation held, 1 an expectation failed, 2 usage or input error.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace sluice {

int run_command(int argc, char** argv);
int validate_command(int argc, char** argv);
int sweep_command(int argc, char** argv);
// sluice report RUN_DIR [--html FILE] [--junit FILE] (reports/ renders, the CLI wires it).
int report_command(int argc, char** argv);
// sluice shrink SCENARIO.json --seed N [--out FILE] [--max-runs N] [--max-time DURATION]
int shrink_command(int argc, char** argv);
// Renders RUN_DIR/report.html from a run's summary and series, written atomically.
void write_run_report(const std::string& run_dir, const nlohmann::json& summary, const nlohmann::json& series);

}  // namespace sluice
