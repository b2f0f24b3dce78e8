#include "core/topic/group_member.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "core/check.h"
#include "core/checkpoint/protocol.h"
#include "core/runtime/fault_points.h"
#include "core/runtime/rpc.h"

namespace sluice {
namespace {

// A request to the topic's broker, answered with a Reply.
template <typename Reply, typename Request>
std::optional<Reply> ask(Runtime& runtime, const Topic& topic, Request request, Nanos timeout) {
  return call_for<Reply>(runtime, topic.config().node, topic.port(),
                         Message{.size_bytes = kRequestEnvelopeBytes, .body = std::move(request)}, timeout);
}

}  // namespace

GroupMember::GroupMember(Runtime& runtime, Observer& observer, const Topic& topic, std::uint32_t worker, NodeId node,
                         MemberHost& host)
    : runtime_(runtime),
      observer_(observer),
      topic_(topic),
      group_(topic.config().group),
      worker_(worker),
      node_(node),
      host_(host),
      rng_(runtime.stream("group/" + topic.config().name + "/member/" + std::to_string(worker))),
      membership_changed_("group membership"),
      progress_("member progress") {}

void GroupMember::install() {
  runtime_.on_node_start(node_, [this] {
    reset();
    const std::string name = "member " + std::to_string(worker_) + " of " + topic_.config().name;
    runtime_.spawn(node_, name + " consumer", [this] { consume(); }, SpawnOptions{.daemon = true});
    runtime_.spawn(node_, name + " keep-alive", [this] { keep_alive(); }, SpawnOptions{.daemon = true});
  });
}

void GroupMember::reset() {
  member_ = 0;
  generation_ = 0;
  owned_.clear();
  releasing_.clear();
  restoring_ = false;
  restore_requested_ = false;
  local_restores_ = 0;
  adopting_ = false;
  settled_generation_ = 0;
  last_commit_ = runtime_.now();
  barrier_offsets_.clear();
  done_offsets_.clear();
}

void GroupMember::processed(std::uint32_t partition, std::uint64_t offset) {
  runtime_.notify_all(progress_);
  auto it = owned_.find(partition);
  if (it == owned_.end()) {
    it = releasing_.find(partition);
    if (it == releasing_.end()) return;  // handed on already: the new owner processes it again
  }
  it->second.processed = std::max(it->second.processed, offset + 1);
}

void GroupMember::at_barrier(std::uint64_t checkpoint, std::vector<PartitionOffset> offsets) {
  if (!topic_.config().defects.offsets_outside_transaction) return;
  barrier_offsets_[checkpoint] = std::move(offsets);
}

void GroupMember::checkpoint_done(std::uint64_t checkpoint) {
  const auto done = barrier_offsets_.find(checkpoint);
  if (done == barrier_offsets_.end()) return;
  done_offsets_ = std::move(done->second);
  barrier_offsets_.erase(barrier_offsets_.begin(), std::next(done));
}

void GroupMember::consume() {
  for (;;) {
    if (!host_.member_active(worker_)) {
      // Scaled in (or not yet started): out of the group until wanted again.
      if (member_ != 0) leave_group();
      host_.member_left(worker_);
      runtime_.wait(host_.credit_granted(worker_));
      continue;
    }
    if (member_ == 0 && !join()) {
      // Not admitted (max_consumers) or the broker is unreachable: try again later.
      runtime_.sleep_for(group_.heartbeat_interval + static_cast<Nanos>(rng_.next_double() * group_.heartbeat_interval));
      continue;
    }
    while (host_.credits(worker_) <= 0) runtime_.wait(host_.credit_granted(worker_));
    if (owned_.empty() || restoring_) {
      runtime_.wait(membership_changed_, runtime_.now() + group_.heartbeat_interval);
      continue;
    }
    fetch_once();
  }
}

bool GroupMember::join() {
  std::optional<GroupReply> reply = ask<GroupReply>(runtime_, topic_, JoinRequest{.worker = worker_}, rpc_timeout());
  if (!reply || reply->status != GroupStatus::ok) return false;
  member_ = reply->assignment.member;
  adopt(reply->assignment);
  return true;
}

bool GroupMember::owns_exactly(const Assignment& assignment) const {
  if (assignment.partitions.size() != owned_.size()) return false;
  for (const PartitionOffset& po : assignment.partitions) {
    if (owned_.find(po.partition) == owned_.end()) return false;
  }
  return true;
}

bool GroupMember::differs(const Assignment& assignment) const {
  return assignment.generation != generation_ || !owns_exactly(assignment);
}

// Bounded: a stuck worker must not hold partitions past its session.
void GroupMember::let_worker_finish(const std::vector<std::uint32_t>& partitions) {
  const Nanos give_up_at = runtime_.now() + group_.session_timeout / 2;
  while (host_.working_on(worker_, partitions) && runtime_.wait(progress_, give_up_at)) {
  }
}

std::optional<std::pair<Generation, std::vector<PartitionOffset>>> GroupMember::barrier_position() const {
  if (member_ == 0 || restoring_ || restore_requested_) return std::nullopt;
  std::vector<PartitionOffset> offsets;
  for (const auto& [partition, owned] : owned_) offsets.push_back({partition, owned.processed});
  return std::pair{generation_, std::move(offsets)};
}

void GroupMember::restore_in_place() {
  Assignment current{.member = member_, .generation = generation_, .partitions = {}};
  for (const auto& [partition, owned] : owned_) current.partitions.push_back({partition, owned.processed});
  adopting_ = true;
  adopt_restoring(current, true);
  adopting_ = false;
}

void GroupMember::adopt_restoring(const Assignment& assignment, bool force) {
  const bool first = generation_ == 0;
  if (assignment.generation != generation_) local_restores_ = 0;
  generation_ = assignment.generation;
  if (!first && !force && owns_exactly(assignment)) return;
  restore_requested_ = false;
  restoring_ = true;
  std::vector<std::uint32_t> held, wanted;
  for (const auto& [partition, owned] : owned_) held.push_back(partition);
  for (const PartitionOffset& po : assignment.partitions) wanted.push_back(po.partition);
  owned_.clear();  // replies to fetches in flight are ignored from here on
  host_.revoke(worker_, held);
  // Any record in service (a zombie's, of a partition long gone) finishes
  // first; one that outlasts the wait is voided by the restore itself.
  let_worker_finish({});
  // A member that has not restored within a session may have been removed
  // (no heartbeat goes out while the keep-alive is the fiber restoring), and
  // the coordinator answers only the current generation: it stops, owning
  // nothing, and the next heartbeat brings the group's view (a new
  // assignment to restore, or a rejoin).
  const Nanos give_up_at = runtime_.now() + group_.session_timeout;
  while (member_ != 0 && runtime_.now() < give_up_at) {
    std::optional<std::vector<PartitionOffset>> resume =
        host_.restore(worker_, wanted, restore_epoch(generation_, ++local_restores_));
    if (resume) {
      for (const PartitionOffset& po : *resume) owned_.try_emplace(po.partition, Owned{po.offset, po.offset, po.offset});
      break;
    }
    runtime_.sleep_for(group_.heartbeat_interval);
  }
  restoring_ = false;
  runtime_.notify_all(membership_changed_);
}

void GroupMember::adopt(const Assignment& assignment) {
  // Both fibers adopt (the consumer on joining, the keep-alive on a
  // heartbeat), and adopting blocks: one at a time.
  SLUICE_CHECK(assignment.generation >= generation_, "a member's generation went back");
  adopting_ = true;
  if (exactly_once()) {
    adopt_restoring(assignment);
  } else {
    adopt_committing(assignment);
  }
  // Only now may a heartbeat tell the coordinator this member is in the new
  // generation, which lets it hand the revoked partitions on.
  settled_generation_ = generation_;
  adopting_ = false;
}

void GroupMember::adopt_committing(const Assignment& assignment) {
  generation_ = assignment.generation;
  std::vector<std::uint32_t> revoked;
  for (auto it = owned_.begin(); it != owned_.end();) {
    const bool kept = std::any_of(assignment.partitions.begin(), assignment.partitions.end(),
                                  [&](const PartitionOffset& po) { return po.partition == it->first; });
    if (kept) {
      ++it;
      continue;
    }
    revoked.push_back(it->first);
    releasing_.insert(*it);
    it = owned_.erase(it);  // no longer fetched: a reply still on its way is ignored
  }
  if (!revoked.empty()) {
    host_.revoke(worker_, revoked);
    let_worker_finish(revoked);  // so the record in service is in the last commit
    commit_offsets(releasing_);
    releasing_.clear();
  }
  for (const PartitionOffset& po : assignment.partitions) owned_.try_emplace(po.partition, Owned{po.offset, po.offset, po.offset});
  runtime_.notify_all(membership_changed_);
}

void GroupMember::forget_membership() {
  member_ = 0;
  generation_ = 0;  // a rejoin starts afresh (exactly_once: it restores)
  std::vector<std::uint32_t> revoked;
  for (const auto& [partition, owned] : owned_) revoked.push_back(partition);
  owned_.clear();
  if (!revoked.empty()) host_.revoke(worker_, revoked);
}

void GroupMember::fetch_once() {
  FetchRequest request{.positions = {},
                       .max_records = static_cast<std::uint32_t>(std::min<std::int64_t>(host_.credits(worker_), 1 << 20)),
                       .max_bytes = group_.fetch_max_bytes,
                       .max_wait = group_.fetch_max_wait,
                       .isolation = topic_.config().defects.read_uncommitted_downstream ? Isolation::read_uncommitted
                                                                                        : group_.isolation};
  for (const auto& [partition, owned] : owned_) request.positions.push_back({partition, owned.position});
  const std::vector<PartitionOffset> asked = request.positions;
  std::optional<FetchReply> reply = ask<FetchReply>(runtime_, topic_, std::move(request), rpc_timeout() + group_.fetch_max_wait);
  if (!reply) return;
  for (const PartitionOffset& reset : reply->resets) {
    auto it = owned_.find(reset.partition);
    // Only where the member still stands: a restore meanwhile moved it (a
    // reset past records it must now read again would skip them).
    const auto from = std::find_if(asked.begin(), asked.end(),
                                   [&](const PartitionOffset& po) { return po.partition == reset.partition; });
    if (it != owned_.end() && from != asked.end() && it->second.position == from->offset) it->second.position = reset.offset;
  }
  std::vector<const FetchedRecord*> accepted;
  for (const FetchedRecord& record : reply->records) {
    auto it = owned_.find(record.partition);
    // Fetched under an older assignment, or not where this member stands: not ours to process.
    if (it == owned_.end() || record.offset != it->second.position) continue;
    it->second.position = record.offset + 1;
    accepted.push_back(&record);
  }
  if (commits_on_receipt() && !accepted.empty() && !commit_on_receipt(accepted)) {
    // Fenced (a stale generation) or unanswered: fetching the same records
    // again at once would only be fenced again. Wait for the keep-alive to
    // adopt the group's view, or a heartbeat interval.
    runtime_.wait(membership_changed_, runtime_.now() + group_.heartbeat_interval);
    return;
  }
  for (const FetchedRecord* record : accepted) host_.deliver(worker_, *record);
}

// At-most-once: the offsets are committed before the worker sees the
// records. Unless the commit is known to have landed the batch is dropped,
// not processed, and the member's position goes back to the batch's start:
// the records were never handed to the worker, so no later commit of this
// member may pass them (it would lose them without any failure), and the
// group may hand them out again.
bool GroupMember::commit_on_receipt(const std::vector<const FetchedRecord*>& batch) {
  std::map<std::uint32_t, Owned> committing;  // only the batch's partitions, processed up to its end
  std::map<std::uint32_t, std::uint64_t> first;  // partition -> the batch's first offset in it
  for (const FetchedRecord* record : batch) {
    const auto owned = owned_.find(record->partition);
    if (owned == owned_.end()) continue;
    auto [it, fresh] = committing.try_emplace(record->partition, owned->second);
    it->second.processed = std::max(it->second.processed, record->offset + 1);
    first.try_emplace(record->partition, record->offset);
  }
  const bool landed = commit_offsets(committing);
  for (const auto& [partition, offset] : first) {
    // The assignment may have changed during the commit: only a partition
    // still owned is touched, and never moved below what the group committed.
    auto it = owned_.find(partition);
    if (it == owned_.end()) continue;
    Owned& owned = it->second;
    if (landed) {
      owned.processed = std::max(owned.processed, committing.at(partition).processed);
      owned.committed = std::max(owned.committed, committing.at(partition).committed);
    } else {
      owned.position = std::max(std::min(owned.position, offset), owned.committed);
    }
  }
  return landed;
}

void GroupMember::keep_alive() {
  for (;;) {
    runtime_.sleep_for(group_.heartbeat_interval);
    if (member_ == 0) continue;
    // Perturbation: a late heartbeat, as after a pause; the later end lies
    // just past the session timeout, so the group may rebalance.
    if (runtime_.buggify(PerturbSite::heartbeat_delayed)) {
      runtime_.sleep_for(static_cast<Nanos>(static_cast<double>(group_.session_timeout) * (0.5 + 0.6 * rng_.next_double())));
      if (member_ == 0) continue;
    }
    // The heartbeat first: a commit in a generation that has moved on is fenced.
    std::optional<GroupReply> reply =
        ask<GroupReply>(runtime_, topic_, HeartbeatRequest{.member = member_, .generation = settled_generation_}, rpc_timeout());
    if (reply && reply->status == GroupStatus::unknown_member) {
      if (!adopting_) forget_membership();  // the consumer fiber rejoins
      continue;
    }
    if (reply && !adopting_ && differs(reply->assignment)) adopt(reply->assignment);
    if (restore_requested_ && !adopting_ && member_ != 0) restore_in_place();
    if (runtime_.now() - last_commit_ >= group_.commit_interval) commit_processed();
  }
}

void GroupMember::commit_processed() {
  last_commit_ = runtime_.now();
  if (!exactly_once()) {
    commit_offsets(owned_);
    return;
  }
  // Offsets are committed with the checkpoint, except under the
  // offsets_outside_transaction defect: the member commits a completed
  // checkpoint's offsets itself, later and apart from its transaction.
  if (!topic_.config().defects.offsets_outside_transaction) return;
  std::map<std::uint32_t, Owned> done;
  for (const PartitionOffset& po : done_offsets_) {
    const auto owned = owned_.find(po.partition);
    if (owned != owned_.end()) done.try_emplace(po.partition, Owned{owned->second.position, po.offset, owned->second.committed});
  }
  commit_offsets(done);
  for (const auto& [partition, d] : done) owned_.at(partition).committed = std::max(owned_.at(partition).committed, d.committed);
}

bool GroupMember::commit_offsets(std::map<std::uint32_t, Owned>& partitions) {
  CommitRequest request{.member = member_, .generation = generation_, .offsets = {}};
  for (const auto& [partition, owned] : partitions) {
    if (owned.processed > owned.committed) request.offsets.push_back({partition, owned.processed});
  }
  if (request.offsets.empty()) return true;
  runtime_.fault_point(kBetweenProcessingAndCommit);
  const Generation generation = generation_;
  std::optional<CommitReply> reply = ask<CommitReply>(runtime_, topic_, request, rpc_timeout());
  if (!reply) return false;
  // Perturbation: the commit landed, its ack is slow to reach the member.
  if (runtime_.buggify(PerturbSite::commit_ack_slow)) runtime_.sleep_for(rpc_timeout() / 2);
  if (reply->status == GroupStatus::fenced) {
    observer_.on(CommitFenced{group_.stage, worker_, generation});
    return false;
  }
  for (const PartitionOffset& po : request.offsets) {
    auto it = partitions.find(po.partition);
    if (it != partitions.end()) it->second.committed = std::max(it->second.committed, po.offset);
  }
  return true;
}

// Scale-in, the graceful way (a Kafka consumer's close()): stop fetching,
// hand the prefetched records back, let the record in service finish,
// commit what was processed, and leave, so the partitions move at once and
// resume from exactly where this member stopped. Under exactly_once the
// offsets go with the checkpoint instead: the new owner restores the
// partitions' keyed state from the latest one, as on any rebalance. A crash
// in here is a fault point (during_scale_in_drain): the partitions then
// move when the session times out.
void GroupMember::leave_group() {
  while (adopting_) runtime_.wait(membership_changed_, runtime_.now() + group_.heartbeat_interval);
  if (member_ == 0) return;  // the keep-alive learnt it was removed meanwhile
  adopting_ = true;
  std::vector<std::uint32_t> held;
  for (const auto& [partition, owned] : owned_) held.push_back(partition);
  releasing_ = std::move(owned_);
  owned_.clear();
  if (topic_.config().defects.scale_in_without_drain) {
    // The defect: what was fetched counts as done, and nothing is handed back.
    for (auto& [partition, owned] : releasing_) owned.processed = std::max(owned.processed, owned.position);
  } else {
    host_.revoke(worker_, held);
    let_worker_finish(held);
  }
  runtime_.fault_point(kDuringScaleInDrain);
  if (!exactly_once() || topic_.config().defects.scale_in_without_drain) {
    // Replicas scaled in together leave one after another, and each leave
    // moves the generation: a commit in the one this member knew is fenced.
    // It learns the current one (heartbeating in its old generation, so the
    // coordinator lets go of nothing it holds) and commits in that, or what
    // it processed would be replayed because it left.
    for (int attempt = 0; attempt < 3 && !commit_offsets(releasing_); ++attempt) {
      std::optional<GroupReply> reply = ask<GroupReply>(
          runtime_, topic_, HeartbeatRequest{.member = member_, .generation = settled_generation_}, rpc_timeout());
      if (!reply || reply->status != GroupStatus::ok || reply->assignment.generation == generation_) break;
      generation_ = reply->assignment.generation;
    }
  }
  releasing_.clear();
  // Unanswered (the broker is down): the session timeout removes the member instead.
  ask<GroupReply>(runtime_, topic_, LeaveRequest{.member = member_}, rpc_timeout());
  member_ = 0;
  generation_ = 0;
  settled_generation_ = 0;
  adopting_ = false;
  runtime_.notify_all(membership_changed_);
}

}  // namespace sluice
