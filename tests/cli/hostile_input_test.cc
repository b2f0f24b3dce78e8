// `sluice validate` against hostile scenario files of the largest size the
// loader accepts (16 MiB), one per shape that once cost hours or gigabytes.
// Each runs as a child process whose wall time and peak memory (wait4's
// rusage) are asserted: validation is near-linear in the file size and its
// memory a small multiple of it, and a bad file is still exit 2 with the
// file, the JSON Pointer and what is wrong on one short line.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "sim/scenario/json_reader.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kFileBytes = kMaxScenarioFileBytes;  // 16 MiB, the most the loader reads
constexpr long kMaxPeakKiB = 256 * 1024;                  // 256 MiB
// "Within seconds": the slowest shape took 5 to 12 s in the -O1 test build
// on a 2-core machine shared by several builds.
constexpr double kMaxSeconds = 30;

struct Outcome {
  int exit_code = -1;
  double seconds = 0;
  long peak_kib = 0;  // ru_maxrss
  std::string output;  // stdout and stderr
};

// Runs `sluice validate FILE` with its output in a file, killing it after a
// minute so a regression fails the test instead of hanging it.
Outcome validate(const fs::path& file) {
  const fs::path log = fs::temp_directory_path() / ("sluice-hostile-" + std::to_string(::getpid()) + ".log");
  const auto start = std::chrono::steady_clock::now();
  const pid_t child = ::fork();
  if (child == 0) {
    std::FILE* out = std::freopen(log.c_str(), "w", stdout);
    if (out == nullptr || ::dup2(::fileno(stdout), 2) < 0) ::_exit(127);
#if !defined(__SANITIZE_ADDRESS__)
    // A backstop: before the fix one of these files grew past 24 GB.
    const rlimit limit{4UL << 30, 4UL << 30};
    ::setrlimit(RLIMIT_AS, &limit);
#endif
    ::execl(SLUICE_BIN, SLUICE_BIN, "validate", file.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  Outcome outcome;
  int status = 0;
  rusage usage{};
  for (;;) {
    const pid_t done = ::wait4(child, &status, WNOHANG, &usage);
    if (done == child) break;
    if (std::chrono::steady_clock::now() - start > std::chrono::seconds(60)) ::kill(child, SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  outcome.peak_kib = usage.ru_maxrss;
  std::ifstream in(log, std::ios::binary);
  outcome.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  fs::remove(log);
  return outcome;
}

// `head`, then `item` (each followed by `separator`) until the file is
// nearly kFileBytes, then `tail`.
std::string fill(const std::string& head, const std::string& item, const std::string& separator,
                 const std::string& tail) {
  std::string text = head;
  const std::size_t room = kFileBytes - head.size() - tail.size();
  const std::size_t count = room / (item.size() + separator.size());
  text.reserve(kFileBytes);
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) text += separator;
    text += item;
  }
  return text + tail;
}

class HostileInput : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-hostile-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write_file(const fs::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary);
    out << text;
    return file;
  }
  fs::path write(const std::string& name, const std::string& text) { return write_file(dir_ / name, text); }

  // Validates `file` and checks the limits and, for a bad file, the message.
  Outcome expect_within_limits(const fs::path& file, int expected_exit) {
    EXPECT_GT(fs::file_size(file), kFileBytes - 4096);
    EXPECT_LE(fs::file_size(file), kFileBytes);
    const Outcome outcome = validate(file);
    EXPECT_EQ(outcome.exit_code, expected_exit) << outcome.output.substr(0, 2000);
    EXPECT_LT(outcome.seconds, kMaxSeconds);
    EXPECT_LT(outcome.peak_kib, kMaxPeakKiB);
    std::printf("[ figures  ] %s: %.2f s, peak %ld MiB\n", file.filename().c_str(), outcome.seconds,
                outcome.peak_kib / 1024);
    if (expected_exit == 2) expect_one_short_line(outcome.output);
    return outcome;
  }

  // One line, at most a kilobyte, printable ASCII (these inputs are ASCII,
  // and the loader escapes every control byte), naming the file.
  static void expect_one_short_line(const std::string& output) {
    ASSERT_FALSE(output.empty());
    EXPECT_EQ(output.find('\n'), output.size() - 1) << output.substr(0, 2000);
    EXPECT_LE(output.size(), 1024u) << output.substr(0, 2000);
    for (unsigned char c : output.substr(0, output.size() - 1)) {
      EXPECT_TRUE(c >= 0x20 && c < 0x7F) << "byte " << int(c) << " in " << output.substr(0, 2000);
      if (!(c >= 0x20 && c < 0x7F)) break;
    }
    EXPECT_NE(output.find(".json: /"), std::string::npos) << output;
  }

  fs::path dir_;
};

