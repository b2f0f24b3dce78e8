// The transaction coordinator's log records (Kafka's __transaction_state):
// what the coordinator must know after a crash to finish what it started.
//
//   ongoing          txn n of a writer is being appended to `partitions`
//                    (logged before the first record, so a crash mid-append
//                    leaves a trail to abort)
//   prepared         every record of txn n is durable: a pre-commit, in
//                    doubt until the checkpoint decides (Flink's 2PC)
//   prepare_commit   the decision to commit `txns` (up to `up_to`) is made;
//                    markers follow, then
//   complete_commit  every marker is durable
//   prepare_abort    the decision to abort `txns` (a fence to `epoch`, or a
//                    recovery aborting what was never prepared); markers follow
//   complete_abort   every abort marker is durable
//   state            every writer's epoch and commit point (lets the log be
//                    trimmed to it)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice {

enum class TxnLogType : char {
  ongoing = 'O',
  prepared = 'P',
  prepare_commit = 'C',
  complete_commit = 'D',
  prepare_abort = 'A',
  complete_abort = 'E',
  state = 'S',
};

struct TxnLogRecord {
  TxnLogType type = TxnLogType::state;
  std::uint64_t writer = 0;
  std::uint64_t epoch = 0;
  std::uint64_t up_to = 0;               // prepare_commit, complete_commit
  std::vector<std::uint64_t> txns{};       // the transactions the record is about
  std::vector<std::uint32_t> partitions{};  // ongoing: where the records go
  // state: (writer, epoch, committed up to) per writer.
  struct WriterState {
    std::uint64_t writer = 0;
    std::uint64_t epoch = 0;
    std::uint64_t committed_up_to = 0;
  };
  std::vector<WriterState> writers{};
};

std::string encode_txn_log_record(const TxnLogRecord& record);
// nullopt when the bytes are not a record this code wrote.
std::optional<TxnLogRecord> decode_txn_log_record(const std::string& bytes);

}  // namespace sluice
