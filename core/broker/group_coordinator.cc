#include "core/broker/group_coordinator.h"

#include <algorithm>
#include <utility>

namespace sluice {

void GroupCoordinator::restore(Generation durable_generation, std::vector<std::uint64_t> committed) {
  members_.clear();
  std::fill(owners_.begin(), owners_.end(), 0);
  std::fill(held_by_.begin(), held_by_.end(), 0);
  committed_ = std::move(committed);
  committed_.resize(config_.partitions, 0);
  generation_ = std::max(generation_, durable_generation) + 1;
}

std::optional<Assignment> GroupCoordinator::join(std::uint32_t worker, Nanos now) {
  bool replaced = false;
  for (auto it = members_.begin(); it != members_.end(); ++it) {
    if (it->second.worker == worker) {
      release_all(it->first);  // a restarted worker holds nothing
      members_.erase(it);
      replaced = true;
      break;
    }
  }
  if (members_.size() >= config_.max_consumers) {
    if (replaced) rebalance();  // the previous incarnation is gone all the same
    return std::nullopt;
  }
  // Ids order members by worker (range assignment follows worker order);
  // the incarnation tells a rejoined worker from its previous self.
  const MemberId id = (static_cast<MemberId>(worker) + 1) << 32 | ++incarnations_;
  members_.emplace(id, Member{worker, now});
  rebalance();
  return assignment_of(id);
}

GroupStatus GroupCoordinator::heartbeat(MemberId member, Generation generation, Nanos now, Assignment& assignment) {
  auto it = members_.find(member);
  if (it == members_.end()) return GroupStatus::unknown_member;
  it->second.last_heartbeat = now;
  if (generation == generation_) {
    for (std::size_t p = 0; p < held_by_.size(); ++p) {
      if (held_by_[p] == member && owners_[p] != member) held_by_[p] = 0;
    }
  }
  assignment = assignment_of(member);
  return GroupStatus::ok;
}

GroupStatus GroupCoordinator::commit(const CommitRequest& request, bool fencing, std::vector<PartitionOffset>& accepted) {
  if (fencing) {
    if (request.generation != generation_ || members_.find(request.member) == members_.end()) return GroupStatus::fenced;
    for (const PartitionOffset& po : request.offsets) {
      if (po.partition >= owners_.size()) return GroupStatus::fenced;
      // Its owner, or its holder committing before it lets go.
      if (owners_[po.partition] != request.member && held_by_[po.partition] != request.member) return GroupStatus::fenced;
    }
  }
  for (const PartitionOffset& po : request.offsets) {
    if (po.partition >= committed_.size()) continue;
    committed_[po.partition] = po.offset;
    accepted.push_back(po);
  }
  return GroupStatus::ok;
}

bool GroupCoordinator::leave(MemberId member) {
  auto it = members_.find(member);
  if (it == members_.end()) return false;
  release_all(member);
  members_.erase(it);
  rebalance();
  return true;
}

bool GroupCoordinator::expire(Nanos now) {
  bool removed = false;
  for (auto it = members_.begin(); it != members_.end();) {
    if (now - it->second.last_heartbeat >= config_.group.session_timeout) {
      release_all(it->first);
      it = members_.erase(it);
      removed = true;
    } else {
      ++it;
    }
  }
  if (removed) rebalance();
  return removed;
}

Nanos GroupCoordinator::next_expiry() const {
  Nanos next = kNever;
  for (const auto& [id, member] : members_) next = std::min(next, member.last_heartbeat + config_.group.session_timeout);
  return next;
}

void GroupCoordinator::rebalance() {
  std::vector<MemberId> ids;
  for (const auto& [id, member] : members_) ids.push_back(id);
  owners_ = assign_partitions(config_.group.strategy, config_.partitions, ids, owners_);
  ++generation_;
}

Assignment GroupCoordinator::assignment_of(MemberId member) {
  Assignment assignment{.member = member, .generation = generation_, .partitions = {}};
  for (std::uint32_t p = 0; p < owners_.size(); ++p) {
    if (owners_[p] != member || (held_by_[p] != 0 && held_by_[p] != member)) continue;
    held_by_[p] = member;
    assignment.partitions.push_back({p, committed_[p]});
  }
  return assignment;
}

bool GroupCoordinator::has_member(std::uint32_t worker) const {
  return std::any_of(members_.begin(), members_.end(), [worker](const auto& m) { return m.second.worker == worker; });
}

bool GroupCoordinator::consuming(std::uint32_t worker, std::uint32_t partition) const {
  if (partition >= owners_.size()) return false;
  const MemberId owner = owners_[partition];
  return owner != 0 && (owner >> 32) == static_cast<MemberId>(worker) + 1 && held_by_[partition] == owner;
}

void GroupCoordinator::release_all(MemberId member) {
  for (MemberId& holder : held_by_) {
    if (holder == member) holder = 0;
  }
}

}  // namespace sluice
