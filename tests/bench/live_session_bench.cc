// The live visualizer's pace on a whole run, with its event log on or off:
// the session driven as sluice-viz drives it at full speed (8 ms slices of
// timers, the model refreshed between them), against the bare ScenarioRun
// advanced in the same slices without a tap. Prints virtual seconds per CPU
// second (CPU, not wall: on a shared machine the wall clock measures the
// neighbours) and the wall time. Built with SLUICE_BENCHMARKS and the
// visualizer; run on demand:
//   build/release/tests/bench/live_session_bench scenarios/bench/tandem.json on|off|bare
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"
#include "visualizer/live_session.h"

namespace {

double cpu_seconds_since(std::clock_t start) { return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC; }

}  // namespace

int main(int argc, char** argv) {
  using namespace sluice;
  const std::string mode = argc == 3 ? argv[2] : "";
  if (mode != "on" && mode != "off" && mode != "bare") {
    std::fprintf(stderr, "usage: live_session_bench SCENARIO.json on|off|bare\n");
    return 2;
  }
  Scenario scenario = load_scenario_file(argv[1]);
  const auto wall_start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  Nanos end = 0;
  std::uint64_t rows = 0;
  if (mode == "bare") {
    RunOptions options;
    options.seed = 1;
    ScenarioRun run(scenario, options);
    while (run.advance(kNever, 512)) {
    }
    end = run.now();
  } else {
    viz::LiveSession live(std::move(scenario), 1, viz::LiveLog::kDefaultCapacity, mode == "on");
    live.set_speed(1e9);
    live.set_playing(true);
    while (!live.over()) live.update(1.0, 0.008);
    end = live.model().virtual_time;
    rows = live.log().total();
  }
  const double cpu = cpu_seconds_since(cpu_start);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  std::printf("%s %s: %.0f virtual s in %.3f CPU s (%.3f wall s): %.0f virtual s per CPU s; %llu log rows\n",
              argv[1], mode.c_str(), to_seconds(end), cpu, wall, to_seconds(end) / cpu,
              static_cast<unsigned long long>(rows));
  return 0;
}
