#include "sim/scenario/world_reader.h"

#include <optional>

#include "sim/scenario/distribution_reader.h"
#include "sim/scenario/node_index.h"

namespace sluice {
namespace {

constexpr std::int64_t kMaxBandwidth = 1'000'000'000'000'000;  // 1 PB/s: a typo, not a network
constexpr std::int64_t kMaxMailbox = 1'000'000'000;

// The fields a link shares with the network's defaults.
void allow_link_fields(const ObjectReader& object) {
  object.allow({"latency", "drop", "duplicate", "fifo", "bandwidth_bytes_per_s"});
}

double read_bandwidth(const JsonReader& reader) { return static_cast<double>(reader.bytes(1, kMaxBandwidth)); }

LinkOverride read_link(const JsonReader& reader) {
  const ObjectReader object = reader.object();
  object.allow({"from", "to", "both_ways"});
  allow_link_fields(object);
  object.finish();
  LinkOverride link;
  link.from = object.at("from").string();
  link.to = object.at("to").string();
  if (link.from == link.to) object.reader().fail_at("to", "a link joins two different nodes");
  link.both_ways = object.boolean_or("both_ways", false);
  if (const auto latency = object.maybe("latency")) link.latency_ns = read_time_distribution(*latency);
  if (const auto drop = object.maybe("drop")) link.drop = drop->probability();
  if (const auto duplicate = object.maybe("duplicate")) link.duplicate = duplicate->probability();
  if (const auto fifo = object.maybe("fifo")) link.fifo = fifo->boolean();
  if (const auto bandwidth = object.maybe("bandwidth_bytes_per_s")) link.bandwidth_bytes_per_s = read_bandwidth(*bandwidth);
  return link;
}

// Fault fields present in `reader` replace those of `faults`.
void read_disk_faults(const JsonReader& reader, DiskFaults& faults) {
  const ObjectReader object = reader.object();
  object.allow({"fsync_spike", "torn_write", "bit_flip"});
  object.finish();
  if (const auto spike = object.maybe("fsync_spike")) {
    const ObjectReader fields = spike->object();
    fields.allow({"probability", "factor"});
    fields.finish();
    faults.fsync_spike = fields.at("probability").probability();
    faults.fsync_spike_factor = fields.at("factor").number(1.0, 1e6);
  }
  if (const auto torn = object.maybe("torn_write")) faults.torn_write = torn->probability();
  if (const auto flip = object.maybe("bit_flip")) faults.bit_flip = flip->probability();
}

// Fields present in `object` replace those of `params`.
void read_disk_params(const ObjectReader& object, DiskParams& params) {
  if (const auto write = object.maybe("write")) params.write_ns = read_time_distribution(*write);
  if (const auto fsync = object.maybe("fsync")) params.fsync_ns = read_time_distribution(*fsync);
  if (const auto faults = object.maybe("faults")) read_disk_faults(*faults, params.faults);
}

}  // namespace

NetworkSpec read_network(const JsonReader& reader) {
  const ObjectReader object = reader.object();
  object.allow({"links", "mailbox_capacity"});
  allow_link_fields(object);
  object.finish();
  NetworkSpec network;
  LinkParams& d = network.defaults;
  if (const auto latency = object.maybe("latency")) d.latency_ns = read_time_distribution(*latency);
  if (const auto drop = object.maybe("drop")) d.drop = drop->probability();
  if (const auto duplicate = object.maybe("duplicate")) d.duplicate = duplicate->probability();
  d.fifo = object.boolean_or("fifo", false);
  if (const auto bandwidth = object.maybe("bandwidth_bytes_per_s")) d.bandwidth_bytes_per_s = read_bandwidth(*bandwidth);
  network.mailbox_capacity =
      static_cast<std::uint64_t>(object.integer_or("mailbox_capacity", 1'000'000, 1, kMaxMailbox));
  if (const auto links = object.maybe("links")) {
    for (const JsonReader& link : links->array()) network.links.push_back(read_link(link));
  }
  return network;
}

DiskSpec read_disks(const JsonReader& reader) {
  const ObjectReader object = reader.object();
  object.allow({"write", "fsync", "faults", "nodes"});
  object.finish();
  DiskSpec disks;
  read_disk_params(object, disks.defaults);
  if (const auto nodes = object.maybe("nodes")) {
    nodes->object();  // fails unless an object
    for (const auto& member : nodes->value().items()) {
      const JsonReader node = nodes->member(member.key());
      const ObjectReader fields = node.object();
      fields.allow({"write", "fsync", "faults"});
      fields.finish();
      DiskParams params = disks.defaults;
      read_disk_params(fields, params);
      disks.nodes.emplace(member.key(), std::move(params));
    }
  }
  return disks;
}

void check_world_nodes(const JsonReader& document, const NetworkSpec& network, const DiskSpec& disks,
                       const std::vector<std::string>& nodes) {
  const NodeIndex index(nodes);
  for (std::size_t i = 0; i < network.links.size(); ++i) {
    const std::string link = "/network/links/" + std::to_string(i);
    index.check(document.file(), network.links[i].from, link + "/from");
    index.check(document.file(), network.links[i].to, link + "/to");
  }
  for (const auto& [name, params] : disks.nodes) {
    index.check(document.file(), name, append_pointer("/disks/nodes", name));
  }
}

}  // namespace sluice
