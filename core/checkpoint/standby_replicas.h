// One worker's warm standby replicas (the standby state backend, after
// Kafka Streams' StandbyTask): for each partition the checkpoint
// coordinator names it for, the committed state as of a changelog position,
// kept current by polling the coordinator every checkpoint interval. Every
// record applied is a write to the worker's local state store (its node's
// disk), which is what a replica's lag and a replay cost in virtual time.
//
// A replica lives in the worker's memory: reset() at every start of its
// node, so a crashed node's replicas re-bootstrap from the changelog.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "core/checkpoint/changelog.h"
#include "core/checkpoint/keyed_state.h"
#include "core/checkpoint/standby_protocol.h"
#include "core/runtime/runtime.h"
#include "core/runtime/storage.h"

namespace sluice {

// Writes `records` from position `from` on to the worker's local state
// store, one put per record (takes the disk's write latency each). Returns
// how many were written.
std::uint64_t write_to_state_store(KvStore& store, std::uint32_t partition, const std::vector<ChangelogRecord>& records,
                                   std::uint64_t from);
// The worker's local state store, on the calling fiber's node.
KvStore& state_store(Runtime& runtime, StageIndex stage, std::uint32_t worker);

struct StandbyConfig {
  StageIndex stage = 0;
  std::uint32_t worker = 0;
  OperatorSpec op;
  NodeId coordinator_node = 0;
  Port coordinator_port = 0;
  Nanos poll_interval = kNanosPerSecond;
  Nanos rpc_timeout = 500 * kNanosPerMilli;
};

class StandbyReplicas {
 public:
  struct Replica {
    KeyedState state;
    std::uint64_t position = 0;  // the next changelog offset it needs
  };
  StandbyReplicas(Runtime& runtime, StandbyConfig config) : runtime_(runtime), config_(config) {}

  void reset() { replicas_.clear(); }
  // At every start of the worker's node: the poller and the hand-over server.
  void start(NodeId node);
  std::vector<std::pair<std::uint32_t, std::uint64_t>> positions() const;
  // Promotes the local replica of `partition`: removes and returns it.
  std::optional<Replica> take(std::uint32_t partition);

 private:
  void poll_loop();
  void serve();
  void apply(const StandbyFeed& feed);

  Runtime& runtime_;
  StandbyConfig config_;
  std::map<std::uint32_t, Replica> replicas_;
};

}  // namespace sluice
