#include "sim/run/fault_log.h"

#include "sim/catalog/fault_kind_catalog.h"
#include "sim/run/fault_fields.h"

namespace sluice {

nlohmann::json fault_json(const FaultSpec& fault, Nanos at) {
  // A partition's target is a label ("a,b | c", "a -> b"); its nodes are listed apart.
  nlohmann::json record = {{"at_ns", at}, {"kind", fault_kind_name(fault.kind)}, {"target", fault.describe_targets()}};
  const Nanos lasts = fault.lasts();
  if (lasts != kNever) record["end_ns"] = at + lasts;
  add_fault_record_fields(fault, record);
  return record;
}

void FaultLog::on(const FaultBegan& rec) { faults_.push_back(fault_json(rec.fault, runtime_.now())); }

}  // namespace sluice
