// The network's hot path: a message's send, transit and delivery to a
// blocked receiver, on a perfect network and under faults.
//   build/release/tests/bench/network_bench
// items_per_second is messages; its inverse is the cost per message.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "core/runtime/transport.h"
#include "sim/runtime/simulation.h"
#include "sim/world/world.h"

namespace sluice {
namespace {

constexpr Port kPort = 1;

enum Mode { kPerfect = 0, kLatency = 1, kFaults = 2 };

NetworkSpec network_for(int mode) {
  NetworkSpec spec;
  if (mode == kPerfect) return spec;
  spec.defaults.latency_ns = Distribution::uniform(0.5e6, 1.5e6);
  if (mode == kLatency) return spec;
  spec.defaults.drop = 0.01;
  spec.defaults.duplicate = 0.001;
  return spec;
}

// One sender streams `messages` to one receiver, 10 us apart, and a fiber
// wakes per delivery. Modes: a perfect network; latency uniform in
// [0.5 ms, 1.5 ms]; the same latency plus 1% loss, 0.1% duplication and a
// 10 ms partition every 100 ms. Faults vs latency is the 1.5x target.
void BM_SendDeliver(benchmark::State& state) {
  const int mode = static_cast<int>(state.range(0));
  const int messages = static_cast<int>(state.range(1));
  std::uint64_t delivered = 0;
  for (auto _ : state) {
    Simulation sim;
    NodeId a = sim.add_node("a");
    NodeId b = sim.add_node("b");
    World world(sim, network_for(mode));
    sim.spawn(b, "receiver", [&sim] {
      Message m;
      while (sim.receive(kPort, m)) {
      }
    }, {.daemon = true});
    sim.spawn(a, "sender", [&sim, b, messages] {
      for (int i = 0; i < messages; ++i) {
        sim.send(b, kPort, Message{.id = static_cast<std::uint64_t>(i), .size_bytes = 100});
        sim.sleep_for(10 * kNanosPerMicro);
      }
    });
    if (mode == kFaults) {
      for (Nanos t = 50 * kNanosPerMilli; t < messages * 10 * kNanosPerMicro; t += 100 * kNanosPerMilli) {
        sim.call_at(t, [&world, a, b, &sim, t] {
          Network::CutId cut = world.network().partition({{a}, {b}});
          sim.call_at(t + 10 * kNanosPerMilli, [&world, cut] { world.network().heal(cut); });
        });
      }
    }
    sim.run();
    delivered = world.network().stats().delivered;
  }
  state.counters["delivered"] = static_cast<double>(delivered);
  state.SetItemsProcessed(state.iterations() * messages);
}
BENCHMARK(BM_SendDeliver)
    ->ArgNames({"mode", "messages"})
    ->Args({kPerfect, 100000})
    ->Args({kLatency, 100000})
    ->Args({kFaults, 100000})
    ->Unit(benchmark::kMillisecond);

// A burst: 100,000 messages sent at one instant, all in flight at once (a
// deep timer heap) and piling up in a mailbox nobody reads: the network's
// worst case for memory traffic, with no fiber wake-ups.
void BM_BurstAllInFlight(benchmark::State& state) {
  const int messages = static_cast<int>(state.range(0));
  for (auto _ : state) {
    Simulation sim;
    NodeId a = sim.add_node("a");
    NodeId b = sim.add_node("b");
    NetworkSpec spec = network_for(kFaults);
    spec.mailbox_capacity = static_cast<std::uint64_t>(messages) + 1;
    World world(sim, spec);
    sim.spawn(a, "sender", [&sim, b, messages] {
      for (int i = 0; i < messages; ++i) sim.send(b, kPort, Message{.id = static_cast<std::uint64_t>(i)});
    });
    sim.run();
  }
  state.SetItemsProcessed(state.iterations() * messages);
}
BENCHMARK(BM_BurstAllInFlight)->Arg(100000)->Unit(benchmark::kMillisecond);

// The sender's loop alone (one sleep per message, no network), to subtract
// from BM_SendDeliver for the network's share.
void BM_SleepOnlyBaseline(benchmark::State& state) {
  const int messages = static_cast<int>(state.range(0));
  for (auto _ : state) {
    Simulation sim;
    NodeId a = sim.add_node("a");
    sim.spawn(a, "sender", [&sim, messages] {
      for (int i = 0; i < messages; ++i) sim.sleep_for(10 * kNanosPerMicro);
    });
    sim.run();
  }
  state.SetItemsProcessed(state.iterations() * messages);
}
BENCHMARK(BM_SleepOnlyBaseline)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sluice
