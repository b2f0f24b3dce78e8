#include "sim/scenario/fault_reader.h"

#include <set>

#include "core/runtime/fault_points.h"
#include "sim/scenario/message_text.h"
#include "sim/scenario/node_index.h"
#include "sim/scenario/units.h"

namespace sluice {
namespace {

FaultKind read_kind(const JsonReader& reader) {
  std::vector<std::string_view> names;
  for (const FaultKindInfo& info : fault_kind_catalog()) names.push_back(info.name);
  return fault_kind_catalog()[reader.one_of(names)].kind;
}

// A signed duration ("-250ms"): clock skew runs either way.
Nanos read_signed_duration(const JsonReader& reader) {
  std::string text = reader.string();
  bool negative = !text.empty() && text[0] == '-';
  std::string why;
  std::optional<Nanos> magnitude = parse_duration(negative ? text.substr(1) : text, &why);
  if (!magnitude) reader.fail(why);
  if (*magnitude > kMaxDuration) reader.fail("must be at most " + format_duration(kMaxDuration) + " either way");
  return negative ? -*magnitude : *magnitude;
}

std::vector<std::string> read_names(const JsonReader& reader) {
  std::vector<std::string> names;
  for (const JsonReader& name : reader.array(1)) names.push_back(name.string());
  return names;
}

// Each kind takes its own fields; a field of another kind is an error, not a no-op.
void read_kind_fields(const ObjectReader& object, FaultSpec& fault) {
  switch (fault.kind) {
    case FaultKind::crash:
      fault.restart_after = object.duration_or("restart_after", kNever, 0);
      break;
    case FaultKind::pause:
      fault.duration = object.at("duration").duration(1);
      break;
    case FaultKind::slow:
      fault.factor = object.at("factor").number(1.0, 1e6);
      fault.duration = object.duration_or("duration", kNever, 1);
      break;
    case FaultKind::clock_skew:
      fault.offset = read_signed_duration(object.at("offset"));
      fault.duration = object.duration_or("duration", kNever, 1);
      break;
    case FaultKind::partition: {
      const JsonReader groups = object.at("groups");
      for (const JsonReader& group : groups.array(2)) fault.groups.push_back(read_names(group));
      fault.duration = object.duration_or("duration", kNever, 1);
      break;
    }
    case FaultKind::crash_at_point: {
      const std::vector<std::string_view>& points = fault_point_names();
      fault.point = std::string(points[object.at("point").one_of(points)]);
      fault.restart_after = object.duration_or("restart_after", kNever, 0);
      break;
    }
    case FaultKind::partition_one_way:
      fault.from = read_names(object.at("from"));
      fault.to = read_names(object.at("to"));
      fault.duration = object.duration_or("duration", kNever, 1);
      break;
  }
}

FaultSpec read_fault(const JsonReader& reader) {
  const ObjectReader object = reader.object();
  FaultSpec fault;
  fault.kind = read_kind(object.at("kind"));
  // A partition names groups of nodes instead of one target.
  object.allow({"at", "kind"});
  if (!is_partition(fault.kind)) object.allow({"target"});
  for (std::string_view field : fault_kind_info(fault.kind).fields) object.allow({field});
  object.finish();
  fault.at = object.at("at").duration(0);
  if (!is_partition(fault.kind)) fault.target = object.at("target").string();
  read_kind_fields(object, fault);
  // The runner schedules the end of the fault (or the restart) at their sum.
  if (const std::optional<JsonReader> duration = object.maybe("duration")) window_end(*duration, fault.at, fault.duration);
  if (const std::optional<JsonReader> restart = object.maybe("restart_after")) {
    window_end(*restart, fault.at, fault.restart_after);
  }
  return fault;
}

}  // namespace

std::vector<FaultSpec> read_faults(const JsonReader& reader) {
  std::vector<FaultSpec> faults;
  for (const JsonReader& item : reader.array()) faults.push_back(read_fault(item));
  return faults;
}

SwarmSpec read_swarm(const JsonReader& reader) {
  const ObjectReader object = reader.object();
  object.allow({"kinds", "rate", "intensity", "max_clock_skew", "targets", "start"});
  object.finish();
  SwarmSpec swarm;
  for (const JsonReader& kind : object.at("kinds").array(1)) swarm.kinds.push_back(read_kind(kind));
  swarm.rate_per_s = object.at("rate").number(1e-9, 1e6);
  swarm.intensity = object.number_or("intensity", 0.5, 0.01, 1.0);
  swarm.max_clock_skew = object.duration_or("max_clock_skew", 0, 0);
  if (const std::optional<JsonReader> targets = object.maybe("targets")) {
    for (const JsonReader& target : targets->array(1)) swarm.targets.push_back(target.string());
  }
  swarm.start = object.duration_or("start", 0, 0);
  return swarm;
}

void check_fault_targets(const JsonReader& document, const std::vector<FaultSpec>& faults, const SwarmSpec* swarm,
                         const std::vector<std::string>& nodes) {
  const NodeIndex index(nodes);
  const std::string& file = document.file();
  for (std::size_t i = 0; i < faults.size(); ++i) {
    const FaultSpec& fault = faults[i];
    const std::string at = "/faults/" + std::to_string(i);
    if (!is_partition(fault.kind)) {
      index.check(file, fault.target, at + "/target");
      continue;
    }
    // Each node on one side only: a node cannot be cut off from itself.
    std::set<std::string> seen;
    auto side = [&](const std::vector<std::string>& names, const std::string& pointer) {
      for (std::size_t j = 0; j < names.size(); ++j) {
        const std::string where = pointer + "/" + std::to_string(j);
        index.check(file, names[j], where);
        if (!seen.insert(names[j]).second) {
          throw ScenarioError(file, where, "node " + in_quotes(names[j], '\'') + " is named twice in this partition");
        }
      }
    };
    for (std::size_t g = 0; g < fault.groups.size(); ++g) side(fault.groups[g], at + "/groups/" + std::to_string(g));
    side(fault.from, at + "/from");
    side(fault.to, at + "/to");
  }
  if (swarm == nullptr) return;
  for (std::size_t i = 0; i < swarm->targets.size(); ++i) {
    index.check(file, swarm->targets[i], "/swarm/targets/" + std::to_string(i));
  }
}

}  // namespace sluice
