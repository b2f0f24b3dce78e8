#include "visualizer/faults.h"

#include <cctype>

#include <nlohmann/json.hpp>

#include "sim/catalog/fault_kind_catalog.h"

namespace sluice::viz {

unsigned condition_of_kind(std::string_view kind) {
  const FaultKindInfo* info = find_fault_kind(kind);
  if (info == nullptr) return kNodeOtherFault;  // a kind this build does not know (a run from another version)
  switch (info->display) {
    case FaultDisplay::crash: return kNodeCrashed;
    case FaultDisplay::partition: return kNodePartitioned;
    case FaultDisplay::pause: return kNodePaused;
    case FaultDisplay::slow: return kNodeSlow;
    case FaultDisplay::clock_skew: return kNodeClockSkewed;
  }
  return kNodeOtherFault;
}

unsigned node_condition_at(const std::vector<Fault>& faults, std::string_view node, Nanos t) {
  unsigned condition = kNodeUp;
  for (const Fault& fault : faults) {
    if (fault.instant() || !fault.active_at(t)) continue;
    for (const std::string& target : fault.targets) {
      if (target == node) {
        condition |= condition_of_kind(fault.kind);
        break;
      }
    }
  }
  return condition;
}

std::string condition_text(unsigned condition) {
  if (condition == kNodeUp) return "up";
  static const std::pair<unsigned, const char*> kNames[] = {{kNodeCrashed, "crashed"},
                                                             {kNodePartitioned, "partitioned"},
                                                             {kNodePaused, "paused"},
                                                             {kNodeSlow, "slow"},
                                                             {kNodeClockSkewed, "skewed"},
                                                             {kNodeOtherFault, "faulty"}};
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if ((condition & bit) == 0) continue;
    if (!out.empty()) out += '+';
    out += name;
  }
  return out;
}

namespace {

void add_names(const nlohmann::json& value, std::vector<std::string>& out) {
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
  } else if (value.is_array()) {
    for (const nlohmann::json& item : value) add_names(item, out);
  }
}

std::string label_of(const Fault& fault, const nlohmann::json& entry) {
  // The catalog's label for a known kind ("one-way partition"), else the kind as written.
  const FaultKindInfo* info = find_fault_kind(fault.kind);
  std::string label = info == nullptr ? fault.kind : std::string(info->label);
  // The runner writes a readable target for every kind ("a,b | c" for a partition).
  if (entry.contains("target") && entry["target"].is_string()) return label + " " + entry["target"].get<std::string>();
  if (entry.contains("groups") && entry["groups"].is_array()) {
    std::string groups;
    for (const nlohmann::json& group : entry["groups"]) {
      std::vector<std::string> names;
      add_names(group, names);
      if (!groups.empty()) groups += " | ";
      for (std::size_t i = 0; i < names.size(); ++i) groups += (i > 0 ? "," : "") + names[i];
    }
    return label + " " + groups;
  }
  for (std::size_t i = 0; i < fault.targets.size(); ++i) label += (i == 0 ? " " : ",") + fault.targets[i];
  return label;
}

}  // namespace

std::vector<Fault> faults_from_json(const nlohmann::json& array) {
  std::vector<Fault> faults;
  if (!array.is_array()) return faults;
  for (const nlohmann::json& entry : array) {
    if (!entry.is_object() || !entry.contains("at_ns") || !entry["at_ns"].is_number()) continue;
    Fault fault;
    fault.at = entry["at_ns"].get<Nanos>();
    fault.kind = entry.value("kind", std::string("fault"));
    // "nodes" lists every node a fault touches (the runner writes it for
    // partitions, whose "target" is a label such as "a,b | c"); otherwise
    // the nodes are named by "target", "targets", "node", "groups" or "from"/"to".
    if (entry.contains("nodes")) {
      add_names(entry["nodes"], fault.targets);
    } else {
      for (const char* field : {"target", "targets", "node", "groups", "from", "to"}) {
        if (entry.contains(field)) add_names(entry[field], fault.targets);
      }
    }
    // Every fault kind lasts a span; without end_ns it lasts to the end of the run.
    if (entry.contains("end_ns") && entry["end_ns"].is_number()) {
      fault.end = std::max(fault.at, entry["end_ns"].get<Nanos>());
    }
    fault.label = label_of(fault, entry);
    faults.push_back(std::move(fault));
  }
  return faults;
}

std::optional<Nanos> violation_time(std::string_view text) {
  for (std::size_t at = text.find("t="); at != std::string_view::npos; at = text.find("t=", at + 1)) {
    // "t=" must start a word, so "at=" or "start=" do not count.
    if (at > 0) {
      const char before = text[at - 1];
      if (std::isalnum(static_cast<unsigned char>(before)) || before == '_') continue;
    }
    std::size_t i = at + 2;
    Nanos value = 0;
    std::size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 19) {
      value = value * 10 + (text[i] - '0');
      ++i;
      ++digits;
    }
    if (digits > 0 && text.substr(i, 2) == "ns") return value;
  }
  return std::nullopt;
}

std::optional<std::string> violation_event_id(std::string_view text) {
  auto digit = [&](std::size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
  for (std::size_t i = 0; i < text.size(); ++i) {
    // Digits, a colon, digits, standing as a word of their own.
    if (!digit(i) || (i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == ':'))) continue;
    std::size_t j = i;
    while (digit(j)) ++j;
    if (j >= text.size() || text[j] != ':' || !digit(j + 1)) continue;
    std::size_t k = j + 1;
    while (digit(k)) ++k;
    if (k < text.size() && (std::isalnum(static_cast<unsigned char>(text[k])) || text[k] == ':')) continue;
    return std::string(text.substr(i, k - i));
  }
  return std::nullopt;
}

}  // namespace sluice::viz
