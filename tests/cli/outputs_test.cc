// Outputs and provenance as a user meets them: --help and --version, the
// provenance every output records, the trace header, footer and size bound,
// run --out cleanup, and output errors (unwritable directory, full disk).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/cli/help.h"
#include "sim/output/sha256.h"
#include "tests/cli/cli_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

std::string shipped(const std::string& relative) { return std::string(SLUICE_SOURCE_DIR) + "/scenarios/" + relative; }

class Outputs : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-outputs-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

std::vector<nlohmann::json> read_lines(const fs::path& path) {
  std::vector<nlohmann::json> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

TEST(Help, VersionNamesTheCommitAndBuildType) {
  std::string out;
  ASSERT_EQ(sluice("--version", &out), 0) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(^sluice \d+\.\d+ \(commit ([0-9a-f]{40}|unknown), \w+ build\))")))
      << out;
}

TEST(Help, EveryCommandDescribesEveryOption) {
  std::string overview;
  ASSERT_EQ(sluice("help", &overview), 0);
  for (const CommandHelp& help : command_helps()) {
    EXPECT_NE(overview.find("  " + help.name), std::string::npos) << help.name;
    if (help.name == "help" || help.name == "version") continue;
    std::string text, again;
    ASSERT_EQ(sluice(help.name + " --help", &text), 0) << help.name;
    ASSERT_EQ(sluice("help " + help.name, &again), 0) << help.name;
    EXPECT_EQ(text, again);
    EXPECT_NE(text.find("usage: sluice " + help.name), std::string::npos) << text;
    for (const OptionHelp& option : help.options) {
      EXPECT_NE(text.find("  " + option.flag), std::string::npos) << help.name << " " << option.flag << "\n" << text;
    }
  }
  // The run and sweep options the CLI reads are all listed (Args refuses unlisted ones).
  const CommandHelp* run = find_command_help("run");
  for (const char* flag : {"--seed", "--out", "--trace", "--perfetto", "--trace-max", "--strategy",
                           "--check-determinism"}) {
    EXPECT_TRUE(describes_option(*run, flag)) << flag;
  }
  EXPECT_FALSE(describes_option(*run, "--no-such-flag"));
  std::string out;
  EXPECT_EQ(sluice("help nosuchcommand", &out), 2);
  EXPECT_NE(out.find("unknown command 'nosuchcommand'"), std::string::npos) << out;
}

TEST_F(Outputs, EveryOutputRecordsTheBinaryAndTheScenarioHash) {
  std::string file = shipped("basics/drop_newest.json");
  std::string digest = sha256_file(file);
  std::string out;
  ASSERT_EQ(sluice("run " + file + " --trace --out " + (dir_ / "run").string(), &out), 0) << out;
  nlohmann::json summary = read_json(dir_ / "run" / "summary.json");
  nlohmann::json provenance = summary["provenance"];
  EXPECT_EQ(provenance["scenario_sha256"], digest);
  for (const char* key : {"sluice_version", "commit", "build_type"}) {
    ASSERT_TRUE(provenance[key].is_string()) << key;
    EXPECT_FALSE(provenance[key].get<std::string>().empty()) << key;
  }
  std::string version;
  sluice("--version", &version);
  EXPECT_NE(version.find(provenance["commit"].get<std::string>()), std::string::npos) << version;

  // The trace: a header naming the run first, a footer with its trace_hash last.
  std::vector<nlohmann::json> trace = read_lines(dir_ / "run" / "trace.jsonl");
  ASSERT_GE(trace.size(), 3u);
  EXPECT_EQ(trace.front()["kind"], "header");
  EXPECT_EQ(trace.front()["scenario"], summary["scenario"]);
  EXPECT_EQ(trace.front()["seed"], summary["seed"]);
  EXPECT_EQ(trace.front()["provenance"], provenance);
  EXPECT_EQ(trace.back()["kind"], "footer");
  EXPECT_EQ(trace.back()["trace_hash"], summary["trace_hash"]);
  EXPECT_EQ(trace.back()["truncated"], false);

  std::string report = read_text(dir_ / "run" / "report.html");
  EXPECT_NE(report.find(digest), std::string::npos);
  ASSERT_EQ(sluice("report " + (dir_ / "run").string() + " --junit " + (dir_ / "run.xml").string()), 0);
  std::string junit = read_text(dir_ / "run.xml");
  EXPECT_NE(junit.find("<property name=\"scenario_sha256\" value=\"" + digest + "\"/>"), std::string::npos) << junit;
  EXPECT_NE(junit.find("<property name=\"commit\""), std::string::npos);

  ASSERT_EQ(sluice("sweep " + file + " --seeds 1..3 --jobs 1 --out " + (dir_ / "sweep").string() + " --junit " +
                   (dir_ / "sweep.xml").string()), 0);
  nlohmann::json sweep = read_json(dir_ / "sweep" / "sweep.json");
  EXPECT_EQ(sweep["provenance"], provenance);
  EXPECT_NE(read_text(dir_ / "sweep" / "sweep.html").find(digest), std::string::npos);
  EXPECT_NE(read_text(dir_ / "sweep.xml").find("value=\"" + digest + "\""), std::string::npos);

  // The hash is of the file's bytes: one more byte, another hash.
  fs::path copy = dir_ / "copy.json";
  fs::copy_file(file, copy);
  std::ofstream(copy, std::ios::app) << "\n";
  ASSERT_EQ(sluice("run " + copy.string() + " --out " + (dir_ / "copy").string()), 0);
  EXPECT_NE(read_json(dir_ / "copy" / "summary.json")["provenance"]["scenario_sha256"], digest);
}

TEST_F(Outputs, RunOutLeavesOnlyThisRunsFiles) {
  std::string file = shipped("basics/drop_newest.json");
  fs::path out = dir_ / "run";
  ASSERT_EQ(sluice("run " + file + " --trace --perfetto --out " + out.string()), 0);
  ASSERT_TRUE(fs::exists(out / "trace.jsonl"));
  ASSERT_TRUE(fs::exists(out / "trace.perfetto.json"));
  std::string text;
  ASSERT_EQ(sluice("run " + file + " --seed 9 --out " + out.string(), &text), 0) << text;
  EXPECT_FALSE(fs::exists(out / "trace.jsonl"));
  EXPECT_FALSE(fs::exists(out / "trace.perfetto.json"));
  EXPECT_NE(text.find("removed trace.jsonl"), std::string::npos) << text;
  EXPECT_EQ(read_json(out / "summary.json")["seed"], 9);
  // A user's own file in the directory is left alone.
  std::ofstream(out / "notes.txt") << "mine";
  ASSERT_EQ(sluice("run " + file + " --out " + out.string()), 0);
  EXPECT_TRUE(fs::exists(out / "notes.txt"));
}

TEST_F(Outputs, TracesStopAtTheirSizeBoundWithARecordSayingSo) {
  std::string file = shipped("basics/slow_consumer.json");
  fs::path out = dir_ / "run";
  std::string text;
  ASSERT_EQ(sluice("run " + file + " --trace --perfetto --trace-max 64KiB --out " + out.string(), &text), 0) << text;
  std::uintmax_t bound = 64 * 1024;
  EXPECT_LE(fs::file_size(out / "trace.jsonl"), bound + 1024);  // one record and the footer past the bound
  EXPECT_GE(fs::file_size(out / "trace.jsonl"), bound);
  std::vector<nlohmann::json> trace = read_lines(out / "trace.jsonl");
  ASSERT_GE(trace.size(), 3u);
  EXPECT_EQ(trace[trace.size() - 2]["kind"], "truncated");
  EXPECT_EQ(trace[trace.size() - 2]["max_bytes"], bound);
  EXPECT_EQ(trace.back()["kind"], "footer");
  EXPECT_EQ(trace.back()["truncated"], true);
  nlohmann::json summary = read_json(out / "summary.json");
  EXPECT_EQ(summary["trace_truncated"], true);
  EXPECT_EQ(trace.back()["trace_hash"], summary["trace_hash"]);  // the run itself went on to its end
  // The Perfetto file stays valid JSON and says where it stopped.
  EXPECT_LE(fs::file_size(out / "trace.perfetto.json"), bound + 1024);
  nlohmann::json perfetto = read_json(out / "trace.perfetto.json");
  EXPECT_NE(perfetto["traceEvents"].back()["name"].get<std::string>().find("trace truncated"), std::string::npos);
  EXPECT_EQ(summary["perfetto_truncated"], true);

  // Without the bound, the same run's trace is larger and whole.
  ASSERT_EQ(sluice("run " + file + " --trace --out " + (dir_ / "whole").string()), 0);
  EXPECT_GT(fs::file_size(dir_ / "whole" / "trace.jsonl"), 2 * bound);
  EXPECT_EQ(read_json(dir_ / "whole" / "summary.json").count("trace_truncated"), 0u);
  EXPECT_EQ(sluice("run " + file + " --trace-max lots"), 2);
}

TEST_F(Outputs, AnUnwritableOutputDirectoryIsExitTwo) {
  fs::path blocker = dir_ / "a-file";
  std::ofstream(blocker) << "x";
  std::string text;
  EXPECT_EQ(sluice("run " + shipped("basics/mm1.json") + " --out " + (blocker / "run").string(), &text), 2);
  EXPECT_NE(text.find("cannot create output directory " + (blocker / "run").string()), std::string::npos) << text;
  EXPECT_EQ(sluice("sweep " + shipped("basics/mm1.json") + " --seeds 1..2 --out " + (blocker / "s").string(), &text),
            2);
  EXPECT_NE(text.find("cannot create output directory"), std::string::npos) << text;
}

// A full disk, without mount rights: the file size limit (ulimit -f) makes a
// write past 64 KiB fail with EFBIG, as a full disk fails it with ENOSPC.
TEST_F(Outputs, AFullDiskIsExitTwoAndLeavesNoHalfWrittenTrace) {
  fs::path out = dir_ / "run";
  std::string text;
  int status = sluice_shell("trap '' XFSZ; ulimit -f 64; exec " + std::string(SLUICE_BIN) + " run " +
                                shipped("basics/slow_consumer.json") + " --trace --out " + out.string(),
                            &text);
  EXPECT_EQ(status, 2) << text;
  EXPECT_NE(text.find("cannot write " + (out / "trace.jsonl").string()), std::string::npos) << text;
  EXPECT_NE(text.find("File too large"), std::string::npos) << text;
  EXPECT_EQ(text.find("terminate"), std::string::npos) << text;
  for (const auto& entry : fs::directory_iterator(out)) {
    std::string name = entry.path().filename().string();
    EXPECT_EQ(name.find("trace.jsonl"), std::string::npos) << name;  // neither the file nor its temporary
    EXPECT_NE(name, "summary.json");
  }
}

}  // namespace
}  // namespace sluice
