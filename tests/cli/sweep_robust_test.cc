// Sweeps that survive their users: an interrupt keeps the finished seeds,
// memory does not grow with the seed range, --merge checks the shards cover
// the range exactly once, a file that is not a sweep result is a plain exit 2,
// and the sweep says which fault kinds and points its seeds exercised.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

std::string shipped(const std::string& relative) { return std::string(SLUICE_SOURCE_DIR) + "/scenarios/" + relative; }

class SweepRobust : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-sweep-robust-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// A sluice process the test can signal: stdout and stderr go to a file.
struct Child {
  pid_t pid = -1;
  int status = 0;
  rusage usage{};
};

Child start(const std::vector<std::string>& args, const fs::path& log) {
  Child child;
  child.pid = ::fork();
  if (child.pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<char*> argv;
    std::string bin = SLUICE_BIN;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  return child;
}

void wait_for(Child& child) { ::wait4(child.pid, &child.status, 0, &child.usage); }

// Seeds whose records the sweep has streamed to its temporary sweep.json.
std::size_t streamed_seeds(const fs::path& out) {
  std::size_t seeds = 0;
  if (!fs::exists(out)) return 0;
  for (const auto& entry : fs::directory_iterator(out)) {
    if (entry.path().filename().string().rfind("sweep.json.tmp", 0) != 0) continue;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) seeds += line.rfind("{\"events\"", 0) == 0;
  }
  return seeds;
}

