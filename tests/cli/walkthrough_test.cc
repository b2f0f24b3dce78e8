// docs/walkthrough.md is run, not just read: every command in its ```sh
// blocks runs here, in order, from a directory that looks like the
// repository root, and must exit as the page says (0, or the N of a trailing
// "# exits N").
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/cli_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

struct DocCommand {
  std::string text;
  int exit_status = 0;
  int line = 0;
};

// The commands of the page's ```sh blocks, one per line, comments removed.
std::vector<DocCommand> commands_of(const std::string& markdown) {
  std::vector<DocCommand> out;
  std::istringstream in(markdown);
  std::string line;
  bool in_sh = false;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.rfind("```", 0) == 0) {
      in_sh = !in_sh && line == "```sh";
      continue;
    }
    if (!in_sh || line.empty() || line[0] == '#') continue;
    DocCommand c{line, 0, n};
    const std::size_t exits = line.find("# exits ");
    if (exits != std::string::npos) {
      c.exit_status = std::stoi(line.substr(exits + 8));
      c.text = line.substr(0, exits);
    }
    out.push_back(c);
  }
  return out;
}

TEST(Walkthrough, EveryCommandRunsAndExitsAsThePageSays) {
  const fs::path source = SLUICE_SOURCE_DIR;
  const std::vector<DocCommand> commands = commands_of(read_text(source / "docs" / "walkthrough.md"));
  ASSERT_GE(commands.size(), 10u) << "the walkthrough lost its commands";
  const fs::path dir = fs::temp_directory_path() / ("sluice-walkthrough-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::create_directory_symlink(source / "scenarios", dir / "scenarios");
  std::string path = fs::path(SLUICE_BIN).parent_path().string();
#ifdef SLUICE_VIZ_BIN
  path += ":" + fs::path(SLUICE_VIZ_BIN).parent_path().string();
#endif
  for (const DocCommand& c : commands) {
    SCOPED_TRACE("docs/walkthrough.md:" + std::to_string(c.line) + ": " + c.text);
#ifndef SLUICE_VIZ_BIN
    if (c.text.find("sluice-viz") != std::string::npos) {
      ADD_FAILURE() << "this build has no sluice-viz (see the visualizer's dependencies in the README)";
      continue;
    }
#endif
    std::string output;
    const int status = sluice_shell("cd '" + dir.string() + "' && PATH='" + path + "':\"$PATH\" && " + c.text, &output);
    EXPECT_EQ(status, c.exit_status) << output;
  }
  // What the page tells the reader to look at is there.
  for (const char* file : {"runs/walkthrough/orders/report.html", "runs/walkthrough/orders/trace.jsonl",
                           "runs/walkthrough/orders.png", "runs/walkthrough/faulted/summary.json",
                           "runs/walkthrough/perfetto/trace.perfetto.json", "runs/walkthrough/shrunk.json",
                           "runs/walkthrough/faulted-junit.xml", "runs/walkthrough/partitioned/summary.json"}) {
    EXPECT_TRUE(fs::exists(dir / file)) << file;
  }
  const nlohmann::json summary = read_json(dir / "runs/walkthrough/faulted/summary.json");
  const std::string why = summary["invariants"]["no_duplicate_effects"]["first"]["explanation"]["why"];
  EXPECT_NE(why.find("partition_one_way db -> w1"), std::string::npos) << why;
  fs::remove_all(dir);
}

// The README links the walkthrough, and the page's scenarios are shipped.
TEST(Walkthrough, IsLinkedAndItsScenariosAreShipped) {
  const fs::path source = SLUICE_SOURCE_DIR;
  EXPECT_NE(read_text(source / "README.md").find("(docs/walkthrough.md)"), std::string::npos);
  for (const char* file : {"orders.json", "orders_partitioned.json"}) {
    EXPECT_TRUE(fs::exists(source / "scenarios" / "walkthrough" / file)) << file;
  }
  // The page parses "# exits N" and skips everything outside ```sh blocks.
  const std::vector<DocCommand> parsed = commands_of("```text\nnot run\n```\n```sh\n# a comment\nsluice x  # exits 1\n```\n");
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0].text, "sluice x  ");
  EXPECT_EQ(parsed[0].exit_status, 1);
}

}  // namespace
}  // namespace sluice
