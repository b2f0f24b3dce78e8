#include "core/checkpoint/checkpoint_coordinator.h"

#include <algorithm>
#include <any>
#include <utility>

#include "core/check.h"
#include "core/checkpoint/keyed_state.h"
#include "core/runtime/fault_points.h"
#include "core/runtime/le_bytes.h"
#include "core/runtime/rpc.h"

namespace sluice {
namespace {

// Slots per partition: a delta chain never reaches back further than
// full_every checkpoints, so slots are reused well after they are needed.
std::uint64_t slot_count(const CheckpointConfig& config) { return 2 * static_cast<std::uint64_t>(config.full_every) + 8; }

constexpr Nanos kCommitRetry = 50 * kNanosPerMilli;

}  // namespace

CheckpointCoordinator::CheckpointCoordinator(Runtime& runtime, Observer& observer, const TopicConfig& topic,
                                             GroupCoordinator& group, CheckpointPlan plan,
                                             std::function<void(const std::vector<PartitionOffset>&)> commit_offsets)
    : runtime_(runtime),
      observer_(observer),
      topic_(topic),
      group_(group),
      plan_(std::move(plan)),
      commit_offsets_(std::move(commit_offsets)),
      progress_("checkpoint progress") {
  SLUICE_CHECK(plan_.workers.size() <= kMaxWorkersPerStage, "too many workers for barrier ports");
  if (plan_.config.adaptive) adaptive_.emplace(*plan_.config.adaptive, plan_.config.interval);
  if (uses_changelog(plan_.backend)) changelogs_ = std::make_unique<CheckpointChangelogs>(runtime, topic, group, plan_);
}

std::string CheckpointCoordinator::slot_key(std::uint32_t partition, CheckpointId id) const {
  return "p" + std::to_string(partition) + "/" + std::to_string(id % slot_count(plan_.config));
}

std::optional<CheckpointCoordinator::Completed> CheckpointCoordinator::load_completed(const std::string& key) {
  ReadResult record = kv_->get(key);
  if (!record.ok()) return std::nullopt;
  std::size_t at = 0;
  Completed completed;
  completed.id = get_le(record.bytes, at);
  for (std::uint32_t p = 0; p < topic_.partitions; ++p) completed.offsets.push_back(get_le(record.bytes, at));
  const std::uint64_t writers = get_le(record.bytes, at);
  for (std::uint64_t i = 0; i < writers; ++i) {
    const auto worker = static_cast<std::uint32_t>(get_le(record.bytes, at));
    completed.writers[worker] = get_le(record.bytes, at);
  }
  return completed;
}

void CheckpointCoordinator::start() {
  kv_ = &runtime_.kv("checkpoint/" + topic_.name);
  in_flight_.reset();
  Completed none{0, std::vector<std::uint64_t>(topic_.partitions, 0), {}};
  latest_ = load_completed("latest").value_or(none);
  previous_ = load_completed("previous").value_or(none);
  // Until run() has re-committed the latest checkpoint, restores must wait.
  committing_ = latest_.id != 0;
  ReadResult next = kv_->get("next");
  std::size_t at = 0;
  // Ids never repeat, even across crashes: a transaction id names one checkpoint.
  next_id_ = std::max(next.ok() ? get_le(next.bytes, at) : 1, latest_.id + 1);
  if (changelogs_) changelogs_->start(latest_.id);
  runtime_.spawn(topic_.node, "checkpoints of " + topic_.name, [this] { run(); }, SpawnOptions{.daemon = true});
}

void CheckpointCoordinator::run() {
  if (committing_) commit(redriven(latest_));
  for (;;) {
    runtime_.sleep_for(interval());
    if (group_.members() == 0) continue;
    trigger();
  }
}

// What a restarted coordinator commits again: the latest checkpoint, all of it.
// The checkpoint_commit_not_redriven defect: it waits a session timeout for
// the members to rejoin and re-commits only the transactions of writers that
// did, taking one still away for a writer whose own recovery will resolve
// its transaction. That recovery restores the checkpoint and fences its old
// epoch, which aborts the pre-committed transaction while the checkpoint's
// offsets stand: its output is lost. Only a coordinator crash between a
// checkpoint's pre-commit and commit that coincides with one of its writers
// being away (crashed, paused, cut off) shows it.
CheckpointCoordinator::Completed CheckpointCoordinator::redriven(Completed completed) {
  if (!topic_.defects.checkpoint_commit_not_redriven) return completed;
  runtime_.sleep_for(topic_.group.session_timeout);
  std::erase_if(completed.writers, [this](const auto& writer) { return !group_.has_member(writer.first); });
  return completed;
}

void CheckpointCoordinator::trigger() {
  const CheckpointId id = next_id_++;
  SLUICE_CHECK(id > latest_.id, "a checkpoint id was reused");
  std::string next;
  put_le(next, next_id_);
  kv_->put("next", next);
  kv_->fsync();
  in_flight_ = InFlight{.id = id, .generation = group_.generation(), .started = runtime_.now(),
                        .snapshots = {}, .writers = {}, .aborted = false};
  hold_barrier_for_rebalance();
  for (std::uint32_t w = 0; w < plan_.workers.size(); ++w) {
    runtime_.send(plan_.workers[w], barrier_port(plan_.stage, w), Message{.size_bytes = kRequestEnvelopeBytes, .body = Barrier{id}});
  }
  const Nanos deadline = runtime_.now() + plan_.config.timeout;
  while (!in_flight_->aborted && in_flight_->snapshots.size() < topic_.partitions) {
    if (!runtime_.wait(progress_, deadline)) break;
  }
  InFlight checkpoint = std::move(*in_flight_);
  in_flight_.reset();
  if (checkpoint.snapshots.size() == topic_.partitions && !checkpoint.aborted) {
    // Restores wait from here until it is committed: a restore answered
    // while it completes would carry the previous checkpoint and arrive
    // after this one.
    committing_ = true;
    complete(checkpoint);
  } else {
    observer_.on(CheckpointAborted{plan_.stage, id, checkpoint.aborted ? checkpoint.abort_reason : "timeout"});
  }
}

// Perturbation: the barriers wait (as delayed messages would) until the group
// rebalances or a session timeout passes, so they reach the workers while a
// rebalance is under way. The rebalance aborts the checkpoint, as it would.
void CheckpointCoordinator::hold_barrier_for_rebalance() {
  if (!runtime_.buggify(PerturbSite::barrier_during_rebalance)) return;
  const Generation generation = group_.generation();
  const Nanos until = runtime_.now() + topic_.group.session_timeout;
  while (group_.generation() == generation && runtime_.wait(progress_, until)) {
  }
}

bool CheckpointCoordinator::accepts(const BarrierAck& ack) const {
  if (!in_flight_ || in_flight_->aborted || ack.id != in_flight_->id) return false;
  if (topic_.defects.no_fencing) return true;  // the defect: a zombie's ack counts
  if (ack.generation != in_flight_->generation || ack.generation != group_.generation()) return false;
  for (const PartitionSnapshot& snapshot : ack.partitions) {
    if (!group_.consuming(ack.worker, snapshot.partition)) return false;
  }
  return true;
}

void CheckpointCoordinator::on_ack(const Message& request) {
  const BarrierAck& ack = *std::any_cast<BarrierAck>(&request.body);
  const bool accepted = accepts(ack);
  if (accepted) {
    for (const PartitionSnapshot& snapshot : ack.partitions) in_flight_->snapshots.try_emplace(snapshot.partition, snapshot);
    in_flight_->writers[ack.worker] = ack.epoch;
    runtime_.notify_all(progress_);
  }
  reply(runtime_, request, Message{.size_bytes = kRequestEnvelopeBytes, .body = accepted ? TxnStatus::ok : TxnStatus::fenced});
}

void CheckpointCoordinator::group_changed() {
  // The no_fencing defect ignores generations altogether: a checkpoint begun
  // before a rebalance may still complete with the old members' acks.
  if (!in_flight_ || topic_.defects.no_fencing) return;
  in_flight_->aborted = true;
  runtime_.notify_all(progress_);
}

void CheckpointCoordinator::complete(InFlight& checkpoint) {
  SLUICE_CHECK(checkpoint.id > latest_.id, "checkpoints complete in the order of their ids");
  std::uint64_t bytes = 0;
  Completed completed{checkpoint.id, std::vector<std::uint64_t>(topic_.partitions, 0), checkpoint.writers};
  for (const auto& [partition, snapshot] : checkpoint.snapshots) {
    bytes += snapshot.bytes.size();
    completed.offsets[partition] = snapshot.offset;
    if (changelogs_) continue;  // the changelog holds the state instead
    std::string slot;
    put_le(slot, checkpoint.id);
    put_le(slot, snapshot.base);
    slot += snapshot.bytes;
    kv_->put(slot_key(partition, checkpoint.id), std::move(slot));
  }
  // Durable before the checkpoint record: the changes commit with it.
  if (changelogs_) changelogs_->append(checkpoint.id, checkpoint.snapshots);
  adapt_interval(checkpoint, completed);
  previous_ = latest_;
  latest_ = completed;
  persist_completed();  // from here on the checkpoint is the one to restore
  if (changelogs_) changelogs_->committed(checkpoint.id);
  for (const auto& [partition, snapshot] : checkpoint.snapshots) {
    observer_.on(StateSnapshotted{topic_.first_queue + partition, checkpoint.id, snapshot.offset, snapshot.digest});
  }
  observer_.on(CheckpointCompleted{plan_.stage, checkpoint.id, runtime_.now() - checkpoint.started, bytes});
  runtime_.fault_point(kBetweenPrecommitAndCommit);
  commit(completed);
  for (std::uint32_t w = 0; w < plan_.workers.size(); ++w) {
    runtime_.send(plan_.workers[w], barrier_port(plan_.stage, w),
                  Message{.size_bytes = kRequestEnvelopeBytes, .body = CheckpointDone{checkpoint.id}});
  }
}

// Every acking writer's transactions up to this checkpoint, retried until the
// sink confirms (an effect of a completed checkpoint must not be lost); only
// then the offsets, so the records stay until their effects are in.
void CheckpointCoordinator::commit(const Completed& completed) {
  committing_ = true;
  for (const auto& [worker, epoch] : completed.writers) {
    const TxnCommit request{TxnWriter{plan_.stage, worker}, epoch, completed.id};
    for (std::size_t i = 0; i <= plan_.more_sinks.size(); ++i) {
      const auto [node, port] = i == 0 ? std::pair{plan_.sink_node, plan_.sink_port} : plan_.more_sinks[i - 1];
      while (!call(runtime_, node, port, Message{.size_bytes = kRequestEnvelopeBytes, .body = request},
                   topic_.group.rpc_timeout)) {
        runtime_.sleep_for(kCommitRetry);
      }
    }
  }
  std::vector<PartitionOffset> offsets;
  for (std::uint32_t p = 0; p < topic_.partitions; ++p) offsets.push_back({p, completed.offsets[p]});
  // The offsets_outside_transaction defect: the members commit them, apart.
  if (!topic_.defects.offsets_outside_transaction) commit_offsets_(offsets);
  committing_ = false;
}

// Replay is what a crash just before the next checkpoint would re-read: the
// records between the previous completed checkpoint's offsets and these.
void CheckpointCoordinator::adapt_interval(const InFlight& checkpoint, const Completed& completed) {
  const Nanos now = runtime_.now();
  const Nanos since = last_completed_at_ < 0 ? 0 : now - last_completed_at_;
  last_completed_at_ = now;
  if (!adaptive_ || latest_.id == 0 || since == 0) return;
  std::uint64_t records = 0;
  for (std::uint32_t p = 0; p < topic_.partitions; ++p) {
    const std::uint64_t before = p < latest_.offsets.size() ? latest_.offsets[p] : 0;
    records += completed.offsets[p] > before ? completed.offsets[p] - before : 0;
  }
  if (std::optional<std::string> reason = adaptive_->completed(now - checkpoint.started, records, since)) {
    observer_.on(CheckpointIntervalChanged{plan_.stage, adaptive_->interval(), *reason});
  }
}

void CheckpointCoordinator::persist_completed() {
  for (const auto& [key, completed] : {std::pair{"latest", &latest_}, std::pair{"previous", &previous_}}) {
    std::string record;
    put_le(record, completed->id);
    for (std::uint64_t offset : completed->offsets) put_le(record, offset);
    put_le(record, completed->writers.size());
    for (const auto& [worker, epoch] : completed->writers) {
      put_le(record, worker);
      put_le(record, epoch);
    }
    kv_->put(key, std::move(record));
  }
  kv_->fsync();
}

std::string CheckpointCoordinator::state_at(std::uint32_t partition, CheckpointId id) {
  // Follow the bases back to a full snapshot, then apply forwards.
  std::vector<std::string> chain;
  for (CheckpointId at = id; at != 0;) {
    ReadResult slot = kv_->get(slot_key(partition, at));
    SLUICE_CHECK(slot.ok(), "a checkpoint's snapshot is missing or corrupt on the coordinator's disk");
    std::size_t pos = 0;
    const CheckpointId stored = get_le(slot.bytes, pos);
    SLUICE_CHECK(stored == at, "a snapshot slot was reused while its checkpoint was still needed");
    const CheckpointId base = get_le(slot.bytes, pos);
    chain.push_back(slot.bytes.substr(pos));
    if (base == at) break;
    at = base;
  }
  KeyedState state;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    SLUICE_CHECK(state.apply_snapshot(*it), "a stored snapshot does not decode");
  }
  return state.encode_full();
}

