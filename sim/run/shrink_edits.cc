#include "sim/run/shrink_edits.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "sim/run/fault_fields.h"
#include "sim/run/shrink.h"
#include "sim/scenario/units.h"

namespace sluice {
namespace {

Nanos round_to(Nanos value, Nanos step, Nanos at_least) {
  return std::max(at_least, (value + step / 2) / step * step);
}

}  // namespace

nlohmann::json with_explicit_expectations(const nlohmann::json& document, const ExpectSpec& expect) {
  nlohmann::json out = document;
  out["expect"] = {{"hold", expect.hold}, {"violate", expect.violate}};
  return out;
}

nlohmann::json with_swarm_replaced(const nlohmann::json& document, const std::vector<FaultSpec>& drawn) {
  nlohmann::json out = document;
  nlohmann::json& faults = out["faults"];
  if (faults.is_null()) faults = nlohmann::json::array();
  for (const FaultSpec& fault : drawn) faults.push_back(fault_scenario_json(fault));
  out.erase("swarm");
  if (out.contains("run")) out["run"].erase("faults_end");
  return out;
}

nlohmann::json with_fault_times_rounded(const nlohmann::json& document, Nanos step) {
  nlohmann::json out = document;
  if (!out.contains("faults")) return out;
  for (nlohmann::json& fault : out["faults"]) {
    for (const char* field : {"at", "duration", "restart_after"}) {
      if (!fault.contains(field) || !fault[field].is_string()) continue;
      std::optional<Nanos> value = parse_duration(fault[field].get<std::string>(), nullptr);
      if (!value || *value % kNanosPerMilli == 0) continue;  // written by hand: keep it
      fault[field] = format_duration(round_to(*value, step, std::string_view(field) == "at" ? 0 : step));
    }
  }
  return out;
}

nlohmann::json without_items(const nlohmann::json& array, std::size_t from, std::size_t count,
                             const std::function<bool(const nlohmann::json&)>& pinned) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (i < from || i >= from + count || pinned(array[i])) out.push_back(array[i]);
  }
  return out;
}

std::string scenario_file_text(const nlohmann::json& scenario) {
  // nlohmann::json sorts keys; a reader expects the name first and expect last.
  static const char* const kOrder[] = {"$schema", "name",  "description", "seed",   "strategy", "perturb", "run",
                                       "sources", "buffers", "stages",    "sinks",  "faults",   "swarm",
                                       "expect"};
  nlohmann::ordered_json ordered = nlohmann::ordered_json::object();
  for (const char* key : kOrder) {
    if (scenario.contains(key)) ordered[key] = nlohmann::ordered_json::parse(scenario[key].dump());
  }
  for (const auto& [key, value] : scenario.items()) {
    if (!ordered.contains(key)) ordered[key] = nlohmann::ordered_json::parse(value.dump());
  }
  return ordered.dump(2) + "\n";
}

}  // namespace sluice
