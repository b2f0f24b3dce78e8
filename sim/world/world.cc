#include "sim/world/world.h"

namespace sluice {

nlohmann::json World::stats_json() const {
  const NetworkStats& n = network_.stats();
  const DiskStats& d = disks_.stats();
  return {
      {"network",
       {{"sent", n.sent},
        {"bytes_sent", n.bytes_sent},
        {"delivered", n.delivered},
        {"duplicated", n.duplicated},
        {"dropped_random", n.dropped_random},
        {"dropped_partitioned", n.dropped_partitioned},
        {"dropped_in_flight", n.dropped_in_flight},
        {"dropped_node_down", n.dropped_node_down},
        {"dropped_port_closed", n.dropped_port_closed},
        {"dropped_mailbox_full", n.dropped_mailbox_full},
        {"lost_in_crash", n.lost_in_crash}}},
      {"disks",
       {{"appends", d.appends},
        {"puts", d.puts},
        {"fsyncs", d.fsyncs},
        {"fsync_spikes", d.fsync_spikes},
        {"records_lost", d.records_lost},
        {"puts_lost", d.puts_lost},
        {"torn_writes", d.torn_writes},
        {"bit_flips", d.bit_flips},
        {"corrupt_reads", d.corrupt_reads}}},
  };
}

}  // namespace sluice
