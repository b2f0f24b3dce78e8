// End-to-end: the tandem scenario (1,000,000 messages through two M/M/1
// stages) and the slow-consumer demo, with default outputs (no trace).
#include <benchmark/benchmark.h>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"

namespace sluice {
namespace {

void run_file(benchmark::State& state, const char* relative) {
  Scenario scenario = load_scenario_file(std::string(SLUICE_SOURCE_DIR) + "/" + relative);
  std::uint64_t events = 0;
  for (auto _ : state) {
    RunReport report = run_scenario(scenario, RunOptions{});
    events += report.events;
    benchmark::DoNotOptimize(report.trace_hash);
    if (!report.ok) state.SkipWithError("the scenario's expectations failed");
  }
  state.counters["scheduler_events_per_s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

void BM_Tandem(benchmark::State& state) { run_file(state, "scenarios/bench/tandem.json"); }
BENCHMARK(BM_Tandem)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_SlowConsumer(benchmark::State& state) { run_file(state, "scenarios/basics/slow_consumer.json"); }
BENCHMARK(BM_SlowConsumer)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sluice
