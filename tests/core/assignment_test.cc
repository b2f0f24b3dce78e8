// Partition assignment strategies and the group coordinator's bookkeeping:
// generations, the cooperative hand-off and commit fencing.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "core/broker/assignment.h"
#include "core/broker/group_coordinator.h"

namespace sluice {
namespace {

std::map<MemberId, int> loads(const Owners& owners) {
  std::map<MemberId, int> count;
  for (MemberId m : owners) ++count[m];
  return count;
}

TEST(Assignment, RangeGivesContiguousRunsExtraToTheFirst) {
  const Owners owners = assign_partitions(AssignmentStrategy::range, 8, {10, 20, 30}, {});
  EXPECT_EQ(owners, (Owners{10, 10, 10, 20, 20, 20, 30, 30}));
}

TEST(Assignment, RoundRobinDealsPartitionsInTurn) {
  const Owners owners = assign_partitions(AssignmentStrategy::round_robin, 5, {1, 2}, {});
  EXPECT_EQ(owners, (Owners{1, 2, 1, 2, 1}));
}

TEST(Assignment, NoMembersNoOwners) {
  EXPECT_EQ(assign_partitions(AssignmentStrategy::sticky, 3, {}, {}), (Owners{0, 0, 0}));
}

TEST(Assignment, StickyMovesOnlyTheLeaversPartitions) {
  const Owners before = assign_partitions(AssignmentStrategy::range, 8, {1, 2, 3, 4}, {});
  const Owners after = assign_partitions(AssignmentStrategy::sticky, 8, {1, 3, 4}, before);
  int moved = 0;
  for (std::size_t p = 0; p < 8; ++p) {
    if (before[p] != 2) {
      EXPECT_EQ(after[p], before[p]) << "partition " << p << " moved without need";
    } else {
      ++moved;
      EXPECT_NE(after[p], 2u);
    }
  }
  EXPECT_EQ(moved, 2);
  for (const auto& [member, count] : loads(after)) EXPECT_TRUE(count == 2 || count == 3) << member;
}

TEST(Assignment, StickyRebalancesTowardANewcomer) {
  const Owners before = assign_partitions(AssignmentStrategy::range, 6, {1, 2}, {});
  const Owners after = assign_partitions(AssignmentStrategy::sticky, 6, {1, 2, 3}, before);
  const std::map<MemberId, int> count = loads(after);
  EXPECT_EQ(count.at(1), 2);
  EXPECT_EQ(count.at(2), 2);
  EXPECT_EQ(count.at(3), 2);
  int kept = 0;
  for (std::size_t p = 0; p < 6; ++p) kept += after[p] == before[p];
  EXPECT_EQ(kept, 4);  // only the newcomer's share moved
}

TopicConfig group_topic(std::uint32_t partitions) {
  TopicConfig config;
  config.partitions = partitions;
  config.group.session_timeout = 1000;
  return config;
}

TEST(GroupCoordinator, APartitionIsHandedOnOnlyAfterItsHolderLetsGo) {
  TopicConfig config = group_topic(2);
  GroupCoordinator group(config);
  const Assignment a = *group.join(0, 0);
  EXPECT_EQ(a.partitions.size(), 2u);
  const Assignment b = *group.join(1, 10);
  EXPECT_GT(b.generation, a.generation);
  EXPECT_TRUE(b.partitions.empty()) << "the newcomer must wait until the holder releases";
  // The holder learns the new generation (keeps one partition)...
  Assignment seen;
  ASSERT_EQ(group.heartbeat(a.member, a.generation, 20, seen), GroupStatus::ok);
  EXPECT_EQ(seen.partitions.size(), 1u);
  // ...and heartbeats in it, which releases the other.
  ASSERT_EQ(group.heartbeat(a.member, seen.generation, 30, seen), GroupStatus::ok);
  ASSERT_EQ(group.heartbeat(b.member, b.generation, 30, seen), GroupStatus::ok);
  EXPECT_EQ(seen.partitions.size(), 1u);
}

TEST(GroupCoordinator, CommitsAreFencedByGenerationAndOwnership) {
  TopicConfig config = group_topic(2);
  GroupCoordinator group(config);
  const Assignment a = *group.join(0, 0);
  std::vector<PartitionOffset> accepted;
  EXPECT_EQ(group.commit({a.member, a.generation, {{0, 5}}}, true, accepted), GroupStatus::ok);
  EXPECT_EQ(group.committed(0), 5u);
  // The member times out; a commit from the zombie is refused...
  EXPECT_TRUE(group.expire(5000));
  EXPECT_EQ(group.commit({a.member, a.generation, {{0, 9}}}, true, accepted), GroupStatus::fenced);
  EXPECT_EQ(group.committed(0), 5u);
  // ...unless fencing is off (the no_fencing defect).
  EXPECT_EQ(group.commit({a.member, a.generation, {{0, 9}}}, false, accepted), GroupStatus::ok);
  EXPECT_EQ(group.committed(0), 9u);
  Assignment seen;
  EXPECT_EQ(group.heartbeat(a.member, a.generation, 5000, seen), GroupStatus::unknown_member);
}

TEST(GroupCoordinator, MaxConsumersLeavesLateJoinersOut) {
  TopicConfig config = group_topic(4);
  config.max_consumers = 1;
  GroupCoordinator group(config);
  EXPECT_TRUE(group.join(0, 0).has_value());
  EXPECT_FALSE(group.join(1, 0).has_value());
  EXPECT_EQ(group.members(), 1u);
}

TEST(GroupCoordinator, RestoreMovesTheGenerationPastAnyZombie) {
  TopicConfig config = group_topic(1);
  GroupCoordinator group(config);
  const Assignment a = *group.join(0, 0);
  group.restore(a.generation, {7});
  EXPECT_GT(group.generation(), a.generation);
  EXPECT_EQ(group.committed(0), 7u);
  std::vector<PartitionOffset> accepted;
  EXPECT_EQ(group.commit({a.member, a.generation, {{0, 8}}}, true, accepted), GroupStatus::fenced);
}

}  // namespace
}  // namespace sluice
