#include "sim/catalog/fault_kind_catalog.h"

namespace sluice {

const std::vector<FaultKindInfo>& fault_kind_catalog() {
  static const std::vector<FaultKindInfo> catalog = {
      {FaultKind::crash, "crash", {"restart_after"}, false, FaultDisplay::crash, "crash"},
      {FaultKind::pause, "pause", {"duration"}, false, FaultDisplay::pause, "pause"},
      {FaultKind::slow, "slow", {"factor", "duration"}, false, FaultDisplay::slow, "slowdown"},
      {FaultKind::clock_skew, "clock_skew", {"offset", "duration"}, false, FaultDisplay::clock_skew, "clock skew"},
      {FaultKind::partition, "partition", {"groups", "duration"}, true, FaultDisplay::partition, "partition"},
      {FaultKind::partition_one_way, "partition_one_way", {"from", "to", "duration"}, true, FaultDisplay::partition,
       "one-way partition"},
      {FaultKind::crash_at_point, "crash_at_point", {"point", "restart_after"}, false, FaultDisplay::crash,
       "crash at a fault point"},
  };
  return catalog;
}

const FaultKindInfo& fault_kind_info(FaultKind kind) {
  // The catalog lists the kinds in declaration order, which the catalog test pins.
  return fault_kind_catalog()[static_cast<std::size_t>(kind)];
}

const FaultKindInfo* find_fault_kind(std::string_view name) {
  for (const FaultKindInfo& info : fault_kind_catalog()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

const char* fault_kind_name(FaultKind kind) { return fault_kind_info(kind).name.data(); }

std::optional<FaultKind> fault_kind_from_name(std::string_view name) {
  const FaultKindInfo* info = find_fault_kind(name);
  if (info == nullptr) return std::nullopt;
  return info->kind;
}

const std::vector<std::string>& fault_kind_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const FaultKindInfo& info : fault_kind_catalog()) out.emplace_back(info.name);
    return out;
  }();
  return names;
}

std::string_view fault_display_name(FaultDisplay display) {
  switch (display) {
    case FaultDisplay::crash: return "crash";
    case FaultDisplay::partition: return "partition";
    case FaultDisplay::pause: return "pause";
    case FaultDisplay::slow: return "slow";
    case FaultDisplay::clock_skew: return "clock_skew";
  }
  return "other";
}

}  // namespace sluice
