#include "core/topic/topic.h"

#include <algorithm>
#include <any>
#include <utility>

#include "core/check.h"
#include "core/runtime/rpc.h"
#include "core/runtime/storage.h"

namespace sluice {
namespace {

std::string group_key(const TopicConfig& config) { return "group/" + config.name; }

std::uint64_t parse_u64(const std::string& text) {
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

std::uint64_t read_u64(KvStore& kv, const std::string& key) {
  ReadResult result = kv.get(key);
  // A corrupt value reads as 0: for an offset that means reprocessing
  // (at-least-once), never skipping.
  return result.ok() ? parse_u64(result.bytes) : 0;
}

template <typename T>
T& body_of(Message& message) {
  T* body = std::any_cast<T>(&message.body);
  SLUICE_CHECK(body != nullptr, "a broker request of an unexpected type");
  return *body;
}

}  // namespace

Topic::Topic(Runtime& runtime, Observer& observer, TopicConfig config, std::uint32_t index)
    : runtime_(runtime),
      observer_(observer),
      config_(std::move(config)),
      port_(kBrokerPortBase + index),
      group_(config_),
      flush_needed_("topic flush"),
      housekeeping_("topic housekeeping") {
  SLUICE_CHECK(config_.partitions >= 1, "a topic needs a partition");
  for (std::uint32_t p = 0; p < config_.partitions; ++p) {
    partitions_.push_back(std::make_unique<Partition>(runtime, observer, config_, p));
  }
  if (config_.transactional) {
    transactions_ = std::make_unique<TransactionCoordinator>(
        runtime, config_, partitions_, kTxnCoordinatorPortBase + index,
        [this](std::uint64_t key) { return partition_of(key); }, [this] { wake_parked(); });
  }
  if (config_.checkpoint) {
    checkpoints_ = std::make_unique<CheckpointCoordinator>(
        runtime, observer, config_, group_, *config_.checkpoint,
        [this](const std::vector<PartitionOffset>& offsets) {
          std::vector<PartitionOffset> accepted;
          group_.commit(CommitRequest{.member = 0, .generation = group_.generation(), .offsets = offsets}, false, accepted);
          apply_commits(accepted, group_.generation());
        });
  }
}

Port Topic::transaction_port() const {
  SLUICE_CHECK(transactions_ != nullptr, "a topic no exactly-once stage writes to has no transaction coordinator");
  return transactions_->port();
}

std::uint32_t Topic::partition_of(std::uint64_t key) const {
  std::uint64_t state = key;
  return static_cast<std::uint32_t>(splitmix64(state) % config_.partitions);
}

void Topic::install() {
  runtime_.on_node_start(config_.node, [this] {
    runtime_.spawn(config_.node, "broker " + config_.name, [this] { start(); }, SpawnOptions{.daemon = true});
  });
  runtime_.on_node_crash(config_.node, [this] {
    awaiting_fsync_.clear();
    parked_.clear();
  });
}

// Recovery first (it reads the disk), then the other fibers, then serving.
void Topic::start() {
  for (auto& partition : partitions_) partition->recover();
  KvStore& kv = runtime_.kv(group_key(config_));
  std::vector<std::uint64_t> committed;
  for (std::uint32_t p = 0; p < config_.partitions; ++p) committed.push_back(read_u64(kv, "committed/" + std::to_string(p)));
  group_.restore(read_u64(kv, "generation"), std::move(committed));
  persist_generation();
  for (std::uint32_t p = 0; p < config_.partitions; ++p) partitions_[p]->trim(group_.committed(p));
  // After the partitions: its recovery writes the markers of in-doubt decisions.
  if (transactions_) transactions_->start();
  runtime_.spawn(config_.node, "broker " + config_.name + " flusher", [this] { flush_loop(); },
                 SpawnOptions{.daemon = true});
  runtime_.spawn(config_.node, "broker " + config_.name + " housekeeper", [this] { housekeep(); },
                 SpawnOptions{.daemon = true});
  if (checkpoints_) checkpoints_->start();
  serve();
}

void Topic::serve() {
  Message request;
  while (runtime_.receive(port_, request)) handle(request);
}

void Topic::handle(Message& request) {
  if (request.body.type() == typeid(ProduceRequest)) return produce(request);
  if (request.body.type() == typeid(FetchRequest)) return fetch(request, false);
  if (request.body.type() == typeid(HeartbeatRequest)) return heartbeat(request);
  if (request.body.type() == typeid(CommitRequest)) return commit(request);
  if (request.body.type() == typeid(JoinRequest)) return join(request);
  if (request.body.type() == typeid(LeaveRequest)) return leave(request);
  if (checkpoints_ && request.body.type() == typeid(BarrierAck)) return checkpoints_->on_ack(request);
  if (checkpoints_ && request.body.type() == typeid(RestoreRequest)) return checkpoints_->on_restore(request);
  if (checkpoints_ && request.body.type() == typeid(StandbyPoll)) return checkpoints_->on_standby_poll(request);
  SLUICE_CHECK(false, "a broker request of an unknown type");
}

void Topic::produce(Message& request) {
  const ProduceRequest& produce = body_of<ProduceRequest>(request);
  SLUICE_CHECK(produce.partition < partitions_.size(), "a produce to a partition the topic does not have");
  Partition& partition = *partitions_[produce.partition];
  ProduceReply result = partition.append(produce.event, produce.idempotent);
  const bool wait_for_fsync = result.status == ProduceStatus::appended && config_.ack == AckPolicy::fsync &&
                              !config_.defects.ack_before_fsync;
  if (result.status == ProduceStatus::appended) {
    if (config_.fsync == FsyncPolicy::every_write || wait_for_fsync) runtime_.notify_one(flush_needed_);
    if (config_.ack == AckPolicy::append) wake_parked();
  }
  if (wait_for_fsync) {
    awaiting_fsync_.push_back({std::move(request), produce.partition, result.offset});
    return;
  }
  reply(runtime_, request, Message{.size_bytes = kRequestEnvelopeBytes, .body = result});
}

bool Topic::any_dirty() const {
  for (const auto& partition : partitions_) {
    if (partition->dirty()) return true;
  }
  return false;
}

void Topic::flush() {
  for (auto& partition : partitions_) partition->fsync();
  while (!awaiting_fsync_.empty()) {
    AwaitingFsync& front = awaiting_fsync_.front();
    if (partitions_[front.partition]->durable_end() <= front.offset) break;
    reply(runtime_, front.request,
          Message{.size_bytes = kRequestEnvelopeBytes, .body = ProduceReply{ProduceStatus::appended, front.offset}});
    awaiting_fsync_.pop_front();
  }
  if (config_.ack == AckPolicy::fsync) wake_parked();
}

// Group commit: one fsync per partition makes a whole batch of appends durable.
void Topic::flush_loop() {
  for (;;) {
    const bool periodic = config_.fsync == FsyncPolicy::interval;
    const bool needed = !awaiting_fsync_.empty() || (config_.fsync == FsyncPolicy::every_write && any_dirty());
    if (needed) {
      flush();
    } else if (periodic) {
      if (runtime_.now() >= next_interval_fsync_) {
        flush();
        next_interval_fsync_ = runtime_.now() + config_.fsync_interval;
      }
      runtime_.wait(flush_needed_, next_interval_fsync_);
    } else {
      runtime_.wait(flush_needed_);
    }
  }
}

void Topic::fetch(Message& request, bool parked) {
  const FetchRequest& fetch = body_of<FetchRequest>(request);
  if (try_fetch(request, parked || fetch.max_wait <= 0)) return;
  parked_.push_back({std::move(request), runtime_.now() + fetch.max_wait});
  runtime_.notify_one(housekeeping_);
}

bool Topic::try_fetch(const Message& request, bool answer_empty) {
  const FetchRequest& fetch = *std::any_cast<FetchRequest>(&request.body);
  FetchReply result;
  std::uint64_t budget = fetch.max_bytes;
  // Start with a different partition each time, so a busy partition cannot
  // starve the others of a member's credits.
  const std::size_t n = fetch.positions.size();
  const std::size_t start = n == 0 ? 0 : fetch_rotation_++ % n;
  // Perturbation: max_records is a bound, not a promise; one record is a legal answer.
  std::uint32_t max_records = fetch.max_records;
  if (max_records > 1 && runtime_.buggify(PerturbSite::fetch_short)) max_records = 1;
  for (std::size_t i = 0; i < n; ++i) {
    const PartitionOffset& position = fetch.positions[(start + i) % n];
    if (position.partition >= partitions_.size()) continue;
    const auto remaining = static_cast<std::uint32_t>(max_records - result.records.size());
    if (remaining == 0) break;
    partitions_[position.partition]->fetch(position.offset, remaining, budget, result.records, result.resets,
                                           fetch.isolation);
  }
  if (result.records.empty() && result.resets.empty() && !answer_empty) return false;
  std::uint64_t bytes = kRequestEnvelopeBytes;
  for (const FetchedRecord& record : result.records) bytes += record.event.size_bytes;
  reply(runtime_, request,
        Message{.size_bytes = wire_bytes(bytes), .body = std::move(result)});
  return true;
}

void Topic::wake_parked() {
  for (auto it = parked_.begin(); it != parked_.end();) {
    if (try_fetch(it->request, false)) {
      it = parked_.erase(it);
    } else {
      ++it;
    }
  }
}

// Long-poll expiry and session timeouts share one fiber: it sleeps until the
// earlier of the next parked fetch's deadline and the next possible expiry.
void Topic::housekeep() {
  for (;;) {
    const Nanos now = runtime_.now();
    for (auto it = parked_.begin(); it != parked_.end();) {
      if (it->deadline <= now) {
        try_fetch(it->request, true);
        it = parked_.erase(it);
      } else {
        ++it;
      }
    }
    if (group_.expire(now)) generation_changed();
    Nanos next = group_.next_expiry();
    for (const ParkedFetch& parked : parked_) next = std::min(next, parked.deadline);
    runtime_.wait(housekeeping_, next);
  }
}

void Topic::join(Message& request) {
  const JoinRequest& join = body_of<JoinRequest>(request);
  const Generation before = group_.generation();
  std::optional<Assignment> assignment = group_.join(join.worker, runtime_.now());
  if (group_.generation() != before) {
    generation_changed();
    runtime_.notify_one(housekeeping_);
  }
  GroupReply result{.status = assignment ? GroupStatus::ok : GroupStatus::full,
                   .assignment = assignment ? *assignment : Assignment{}};
  reply(runtime_, request, Message{.size_bytes = kRequestEnvelopeBytes, .body = std::move(result)});
}

// A member scaled in leaves at once (Kafka's LeaveGroup) instead of letting
// its session time out, so its partitions move without a session's delay.
void Topic::leave(Message& request) {
  const LeaveRequest& leave = body_of<LeaveRequest>(request);
  if (group_.leave(leave.member)) {
    generation_changed();
    runtime_.notify_one(housekeeping_);
  }
  reply(runtime_, request, Message{.size_bytes = kRequestEnvelopeBytes, .body = GroupReply{}});
}

std::uint64_t Topic::appended() const {
  std::uint64_t total = 0;
  for (const auto& partition : partitions_) total += partition->end();
  return total;
}

std::uint64_t Topic::lag() const {
  std::uint64_t total = 0;
  for (std::uint32_t p = 0; p < partitions_.size(); ++p) {
    const std::uint64_t end = partitions_[p]->end(), committed = group_.committed(p);
    total += end > committed ? end - committed : 0;
  }
  return total;
}

void Topic::heartbeat(Message& request) {
  const HeartbeatRequest& heartbeat = body_of<HeartbeatRequest>(request);
  GroupReply result;
  result.status = group_.heartbeat(heartbeat.member, heartbeat.generation, runtime_.now(), result.assignment);
  reply(runtime_, request, Message{.size_bytes = kRequestEnvelopeBytes, .body = std::move(result)});
}

void Topic::commit(Message& request) {
  const CommitRequest& commit = body_of<CommitRequest>(request);
  std::vector<PartitionOffset> accepted;
  const GroupStatus status = group_.commit(commit, !config_.defects.no_fencing, accepted);
  if (status == GroupStatus::ok) apply_commits(accepted, commit.generation);
  reply(runtime_, request, Message{.size_bytes = kRequestEnvelopeBytes, .body = CommitReply{status}});
}

void Topic::generation_changed() {
  observer_.on(Rebalanced{config_.group.stage, group_.generation(), group_.members()});
  if (checkpoints_) checkpoints_->group_changed();
  persist_generation();
}

void Topic::apply_commits(const std::vector<PartitionOffset>& offsets, Generation generation) {
  persist_commits(offsets);
  for (const PartitionOffset& po : offsets) {
    observer_.on(OffsetCommitted{queue_of(po.partition), po.offset, generation});
    partitions_[po.partition]->trim(po.offset);
  }
}

// Offsets are made durable before the records they release are trimmed, so
// a crash can never leave the group behind records the log no longer has.
void Topic::persist_commits(const std::vector<PartitionOffset>& offsets) {
  KvStore& kv = runtime_.kv(group_key(config_));
  for (const PartitionOffset& po : offsets) kv.put("committed/" + std::to_string(po.partition), std::to_string(po.offset));
  kv.fsync();
}

void Topic::persist_generation() {
  KvStore& kv = runtime_.kv(group_key(config_));
  kv.put("generation", std::to_string(group_.generation()));
  kv.fsync();
}

}  // namespace sluice
