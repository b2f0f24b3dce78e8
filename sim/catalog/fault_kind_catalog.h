// The fault kinds a scenario can name, each listed once with its fields and
// how it is shown. Pure data, no simulation code, so the reports and the
// visualizer link it too. What a kind does (read, write, begin, heal, draw)
// is its entry in sim/world/fault_kinds.cc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

enum class FaultKind {
  crash,              // every fiber unwinds, volatile state is gone; restarts after restart_after if given
  pause,              // stop-the-world for duration: nothing on the node runs, wake-ups wait
  slow,               // service times and disk latencies on the node multiplied by factor, for duration
  clock_skew,         // the node's local clock is off by offset, for duration
  partition,          // nodes in different groups cannot reach each other, for duration
  partition_one_way,  // messages from the `from` nodes to the `to` nodes are lost, for duration
  crash_at_point,     // from `at` on, the node crashes the first time it passes fault point `point`
};

// How a fault is drawn: the report's CSS class is "f-" + this, and the
// visualizer maps it to a node condition. Kinds that look alike share one.
enum class FaultDisplay { crash, partition, pause, slow, clock_skew };

struct FaultKindInfo {
  FaultKind kind;
  std::string_view name;
  // The scenario fields besides "at" and "kind" ("target" is implied unless on_network).
  std::vector<std::string_view> fields;
  // Names groups of nodes (the network between them) instead of one target node.
  bool on_network;
  FaultDisplay display;
  std::string_view label;  // for people: "one-way partition"
};

// Every kind, in the order the schema lists them.
const std::vector<FaultKindInfo>& fault_kind_catalog();
const FaultKindInfo& fault_kind_info(FaultKind kind);
// The entry of that name, or null.
const FaultKindInfo* find_fault_kind(std::string_view name);
const char* fault_kind_name(FaultKind kind);
std::optional<FaultKind> fault_kind_from_name(std::string_view name);
const std::vector<std::string>& fault_kind_names();
// "crash", "partition", "pause", "slow", "clock_skew".
std::string_view fault_display_name(FaultDisplay display);

// The network's faults have no single target node: they name groups.
inline bool is_partition(FaultKind kind) { return fault_kind_info(kind).on_network; }

}  // namespace sluice
