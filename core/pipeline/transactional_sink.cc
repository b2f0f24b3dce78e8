#include "core/pipeline/transactional_sink.h"

#include <algorithm>
#include <any>
#include <utility>

#include "core/check.h"
#include "core/model/event_codec.h"
#include "core/runtime/le_bytes.h"
#include "core/runtime/rpc.h"

namespace sluice {
namespace {

// Log records: a pre-committed transaction ('P'), or the table of every
// writer's epoch and commit point ('S', written at each commit and fence).
constexpr char kPreCommit = 'P';
constexpr char kState = 'S';

}  // namespace

TransactionalSink::TransactionalSink(Runtime& runtime, Observer& observer, SinkIndex index, std::string name, NodeId node,
                                     bool fencing)
    : runtime_(runtime), observer_(observer), index_(index), name_(std::move(name)), node_(node), fencing_(fencing) {}

void TransactionalSink::install() {
  runtime_.on_node_start(node_, [this] {
    runtime_.spawn(node_, "sink " + name_ + " transactions", [this] { serve(); }, SpawnOptions{.daemon = true});
  });
}

void TransactionalSink::recover() {
  log_ = &runtime_.log("txn/" + name_);
  writers_.clear();
  for (std::uint64_t i = log_->first_index(); i < log_->size(); ++i) {
    ReadResult record = log_->read(i);
    // A torn tail (a crash mid-write) was never acknowledged: cut it.
    if (!record.ok()) {
      log_->truncate(i);
      break;
    }
    replay(i, record.bytes);
  }
}

void TransactionalSink::replay(std::uint64_t index, const std::string& record) {
  std::size_t at = 1;
  if (record[0] == kPreCommit) {
    TxnWriter writer{static_cast<StageIndex>(get_le(record, at, 4)), static_cast<std::uint32_t>(get_le(record, at, 4))};
    const std::uint64_t epoch = get_le(record, at);
    const CheckpointId txn = get_le(record, at);
    const std::uint64_t count = get_le(record, at);
    Pending pending{epoch, {}, index};
    for (std::uint64_t i = 0; i < count; ++i, at += kEncodedEventBytes) {
      std::optional<Event> event = decode_event(std::string_view(record).substr(at, kEncodedEventBytes));
      SLUICE_CHECK(event.has_value(), "a pre-committed transaction that passed its checksum fails to decode");
      pending.effects.push_back(*event);
    }
    Writer& w = writers_[writer];
    if (epoch >= w.epoch && txn > w.committed_up_to) w.pending.insert_or_assign(txn, std::move(pending));
    return;
  }
  SLUICE_CHECK(record[0] == kState, "an unknown record in a transactional sink's log");
  const std::uint64_t count = get_le(record, at);
  for (std::uint64_t i = 0; i < count; ++i) {
    TxnWriter writer{static_cast<StageIndex>(get_le(record, at, 4)), static_cast<std::uint32_t>(get_le(record, at, 4))};
    Writer& w = writers_[writer];
    w.epoch = get_le(record, at);
    w.committed_up_to = get_le(record, at);
    for (auto it = w.pending.begin(); it != w.pending.end();) {
      const bool done = it->first <= w.committed_up_to || it->second.epoch < w.epoch;
      it = done ? w.pending.erase(it) : std::next(it);
    }
  }
}

void TransactionalSink::serve() {
  recover();
  Message request;
  while (runtime_.receive(port(), request)) {
    TxnStatus status = TxnStatus::ok;
    if (const auto* pre = std::any_cast<TxnPreCommit>(&request.body)) {
      status = pre_commit(*pre);
    } else if (const auto* commit_request = std::any_cast<TxnCommit>(&request.body)) {
      commit(*commit_request);
    } else if (const auto* fence_request = std::any_cast<TxnFence>(&request.body)) {
      fence(*fence_request);
    } else {
      SLUICE_CHECK(false, "a transactional sink request of an unknown type");
    }
    reply(runtime_, request, Message{.size_bytes = kRequestEnvelopeBytes, .body = status});
  }
}

TxnStatus TransactionalSink::pre_commit(const TxnPreCommit& request) {
  Writer& w = writers_[request.writer];
  if (fencing_ && request.epoch < w.epoch) return TxnStatus::fenced;  // a zombie's transaction
  if (request.txn <= w.committed_up_to || w.pending.count(request.txn) != 0) return TxnStatus::ok;  // a retry
  std::string record(1, kPreCommit);
  put_le(record, request.writer.stage, 4);
  put_le(record, request.writer.worker, 4);
  put_le(record, request.epoch);
  put_le(record, request.txn);
  put_le(record, request.effects.size());
  for (const Event& event : request.effects) record += encode_event(event);
  const std::uint64_t index = log_->append(record);
  log_->fsync();
  replay(index, record);
  return TxnStatus::ok;
}

void TransactionalSink::commit(const TxnCommit& request) {
  Writer& w = writers_[request.writer];
  if (request.up_to <= w.committed_up_to) return;  // a retry
  std::vector<Pending> applying;
  for (auto it = w.pending.begin(); it != w.pending.end() && it->first <= request.up_to;) {
    applying.push_back(std::move(it->second));
    it = w.pending.erase(it);
  }
  w.committed_up_to = request.up_to;
  append_state();
  // Durable first, then applied, with nothing that could block in between.
  for (const Pending& pending : applying) {
    for (const Event& event : pending.effects) observer_.on(Effect{index_, event});
  }
  trim_log();
}

void TransactionalSink::fence(const TxnFence& request) {
  if (!fencing_) return;  // the no_fencing defect: a restored writer's old transactions stay pending
  Writer& w = writers_[request.writer];
  if (request.epoch <= w.epoch) return;
  w.epoch = request.epoch;
  for (auto it = w.pending.begin(); it != w.pending.end();) {
    it = it->second.epoch < w.epoch ? w.pending.erase(it) : std::next(it);
  }
  runtime_.trace(0x7F0CE000'0000'0000ULL ^ (static_cast<std::uint64_t>(request.writer.worker) << 32) ^ request.epoch);
  append_state();
  trim_log();
}

void TransactionalSink::append_state() {
  std::string record(1, kState);
  put_le(record, writers_.size());
  for (const auto& [writer, state] : writers_) {
    put_le(record, writer.stage, 4);
    put_le(record, writer.worker, 4);
    put_le(record, state.epoch);
    put_le(record, state.committed_up_to);
  }
  log_->append(record);
  log_->fsync();
}

// Keeps the log to the pending transactions and the last state table.
void TransactionalSink::trim_log() {
  std::uint64_t keep_from = log_->size() - 1;  // the state table just written
  for (const auto& [writer, state] : writers_) {
    for (const auto& [txn, pending] : state.pending) keep_from = std::min(keep_from, pending.log_index);
  }
  if (keep_from > log_->first_index()) log_->trim_front(std::min(keep_from, log_->durable_size()));
}

}  // namespace sluice
