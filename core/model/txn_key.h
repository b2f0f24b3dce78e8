// Names a transaction in a partition: the writer (one worker of one stage,
// Kafka's transactional id) and the transaction's number (the checkpoint it
// belongs to, Flink's 2PC over Kafka transactions: one transaction per
// writer and checkpoint). Transaction numbers start at 1; txn 0 names a
// record appended outside any transaction.
#pragma once

#include <compare>
#include <cstdint>

#include "core/model/event.h"

namespace sluice {

// One worker of one stage: the writer of transactions (one per checkpoint).
struct TxnWriter {
  StageIndex stage = 0;
  std::uint32_t worker = 0;
  bool operator<(const TxnWriter& other) const {
    return stage != other.stage ? stage < other.stage : worker < other.worker;
  }
};

struct TxnKey {
  std::uint64_t writer = 0;  // stage << 32 | worker
  std::uint64_t txn = 0;     // 0: not transactional
  auto operator<=>(const TxnKey&) const = default;
  bool transactional() const { return txn != 0; }
};

constexpr std::uint64_t writer_id(const TxnWriter& writer) {
  return static_cast<std::uint64_t>(writer.stage) << 32 | writer.worker;
}
constexpr TxnWriter writer_of(std::uint64_t id) {
  return TxnWriter{static_cast<StageIndex>(id >> 32), static_cast<std::uint32_t>(id & 0xffffffffULL)};
}

// A control record in a partition's marker log: the transaction's records in
// that partition are committed (visible to read_committed consumers) or
// aborted (never delivered to them).
struct TxnMarker {
  TxnKey key;
  std::uint64_t epoch = 0;
  bool commit = false;
};

}  // namespace sluice
