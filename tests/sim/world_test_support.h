// A small simulated world for tests of the network, the disks and rpc:
// nodes a, b and c, and a World built from the given specs.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <utility>

#include "core/runtime/transport.h"
#include "sim/runtime/simulation.h"
#include "sim/world/world.h"

namespace sluice::testing {

struct TestWorld {
  explicit TestWorld(std::uint64_t seed = 1, NetworkSpec network = {}, DiskSpec disks = {})
      : sim(SimulationOptions{.seed = seed, .on_event_limit = {}}) {
    a = sim.add_node("a");
    b = sim.add_node("b");
    c = sim.add_node("c");
    world = std::make_unique<World>(sim, network, disks);
  }
  ~TestWorld() { world.reset(); }  // shuts the simulation down while the world exists

  Network& network() { return world->network(); }
  Disks& disks() { return world->disks(); }

  // Sends from a fiber on `from` at virtual time `at`.
  void send_at(Nanos at, NodeId from, NodeId to, Port port, Message message) {
    sim.spawn(from, "send", [this, at, to, port, message = std::move(message)]() mutable {
      sim.sleep_until(at);
      sim.send(to, port, std::move(message));
    });
  }

  Simulation sim;
  NodeId a = 0, b = 0, c = 0;
  std::unique_ptr<World> world;
};

// Two-sided bound for a binomial count: `sigmas` standard deviations.
inline bool within_binomial(std::uint64_t count, std::uint64_t n, double p, double sigmas = 5) {
  const double mean = static_cast<double>(n) * p;
  const double sd = std::sqrt(static_cast<double>(n) * p * (1 - p));
  return std::abs(static_cast<double>(count) - mean) <= sigmas * sd;
}

}  // namespace sluice::testing
