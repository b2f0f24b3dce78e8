#include "core/txn/transaction_coordinator.h"

#include <algorithm>
#include <any>
#include <set>
#include <utility>

#include "core/broker/protocol.h"
#include "core/check.h"
#include "core/runtime/fault_points.h"
#include "core/runtime/rpc.h"

namespace sluice {

TransactionCoordinator::TransactionCoordinator(Runtime& runtime, const TopicConfig& topic,
                                               std::vector<std::unique_ptr<Partition>>& partitions, Port port,
                                               std::function<std::uint32_t(std::uint64_t)> partition_of,
                                               std::function<void()> resolved)
    : runtime_(runtime),
      topic_(topic),
      partitions_(partitions),
      port_(port),
      partition_of_(std::move(partition_of)),
      resolved_(std::move(resolved)) {}

void TransactionCoordinator::start() {
  recover();
  runtime_.spawn(topic_.node, "txn coordinator " + topic_.name, [this] { serve(); }, SpawnOptions{.daemon = true});
}

std::uint64_t TransactionCoordinator::log(const TxnLogRecord& record) {
  const std::uint64_t index = log_->append(encode_txn_log_record(record));
  log_->fsync();
  return index;
}

void TransactionCoordinator::recover() {
  log_ = &runtime_.log("txnlog/" + topic_.name);
  writers_.clear();
  for (std::uint64_t i = log_->first_index(); i < log_->size(); ++i) {
    const ReadResult bytes = log_->read(i);
    std::optional<TxnLogRecord> record = bytes.ok() ? decode_txn_log_record(bytes.bytes) : std::nullopt;
    // A torn tail (a crash mid-write) was never acted on: cut it.
    if (!record) {
      log_->truncate(i);
      break;
    }
    replay(i, *record);
  }
  // Roll forward every logged decision; abort what never became prepared.
  std::vector<std::uint64_t> ids;
  for (const auto& [writer, state] : writers_) ids.push_back(writer);
  for (std::uint64_t writer : ids) {
    if (!writers_[writer].committing.empty()) finish_commit(writer);
    if (!writers_[writer].aborting.empty()) finish_abort(writer);
    std::vector<std::uint64_t> unprepared;
    for (const auto& [txn, t] : writers_[writer].txns) {
      if (!t.prepared) unprepared.push_back(txn);
    }
    if (!unprepared.empty()) abort(writer, std::move(unprepared));
  }
  resolved_();
}

void TransactionCoordinator::replay(std::uint64_t index, const TxnLogRecord& record) {
  Writer& w = writers_[record.writer];
  switch (record.type) {
    case TxnLogType::ongoing:
      w.txns[record.txns.at(0)] = Txn{record.epoch, record.partitions, false, index};
      break;
    case TxnLogType::prepared:
      if (auto t = w.txns.find(record.txns.at(0)); t != w.txns.end()) t->second.prepared = true;
      break;
    case TxnLogType::prepare_commit:
      w.committing = record.txns;
      w.committing_up_to = record.up_to;
      break;
    case TxnLogType::complete_commit:
      for (std::uint64_t txn : record.txns) w.txns.erase(txn);
      w.committed_up_to = std::max(w.committed_up_to, record.up_to);
      w.committing.clear();
      break;
    case TxnLogType::prepare_abort:
      w.epoch = std::max(w.epoch, record.epoch);
      w.aborting = record.txns;
      break;
    case TxnLogType::complete_abort:
      for (std::uint64_t txn : record.txns) w.txns.erase(txn);
      w.aborting.clear();
      break;
    case TxnLogType::state:
      for (const TxnLogRecord::WriterState& s : record.writers) {
        Writer& sw = writers_[s.writer];
        sw.epoch = std::max(sw.epoch, s.epoch);
        sw.committed_up_to = std::max(sw.committed_up_to, s.committed_up_to);
      }
      break;
    default:
      SLUICE_CHECK(false, "an unknown record in a transaction coordinator's log");
  }
}

void TransactionCoordinator::serve() {
  Message request;
  while (runtime_.receive(port_, request)) {
    TxnStatus status = TxnStatus::ok;
    if (const auto* pre = std::any_cast<TxnPreCommit>(&request.body)) {
      status = pre_commit(*pre);
    } else if (const auto* commit_request = std::any_cast<TxnCommit>(&request.body)) {
      status = commit(*commit_request);
    } else if (const auto* fence_request = std::any_cast<TxnFence>(&request.body)) {
      status = fence(*fence_request);
    } else {
      SLUICE_CHECK(false, "a transaction coordinator request of an unknown type");
    }
    reply(runtime_, request, Message{.size_bytes = kRequestEnvelopeBytes, .body = status});
  }
}

// Appends the transaction's records as open, then makes them durable before
// saying prepared: a prepared transaction can always be committed.
TxnStatus TransactionCoordinator::pre_commit(const TxnPreCommit& request) {
  const std::uint64_t writer = writer_id(request.writer);
  Writer& w = writers_[writer];
  if (fencing() && request.epoch < w.epoch) return TxnStatus::fenced;  // a zombie's transaction
  if (request.txn <= w.committed_up_to) return TxnStatus::ok;         // a retry of a committed one
  if (auto t = w.txns.find(request.txn); t != w.txns.end() && t->second.prepared) return TxnStatus::ok;  // a retry
  std::set<std::uint32_t> touched;
  for (const Event& event : request.effects) touched.insert(partition_of_(event.key));
  Txn txn{request.epoch, std::vector<std::uint32_t>(touched.begin(), touched.end()), false, 0};
  txn.log_index = log(TxnLogRecord{.type = TxnLogType::ongoing, .writer = writer, .epoch = request.epoch,
                                   .txns = {request.txn}, .partitions = txn.partitions});
  writers_[writer].txns[request.txn] = txn;
  const TxnKey key{writer, request.txn};
  for (const Event& event : request.effects) {
    const ProduceReply appended = partitions_[partition_of_(event.key)]->append(event, false, key);
    if (appended.status != ProduceStatus::appended) {
      // A full partition: the transaction cannot be prepared; the worker
      // keeps its records and offers them again with its next barrier.
      abort(writer, {request.txn});
      return TxnStatus::refused;
    }
  }
  runtime_.fault_point(kTxnAfterAppend);
  for (std::uint32_t p : touched) partitions_[p]->fsync();
  log(TxnLogRecord{.type = TxnLogType::prepared, .writer = writer, .epoch = request.epoch, .txns = {request.txn}});
  writers_[writer].txns[request.txn].prepared = true;
  resolved_();  // read_uncommitted consumers may read them now
  return TxnStatus::ok;
}

TxnStatus TransactionCoordinator::commit(const TxnCommit& request) {
  const std::uint64_t writer = writer_id(request.writer);
  Writer& w = writers_[writer];
  if (request.up_to <= w.committed_up_to) return TxnStatus::ok;  // a retry
  std::vector<std::uint64_t> txns;
  for (const auto& [txn, t] : w.txns) {
    if (txn <= request.up_to && t.prepared) txns.push_back(txn);
  }
  log(TxnLogRecord{.type = TxnLogType::prepare_commit, .writer = writer, .up_to = request.up_to, .txns = txns});
  w.committing = txns;
  w.committing_up_to = request.up_to;
  runtime_.fault_point(kTxnAfterPrepareCommit);
  finish_commit(writer);
  return TxnStatus::ok;
}

TxnStatus TransactionCoordinator::fence(const TxnFence& request) {
  // The no_producer_fencing defect: the epoch moves nowhere, the zombie's
  // transactions stay pending and its later requests are accepted.
  if (!fencing()) return TxnStatus::ok;
  const std::uint64_t writer = writer_id(request.writer);
  Writer& w = writers_[writer];
  if (request.epoch <= w.epoch) return TxnStatus::ok;
  w.epoch = request.epoch;
  std::vector<std::uint64_t> txns;
  for (const auto& [txn, t] : w.txns) txns.push_back(txn);  // every one is of an older epoch
  abort(writer, std::move(txns));
  return TxnStatus::ok;
}

void TransactionCoordinator::abort(std::uint64_t writer, std::vector<std::uint64_t> txns) {
  Writer& w = writers_[writer];
  log(TxnLogRecord{.type = TxnLogType::prepare_abort, .writer = writer, .epoch = w.epoch, .txns = txns});
  w.aborting = std::move(txns);
  runtime_.fault_point(kTxnDuringAbort);
  finish_abort(writer);
}

void TransactionCoordinator::finish_commit(std::uint64_t writer) {
  Writer& w = writers_[writer];
  const std::vector<std::uint64_t> txns = w.committing;
  write_markers(writer, txns, true);
  const std::uint64_t up_to = w.committing_up_to;
  log(TxnLogRecord{.type = TxnLogType::complete_commit, .writer = writer, .up_to = up_to, .txns = txns});
  Writer& after = writers_[writer];
  for (std::uint64_t txn : txns) after.txns.erase(txn);
  after.committed_up_to = std::max(after.committed_up_to, up_to);
  after.committing.clear();
  append_state_and_trim();
}

void TransactionCoordinator::finish_abort(std::uint64_t writer) {
  const std::vector<std::uint64_t> txns = writers_[writer].aborting;
  write_markers(writer, txns, false);
  log(TxnLogRecord{.type = TxnLogType::complete_abort, .writer = writer, .txns = txns});
  Writer& after = writers_[writer];
  for (std::uint64_t txn : txns) after.txns.erase(txn);
  after.aborting.clear();
  append_state_and_trim();
}

// Partition by partition (a crash between two is rolled forward), then
// every marker durable before the decision is logged complete.
void TransactionCoordinator::write_markers(std::uint64_t writer, const std::vector<std::uint64_t>& txns, bool commit) {
  std::set<std::uint32_t> touched;
  for (std::uint64_t txn : txns) {
    auto t = writers_[writer].txns.find(txn);
    if (t != writers_[writer].txns.end()) touched.insert(t->second.partitions.begin(), t->second.partitions.end());
  }
  const bool written = commit || !topic_.defects.abort_markers_lost;
  bool first = true;
  for (std::uint32_t p : touched) {
    if (!first) runtime_.fault_point(kTxnBetweenMarkers);
    first = false;
    for (std::uint64_t txn : txns) {
      auto t = writers_[writer].txns.find(txn);
      if (t == writers_[writer].txns.end()) continue;
      const std::vector<std::uint32_t>& in = t->second.partitions;
      if (std::find(in.begin(), in.end(), p) == in.end()) continue;
      partitions_[p]->write_marker(TxnMarker{TxnKey{writer, txn}, t->second.epoch, commit}, written);
    }
  }
  for (std::uint32_t p : touched) partitions_[p]->fsync_markers();
  resolved_();
}

// Keeps the log to the live transactions' records and one state table.
void TransactionCoordinator::append_state_and_trim() {
  TxnLogRecord state{.type = TxnLogType::state};
  std::uint64_t keep_from = log_->size();
  for (const auto& [writer, w] : writers_) {
    state.writers.push_back({writer, w.epoch, w.committed_up_to});
    if (!w.committing.empty() || !w.aborting.empty()) return;  // a decision in progress: keep everything
    for (const auto& [txn, t] : w.txns) keep_from = std::min(keep_from, t.log_index);
  }
  // Only every so often: a state table per commit would double the log's writes.
  constexpr std::uint64_t kTrimEvery = 64;
  if (log_->size() - log_->first_index() < kTrimEvery) return;
  log(state);
  keep_from = std::min(keep_from, log_->size() - 1);
  if (keep_from > log_->first_index()) log_->trim_front(std::min(keep_from, log_->durable_size()));
}

}  // namespace sluice
