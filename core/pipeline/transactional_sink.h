// A transactional sink (exactly_once): effects arrive in transactions, one
// per worker and checkpoint; a pre-commit makes a transaction durable on the
// sink's disk, a commit (sent by the checkpoint coordinator once the
// checkpoint is complete) applies its effects, a fence from a restored
// worker aborts what its earlier incarnation left uncommitted. Effects are
// applied exactly once: a transaction is committed once, and a commit is
// recorded durably before its effects are applied (nothing can block in
// between, so a crash sees both or neither).
//
// A daemon fiber on the sink's node serves every request; after a restart it
// rebuilds the pending transactions from its log.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/checkpoint/protocol.h"
#include "core/model/observer.h"
#include "core/runtime/runtime.h"
#include "core/runtime/storage.h"

namespace sluice {

class TransactionalSink {
 public:
  // `fencing` false is the no_fencing defect: epochs fence nothing.
  TransactionalSink(Runtime& runtime, Observer& observer, SinkIndex index, std::string name, NodeId node,
                    bool fencing = true);
  // Registers the server with the node's start-up.
  void install();
  Port port() const { return kTxnSinkPortBase + index_; }
  NodeId node() const { return node_; }

 private:
  struct Pending {
    std::uint64_t epoch;
    std::vector<Event> effects;
    std::uint64_t log_index;
  };
  struct Writer {
    std::uint64_t epoch = 0;
    CheckpointId committed_up_to = 0;
    std::map<CheckpointId, Pending> pending;  // pre-committed, by transaction
  };
  void serve();
  void recover();
  TxnStatus pre_commit(const TxnPreCommit& request);
  void commit(const TxnCommit& request);
  void fence(const TxnFence& request);
  // Applies a log record to the in-memory view (at recovery and as written).
  void replay(std::uint64_t index, const std::string& record);
  // Writes every writer's epoch and commit point, durably.
  void append_state();
  void trim_log();

  Runtime& runtime_;
  Observer& observer_;
  SinkIndex index_;
  std::string name_;
  NodeId node_;
  bool fencing_;
  DurableLog* log_ = nullptr;
  std::map<TxnWriter, Writer> writers_;  // volatile, rebuilt from the log
};

}  // namespace sluice
