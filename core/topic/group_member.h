// One stage worker's membership in its topic's consumer group: it joins,
// heartbeats, fetches from the partitions the group assigned it (never more
// records than its worker has credits for) and commits the offsets its
// worker has processed (at-least-once: a commit follows the processing, so a
// crash between them replays, never skips).
//
// Two fibers on the worker's node, started with the node and after each
// restart (the member's state is volatile; a restarted worker rejoins):
//   consumer   join, then fetch (long polling) and hand records to the worker;
//   keep-alive heartbeat every heartbeat_interval, adopt a new assignment,
//              commit processed offsets every commit_interval.
// A member removed by the coordinator (a partition, a long pause) keeps
// processing what it holds, but its commits are fenced; on its next
// heartbeat it learns it is unknown and rejoins.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "core/broker/protocol.h"
#include "core/model/observer.h"
#include "core/runtime/runtime.h"
#include "core/topic/topic.h"

namespace sluice {

// What the member feeds: the stage's worker inbox and its credits.
class MemberHost {
 public:
  virtual ~MemberHost() = default;
  // Credits the worker has granted and not yet used.
  virtual std::int64_t credits(std::uint32_t worker) const = 0;
  // Notified whenever the worker grants credit.
  virtual WaitQueue& credit_granted(std::uint32_t worker) = 0;
  // Hands one fetched record to the worker (uses one credit).
  virtual void deliver(std::uint32_t worker, const FetchedRecord& record) = 0;
  // The partitions went to another member: drop their records the worker
  // has not started on (the new owner fetches them from the committed offset).
  virtual void revoke(std::uint32_t worker, const std::vector<std::uint32_t>& partitions) = 0;
  // Whether the worker is processing a record of one of `partitions` (of
  // any partition, when empty) or a barrier now.
  virtual bool working_on(std::uint32_t worker, const std::vector<std::uint32_t>& partitions) const = 0;
  // exactly_once: restores the partitions' state from the latest completed
  // checkpoint and fences the worker's earlier transactions under `epoch`.
  // Returns where each partition resumes; nullopt: try again later.
  virtual std::optional<std::vector<PartitionOffset>> restore(std::uint32_t worker,
                                                              const std::vector<std::uint32_t>& partitions,
                                                              std::uint64_t epoch) = 0;
  // Elastic scaling: whether the worker's replica should be in the group; a
  // member whose worker is not leaves (hand back, finish, commit, leave).
  virtual bool member_active(std::uint32_t /*worker*/) const { return true; }
  // The member left the group (or was not in it) while its worker was not active.
  virtual void member_left(std::uint32_t /*worker*/) {}
};

class GroupMember {
 public:
  GroupMember(Runtime& runtime, Observer& observer, const Topic& topic, std::uint32_t worker, NodeId node,
              MemberHost& host);
  // Registers the member's fibers with the worker node's start-up.
  void install();
  // The worker finished with the record at `offset` of `partition`.
  void processed(std::uint32_t partition, std::uint64_t offset);
  // exactly_once: the worker's state is in doubt (a pre-commit went
  // unanswered); the member restores its partitions before the next barrier.
  void request_restore() { restore_requested_ = true; }
  // For a barrier: the member's generation and, for each partition it owns,
  // the offset after the last record the worker finished. nullopt while the
  // member is not settled (not joined, or restoring).
  std::optional<std::pair<Generation, std::vector<PartitionOffset>>> barrier_position() const;
  // The offsets_outside_transaction defect: the member remembers where each
  // barrier stood and, once its checkpoint is done, commits those offsets
  // itself, apart from the transaction (a crash before that commit replays
  // records whose output is already committed).
  void at_barrier(std::uint64_t checkpoint, std::vector<PartitionOffset> offsets);
  void checkpoint_done(std::uint64_t checkpoint);

 private:
  struct Owned {
    std::uint64_t position;   // the next offset to fetch
    std::uint64_t processed;  // one past the last offset the worker finished
    std::uint64_t committed;  // what the coordinator has accepted
  };
  void reset();
  void consume();
  void keep_alive();
  bool join();
  // Takes the group's view: stops fetching revoked partitions, drops their
  // unstarted records, commits what was processed of them (the holder's last
  // word before the coordinator hands them on) and starts new ones from
  // their committed offsets.
  void adopt(const Assignment& assignment);
  void adopt_committing(const Assignment& assignment);
  bool owns_exactly(const Assignment& assignment) const;
  bool differs(const Assignment& assignment) const;
  // Waits (bounded) until the worker is done with any record of `partitions` (empty: of any).
  void let_worker_finish(const std::vector<std::uint32_t>& partitions);
  // exactly_once: a member whose partitions changed restores all of them from
  // the latest checkpoint (and fences its earlier transactions); one whose
  // partitions did not just moves to the new generation.
  void adopt_restoring(const Assignment& assignment, bool force = false);
  // Restores the current assignment again (after request_restore).
  void restore_in_place();
  bool exactly_once() const { return group_.delivery == DeliveryMode::exactly_once; }
  void forget_membership();
  // Scale-in: hands back the prefetched records, lets the worker finish,
  // commits, sends LeaveGroup (group_member_leave.cc).
  void leave_group();
  void fetch_once();
  void commit_processed();
  // At-most-once: commits a fetched batch before the worker sees it; false
  // (and the batch unfetched again) unless the commit is known to have landed.
  bool commit_on_receipt(const std::vector<const FetchedRecord*>& batch);
  // Commits the offsets in `partitions` processed past their last commit;
  // true when the coordinator accepted them (or there was nothing to commit).
  bool commit_offsets(std::map<std::uint32_t, Owned>& partitions);
  Nanos rpc_timeout() const { return topic_.config().group.rpc_timeout; }
  // At-most-once (or the commit_before_process defect): commit before processing.
  bool commits_on_receipt() const {
    return group_.delivery == DeliveryMode::at_most_once || topic_.config().defects.commit_before_process;
  }

  Runtime& runtime_;
  Observer& observer_;
  const Topic& topic_;
  const GroupConfig& group_;
  std::uint32_t worker_;
  NodeId node_;
  MemberHost& host_;
  Rng rng_;
  // Volatile: reset at every start of the node.
  MemberId member_ = 0;
  Generation generation_ = 0;          // the assignment's, once adopting starts
  Generation settled_generation_ = 0;  // what heartbeats report: adopting finished
  std::map<std::uint32_t, Owned> owned_;  // ordered: fetch requests list partitions in order
  std::map<std::uint32_t, Owned> releasing_;  // revoked, their last records finishing before the final commit
  Nanos last_commit_ = 0;
  bool restoring_ = false;
  bool restore_requested_ = false;
  std::uint64_t local_restores_ = 0;  // restores in this generation: the epoch's low bits
  bool adopting_ = false;  // an adoption is under way in one of the two fibers
  std::map<std::uint64_t, std::vector<PartitionOffset>> barrier_offsets_;  // offsets_outside_transaction only
  std::vector<PartitionOffset> done_offsets_;
  WaitQueue membership_changed_;
  WaitQueue progress_;  // notified whenever the worker finishes a record
};

}  // namespace sluice
