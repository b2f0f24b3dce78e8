#include "core/txn/txn_log.h"

#include "core/runtime/le_bytes.h"

namespace sluice {

std::string encode_txn_log_record(const TxnLogRecord& record) {
  std::string out(1, static_cast<char>(record.type));
  put_le(out, record.writer);
  put_le(out, record.epoch);
  put_le(out, record.up_to);
  put_le(out, record.txns.size(), 4);
  for (std::uint64_t txn : record.txns) put_le(out, txn);
  put_le(out, record.partitions.size(), 4);
  for (std::uint32_t partition : record.partitions) put_le(out, partition, 4);
  put_le(out, record.writers.size(), 4);
  for (const TxnLogRecord::WriterState& w : record.writers) {
    put_le(out, w.writer);
    put_le(out, w.epoch);
    put_le(out, w.committed_up_to);
  }
  return out;
}

std::optional<TxnLogRecord> decode_txn_log_record(const std::string& bytes) {
  if (bytes.empty()) return std::nullopt;
  const std::string_view in(bytes);
  TxnLogRecord record;
  record.type = static_cast<TxnLogType>(bytes[0]);
  std::size_t at = 1;
  if (!fits(in, at, 28)) return std::nullopt;
  record.writer = get_le(in, at);
  record.epoch = get_le(in, at);
  record.up_to = get_le(in, at);
  const std::uint64_t txns = get_le(in, at, 4);
  if (!fits(in, at, static_cast<int>(txns * 8 + 4))) return std::nullopt;
  for (std::uint64_t i = 0; i < txns; ++i) record.txns.push_back(get_le(in, at));
  const std::uint64_t partitions = get_le(in, at, 4);
  if (!fits(in, at, static_cast<int>(partitions * 4 + 4))) return std::nullopt;
  for (std::uint64_t i = 0; i < partitions; ++i) record.partitions.push_back(static_cast<std::uint32_t>(get_le(in, at, 4)));
  const std::uint64_t writers = get_le(in, at, 4);
  if (!fits(in, at, static_cast<int>(writers * 24))) return std::nullopt;
  for (std::uint64_t i = 0; i < writers; ++i) {
    TxnLogRecord::WriterState w;
    w.writer = get_le(in, at);
    w.epoch = get_le(in, at);
    w.committed_up_to = get_le(in, at);
    record.writers.push_back(w);
  }
  return record;
}

}  // namespace sluice
