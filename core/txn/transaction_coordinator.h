// The transaction coordinator of a topic that exactly-once stages write to
// (Kafka's TransactionCoordinator, KIP-98), on the topic's broker node, with
// its log (core/txn/txn_log.h) on that node's disk.
//
// A writer (one worker of one stage: the transactional id) has an epoch; a
// restored or rebalanced worker fences its earlier epochs, which aborts their
// transactions and refuses their later requests (the zombie). Its
// transactions follow the stage's checkpoints (the Flink model of Kafka
// transactions: one transaction per writer and checkpoint):
//
//   pre-commit n   log ongoing(partitions), append the records as open,
//                  fsync the partitions, log prepared: in doubt until
//   commit <= n    (the checkpoint completed: its input offsets and operator
//                  state are durable with the checkpoint coordinator) log
//                  prepare_commit, write a commit marker in every partition
//                  the transactions touched, fsync, log complete_commit;
//   fence epoch e  log prepare_abort, abort markers, complete_abort.
//
// Recovery after a crash replays the log: a logged commit or abort decision
// is rolled forward (its markers written again where missing), an ongoing
// transaction that never became prepared is aborted, and prepared ones stay
// in doubt until the checkpoint coordinator commits them or a fence aborts them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "core/broker/partition.h"
#include "core/broker/topic_config.h"
#include "core/checkpoint/protocol.h"
#include "core/model/observer.h"
#include "core/model/txn_key.h"
#include "core/runtime/runtime.h"
#include "core/runtime/storage.h"
#include "core/txn/txn_log.h"

namespace sluice {

// A topic's coordinator listens on the base plus the topic's index.
inline constexpr Port kTxnCoordinatorPortBase = 0x5A00;

class TransactionCoordinator {
 public:
  // `partition_of` maps a key to its partition; `resolved` is called after
  // markers changed what consumers may read.
  TransactionCoordinator(Runtime& runtime, const TopicConfig& topic, std::vector<std::unique_ptr<Partition>>& partitions,
                         Port port, std::function<std::uint32_t(std::uint64_t)> partition_of,
                         std::function<void()> resolved);
  // On the broker node at every start, after the partitions recovered:
  // replays the log, finishes in-doubt decisions, then serves on its port.
  void start();
  Port port() const { return port_; }

 private:
  struct Txn {
    std::uint64_t epoch = 0;
    std::vector<std::uint32_t> partitions;
    bool prepared = false;
    std::uint64_t log_index = 0;  // its ongoing record
  };
  struct Writer {
    std::uint64_t epoch = 0;
    std::uint64_t committed_up_to = 0;
    std::map<std::uint64_t, Txn> txns;
    std::uint64_t committing_up_to = 0;  // a logged commit decision not yet complete
    std::vector<std::uint64_t> committing;
    std::vector<std::uint64_t> aborting;  // a logged abort decision not yet complete
  };
  void serve();
  void recover();
  void replay(std::uint64_t index, const TxnLogRecord& record);
  TxnStatus pre_commit(const TxnPreCommit& request);
  TxnStatus commit(const TxnCommit& request);
  TxnStatus fence(const TxnFence& request);
  // Appends and fsyncs a record of the log; returns its index.
  std::uint64_t log(const TxnLogRecord& record);
  // Writes the markers of a logged decision, makes them durable, logs completion.
  void finish_commit(std::uint64_t writer);
  void finish_abort(std::uint64_t writer);
  void write_markers(std::uint64_t writer, const std::vector<std::uint64_t>& txns, bool commit);
  // Aborts `txns` of the writer: decision, markers, completion.
  void abort(std::uint64_t writer, std::vector<std::uint64_t> txns);
  void append_state_and_trim();
  bool fencing() const { return !topic_.defects.no_fencing && !topic_.defects.no_producer_fencing; }

  Runtime& runtime_;
  const TopicConfig& topic_;
  std::vector<std::unique_ptr<Partition>>& partitions_;
  Port port_;
  std::function<std::uint32_t(std::uint64_t)> partition_of_;
  std::function<void()> resolved_;
  DurableLog* log_ = nullptr;
  std::map<std::uint64_t, Writer> writers_;  // volatile, rebuilt from the log
};

}  // namespace sluice
