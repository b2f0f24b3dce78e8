// Topic on its own, on a broker node of a small simulated world, fed by a
// TopicProducer over the network: its max_msgs limit refuses a produce under
// discard new and sheds the oldest untaken record under discard old.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/topic/topic.h"
#include "core/topic/topic_producer.h"
#include "tests/sim/recording_observer.h"
#include "tests/sim/world_test_support.h"

namespace sluice {
namespace {

using testing::RecordingObserver;
using testing::TestWorld;

struct TopicFixture {
  explicit TopicFixture(DiscardPolicy discard, std::uint64_t max_msg_size = kNoLimit) {
    config.name = "t";
    config.node = world.a;
    config.partitions = 1;
    config.max_msgs = 2;
    config.discard = discard;
    config.max_msg_size = max_msg_size;
    topic = std::make_unique<Topic>(world.sim, observer, config, 0);
    topic->install();
  }
  // The broker's fibers unwind before the topic they use goes.
  ~TopicFixture() { world.sim.shutdown(); }

  // Produces events 1..n from node b, one after another; what each offer said.
  std::vector<OfferResult> produce(EventId n) {
    TopicProducer producer(world.sim, *topic);
    std::vector<OfferResult> results;
    world.sim.spawn(world.b, "producer", [&] {
      for (EventId id = 1; id <= n; ++id) results.push_back(producer.offer(Event{.id = id, .size_bytes = 10}));
    });
    world.sim.run(10 * kNanosPerSecond);
    return results;
  }

  TestWorld world;
  RecordingObserver observer;
  TopicConfig config;
  std::unique_ptr<Topic> topic;
};

TEST(Topic, DiscardNewRefusesAProduceBeyondMaxMsgs) {
  TopicFixture f(DiscardPolicy::reject_new);
  EXPECT_EQ(f.produce(4), (std::vector<OfferResult>{OfferResult::accepted, OfferResult::accepted, OfferResult::refused,
                                                    OfferResult::refused}));
  EXPECT_EQ(f.observer.starting_with("enqueued"),
            (std::vector<std::string>{"enqueued q0 e1 depth=1", "enqueued q0 e2 depth=2"}));
  EXPECT_TRUE(f.observer.starting_with("shed").empty());
}

TEST(Topic, DiscardOldShedsTheOldestUntakenRecordToMakeRoom) {
  TopicFixture f(DiscardPolicy::drop_old);
  EXPECT_EQ(f.produce(4), std::vector<OfferResult>(4, OfferResult::accepted));
  EXPECT_EQ(f.observer.starting_with("shed"),
            (std::vector<std::string>{"shed q0 e1 drop_oldest depth=1", "shed q0 e2 drop_oldest depth=1"}));
  EXPECT_EQ(f.observer.starting_with("enqueued").back(), "enqueued q0 e4 depth=2");
}

TEST(Topic, ARecordLargerThanMaxMsgSizeIsRefused) {
  TopicFixture f(DiscardPolicy::drop_old, /*max_msg_size=*/5);
  EXPECT_EQ(f.produce(1), std::vector<OfferResult>{OfferResult::refused});
}

}  // namespace
}  // namespace sluice
