// End to end: record a run with the `sluice` binary, render it with
// `sluice-viz --screenshot` under xvfb-run, decode the PNG and check that the
// panels were drawn (not a blank or single-colour frame). Skipped, with the
// reason, when no X server can be started or it offers no OpenGL.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "visualizer/png_io.h"

namespace sluice::viz {
namespace {

namespace fs = std::filesystem;

constexpr int kWidth = 1600, kHeight = 1000;
// sluice-viz's exit status when it cannot open a window or an OpenGL context.
constexpr int kExitNoDisplay = 3;
#if SLUICE_SANITIZE
// The GL driver (Mesa, dlopen'ed and unloaded at exit) leaks a few hundred
// bytes that LeakSanitizer cannot attribute to a module to suppress; our own
// code is leak-checked by every other test.
const std::string kXvfb = "ASAN_OPTIONS=detect_leaks=0 xvfb-run -a -s '-screen 0 1600x1000x24' ";
#else
const std::string kXvfb = "xvfb-run -a -s '-screen 0 1600x1000x24' ";
#endif

int shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

class VizScreenshot : public ::testing::Test {
 protected:
  void SetUp() override {
    if (shell("command -v xvfb-run >/dev/null 2>&1") != 0) {
      GTEST_SKIP() << "xvfb-run not found: no display server to render into (install the xvfb package)";
    }
    if (shell(kXvfb + "true >/dev/null 2>&1") != 0) {
      GTEST_SKIP() << "xvfb-run could not start an X server here";
    }
    char pattern[] = "/tmp/viz_screenshot_test_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // Renders `input` at `at` into a PNG and decodes it; skips if the display has no OpenGL.
  // `extra`: more options, appended as they are.
  void render(const std::string& input, const std::string& at, Image& image, const std::string& extra = "") {
    const std::string png = dir_ + "/viz.png";
    const int status = shell(kXvfb + quote(SLUICE_VIZ_BIN) + " " + quote(input) + " --screenshot " + quote(png) +
                             " --at " + at + extra + " > " + quote(dir_ + "/viz.log") + " 2>&1");
    if (status == kExitNoDisplay) GTEST_SKIP() << "the X server started but offers no OpenGL 3.0 context";
    ASSERT_EQ(status, 0) << "sluice-viz failed; see its output in " << dir_ << "/viz.log";
    std::string error;
    ASSERT_TRUE(read_png(png, image, &error)) << error;
  }

  std::string dir_;
};

std::set<std::uint32_t> colours_in(const Image& image, int x0, int y0, int x1, int y1) {
  std::set<std::uint32_t> colours;
  for (int y = y0; y < y1; y += 2) {
    for (int x = x0; x < x1; x += 2) colours.insert(image.rgb(x, y));
  }
  return colours;
}

bool has_colour(const Image& image, std::uint32_t rgb) {
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      if (image.rgb(x, y) == rgb) return true;
    }
  }
  return false;
}

// Pixels of exactly `rgb` in a rectangle.
int count_colour(const Image& image, std::uint32_t rgb, int x0, int y0, int x1, int y1) {
  int n = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) n += image.rgb(x, y) == rgb ? 1 : 0;
  }
  return n;
}

// The timelines' region, where a replicas row is drawn in the stage colour
// (its gutter bar, its ready band) with green and orange decision marks.
constexpr int kTimelineX1 = 990, kTimelineY0 = 360, kTimelineY1 = 680;
constexpr std::uint32_t kStageRgb = 0xab82ff, kScaleUpRgb = 0x66bb6a, kScaleDownRgb = 0xffa726;

void expect_panels_drawn(const Image& image) {
  ASSERT_EQ(image.width, kWidth);
  ASSERT_EQ(image.height, kHeight);
  EXPECT_GT(colours_in(image, 0, 0, kWidth, kHeight).size(), 200u) << "too few colours: a blank frame?";
  // Every region of the tiled layout holds something: toolbar, topology,
  // timelines, event log, checks.
  const struct {
    const char* name;
    int x0, y0, x1, y1;
  } regions[] = {{"toolbar", 0, 0, kWidth, 80},
                 {"topology", 0, 90, kWidth, 320},
                 {"timelines", 0, 360, 990, 680},
                 {"event log", 0, 740, 990, kHeight},
                 {"checks", 1000, 360, kWidth, 800}};
  for (const auto& r : regions) {
    EXPECT_GT(colours_in(image, r.x0, r.y0, r.x1, r.y1).size(), 12u) << r.name << " looks empty";
  }
  // Solid fills only the panels draw: the cursor (yellow), a source's and a
  // stage's accent bars in the topology.
  EXPECT_TRUE(has_colour(image, 0xffd640)) << "no cursor drawn";
  EXPECT_TRUE(has_colour(image, 0x4f9bff)) << "no source drawn";
  EXPECT_TRUE(has_colour(image, 0xab82ff)) << "no stage drawn";
}

