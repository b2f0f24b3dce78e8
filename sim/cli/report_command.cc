// sluice report RUN_DIR [--html FILE] [--junit FILE]: renders a run's
// summary.json and series.json as a self-contained HTML report (by default
// RUN_DIR/report.html) and, when asked, as JUnit XML.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/html_report.h"
#include "reports/junit.h"
#include "sim/cli/args.h"
#include "sim/cli/commands.h"
#include "sim/output/atomic_file.h"

namespace sluice {
namespace {

constexpr const char* kUsage = "usage: sluice report RUN_DIR [--html FILE] [--junit FILE]\n";

// An input file that is missing, unreadable or not a JSON object: exit 2.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ReportOptions {
  std::string run_dir;
  std::string html_path;
  std::optional<std::string> junit_path;
};

ReportOptions parse(int argc, char** argv) {
  Args args(argc, argv, "report");
  ReportOptions options;
  std::optional<std::string> html = args.option("--html");
  options.junit_path = args.option("--junit");
  std::vector<std::string> dirs = args.positionals();
  if (dirs.size() != 1) throw UsageError("report takes exactly one run directory");
  options.run_dir = dirs[0];
  options.html_path = html.value_or(options.run_dir + "/report.html");
  return options;
}

nlohmann::json read_json_object(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError("cannot read " + path + ": " + std::strerror(errno));
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix: the rest says where and what.
    std::string what = e.what();
    std::size_t cut = what.find("] ");
    throw InputError(path + " is not valid JSON: " + (cut == std::string::npos ? what : what.substr(cut + 2)));
  }
  if (!value.is_object()) throw InputError(path + ": expected a JSON object at the top level, found " +
                                           std::string(value.type_name()));
  return value;
}

}  // namespace

// Renders the run's report and writes it to RUN_DIR/report.html, atomically.
// `sluice run` calls this with the summary and series it has just written.
void write_run_report(const std::string& run_dir, const nlohmann::json& summary, const nlohmann::json& series) {
  write_file_atomically(run_dir + "/report.html", render_run_report(summary, series));
}

int report_command(int argc, char** argv) {
  ReportOptions options;
  try {
    options = parse(argc, argv);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "sluice report: %s\n%s", e.what(), kUsage);
    return 2;
  }
  nlohmann::json summary, series;
  try {
    summary = read_json_object(options.run_dir + "/summary.json");
    series = read_json_object(options.run_dir + "/series.json");
  } catch (const InputError& e) {
    std::fprintf(stderr, "sluice report: %s\n", e.what());
    return 2;
  }
  std::string html = render_run_report(summary, series);
  write_file_atomically(options.html_path, html);
  std::printf("report      %s (%.0f KiB)\n", options.html_path.c_str(), static_cast<double>(html.size()) / 1024);
  if (options.junit_path) {
    write_file_atomically(*options.junit_path, render_junit(summary));
    std::printf("junit       %s\n", options.junit_path->c_str());
  }
  // The exit status follows the contract of every subcommand: 1 when the run
  // that is reported failed an expectation, so CI can gate on `sluice report`.
  auto ok = summary.find("ok");
  return ok != summary.end() && ok->is_boolean() && !ok->get<bool>() ? 1 : 0;
}

}  // namespace sluice
