#include "sim/run/failover_records.h"

#include "sim/catalog/fault_kind_catalog.h"

namespace sluice {

void FailoverRecords::crash_changed(const FaultSpec& fault, bool begins) {
  if (fault.kind != FaultKind::crash && fault.kind != FaultKind::crash_at_point) return;
  const Nanos now = runtime_.now();
  const std::uint64_t pending = progress_.checker().pending();
  for (const std::string& node : fault.nodes()) {
    if (begins) record_.crashed(now, node, fault_kind_name(fault.kind), pending);
    else record_.restarted(now, node, pending);
  }
}

}  // namespace sluice
