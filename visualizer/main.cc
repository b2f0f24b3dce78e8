// sluice-viz: the visual debugger for backpressure.
//
//   sluice-viz SCENARIO.json [--seed N]      run the scenario live in the app
//   sluice-viz RUN_DIR                       open a recorded run (sluice run --out DIR [--trace])
//   ... --screenshot FILE.png --at TIME      headless: render at cursor TIME, write a PNG, exit
//   ... --bench-frames N                     render N frames unthrottled, print frames per second
//
// Exit status: 0 fine; 2 usage or input error; 3 no display or no OpenGL.
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <malloc.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>

#include "sim/scenario/loader.h"
#include "sim/scenario/units.h"
#include "visualizer/app.h"
#include "visualizer/png_io.h"

namespace sluice::viz {
namespace {

constexpr int kExitUsage = 2;
constexpr int kExitNoDisplay = 3;

struct Options {
  std::string path;
  std::optional<std::uint64_t> seed;
  std::string screenshot;
  std::optional<Nanos> at;
  int width = 1600;
  int height = 1000;
  int bench_frames = 0;
  bool paused = false;
  double speed = 1.0;
  bool live_log = true;
};

void usage(FILE* out) {
  std::fprintf(out,
               "usage: sluice-viz SCENARIO.json [--seed N] [--paused] [--speed X] [--no-live-log]\n"
               "       sluice-viz RUN_DIR\n"
               "options:\n"
               "  --seed N             seed for a live run (default: the scenario's)\n"
               "  --paused             start a live run paused\n"
               "  --speed X            virtual seconds per wall second (default 1)\n"
               "  --no-live-log        start a live run with its event log off (faster; the toolbar's Log turns it on)\n"
               "  --at TIME            put the cursor at TIME (\"30s\", \"1.5m\"); live: run to it first\n"
               "  --screenshot FILE    render at --at (default: the end) into FILE (PNG) and exit\n"
               "  --size WxH           window size (default 1600x1000)\n"
               "  --bench-frames N     render N frames as fast as possible, sweeping the cursor, print fps\n");
}

[[noreturn]] void fail_usage(const std::string& message) {
  std::fprintf(stderr, "sluice-viz: %s\n", message.c_str());
  usage(stderr);
  std::exit(kExitUsage);
}

Options parse_args(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) fail_usage(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "-h" || arg == "--help") {
      usage(stdout);
      std::exit(0);
    } else if (arg == "--seed") {
      const std::string v = value();
      char* end = nullptr;
      const unsigned long long seed = std::strtoull(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || v[0] == '-') fail_usage("--seed wants a non-negative integer, got \"" + v + "\"");
      o.seed = seed;
    } else if (arg == "--screenshot") {
      o.screenshot = value();
    } else if (arg == "--at") {
      const std::string v = value();
      std::string why;
      o.at = parse_duration(v, &why);
      if (!o.at) fail_usage("--at: " + why);
    } else if (arg == "--size") {
      const std::string v = value();
      if (std::sscanf(v.c_str(), "%dx%d", &o.width, &o.height) != 2 || o.width < 320 || o.height < 240 ||
          o.width > 8192 || o.height > 8192) {
        fail_usage("--size wants WxH, e.g. 1600x1000");
      }
    } else if (arg == "--bench-frames") {
      o.bench_frames = std::atoi(value().c_str());
      if (o.bench_frames <= 0) fail_usage("--bench-frames wants a positive count");
    } else if (arg == "--paused") {
      o.paused = true;
    } else if (arg == "--no-live-log") {
      o.live_log = false;
    } else if (arg == "--speed") {
      o.speed = std::atof(value().c_str());
      if (!(o.speed > 0)) fail_usage("--speed wants a positive number");
    } else if (!arg.empty() && arg[0] == '-') {
      fail_usage("unknown option " + arg);
    } else if (o.path.empty()) {
      o.path = arg;
    } else {
      fail_usage("one SCENARIO.json or RUN_DIR, not two (\"" + arg + "\")");
    }
  }
  if (o.path.empty()) fail_usage("missing SCENARIO.json or RUN_DIR");
  return o;
}

