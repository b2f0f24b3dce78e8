// The simulated world's configuration as a scenario states it: the network
// between the nodes and their disks. Node names are resolved when the world
// is built (world.h); the loader has checked that each one exists.
// The defaults are a perfect world: no latency, no loss, no disk faults.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/random/distribution.h"

namespace sluice {

// One direction of a network link, or the network's default for every link.
struct LinkParams {
  Distribution latency_ns = Distribution::constant(0);  // per message, independent: reorders unless fifo
  double drop = 0;                                      // probability a message is lost
  double duplicate = 0;                                 // probability a message arrives twice
  bool fifo = false;                                    // deliveries on the link never overtake each other
  double bandwidth_bytes_per_s = 0;                     // 0: unlimited; else messages queue for the link
};

// A link's deviations from the network's default; absent fields inherit it.
struct LinkOverride {
  std::string from;
  std::string to;
  bool both_ways = false;  // also applies from `to` to `from`
  std::optional<Distribution> latency_ns{};
  std::optional<double> drop{};
  std::optional<double> duplicate{};
  std::optional<bool> fifo{};
  std::optional<double> bandwidth_bytes_per_s{};
};

struct NetworkSpec {
  LinkParams defaults;
  std::vector<LinkOverride> links;  // later entries win where they overlap
  // Messages a mailbox holds before further arrivals are dropped (a full
  // socket buffer). A limit, so that a port nobody reads cannot grow forever.
  std::uint64_t mailbox_capacity = 1'000'000;
};

struct DiskFaults {
  double fsync_spike = 0;         // probability that an fsync takes fsync_spike_factor times as long
  double fsync_spike_factor = 1;  // >= 1
  // Probability, per log with unsynced records at a crash, that the first
  // unsynced record was being written when the power went: it survives
  // partially (torn), and reads of it report corrupt. The rest is lost.
  double torn_write = 0;
  // Probability that a stored record or value has a flipped bit: every read
  // of it reports corrupt.
  double bit_flip = 0;
};

struct DiskParams {
  Distribution write_ns = Distribution::constant(0);  // per append or put, times the node's slowdown
  Distribution fsync_ns = Distribution::constant(0);  // per fsync, times the node's slowdown
  DiskFaults faults;
};

struct DiskSpec {
  DiskParams defaults;
  std::map<std::string, DiskParams> nodes;  // fully resolved per-node settings (defaults + overrides)

  const DiskParams& params_of(const std::string& node) const {
    auto found = nodes.find(node);
    return found == nodes.end() ? defaults : found->second;
  }
};

}  // namespace sluice