TEST_F(VizScreenshot, RendersARecordedRunWithItsTrace) {
  const std::string run = dir_ + "/run";
  const std::string scenario = SLUICE_SOURCE_DIR "/scenarios/basics/slow_consumer.json";
  const int status = shell(quote(SLUICE_BIN) + " run " + quote(scenario) + " --out " + quote(run) + " --trace > " +
                           quote(dir_ + "/sluice.log") + " 2>&1");
  ASSERT_TRUE(status == 0 || status == 1) << "sluice run failed (" << status << "); see " << dir_ << "/sluice.log";
  ASSERT_TRUE(fs::exists(run + "/summary.json"));
  ASSERT_TRUE(fs::exists(run + "/trace.jsonl"));
  Image image;
  render(run, "30s", image);
  if (IsSkipped() || HasFatalFailure()) return;
  expect_panels_drawn(image);
  // The event log's row at the cursor is highlighted with the cursor colour
  // blended over the panel: some pixel row in the log region carries it.
  bool highlighted = false;
  for (int y = 740; y < kHeight && !highlighted; ++y) {
    int dim_yellow = 0;
    for (int x = 0; x < 980; ++x) {
      const std::uint32_t c = image.rgb(x, y);
      const int r = c >> 16, g = (c >> 8) & 0xff, b = c & 0xff;
      dim_yellow += (r < 110 && r - b >= 15 && g - b >= 10) ? 1 : 0;
    }
    highlighted = dim_yellow > 500;  // a filled row, not text
  }
  EXPECT_TRUE(highlighted) << "the event log shows no row at the cursor";
  // Nothing autoscales here: no replicas row.
  EXPECT_EQ(count_colour(image, kStageRgb, 0, kTimelineY0, kTimelineX1, kTimelineY1), 0);
}

// Issue 18: an autoscaled stage gets a replicas row with its decisions marked.
TEST_F(VizScreenshot, RendersTheReplicasRowOfAScalingRun) {
  const std::string run = dir_ + "/run";
  const std::string scenario = SLUICE_SOURCE_DIR "/scenarios/scaling/hpa_flapping.json";
  const int status = shell(quote(SLUICE_BIN) + " run " + quote(scenario) + " --out " + quote(run) + " --trace > " +
                           quote(dir_ + "/sluice.log") + " 2>&1");
  ASSERT_TRUE(status == 0 || status == 1) << "sluice run failed (" << status << "); see " << dir_ << "/sluice.log";
  Image image;
  render(run, "75s", image);
  if (IsSkipped() || HasFatalFailure()) return;
  expect_panels_drawn(image);
  EXPECT_GT(count_colour(image, kStageRgb, 0, kTimelineY0, kTimelineX1, kTimelineY1), 100) << "no replicas row";
  // Ten scale-ups and five scale-ins, each a filled triangle.
  EXPECT_GT(count_colour(image, kScaleUpRgb, 0, kTimelineY0, kTimelineX1, kTimelineY1), 200) << "no scale-up marks";
  EXPECT_GT(count_colour(image, kScaleDownRgb, 0, kTimelineY0, kTimelineX1, kTimelineY1), 60) << "no scale-in marks";
}

TEST_F(VizScreenshot, RendersALiveRun) {
  Image image;
  render(SLUICE_SOURCE_DIR "/scenarios/basics/slow_consumer.json", "20s", image);
  if (IsSkipped() || HasFatalFailure()) return;
  expect_panels_drawn(image);
}

// The live log switched off from the start: every panel but the log's rows is drawn as before.
TEST_F(VizScreenshot, RendersALiveRunWithItsLogOff) {
  Image image;
  render(SLUICE_SOURCE_DIR "/scenarios/basics/slow_consumer.json", "20s", image, " --no-live-log");
  if (IsSkipped() || HasFatalFailure()) return;
  expect_panels_drawn(image);
}

// Input errors come before any window is opened: no display needed.
TEST(VizCommandLine, RejectsBadInputWithStatus2) {
  char pattern[] = "/tmp/viz_cli_test_XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  const std::string dir = pattern;
  const std::string viz = quote(SLUICE_VIZ_BIN);
  EXPECT_EQ(shell(viz + " " + quote(dir) + " --screenshot " + quote(dir + "/x.png") + " > /dev/null 2>&1"), 2)
      << "a directory without summary.json";
  EXPECT_FALSE(fs::exists(dir + "/x.png"));
  std::ofstream(dir + "/bad.json") << R"({"name": "x", "sourcez": []})";
  EXPECT_EQ(shell(viz + " " + quote(dir + "/bad.json") + " > /dev/null 2>&1"), 2) << "an invalid scenario";
  EXPECT_EQ(shell(viz + " " + quote(dir) + " --at 5parsecs > /dev/null 2>&1"), 2) << "a bad duration";
  EXPECT_EQ(shell(viz + " > /dev/null 2>&1"), 2) << "no input";
  EXPECT_EQ(shell(viz + " " + quote(dir) + " --no-live-log > " + quote(dir + "/out.txt") + " 2>&1"), 2);
  std::stringstream out;
  out << std::ifstream(dir + "/out.txt").rdbuf();
  EXPECT_NE(out.str().find("--no-live-log applies to a live scenario"), std::string::npos)
      << "refused for the option, before the directory is read: " << out.str();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sluice::viz