// Loads what the path names into the app. Exits with 2 on bad input.
void open_input(App& app, const Options& o) {
  std::error_code ec;
  app.source = o.path;
  if (std::filesystem::is_directory(o.path, ec)) {
    if (o.seed) fail_usage("--seed applies to a live scenario, not to a recorded run");
    if (!o.live_log) fail_usage("--no-live-log applies to a live scenario, not to a recorded run");
    try {
      app.recorded = load_run_dir(o.path);
    } catch (const RunDirError& e) {
      std::fprintf(stderr, "sluice-viz: %s\n", e.what());
      std::exit(kExitUsage);
    }
    const std::string trace = o.path + "/trace.jsonl";
    if (std::filesystem::exists(trace, ec)) {
      try {
        app.trace = std::make_unique<TraceIndex>(trace);
        std::string mismatch = trace_mismatch(app.recorded, app.trace->data());
        if (!mismatch.empty()) {
          std::fprintf(stderr, "sluice-viz: %s does not belong to %s/summary.json: %s\n", trace.c_str(),
                       o.path.c_str(), mismatch.c_str());
          std::exit(kExitUsage);
        }
        app.trace->build_in_background();
      } catch (const std::exception& e) {
        app.trace_error = e.what();
      }
    }
    app.view.set_extent(std::max<Nanos>(app.recorded.virtual_time, kNanosPerMilli));
    app.view.fit();
    app.set_cursor(o.at.value_or(0));
    return;
  }
  try {
    Scenario scenario = load_scenario_file(o.path);
    const std::uint64_t seed = o.seed.value_or(scenario.seed);
    app.live = std::make_unique<LiveSession>(std::move(scenario), seed, LiveLog::kDefaultCapacity, o.live_log);
  } catch (const ScenarioError& e) {
    std::fprintf(stderr, "sluice-viz: %s\n", e.what());
    std::exit(kExitUsage);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sluice-viz: %s: %s\n", o.path.c_str(), e.what());
    std::exit(kExitUsage);
  }
  app.live_speed = static_cast<float>(o.speed);
  app.live->set_speed(o.speed);
  if (o.at) {
    app.live->advance_now(*o.at);
  } else if (!o.screenshot.empty()) {
    app.live->advance_now(kNever - 1);  // a screenshot without --at shows the finished run
  } else if (!o.paused) {
    app.live->set_playing(true);
  }
  app.follow_live = true;
  app.cursor = app.live->now();
  app.view.set_extent(std::max<Nanos>(app.live->now(), kNanosPerMilli));
  app.view.fit();
}

bool save_screenshot(const std::string& path, int width, int height) {
  Image image;
  image.width = width;
  image.height = height;
  image.channels = 3;
  image.pixels.resize(static_cast<std::size_t>(width) * height * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, image.pixels.data());
  // OpenGL's rows run bottom to top; PNG's top to bottom.
  const std::size_t stride = static_cast<std::size_t>(width) * 3;
  for (int y = 0; y < height / 2; ++y) {
    std::swap_ranges(image.pixels.begin() + y * stride, image.pixels.begin() + (y + 1) * stride,
                     image.pixels.begin() + (height - 1 - y) * stride);
  }
  std::string error;
  if (!write_png(path, image, &error)) {
    std::fprintf(stderr, "sluice-viz: %s\n", error.c_str());
    return false;
  }
  return true;
}

void glfw_error(int code, const char* description) {
  std::fprintf(stderr, "sluice-viz: GLFW error %d: %s\n", code, description);
}

