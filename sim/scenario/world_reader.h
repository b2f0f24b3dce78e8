// Reads a scenario's simulated world: "network" and "disks" (world_spec.h).
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/json_reader.h"
#include "sim/world/world_spec.h"

namespace sluice {

// "network": {"latency": TIME_DIST, "drop": p, "duplicate": p, "fifo": bool,
//             "bandwidth_bytes_per_s": n | "125MB", "mailbox_capacity": n,
//             "links": [{"from": node, "to": node, "both_ways": bool, "latency": ..., "drop": ..., ...}]}
NetworkSpec read_network(const JsonReader& reader);
// "disks": {"write": TIME_DIST, "fsync": TIME_DIST,
//           "faults": {"fsync_spike": {"probability": p, "factor": f}, "torn_write": p, "bit_flip": p},
//           "nodes": {NODE: {"write": ..., "fsync": ..., "faults": {...}}}}
// Per-node settings inherit every field they leave out, fault by fault.
DiskSpec read_disks(const JsonReader& reader);
// Every node a link or a disk setting names must be a node of the topology.
void check_world_nodes(const JsonReader& document, const NetworkSpec& network, const DiskSpec& disks,
                       const std::vector<std::string>& nodes);

}  // namespace sluice