TEST_F(HostileInput, HugeArrayOfShortNumbersStopsAtTheValueLimit) {
  const Outcome outcome = expect_within_limits(write("numbers.json", fill("{\"name\": \"t\", \"sources\": [", "1", ",", "]}")), 2);
  EXPECT_NE(outcome.output.find("numbers.json: /sources: the file holds more than 1000000 JSON values"), std::string::npos)
      << outcome.output;
}

// Below the value limit, the array reaches the loader, which must report
// element 0 without first making a reader for every element.
TEST_F(HostileInput, HugeArrayOfLongNumbersReportsTheFirstElement) {
  const Outcome outcome =
      expect_within_limits(write("long_numbers.json", fill("{\"name\": \"t\", \"sources\": [", "1234567890123456", ",", "]}")), 2);
  EXPECT_NE(outcome.output.find("long_numbers.json: /sources/0: expected an object, got number"), std::string::npos)
      << outcome.output;
}

TEST_F(HostileInput, HugeArrayOfObjectsStopsAtTheValueLimit) {
  const Outcome outcome =
      expect_within_limits(write("objects.json", fill("{\"name\": \"t\", \"sources\": [", "{\"a\":1}", ",", "]}")), 2);
  EXPECT_NE(outcome.output.find("more than 1000000 JSON values"), std::string::npos) << outcome.output;
}

TEST_F(HostileInput, HugeArrayOfObjectsBelowTheLimitReportsTheFirstElement) {
  const std::string item = "{\"id\": \"" + std::string(24, 'x') + "\"}";
  const Outcome outcome =
      expect_within_limits(write("big_objects.json", fill("{\"name\": \"t\", \"sources\": [", item, ",", "]}")), 2);
  EXPECT_NE(outcome.output.find("/sources/0: missing required field 'node'"), std::string::npos) << outcome.output;
}

TEST_F(HostileInput, DeepNestingStopsAtTheDepthLimit) {
  const std::size_t half = kFileBytes / 2 - 16;
  const std::string text = "{\"a\": " + std::string(half, '[') + std::string(half, ']') + "}";
  const Outcome outcome = expect_within_limits(write("deep.json", text), 2);
  EXPECT_NE(outcome.output.find("nesting deeper than 64 levels"), std::string::npos) << outcome.output;
}

// Control characters, NUL, newline and ESC in a key of 16 MiB and in a fault
// target: the message escapes and cuts both. (JSON text cannot hold invalid
// UTF-8, which the parser rejects; json_reader_test covers it in messages.)
TEST_F(HostileInput, HugeKeyOfControlBytesIsEscapedAndCut) {
  const std::string nasty = "\\u0000\\n\\u001b[31m\\r\\t";
  const Outcome outcome = expect_within_limits(write("key.json", fill("{\"name\": \"t\", \"", nasty, "", "\": 1}")), 2);
  EXPECT_NE(outcome.output.find("key.json: /\\u0000\\u000a\\u001b[31m\\u000d\\u0009"), std::string::npos)
      << outcome.output.substr(0, 2000);
  EXPECT_NE(outcome.output.find("unknown field '\\u0000\\u000a\\u001b[31m\\u000d\\u0009"), std::string::npos)
      << outcome.output.substr(0, 2000);
}