int run(int argc, char** argv) {
  // Mesa re-uploads the vertex buffers every frame; with glibc's defaults
  // those allocations are fresh mmaps and page faults each time. Keeping
  // freed memory in the heap saves a good share of a software-rendered frame.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  const Options o = parse_args(argc, argv);
  App app;
  open_input(app, o);  // before any window: input errors exit 2 even without a display
  const bool headless = !o.screenshot.empty();

  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) {
    std::fprintf(stderr, "sluice-viz: cannot open a display (is DISPLAY set? try xvfb-run -a)\n");
    return kExitNoDisplay;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  if (headless) glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
  const std::string title = "sluice-viz \xe2\x80\x94 " + app.model().scenario + " (" + o.path + ")";
  GLFWwindow* window = glfwCreateWindow(o.width, o.height, title.c_str(), nullptr, nullptr);
  if (window == nullptr) {
    std::fprintf(stderr, "sluice-viz: cannot create an OpenGL 3.0 window\n");
    glfwTerminate();
    return kExitNoDisplay;
  }
  // Below this the tiled layout has no room for its panels.
  glfwSetWindowSizeLimits(window, 960, 600, GLFW_DONT_CARE, GLFW_DONT_CARE);
  glfwMakeContextCurrent(window);
  glfwSwapInterval(headless || o.bench_frames > 0 ? 0 : 1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // the layout is fixed; write nothing into the working directory
  app.fonts = load_fonts_and_style(1.0f);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 130");

  // Screenshots and benchmarks measure a settled app, not the trace being indexed.
  if (headless || o.bench_frames > 0) app.settle_for_screenshot();
  if (headless) app.set_cursor(o.at.value_or(app.extent()));
  if (o.bench_frames > 0) {
    std::printf("sluice-viz: renderer %s (%s)\n", reinterpret_cast<const char*>(glGetString(GL_RENDERER)),
                reinterpret_cast<const char*>(glGetString(GL_VERSION)));
  }

  using Clock = std::chrono::steady_clock;
  Clock::time_point last = Clock::now();
  const Clock::time_point bench_start = last;
  double fps_accumulator = 0;
  double ui_seconds = 0, gl_seconds = 0;
  int fps_frames = 0;
  int frame = 0;
  const Nanos bench_virtual_start = app.is_live() ? app.live->now() : 0;
  int exit_code = 0;
  // A screenshot renders a few frames so ImGui's layout (tables, text sizes) settles.
  const int screenshot_frames = 4;
  while (!glfwWindowShouldClose(window)) {
    glfwPollEvents();
    const Clock::time_point now = Clock::now();
    const double dt = std::chrono::duration<double>(now - last).count();
    last = now;
    fps_accumulator += dt;
    ++fps_frames;
    if (fps_accumulator >= 0.5) {
      app.fps = fps_frames / fps_accumulator;
      fps_accumulator = 0;
      fps_frames = 0;
    }
    if (o.bench_frames > 0 && !app.is_live()) {
      // Sweep the cursor across the run, as a user scrubbing would (a live
      // run plays at --speed instead, the cursor following it).
      app.scrub_to(static_cast<Nanos>(static_cast<double>(app.extent()) * frame / o.bench_frames));
    }

    const Clock::time_point ui_start = Clock::now();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // Headless renders show no hover state: the pointer of a virtual display
    // sits wherever the X server put it.
    if (headless || o.bench_frames > 0) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    ImGui::NewFrame();
    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(window, &fb_w, &fb_h);
    app.frame(headless ? 1.0 / 60 : dt, ImGui::GetIO().DisplaySize);
    ImGui::Render();
    const Clock::time_point gl_start = Clock::now();
    ui_seconds += std::chrono::duration<double>(gl_start - ui_start).count();
    glViewport(0, 0, fb_w, fb_h);
    // The panels draw no background of their own (see begin_tile): this is it.
    const ImVec4 bg = to_vec4(colors::kPanelBg);
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    ++frame;
    if (headless && frame >= screenshot_frames) {
      exit_code = save_screenshot(o.screenshot, fb_w, fb_h) ? 0 : 1;
      if (exit_code == 0) std::printf("sluice-viz: wrote %s (%dx%d)\n", o.screenshot.c_str(), fb_w, fb_h);
      break;
    }
    glfwSwapBuffers(window);
    if (o.bench_frames > 0) {
      glFinish();  // count the GPU's (here: llvmpipe's) work in the frame it belongs to
      gl_seconds += std::chrono::duration<double>(Clock::now() - gl_start).count();
    }
    if (o.bench_frames > 0 && frame >= o.bench_frames) {
      const double seconds = std::chrono::duration<double>(Clock::now() - bench_start).count();
      std::printf("sluice-viz: %d frames in %.2f s: %.1f frames per second at %dx%d "
                  "(per frame: %.1f ms building the UI, %.1f ms rendering and presenting; %s draw vertices)\n",
                  frame, seconds, frame / seconds, fb_w, fb_h, 1000 * ui_seconds / frame, 1000 * gl_seconds / frame,
                  format_count(static_cast<std::uint64_t>(ImGui::GetDrawData()->TotalVtxCount)).c_str());
      if (app.is_live()) {
        // The live run's pace over the same frames: at a --speed above what
        // it can keep up with, the run's own speed inside the app.
        const double virtual_seconds = to_seconds(app.live->now() - bench_virtual_start);
        std::printf("sluice-viz: live run (log %s): %.2f virtual s in %.2f wall s: %.2f virtual s per wall s%s\n",
                    app.live->live_log() ? "on" : "off", virtual_seconds, seconds, virtual_seconds / seconds,
                    app.live->over() ? " (the run ended)" : "");
      }
      break;
    }
  }

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_code;
}

}  // namespace
}  // namespace sluice::viz

int main(int argc, char** argv) { return sluice::viz::run(argc, argv); }
