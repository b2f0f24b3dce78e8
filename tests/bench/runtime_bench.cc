// Scheduler hot paths: a fiber switch, a timer insert + fire, a channel ping-pong.
#include <benchmark/benchmark.h>

#include "core/runtime/channel.h"
#include "sim/runtime/simulation.h"

namespace sluice {
namespace {

// Two fibers yielding to each other: one scheduler decision per yield.
void BM_FiberSwitch(benchmark::State& state) {
  const int yields = static_cast<int>(state.range(0));
  for (auto _ : state) {
    Simulation sim;
    NodeId node = sim.add_node("n");
    for (int f = 0; f < 2; ++f) {
      sim.spawn(node, "yielder", [&sim, yields] {
        for (int i = 0; i < yields; ++i) sim.yield();
      });
    }
    sim.run();
    state.counters["events"] = static_cast<double>(sim.events());
  }
  state.SetItemsProcessed(state.iterations() * 2 * yields);
}
BENCHMARK(BM_FiberSwitch)->Arg(100000)->Unit(benchmark::kMillisecond);

// One fiber sleeping repeatedly: a timer push, pop and wake-up each time.
void BM_TimerInsertFire(benchmark::State& state) {
  const int sleeps = static_cast<int>(state.range(0));
  for (auto _ : state) {
    Simulation sim;
    NodeId node = sim.add_node("n");
    sim.spawn(node, "sleeper", [&sim, sleeps] {
      for (int i = 0; i < sleeps; ++i) sim.sleep_for(1000);
    });
    sim.run();
  }
  state.SetItemsProcessed(state.iterations() * sleeps);
}
BENCHMARK(BM_TimerInsertFire)->Arg(100000)->Unit(benchmark::kMillisecond);

// Many timers pending at once: heap depth matters.
void BM_TimerHeapWithManySleepers(benchmark::State& state) {
  const int fibers = static_cast<int>(state.range(0));
  constexpr int kSleepsEach = 100;
  for (auto _ : state) {
    Simulation sim;
    NodeId node = sim.add_node("n");
    for (int f = 0; f < fibers; ++f) {
      sim.spawn(node, "sleeper", [&sim, f] {
        for (int i = 0; i < kSleepsEach; ++i) sim.sleep_for(1000 + f);
      });
    }
    sim.run();
  }
  state.SetItemsProcessed(state.iterations() * fibers * kSleepsEach);
}
BENCHMARK(BM_TimerHeapWithManySleepers)->Arg(1000)->Unit(benchmark::kMillisecond);

// Two fibers passing a message back and forth over two capacity-1 channels.
// Items are round trips; the "events" rate counts scheduler events.
void BM_ChannelPingPong(benchmark::State& state) {
  const int rounds = static_cast<int>(state.range(0));
  std::uint64_t events = 0;
  for (auto _ : state) {
    Simulation sim;
    NodeId node = sim.add_node("n");
    Channel<int> ping(sim, 1, "ping");
    Channel<int> pong(sim, 1, "pong");
    sim.spawn(node, "pinger", [&] {
      int v = 0;
      for (int i = 0; i < rounds; ++i) {
        ping.push(int{i});
        pong.pop(v);
      }
    });
    sim.spawn(node, "ponger", [&] {
      int v = 0;
      for (int i = 0; i < rounds; ++i) {
        ping.pop(v);
        pong.push(int{v});
      }
    });
    sim.run();
    events += sim.events();
    sim.shutdown();
  }
  state.SetItemsProcessed(state.iterations() * rounds);
  state.counters["scheduler_events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ChannelPingPong)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sluice
