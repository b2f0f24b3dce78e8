// A consumer group's coordinator, on the topic's broker: who is a member,
// which generation the group is in, who owns which partition, and the
// committed offsets. Any change of membership (a join, a member whose
// session timed out) starts a new generation with a new assignment; members
// learn it from their next heartbeat. A commit is accepted only from a
// current member for a partition it owns in the current generation, so a
// member that lost its partitions (a zombie: partitioned away, paused, slow)
// cannot move their offsets (Kafka's generation fencing).
//
// A partition moves in two steps (cooperative rebalancing, as Kafka's
// KIP-429): the new generation takes it from its holder, which stops
// fetching it, commits what it processed and says so by heartbeating in the
// new generation; only then is it handed to its new owner, who starts from
// that commit. A holder that leaves or times out releases at once.
//
// Membership is volatile (lost when the broker crashes; members rejoin);
// committed offsets and the generation are durable (the broker's KvStore).
// The coordinator itself is plain bookkeeping; Topic does the I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "core/broker/assignment.h"
#include "core/broker/protocol.h"
#include "core/broker/topic_config.h"
#include "core/time.h"

namespace sluice {

class GroupCoordinator {
 public:
  GroupCoordinator(const TopicConfig& config) : config_(config), committed_(config.partitions, 0), owners_(config.partitions, 0), held_by_(config.partitions, 0) {}

  // After a broker (re)start: membership is gone, the durable state is back,
  // and the generation moves past any a zombie could still hold.
  void restore(Generation durable_generation, std::vector<std::uint64_t> committed);

  // Admits worker `worker` (replacing its previous incarnation: the worker
  // index is a static member id) and rebalances. nullopt: max_consumers reached.
  std::optional<Assignment> join(std::uint32_t worker, Nanos now);
  // unknown_member: the member was removed (must rejoin). Otherwise the
  // member's current assignment (the same generation when nothing changed).
  // A heartbeat in the current generation also releases the partitions the
  // member held and no longer owns.
  GroupStatus heartbeat(MemberId member, Generation generation, Nanos now, Assignment& assignment);
  // ok, or fenced (stale generation, not a member, or not its partition); on
  // ok the committed offsets are updated and `accepted` lists them.
  GroupStatus commit(const CommitRequest& request, bool fencing, std::vector<PartitionOffset>& accepted);
  // Removes the member at its own request and rebalances; false when it was not a member.
  bool leave(MemberId member);
  // Removes members whose last heartbeat is older than the session timeout;
  // true when that started a new generation.
  bool expire(Nanos now);
  // When the next member could expire (kNever without members).
  Nanos next_expiry() const;

  Generation generation() const { return generation_; }
  // Whether `worker`'s member owns the partition and has been handed it.
  bool consuming(std::uint32_t worker, std::uint32_t partition) const;
  std::uint64_t committed(std::uint32_t partition) const { return committed_[partition]; }
  std::size_t members() const { return members_.size(); }
  // Whether worker `worker` has a member in the group now (any incarnation).
  bool has_member(std::uint32_t worker) const;

 private:
  struct Member {
    std::uint32_t worker;
    Nanos last_heartbeat;
  };
  void rebalance();
  // The partitions the member owns and nobody else still holds; marks them held.
  Assignment assignment_of(MemberId member);
  void release_all(MemberId member);

  const TopicConfig& config_;
  Generation generation_ = 0;
  std::uint32_t incarnations_ = 0;
  std::map<MemberId, Member> members_;  // ordered: assignment follows member ids
  std::vector<std::uint64_t> committed_;
  Owners owners_;   // where each partition goes in this generation
  Owners held_by_;  // who was handed each partition and has not released it (0: nobody)
};

}  // namespace sluice
