// Renders generated reports in headless Chromium: the charts must be in the
// DOM the browser built, the hover script must have run to its end, and a
// screenshot must succeed. Skipped when Chromium is not installed.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "reports/html_report.h"
#include "tests/reports/report_test_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

constexpr const char* kChromium = "/usr/bin/chromium";

class ChromiumRender : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kChromium)) {
      GTEST_SKIP() << "chromium not installed: apt-get install chromium to run this test";
    }
    dir_ = fs::temp_directory_path() / ("sluice_chromium_" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "profile");
  }
  void TearDown() override {
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }

  fs::path write(const std::string& name, const std::string& content) {
    fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  // Runs headless Chromium with `extra` flags on `page`; returns its exit status and stdout.
  std::pair<int, std::string> chromium(const std::string& extra, const fs::path& page) {
    std::string command = std::string("timeout 120 ") + kChromium +
                          " --headless --no-sandbox --disable-gpu --disable-background-networking"
                          " --disable-component-update --disable-sync --no-first-run --user-data-dir='" +
                          (dir_ / "profile").string() + "' " + extra + " 'file://" + page.string() +
                          "' 2>/dev/null";
    std::FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return {-1, ""};
    std::string out;
    std::array<char, 65536> buffer;
    std::size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
    int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
  }

  static std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  }

  fs::path dir_;
};

TEST_F(ChromiumRender, RunReportChartsAreInTheDom) {
  test::SyntheticRun r;
  r.queues = 3;
  r.with_faults = true;
  r.with_checkpoints = true;
  fs::path page = write("report.html", render_run_report(test::synthetic_summary(r), test::synthetic_series(r)));
  auto [status, dom] = chromium("--dump-dom", page);
  ASSERT_EQ(status, 0) << "chromium --dump-dom failed";
  // 3 depth charts, throughput, latency, busy fraction, sheds, and the topology.
  EXPECT_EQ(occurrences(dom, "<svg class=\"chart\""), 7u);
  EXPECT_EQ(occurrences(dom, "<svg class=\"topology\""), 1u);
  for (const char* title : {">Queue depth: q0<", ">Queue depth: q1<", ">Queue depth: q2<", ">Throughput<",
                            ">Latency percentiles<", ">Stage time: busy, blocked, idle<", ">Sheds<"}) {
    EXPECT_NE(dom.find(title), std::string::npos) << title;
  }
  EXPECT_NE(dom.find("class=\"badge pass\">PASS<"), std::string::npos);
  // The hover script ran to its end and found the six time charts.
  EXPECT_TRUE(std::regex_search(dom, std::regex("<html[^>]*data-hover-charts=\"6\"")))
      << dom.substr(0, 300);
}

TEST_F(ChromiumRender, SweepReportRenders) {
  fs::path page = write("sweep.html", render_sweep_report(test::synthetic_sweep(200)));
  auto [status, dom] = chromium("--dump-dom", page);
  ASSERT_EQ(status, 0) << "chromium --dump-dom failed";
  EXPECT_EQ(occurrences(dom, "<rect class=\"cell "), 200u);
  EXPECT_NE(dom.find(">p99 latency across seeds<"), std::string::npos);
  EXPECT_NE(dom.find(">Max depth across seeds: ingest<"), std::string::npos);
}

TEST_F(ChromiumRender, ScreenshotSucceeds) {
  test::SyntheticRun r;
  r.with_faults = true;
  fs::path page = write("report.html", render_run_report(test::synthetic_summary(r), test::synthetic_series(r)));
  fs::path png = dir_ / "x.png";
  auto [status, out] = chromium("--screenshot='" + png.string() + "' --window-size=1280,2400", page);
  ASSERT_EQ(status, 0) << "chromium --screenshot failed";
  ASSERT_TRUE(fs::exists(png));
  EXPECT_GT(fs::file_size(png), 10000u);
  std::ifstream in(png, std::ios::binary);
  std::string magic(8, '\0');
  in.read(magic.data(), 8);
  EXPECT_EQ(magic, std::string("\x89PNG\r\n\x1a\n", 8));
}

}  // namespace
}  // namespace sluice