// Starts a long sweep, waits until `seeds` finished, and sends `signo`.
Child interrupt_after(const std::vector<std::string>& args, const fs::path& out, const fs::path& log,
                      std::size_t seeds, int signo) {
  Child child = start(args, log);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (streamed_seeds(out) < seeds && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(child.pid, signo);
  wait_for(child);
  return child;
}

void expect_interrupted_sweep(const fs::path& out, std::uint64_t total) {
  nlohmann::json sweep = read_json(out / "sweep.json");
  EXPECT_EQ(sweep["interrupted"], true);
  EXPECT_EQ(sweep["ok"], false);
  std::uint64_t run = sweep["seeds_run"];
  EXPECT_GE(run, 3u);
  EXPECT_LT(run, total);
  ASSERT_EQ(sweep["seeds"].size(), run);
  for (std::uint64_t i = 0; i < run; ++i) EXPECT_EQ(sweep["seeds"][i]["seed"], i + 1);  // the finished prefix, in order
  EXPECT_TRUE(fs::exists(out / "sweep.html"));
  for (const auto& entry : fs::directory_iterator(out)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
  }
}

TEST_F(SweepRobust, SigintKeepsTheFinishedSeedsAndExits130) {
  fs::path out = dir_ / "int";
  fs::path junit = dir_ / "int.xml";
  Child child = interrupt_after({"sweep", shipped("bench/tandem.json"), "--seeds", "1..100000", "--jobs", "2",
                                 "--out", out.string(), "--junit", junit.string()},
                                out, dir_ / "int.log", 3, SIGINT);
  ASSERT_TRUE(WIFEXITED(child.status)) << read_text(dir_ / "int.log");
  EXPECT_EQ(WEXITSTATUS(child.status), 130) << read_text(dir_ / "int.log");
  expect_interrupted_sweep(out, 100000);
  EXPECT_NE(read_text(dir_ / "int.log").find("interrupted by SIGINT"), std::string::npos);
  std::string xml = read_text(junit);
  EXPECT_NE(xml.find("<property name=\"interrupted\" value=\"true\"/>"), std::string::npos);
  EXPECT_NE(xml.find("classname=\"sluice.tandem.seed3\""), std::string::npos) << xml.substr(0, 2000);
  EXPECT_EQ(xml.rfind("</testsuites>\n"), xml.size() - 14);
}

TEST_F(SweepRobust, SigtermKeepsTheFinishedSeedsAndExits143) {
  fs::path out = dir_ / "term";
  Child child = interrupt_after({"sweep", shipped("bench/tandem.json"), "--seeds", "1..100000", "--jobs", "1",
                                 "--out", out.string()},
                                out, dir_ / "term.log", 3, SIGTERM);
  ASSERT_TRUE(WIFEXITED(child.status)) << read_text(dir_ / "term.log");
  EXPECT_EQ(WEXITSTATUS(child.status), 143) << read_text(dir_ / "term.log");
  expect_interrupted_sweep(out, 100000);
}

// Ten million seeds: nothing is allocated per seed before the first runs.
TEST_F(SweepRobust, MemoryDoesNotGrowWithTheSeedRange) {
  fs::path out = dir_ / "huge";
  Child child = interrupt_after({"sweep", shipped("basics/mm1.json"), "--seeds", "1..10000000", "--jobs", "1",
                                 "--out", out.string()},
                                out, dir_ / "huge.log", 3, SIGINT);
  EXPECT_EQ(WEXITSTATUS(child.status), 130) << read_text(dir_ / "huge.log");
  long max_rss_mib = child.usage.ru_maxrss / 1024;
  EXPECT_LT(max_rss_mib, 200) << "a sweep of 10^7 seeds peaked at " << max_rss_mib << " MiB";
  expect_interrupted_sweep(out, 10000000);
}

class Shards : public SweepRobust {
 protected:
  void SetUp() override {
    SweepRobust::SetUp();
    for (int i = 0; i < 3; ++i) {
      fs::path out = dir_ / ("shard" + std::to_string(i));
      ASSERT_EQ(sluice("sweep " + file_ + " --seeds 1..9 --jobs 1 --shard " + std::to_string(i) + "/3 --out " +
                       out.string()),
                0);
      shards_.push_back((out / "sweep.json").string());
    }
  }
  int merge(const std::vector<std::string>& files, std::string* text) {
    std::string args = "sweep --merge";
    for (const std::string& f : files) args += " " + f;
    return sluice(args + " --out " + (dir_ / "merged").string(), text);
  }
  std::string file_ = shipped("basics/mm1.json");
  std::vector<std::string> shards_;
};

TEST_F(Shards, AllShardsMergeIntoTheWholeRange) {
  std::string text;
  ASSERT_EQ(merge(shards_, &text), 0) << text;
  nlohmann::json merged = read_json(dir_ / "merged" / "sweep.json");
  EXPECT_EQ(merged["seeds_run"], 9);
  for (int i = 0; i < 9; ++i) EXPECT_EQ(merged["seeds"][i]["seed"], i + 1);
}

TEST_F(Shards, AMissingShardIsExitTwoNamingIt) {
  std::string text;
  EXPECT_EQ(merge({shards_[0], shards_[2]}, &text), 2);
  EXPECT_NE(text.find("shard 1/3 of seeds 1..9 is missing"), std::string::npos) << text;
  EXPECT_FALSE(fs::exists(dir_ / "merged" / "sweep.json"));
}

TEST_F(Shards, ADuplicatedShardIsExitTwoNamingIt) {
  std::string text;
  fs::path copy = dir_ / "copy.json";
  fs::copy_file(shards_[1], copy);
  EXPECT_EQ(merge({shards_[0], shards_[1], shards_[2], copy.string()}, &text), 2);
  EXPECT_NE(text.find("shard 1/3 is given twice: " + shards_[1] + " and " + copy.string()), std::string::npos) << text;
}

TEST_F(Shards, ShardsOfAnotherRangeOrAnEditedShardAreExitTwo) {
  std::string text;
  ASSERT_EQ(sluice("sweep " + file_ + " --seeds 1..12 --jobs 1 --shard 1/3 --out " + (dir_ / "other").string()), 0);
  EXPECT_EQ(merge({shards_[0], (dir_ / "other" / "sweep.json").string(), shards_[2]}, &text), 2);
  EXPECT_NE(text.find("shards of different sweeps"), std::string::npos) << text;
  // A shard missing one of its seeds.
  nlohmann::json edited = read_json(shards_[1]);
  edited["seeds"].erase(edited["seeds"].begin());
  std::ofstream(shards_[1]) << edited.dump();
  EXPECT_EQ(merge(shards_, &text), 2);
  EXPECT_NE(text.find("holds 2 seeds, but its share of 1..9 is 3"), std::string::npos) << text;
}

TEST_F(Shards, AFileThatIsNotASweepResultIsAPlainExitTwo) {
  std::string text;
  ASSERT_EQ(sluice("run " + file_ + " --out " + (dir_ / "run").string()), 0);
  EXPECT_EQ(merge({(dir_ / "run" / "summary.json").string()}, &text), 2);
  EXPECT_NE(text.find("summary.json is not a sweep result: it has no \"seeds\" list"), std::string::npos) << text;
  fs::path garbage = dir_ / "garbage.json";
  std::ofstream(garbage) << "{\"seeds\": [1, 2";
  EXPECT_EQ(merge({garbage.string()}, &text), 2);
  EXPECT_NE(text.find("garbage.json is not a sweep result: it is not JSON"), std::string::npos) << text;
  std::string bad = read_text(shards_[0]);
  bad.replace(bad.find("\"ok\":"), 5, "\"ok\":7,\"x\":");
  std::ofstream(garbage) << bad;
  EXPECT_EQ(merge({garbage.string()}, &text), 2);
  EXPECT_NE(text.find("/seeds/0/ok is not true or false"), std::string::npos) << text;
  for (const char* raw : {"json.exception", "what()", "terminate"}) EXPECT_EQ(text.find(raw), std::string::npos) << text;
}

TEST_F(SweepRobust, RecordsTheFaultKindsAndPointsEachSeedExercised) {
  fs::path out = dir_ / "swarm";
  ASSERT_NE(sluice("sweep " + shipped("faults/swarm.json") + " --seeds 1..12 --jobs 2 --out " + out.string()), 2);
  nlohmann::json sweep = read_json(out / "sweep.json");
  std::map<std::string, std::uint64_t> enabled, begun;
  for (const nlohmann::json& seed : sweep["seeds"]) {
    ASSERT_TRUE(seed["faults"]["enabled"].is_array()) << seed.dump();
    EXPECT_FALSE(seed["faults"]["enabled"].empty()) << "a swarm seed enables at least one kind";
    for (const auto& kind : seed["faults"]["enabled"]) ++enabled[kind.get<std::string>()];
    for (const auto& [kind, n] : seed["faults"]["kinds"].items()) {
      begun[kind] += n.get<std::uint64_t>();
      // A fault that began is of a kind the seed enabled.
      EXPECT_NE(std::find(seed["faults"]["enabled"].begin(), seed["faults"]["enabled"].end(), kind),
                seed["faults"]["enabled"].end()) << seed.dump();
    }
  }
  const nlohmann::json& coverage = sweep["fault_coverage"];
  EXPECT_EQ(coverage["seeds"], 12);
  for (const auto& [kind, n] : enabled) EXPECT_EQ(coverage["kinds"][kind]["enabled"], n) << kind;
  for (const auto& [kind, n] : begun) EXPECT_EQ(coverage["kinds"][kind]["faults"], n) << kind;
  EXPECT_TRUE(coverage["points"].contains("before_snapshot"));  // listed even when no seed crashed there
  std::string html = read_text(out / "sweep.html");
  EXPECT_NE(html.find("Fault coverage"), std::string::npos);
  EXPECT_NE(html.find("<code>" + begun.begin()->first + "</code>"), std::string::npos);
}

}  // namespace
}  // namespace sluice