TEST_F(HostileInput, HugeFaultTargetOfControlBytesIsEscapedAndCut) {
  const std::string head = R"({"name": "t",
    "sources": [{"id": "src", "node": "n1", "count": 1, "arrival": {"dist": "constant", "value": "1ms"}, "to": "db"}],
    "sinks": [{"id": "db", "node": "n2"}],
    "faults": [{"at": "1s", "kind": "crash", "target": ")";
  const Outcome outcome = expect_within_limits(write("target.json", fill(head, "\\u0000\\n\\u001b", "", "\"}]}")), 2);
  EXPECT_NE(outcome.output.find("/faults/0/target: no node named '\\u0000\\u000a\\u001b\\u0000"), std::string::npos)
      << outcome.output.substr(0, 2000);
}

// Per-node disk settings are read before the node names are checked: one
// object per node, each a copy of the defaults, must stay within bounds.
TEST_F(HostileInput, ManyDiskNodesStayWithinBounds) {
  std::string text = R"({"name": "t",
    "sources": [{"id": "src", "node": "n1", "count": 1, "arrival": {"dist": "constant", "value": "1ms"}, "to": "db"}],
    "sinks": [{"id": "db", "node": "n2"}],
    "disks": {"nodes": {)";
  const std::string tail = "}}}";
  char key[64];
  for (std::size_t i = 0;; ++i) {
    std::snprintf(key, sizeof key, "%s\"node-%030zu\": {}", i ? "," : "", i);
    if (text.size() + std::strlen(key) + tail.size() > kFileBytes) break;
    text += key;
  }
  const Outcome outcome = expect_within_limits(write("disks.json", text + tail), 2);
  EXPECT_NE(outcome.output.find("/disks/nodes/node-000000000000000000000000000000: no node named"), std::string::npos)
      << outcome.output;
}

// 40 stages of 1,024 workers, and swarm targets naming those workers until
// the file is full: every reference is checked, and the file is valid.
std::string many_workers_scenario(std::size_t target_count_max) {
  const auto worker = [](int stage, int w) {
    char name[32];  // long enough that a full file stays under the value limit
    std::snprintf(name, sizeof name, "stage-%02d-worker-%04d", stage, w);
    return std::string(name);
  };
  std::string text = R"({"name": "many", "run": {"faults_end": "10s"},
    "sources": [{"id": "src", "node": "edge", "count": 1, "arrival": {"dist": "constant", "value": "1ms"}, "to": "b0"}],
    "buffers": [)";
  for (int s = 0; s < 40; ++s) text += (s ? "," : "") + ("{\"id\": \"b" + std::to_string(s) + "\", \"node\": \"edge\", \"capacity\": 10}");
  text += "], \"stages\": [";
  for (int s = 0; s < 40; ++s) {
    text += s ? "," : "";
    text += "{\"id\": \"st" + std::to_string(s) + "\", \"from\": \"b" + std::to_string(s) + "\", \"to\": \"" +
            (s == 39 ? std::string("db") : "b" + std::to_string(s + 1)) +
            "\", \"service_time\": {\"dist\": \"constant\", \"value\": \"1ms\"}, \"workers\": [";
    for (int w = 0; w < 1024; ++w) text += (w ? ",\"" : "\"") + worker(s, w) + "\"";
    text += "]}";
  }
  text += R"(], "sinks": [{"id": "db", "node": "edge"}], "swarm": {"kinds": ["crash"], "rate": 0.1, "targets": [)";
  const std::string tail = "]}}";
  for (std::size_t i = 0; i < target_count_max; ++i) {
    const std::string next = (i ? ",\"" : "\"") + worker(static_cast<int>(i / 1024 % 40), static_cast<int>(i % 1024)) + "\"";
    if (text.size() + next.size() + tail.size() > kFileBytes) break;
    text += next;
  }
  return text + tail;
}

TEST_F(HostileInput, ManyStagesWorkersAndTargetsValidateInLinearTime) {
  const Outcome outcome = expect_within_limits(write("many.json", many_workers_scenario(SIZE_MAX)), 0);
  EXPECT_NE(outcome.output.find("ok (many: 1 sources, 40 buffers, 0 topics, 40 stages, 1 sinks"), std::string::npos)
      << outcome.output;
}

// The shape from the issue: 40 x 1,024 workers and 40,960 swarm targets
// took 23 s to validate with a linear scan per reference.
TEST_F(HostileInput, FortyThousandSwarmTargetsValidateQuickly) {
  const fs::path file = write("targets.json", many_workers_scenario(40'960));
  const Outcome outcome = validate(file);
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_LT(outcome.seconds, 5.0);
  std::printf("[ figures  ] 40 x 1024 workers, 40960 targets (%ju bytes): %.2f s, peak %ld MiB\n",
              static_cast<std::uintmax_t>(fs::file_size(file)), outcome.seconds, outcome.peak_kib / 1024);
}

// Before the fix every element reader copied the file name: with a folder
// path of about 2,800 characters, validate grew past 24 GB.
TEST_F(HostileInput, LongFolderPathDoesNotMultiplyMemory) {
  fs::path folder = dir_;
  while (folder.string().size() < 2800) folder /= std::string(200, 'd');
  fs::create_directories(folder);
  const fs::path file =
      write_file(folder / "long_path.json", fill("{\"name\": \"t\", \"sources\": [", "1234567890123456", ",", "]}"));
  ASSERT_GE(file.string().size(), 2800u);
  const Outcome outcome = expect_within_limits(file, 2);
  EXPECT_EQ(outcome.output.substr(0, 6), "...ddd") << outcome.output;  // the path keeps its tail
  EXPECT_NE(outcome.output.find("ddd/long_path.json: /sources/0: expected an object, got number"), std::string::npos)
      << outcome.output;
}

}  // namespace
}  // namespace sluice
