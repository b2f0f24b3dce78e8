#include "sim/run/fault_log.h"

#include "sim/catalog/fault_kind_catalog.h"
#include "sim/run/fault_fields.h"

namespace sluice {

void FaultLog::on(const FaultBegan& rec) {
  const FaultSpec& fault = rec.fault;
  const Nanos now = runtime_.now();
  // A partition's target is a label ("a,b | c", "a -> b"); its nodes are listed apart.
  nlohmann::json record = {{"at_ns", now}, {"kind", fault_kind_name(fault.kind)}, {"target", fault.describe_targets()}};
  const Nanos lasts = fault.lasts();
  if (lasts != kNever) record["end_ns"] = now + lasts;
  add_fault_record_fields(fault, record);
  faults_.push_back(std::move(record));
}

}  // namespace sluice
