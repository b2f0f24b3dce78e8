// The simulated world around the core for one simulation: the network and
// the disks, built from a scenario's specs and installed as the Simulation's
// transport and storage. The default specs make a perfect world.
//
//   Simulation sim({.seed = 7});
//   NodeId a = sim.add_node("a"), b = sim.add_node("b");
//   World world(sim, network_spec, disk_spec);  // after the nodes it names
//   ... spawn fibers that send, receive, log() and kv() ...
//   sim.run();
#pragma once

#include <nlohmann/json.hpp>

#include "sim/runtime/simulation.h"
#include "sim/world/disk.h"
#include "sim/world/network.h"
#include "sim/world/world_spec.h"

namespace sluice {

class World {
 public:
  World(Simulation& sim, const NetworkSpec& network = {}, const DiskSpec& disks = {})
      : sim_(sim), network_(sim, network), disks_(sim, disks) {}
  // Shuts the simulation down first: its fibers may be parked on mailboxes
  // and hold storage references, so they unwind while both still exist.
  ~World() { sim_.shutdown(); }
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  Network& network() { return network_; }
  const Network& network() const { return network_; }
  Disks& disks() { return disks_; }
  const Disks& disks() const { return disks_; }

  // {"network": {sent, delivered, dropped_random, ...}, "disks": {appends, ...}}
  nlohmann::json stats_json() const;

 private:
  Simulation& sim_;
  Network network_;
  Disks disks_;
};

}  // namespace sluice
