#include "core/checkpoint/state_rebuild.h"

#include <utility>
#include <vector>

#include "core/check.h"
#include "core/runtime/rpc.h"

namespace sluice {

std::optional<RebuiltState> rebuild_state(Runtime& runtime, const OperatorSpec& op, StageIndex stage, std::uint32_t worker,
                                          StandbyReplicas* replicas, const RestoredPartition& restored, Nanos rpc_timeout) {
  SLUICE_CHECK(restored.changelog.has_value(), "a changelog restore without its records");
  const ChangelogRestore& log = *restored.changelog;
  RebuiltState out{KeyedState(op), 0, log.records.size() * kChangelogRecordBytes, ""};
  std::uint64_t position = 0;
  if (log.local_replica || log.standby) {
    std::optional<StandbyReplicas::Replica> replica;
    if (log.local_replica) {
      if (replicas != nullptr) replica = replicas->take(restored.partition);
      out.promoted_node = runtime.node_name(runtime.current_node());
    } else {
      std::optional<StandbyState> remote = call_for<StandbyState>(
          runtime, log.standby_node, standby_port(stage, *log.standby),
          Message{.size_bytes = kRequestEnvelopeBytes, .body = StandbyHandOver{restored.partition}}, rpc_timeout);
      if (remote && remote->ok) {
        replica = StandbyReplicas::Replica{KeyedState(op), remote->position};
        if (!replica->state.apply_snapshot(remote->state)) replica.reset();
        out.bytes_read += remote->state.size();
        out.promoted_node = runtime.node_name(log.standby_node);
      }
    }
    // Behind the position the answer's records start from: it cannot be used.
    if (!replica || replica->position < log.from) return std::nullopt;
    out.state = std::move(replica->state);
    position = replica->position;
  }
  std::vector<ChangelogRecord> tail;
  for (const ChangelogRecord& r : log.records) {
    if (r.offset >= position) tail.push_back(r);
  }
  out.records_replayed = write_to_state_store(state_store(runtime, stage, worker), restored.partition, tail, 0);
  if (!tail.empty()) SLUICE_CHECK(out.state.apply_snapshot(records_as_delta(tail, 0)), "changelog records do not decode");
  return out;
}

}  // namespace sluice
