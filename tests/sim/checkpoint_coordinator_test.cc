// The checkpoint coordinator on its own, on the broker node of a small
// simulated world, with a group coordinator it trusts and workers that never
// answer: a checkpoint in flight aborts when its timeout passes and when the
// group rebalances, and none starts while the group has no member.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/broker/group_coordinator.h"
#include "core/checkpoint/checkpoint_coordinator.h"
#include "tests/sim/recording_observer.h"
#include "tests/sim/world_test_support.h"

namespace sluice {
namespace {

using testing::RecordingObserver;
using testing::TestWorld;

constexpr Nanos kMs = kNanosPerMilli;

struct CoordinatorFixture {
  // Checkpoints every 100 ms, each given 50 ms; one worker on node b.
  explicit CoordinatorFixture(bool with_member) : group(topic) {
    topic.name = "t";
    topic.node = world.a;
    topic.partitions = 1;
    if (with_member) group.join(0, 0);
    CheckpointPlan plan{.config = {.interval = 100 * kMs, .timeout = 50 * kMs, .full_every = 10, .adaptive = std::nullopt},
                        .stage = 0,
                        .workers = {world.b},
                        .sink_node = world.c,
                        .sink_port = 0x7000};
    coordinator = std::make_unique<CheckpointCoordinator>(world.sim, observer, topic, group, plan,
                                                          [](const std::vector<PartitionOffset>&) {});
    world.sim.spawn(world.a, "broker start", [this] { coordinator->start(); });
  }
  ~CoordinatorFixture() { world.sim.shutdown(); }

  TestWorld world;
  RecordingObserver observer;
  TopicConfig topic;
  GroupCoordinator group;
  std::unique_ptr<CheckpointCoordinator> coordinator;
};

TEST(CheckpointCoordinator, ACheckpointNobodyAcksAbortsAtItsTimeout) {
  CoordinatorFixture f(/*with_member=*/true);
  f.world.sim.run(149 * kMs);  // checkpoint 1 starts at 100 ms
  EXPECT_TRUE(f.observer.starting_with("checkpoint_aborted").empty()) << "aborted before its timeout";
  f.world.sim.run(160 * kMs);
  EXPECT_EQ(f.observer.starting_with("checkpoint_aborted"), std::vector<std::string>{"checkpoint_aborted 1 timeout"});
  EXPECT_TRUE(f.observer.starting_with("checkpoint_completed").empty());
}

TEST(CheckpointCoordinator, ARebalanceAbortsTheCheckpointInFlight) {
  CoordinatorFixture f(/*with_member=*/true);
  f.world.sim.spawn(f.world.a, "rebalance", [&] {
    f.world.sim.sleep_until(120 * kMs);
    f.coordinator->group_changed();
  });
  f.world.sim.run(200 * kMs);
  EXPECT_EQ(f.observer.starting_with("checkpoint_aborted"), std::vector<std::string>{"checkpoint_aborted 1 rebalance"});
}

TEST(CheckpointCoordinator, NoCheckpointStartsWhileTheGroupHasNoMember) {
  CoordinatorFixture f(/*with_member=*/false);
  f.world.sim.run(500 * kMs);
  EXPECT_TRUE(f.observer.starting_with("checkpoint_").empty());
}

}  // namespace
}  // namespace sluice
