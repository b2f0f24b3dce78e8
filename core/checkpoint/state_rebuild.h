// How a worker rebuilds a partition's state from a changelog or standby
// restore answer (worker_checkpoints.cc calls it after the coordinator
// answered): promote a warm replica, its own or another worker's, and
// replay the changelog tail it misses; or replay the whole changelog.
// Every replayed record is written to the worker's local state store, so
// the replay costs the disk's write latency per record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/checkpoint/keyed_state.h"
#include "core/checkpoint/protocol.h"
#include "core/checkpoint/standby_replicas.h"
#include "core/runtime/runtime.h"

namespace sluice {

struct RebuiltState {
  KeyedState state;
  std::uint64_t records_replayed = 0;
  std::uint64_t bytes_read = 0;  // changelog records and a promoted replica's state, as transferred
  std::string promoted_node;     // the node whose replica was promoted; empty: none
};

// nullopt: the replica named is gone or behind (its node crashed, or it
// started over): the caller asks for a restore again.
std::optional<RebuiltState> rebuild_state(Runtime& runtime, const OperatorSpec& op, StageIndex stage, std::uint32_t worker,
                                          StandbyReplicas* replicas, const RestoredPartition& restored, Nanos rpc_timeout);

}  // namespace sluice
