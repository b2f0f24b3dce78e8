// `sweep --explore guided` and `--defect` from the command line: the failure
// is written as a scenario file whose repro line reruns it, sweep.json and
// sweep.html record the exploration, and bad input is exit 2.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include "tests/cli/cli_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

TEST(CliExplore, FindsAnInjectedDefectAndItsReproFileReproducesIt) {
  const std::string file = scenario("scenarios/guarantees/sweep_at_least_once.json");
  fs::path out = fresh_dir("explore-test", "guided");
  std::string output;
  ASSERT_EQ(sluice("sweep " + file + " --explore guided --runs 64 --defect commit_before_process --jobs 2 --out " +
                       out.string(), &output), 1) << output;
  const nlohmann::json sweep = read_json(out / "sweep.json");
  EXPECT_EQ(sweep["mode"], "guided");
  EXPECT_EQ(sweep["defects"], nlohmann::json({"commit_before_process"}));
  ASSERT_TRUE(sweep.contains("first_failure")) << sweep.dump();
  EXPECT_EQ(sweep["runs_done"], sweep["first_failure"]["run"]);
  EXPECT_FALSE(sweep["never_reached"].empty());
  const std::string repro = sweep["first_failure"]["repro"];
  EXPECT_NE(output.find(repro), std::string::npos) << output;
  // The repro line, as printed: "sluice run FILE --seed S".
  ASSERT_EQ(repro.rfind("sluice run ", 0), 0u) << repro;
  std::string rerun;
  EXPECT_EQ(sluice(repro.substr(std::string("sluice ").size()) + " --out " + (out / "rerun").string(), &rerun), 1) << rerun;
  EXPECT_NE(rerun.find(sweep["first_failure"]["first"].get<std::string>()), std::string::npos) << rerun;
  const std::string html = read_text(out / "sweep.html");
  EXPECT_NE(html.find("Coverage over runs"), std::string::npos);
  EXPECT_NE(html.find("Never reached"), std::string::npos);
}

TEST(CliExplore, SweepRecordsCoverageAndCarriesTheDefectInRepros) {
  const std::string file = scenario("scenarios/guarantees/sweep_at_least_once.json");
  fs::path out = fresh_dir("explore-test", "sweep");
  std::string output;
  ASSERT_EQ(sluice("sweep " + file + " --seeds 1..4 --jobs 2 --defect commit_before_process --out " + out.string(), &output), 1)
      << output;
  const nlohmann::json sweep = read_json(out / "sweep.json");
  for (const nlohmann::json& seed : sweep["seeds"]) {
    EXPECT_FALSE(seed["coverage"].empty()) << seed.dump();
    EXPECT_NE(seed["repro"].get<std::string>().find(" --defect commit_before_process"), std::string::npos);
  }
}

TEST(CliExplore, BadInputIsExitTwo) {
  const std::string file = scenario("scenarios/guarantees/sweep_at_least_once.json");
  std::string output;
  EXPECT_EQ(sluice("sweep " + file + " --explore blind --runs 4", &output), 2);
  EXPECT_NE(output.find("--explore takes 'guided'"), std::string::npos) << output;
  EXPECT_EQ(sluice("sweep " + file + " --explore guided --seeds 1..4", &output), 2);
  EXPECT_EQ(sluice("sweep " + file + " --explore guided --runs 0", &output), 2);
  EXPECT_EQ(sluice("run " + file + " --defect no_such_defect", &output), 2);
  EXPECT_NE(output.find("unknown defect 'no_such_defect'"), std::string::npos) << output;
  EXPECT_EQ(sluice("shrink " + file + " --seed 1 --defect skip_dedupe", &output), 2);
  EXPECT_NE(output.find("did you mean 'skip_dedup'"), std::string::npos) << output;
}

}  // namespace
}  // namespace sluice
