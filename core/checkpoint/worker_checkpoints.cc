#include "core/checkpoint/worker_checkpoints.h"

#include <any>
#include <utility>

#include "core/check.h"
#include "core/checkpoint/state_rebuild.h"
#include "core/runtime/fault_points.h"
#include "core/runtime/rpc.h"

namespace sluice {
namespace {

template <typename Reply, typename Request>
std::optional<Reply> ask(Runtime& runtime, NodeId node, Port port, Request body, std::uint64_t bytes, Nanos timeout) {
  return call_for<Reply>(runtime, node, port, Message{.size_bytes = wire_bytes(bytes), .body = std::move(body)}, timeout);
}

}  // namespace

WorkerCheckpoints::WorkerCheckpoints(Runtime& runtime, Observer& observer, WorkerCheckpointConfig config)
    : runtime_(runtime), observer_(observer), config_(config) {
  if (config_.exactly_once && config_.op.backend == StateBackend::standby) {
    standbys_ = std::make_unique<StandbyReplicas>(
        runtime, StandbyConfig{.stage = config_.stage, .worker = config_.worker, .op = config_.op,
                               .coordinator_node = config_.coordinator_node, .coordinator_port = config_.coordinator_port,
                               .poll_interval = config_.checkpoint.interval, .rpc_timeout = config_.rpc_timeout});
  }
}

void WorkerCheckpoints::reset() {
  partitions_.clear();
  open_txn_.clear();
  epoch_ = 0;
  if (standbys_) standbys_->reset();
}

void WorkerCheckpoints::start(NodeId node) {
  if (standbys_) standbys_->start(node);
}

WorkerCheckpoints::PartitionState& WorkerCheckpoints::state_of(std::uint32_t partition) {
  return partitions_.try_emplace(partition, PartitionState{KeyedState(config_.op), 0, 0, {}}).first->second;
}

void WorkerCheckpoints::apply(std::uint32_t partition, const Event& event) {
  if (config_.op.kind == OperatorKind::none) return;
  state_of(partition).state.apply(event);
}

PartitionSnapshot WorkerCheckpoints::snapshot(std::uint32_t partition, CheckpointId id, std::uint64_t offset) {
  PartitionState& p = state_of(partition);
  // Incremental unless there is no completed base yet or the chain is long.
  // A changelog takes deltas only: a full snapshot would append every key again.
  const bool full = p.base == 0 || (!uses_changelog(config_.op.backend) && id - p.last_full >= config_.checkpoint.full_every);
  PartitionSnapshot out{.partition = partition,
                        .offset = offset,
                        .base = full ? id : p.base,
                        .bytes = full ? p.state.encode_full() : p.state.encode_delta(),
                        .digest = p.state.digest()};
  p.taken[id] = {p.state.mark(), full};
  return out;
}

BarrierOutcome WorkerCheckpoints::on_barrier(CheckpointId id, Generation generation,
                                             const std::vector<PartitionOffset>& offsets) {
  runtime_.fault_point(kBeforeSnapshot);
  BarrierAck ack{.id = id, .worker = config_.worker, .generation = generation, .epoch = epoch_, .partitions = {}};
  std::uint64_t bytes = kRequestEnvelopeBytes;
  for (const PartitionOffset& po : offsets) {
    ack.partitions.push_back(snapshot(po.partition, id, po.offset));
    bytes += ack.partitions.back().bytes.size();
  }
  // The transaction goes to the sink whole; a lost reply makes this a retry there.
  TxnPreCommit pre{TxnWriter{config_.stage, config_.worker}, epoch_, id, open_txn_};
  std::uint64_t pre_bytes = kRequestEnvelopeBytes;
  for (const Event& event : open_txn_) pre_bytes += event.size_bytes;
  // Both requests are retried until the checkpoint would time out anyway:
  // a lost message must not cost the checkpoint.
  const Nanos give_up = runtime_.now() + config_.checkpoint.timeout;
  const auto until_answered = [&](NodeId node, Port port, const auto& body, std::uint64_t size) {
    std::optional<TxnStatus> status;
    while (!status && runtime_.now() < give_up) {
      status = ask<TxnStatus>(runtime_, node, port, body, size, config_.rpc_timeout);
    }
    return status;
  };
  // Every participant prepares the same transaction (a fan-out sends each
  // effect down every output).
  for (std::size_t i = 0; i <= config_.more_sinks.size(); ++i) {
    const auto [node, port] = i == 0 ? std::pair{config_.sink_node, config_.sink_port} : config_.more_sinks[i - 1];
    std::optional<TxnStatus> status = until_answered(node, port, pre, pre_bytes);
    // No answer: the transaction may or may not be at the sink. Sending its
    // effects again under the next barrier could apply them twice, so the
    // worker must restore (its fence aborts whatever landed). Likewise when
    // one participant refused after another prepared.
    if (!status || *status == TxnStatus::refused) return BarrierOutcome::in_doubt;
    if (*status != TxnStatus::ok) return i == 0 ? BarrierOutcome::not_acked : BarrierOutcome::in_doubt;
  }
  open_txn_.clear();  // pre-committed: committed with this or a later checkpoint, or fenced
  std::optional<TxnStatus> acked = until_answered(config_.coordinator_node, config_.coordinator_port, ack, bytes);
  runtime_.fault_point(kAfterSnapshot);
  return acked && *acked == TxnStatus::ok ? BarrierOutcome::acked : BarrierOutcome::not_acked;
}

void WorkerCheckpoints::on_done(CheckpointId id) {
  for (auto& [partition, p] : partitions_) {
    auto taken = p.taken.find(id);
    if (taken == p.taken.end()) continue;
    p.state.forget_changes_up_to(taken->second.first);
    p.base = id;
    if (taken->second.second) p.last_full = id;
    p.taken.erase(p.taken.begin(), std::next(taken));
  }
}

std::optional<std::vector<PartitionOffset>> WorkerCheckpoints::restore(const std::vector<std::uint32_t>& partitions,
                                                                        std::uint64_t epoch) {
  const Nanos asked = runtime_.now();
  std::optional<RestoreReply> reply =
      ask<RestoreReply>(runtime_, config_.coordinator_node, config_.coordinator_port,
                        RestoreRequest{.worker = config_.worker, .epoch = epoch, .partitions = partitions,
                                       .replicas = standbys_ ? standbys_->positions() : std::vector<std::pair<std::uint32_t, std::uint64_t>>{}},
                        kRequestEnvelopeBytes, config_.rpc_timeout);
  if (!reply || reply->busy || reply->stale) return std::nullopt;
  // The sinks first: once fenced, nothing of the earlier epochs can commit.
  for (std::size_t i = 0; i <= config_.more_sinks.size(); ++i) {
    const auto [node, port] = i == 0 ? std::pair{config_.sink_node, config_.sink_port} : config_.more_sinks[i - 1];
    std::optional<TxnStatus> fenced = ask<TxnStatus>(runtime_, node, port, TxnFence{TxnWriter{config_.stage, config_.worker}, epoch},
                                                     kRequestEnvelopeBytes, config_.rpc_timeout);
    if (!fenced) return std::nullopt;
  }
  // An answer held longer than one rpc timeout (the worker was paused with
  // it in its mailbox: sweep_exactly_once seed 385) may name a checkpoint
  // that is no longer the latest, for partitions the group has handed on
  // since: it is not applied, the worker asks again.
  if (runtime_.now() - asked > config_.rpc_timeout) return std::nullopt;
  return install(*reply, epoch);
}

// Changelog and standby answers are rebuilt first (that takes time: replica
// hand-overs, store writes), then every partition is installed at once, so a
// barrier never sees half a restore.
std::optional<std::vector<PartitionOffset>> WorkerCheckpoints::install(const RestoreReply& reply, std::uint64_t epoch) {
  std::vector<std::optional<RebuiltState>> rebuilt;
  for (const RestoredPartition& restored : reply.partitions) {
    if (!restored.changelog) {
      rebuilt.emplace_back();
      continue;
    }
    rebuilt.push_back(rebuild_state(runtime_, config_.op, config_.stage, config_.worker, standbys_.get(), restored,
                                    config_.rpc_timeout));
    if (!rebuilt.back()) return std::nullopt;
  }
  epoch_ = epoch;
  open_txn_.clear();
  partitions_.clear();
  std::vector<PartitionOffset> resume;
  for (std::size_t i = 0; i < reply.partitions.size(); ++i) {
    const RestoredPartition& restored = reply.partitions[i];
    PartitionState& p = state_of(restored.partition);
    if (rebuilt[i]) {
      p.state = std::move(rebuilt[i]->state);
    } else {
      SLUICE_CHECK(p.state.apply_snapshot(restored.state), "a restored state does not decode");
    }
    // The next snapshot is full: its chain starts here.
    p.base = 0;
    resume.push_back({restored.partition, restored.offset});
    const QueueIndex queue = config_.first_queue + restored.partition;
    observer_.on(RestoredBy{queue, config_.stage, config_.worker});
    if (rebuilt[i]) {
      const ChangelogRestore& log = *restored.changelog;
      observer_.on(StateRebuilt{queue, state_backend_name(config_.op.backend), rebuilt[i]->records_replayed,
                                rebuilt[i]->bytes_read, rebuilt[i]->promoted_node, log.trimmed_to, log.live_trimmed});
    }
    observer_.on(StateRestored{queue, reply.checkpoint, restored.offset, p.state.digest()});
  }
  return resume;
}

}  // namespace sluice
