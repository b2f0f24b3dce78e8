// Faults as spans of virtual time, and what they mean for one node at one
// moment: is it up, crashed, cut off by a partition, paused or slowed down?
// Also finds the moment a violation happened in a checker's text ("t=<ns>ns").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/time.h"

namespace sluice::viz {

struct Fault {
  Nanos at = 0;
  Nanos end = kNever;  // kNever: lasts to the end of the run (a crash without restart)
  std::string kind;    // "crash", "partition", "pause", "slow", ... as the run wrote it
  std::vector<std::string> targets;  // the nodes it touches
  std::string label;   // "crash worker-1", "partition broker-1 | worker-2"

  bool instant() const { return end == at; }
  bool active_at(Nanos t) const { return at <= t && (t < end || (instant() && t == at)); }
};

// What a node suffers at a moment; several faults may overlap.
enum NodeCondition : unsigned {
  kNodeUp = 0,
  kNodeCrashed = 1u << 0,
  kNodePartitioned = 1u << 1,
  kNodePaused = 1u << 2,
  kNodeSlow = 1u << 3,
  kNodeClockSkewed = 1u << 4,
  kNodeOtherFault = 1u << 5,
};

unsigned condition_of_kind(std::string_view kind);
// Conditions of `node` at `t` from every fault active then.
unsigned node_condition_at(const std::vector<Fault>& faults, std::string_view node, Nanos t);
// "up", "crashed", "partitioned", "paused", "slow", "skewed" (clock), "faulty",
// or several joined by '+'.
std::string condition_text(unsigned condition);

// summary.json's or series.json's "faults": [{at_ns, kind, target | targets |
// groups | node, end_ns?, ...}]. Entries it cannot read are skipped; a fault
// without end_ns lasts to the end unless its kind is instantaneous by nature.
std::vector<Fault> faults_from_json(const nlohmann::json& array);

// The first "t=<digits>ns" in a violation's text, if any.
std::optional<Nanos> violation_time(std::string_view text);
// The first event id ("<source>:<sequence>", e.g. "0:1088") in a violation's
// text, if any, so the event log can be filtered to that event.
std::optional<std::string> violation_event_id(std::string_view text);

}  // namespace sluice::viz