// Flink's rule: a task restores only the checkpoint named for its current
// attempt. A member still restoring for a generation the group has left
// (seen in sweep_exactly_once seed 385: a worker looping in generation 8
// while the group reached 13) is not answered; it adopts the group's view.
bool CheckpointCoordinator::current_owner(const RestoreRequest& restore) const {
  if (topic_.defects.no_fencing) return true;  // the defect: a zombie is answered like a member
  if (generation_of_epoch(restore.epoch) != group_.generation()) return false;
  return std::all_of(restore.partitions.begin(), restore.partitions.end(),
                     [&](std::uint32_t partition) { return group_.consuming(restore.worker, partition); });
}

void CheckpointCoordinator::on_restore(const Message& request) {
  const RestoreRequest& restore = *std::any_cast<RestoreRequest>(&request.body);
  RestoreReply result;
  result.stale = !current_owner(restore);
  result.busy = !result.stale && committing_;
  if (!result.stale && !result.busy && in_flight_ && !in_flight_->aborted) {
    // A checkpoint in flight would complete after this answer left, so the
    // restore would arrive older than the latest completed checkpoint (seen
    // in sweep_exactly_once seed 70076). Its snapshots predate the restore
    // anyway: it is aborted, and the answer is the latest completed one.
    in_flight_->aborted = true;
    in_flight_->abort_reason = "restore";
    runtime_.notify_all(progress_);
  }
  if (!result.stale && !result.busy) {
    result.checkpoint = latest_.id;
    // The restore_stale_offsets defect: the latest states with the previous checkpoint's offsets.
    const Completed& offsets = topic_.defects.restore_stale_offsets ? previous_ : latest_;
    for (std::uint32_t partition : restore.partitions) {
      if (partition >= topic_.partitions) continue;
      // The offsets_outside_transaction defect: the input resumes where the
      // group's own commits left it, not where the checkpoint's transaction did.
      const std::uint64_t resume =
          topic_.defects.offsets_outside_transaction ? group_.committed(partition) : offsets.offsets[partition];
      if (changelogs_) {
        result.partitions.push_back({partition, resume, "", changelogs_->restore(partition, restore)});
        continue;
      }
      result.partitions.push_back({partition, resume,
                                   latest_.id == 0 ? KeyedState().encode_full() : state_at(partition, latest_.id)});
    }
  }
  std::uint64_t bytes = kRequestEnvelopeBytes;
  for (const RestoredPartition& p : result.partitions) {
    bytes += p.state.size() + (p.changelog ? p.changelog->records.size() * kChangelogRecordBytes : 0);
  }
  reply(runtime_, request, Message{.size_bytes = wire_bytes(bytes),
                                   .body = std::move(result)});
}

}  // namespace sluice

namespace sluice {

void CheckpointCoordinator::on_standby_poll(const Message& request) {
  StandbyUpdate update;
  if (changelogs_) update = changelogs_->on_poll(*std::any_cast<StandbyPoll>(&request.body));
  std::uint64_t bytes = kRequestEnvelopeBytes;
  for (const StandbyFeed& feed : update.partitions) bytes += feed.records.size() * kChangelogRecordBytes;
  reply(runtime_, request, Message{.size_bytes = wire_bytes(bytes), .body = std::move(update)});
}

}  // namespace sluice
