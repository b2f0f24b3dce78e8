// GroupMember on its own: two members of one consumer group on a topic of a
// small simulated world, each feeding a fake host (the stage's side). A
// member the group assigned no partition, or did not admit, fetches nothing;
// a member never takes more records than its host has credits for.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/topic/group_member.h"
#include "core/topic/topic.h"
#include "core/topic/topic_producer.h"
#include "tests/sim/recording_observer.h"
#include "tests/sim/world_test_support.h"

namespace sluice {
namespace {

using testing::RecordingObserver;
using testing::TestWorld;

// The stage's side of each member: a fixed stock of credits, spent by every
// delivery and never granted again, and the records delivered.
class FakeHost final : public MemberHost {
 public:
  explicit FakeHost(std::int64_t credits) : credits_{credits, credits} {}
  std::int64_t credits(std::uint32_t worker) const override { return credits_.at(worker); }
  WaitQueue& credit_granted(std::uint32_t worker) override { return granted_[worker]; }
  void deliver(std::uint32_t worker, const FetchedRecord& record) override {
    --credits_.at(worker);
    delivered[worker].push_back(record.event.id);
  }
  void revoke(std::uint32_t, const std::vector<std::uint32_t>&) override {}
  bool working_on(std::uint32_t, const std::vector<std::uint32_t>&) const override { return false; }
  std::optional<std::vector<PartitionOffset>> restore(std::uint32_t, const std::vector<std::uint32_t>&,
                                                      std::uint64_t) override {
    return std::nullopt;
  }
  std::map<std::uint32_t, std::vector<EventId>> delivered;

 private:
  std::vector<std::int64_t> credits_;
  WaitQueue granted_[2];
};

struct GroupFixture {
  // A one-partition topic on node a; members 0 (node b) and 1 (node c).
  GroupFixture(std::int64_t credits, std::uint32_t max_consumers) : host(credits) {
    config.name = "t";
    config.node = world.a;
    config.partitions = 1;
    config.max_consumers = max_consumers;
    topic = std::make_unique<Topic>(world.sim, observer, config, 0);
    topic->install();
    members.push_back(std::make_unique<GroupMember>(world.sim, observer, *topic, 0, world.b, host));
    members.push_back(std::make_unique<GroupMember>(world.sim, observer, *topic, 1, world.c, host));
    for (auto& member : members) member->install();
  }
  ~GroupFixture() { world.sim.shutdown(); }

  // Produces `n` records from node a once both members had time to join,
  // then lets the members fetch for a while.
  void produce_and_consume(EventId n) {
    TopicProducer producer(world.sim, *topic);
    world.sim.spawn(world.a, "producer", [&] {
      world.sim.sleep_for(2 * kNanosPerSecond);
      for (EventId id = 1; id <= n; ++id) producer.offer(Event{.id = id, .size_bytes = 10});
    });
    world.sim.run(5 * kNanosPerSecond);
  }

  TestWorld world;
  RecordingObserver observer;
  TopicConfig config;
  FakeHost host;
  std::unique_ptr<Topic> topic;
  std::vector<std::unique_ptr<GroupMember>> members;
};

TEST(GroupMember, AMemberWithNoPartitionAssignedFetchesNothing) {
  GroupFixture f(/*credits=*/100, /*max_consumers=*/2);
  f.produce_and_consume(10);
  // Two members, one partition: one member owns it, the other has an empty assignment.
  const std::vector<std::string> rebalances = f.observer.starting_with("rebalanced");
  ASSERT_FALSE(rebalances.empty());
  EXPECT_TRUE(rebalances.back().ends_with(" members=2")) << rebalances.back();
  const std::size_t got0 = f.host.delivered[0].size();
  const std::size_t got1 = f.host.delivered[1].size();
  EXPECT_EQ(got0 + got1, 10u);
  EXPECT_TRUE(got0 == 0 || got1 == 0) << "member 0 got " << got0 << ", member 1 got " << got1;
}

TEST(GroupMember, AMemberTheGroupDidNotAdmitFetchesNothing) {
  GroupFixture f(/*credits=*/100, /*max_consumers=*/1);
  f.produce_and_consume(10);
  for (const std::string& line : f.observer.starting_with("rebalanced")) {
    EXPECT_TRUE(line.ends_with(" members=1")) << line;
  }
  EXPECT_EQ(f.host.delivered[0].size() + f.host.delivered[1].size(), 10u);
  EXPECT_TRUE(f.host.delivered[0].empty() || f.host.delivered[1].empty());
}

TEST(GroupMember, AMemberNeverTakesMoreRecordsThanItsHostHasCreditsFor) {
  GroupFixture f(/*credits=*/3, /*max_consumers=*/1);
  f.produce_and_consume(10);
  const std::size_t got = f.host.delivered[0].size() + f.host.delivered[1].size();
  EXPECT_EQ(got, 3u);
  EXPECT_EQ(f.host.delivered[0].size() == 3 ? f.host.delivered[0] : f.host.delivered[1],
            (std::vector<EventId>{1, 2, 3}));
}

}  // namespace
}  // namespace sluice
