#include "sim/run/fault_fields.h"

#include <string_view>

#include "core/check.h"
#include "sim/scenario/units.h"

namespace sluice {
namespace {

// Clock skew runs either way; the loader reads "-250ms".
std::string signed_duration(Nanos offset) {
  return offset < 0 ? "-" + format_duration(-offset) : format_duration(offset);
}

// A field as the scenario file writes it; null when absent (a duration of kNever).
nlohmann::json scenario_value(const FaultSpec& fault, std::string_view field) {
  if (field == "duration" || field == "restart_after") {
    const Nanos value = field == "duration" ? fault.duration : fault.restart_after;
    return value == kNever ? nlohmann::json() : nlohmann::json(format_duration(value));
  }
  if (field == "offset") return signed_duration(fault.offset);
  if (field == "factor") return fault.factor;
  if (field == "point") return fault.point;
  if (field == "groups") return fault.groups;
  if (field == "from") return fault.from;
  if (field == "to") return fault.to;
  SLUICE_CHECK(false, "a fault field the catalog lists has no writer in fault_fields.cc");
  return {};
}

}  // namespace

nlohmann::json fault_scenario_json(const FaultSpec& fault) {
  nlohmann::json entry = {{"at", format_duration(fault.at)}, {"kind", fault_kind_name(fault.kind)}};
  if (!is_partition(fault.kind)) entry["target"] = fault.target;
  for (std::string_view field : fault_kind_info(fault.kind).fields) {
    nlohmann::json value = scenario_value(fault, field);
    if (!value.is_null()) entry[std::string(field)] = std::move(value);
  }
  return entry;
}

void add_fault_record_fields(const FaultSpec& fault, nlohmann::json& record) {
  for (std::string_view field : fault_kind_info(fault.kind).fields) {
    if (field == "duration" || field == "restart_after") continue;
    if (field == "offset") record["offset_ns"] = fault.offset;
    else record[std::string(field)] = scenario_value(fault, field);
  }
  if (is_partition(fault.kind)) record["nodes"] = fault.nodes();
}

}  // namespace sluice
