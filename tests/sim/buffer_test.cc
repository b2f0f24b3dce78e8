// Buffer on its own, beside the real simulated runtime: each overflow policy
// picks the right victim, a blocking buffer holds the producer back, and the
// unbounded_buffer defect is what lets depth pass the capacity.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/pipeline/buffer.h"
#include "sim/runtime/simulation.h"
#include "tests/sim/recording_observer.h"

namespace sluice {
namespace {

using testing::RecordingObserver;

Event event(EventId id, std::uint8_t priority = 0) { return Event{.id = id, .priority = priority}; }

struct BufferFixture {
  explicit BufferFixture(std::size_t capacity, OverflowPolicy policy, bool unbounded = false)
      : node(sim.add_node("n")), buffer(sim, observer, 0, node, capacity, policy, "q", unbounded) {}
  // Unwinds any fiber still parked on the buffer before the buffer goes.
  ~BufferFixture() { sim.shutdown(); }

  // Offers each event in turn from one fiber; returns what each offer said.
  std::vector<OfferResult> offer_all(const std::vector<Event>& events) {
    std::vector<OfferResult> results;
    sim.spawn(node, "producer", [&] {
      for (const Event& e : events) results.push_back(buffer.offer(e));
    });
    sim.run();
    return results;
  }

  std::vector<EventId> contents() {
    std::vector<EventId> ids;
    while (buffer.depth() > 0) {
      Event out;
      buffer.take(out);
      ids.push_back(out.id);
    }
    return ids;
  }

  Simulation sim;
  NodeId node;
  RecordingObserver observer;
  Buffer buffer;
};

TEST(Buffer, PriorityShedsTheNewestOfTheLowestPriorityForAMoreImportantArrival) {
  BufferFixture f(3, OverflowPolicy::shed_by_priority);
  f.offer_all({event(1, 2), event(2, 1), event(3, 1), event(4, 3)});
  // e2 and e3 share the lowest priority; e3 has waited least.
  EXPECT_EQ(f.observer.starting_with("shed"), std::vector<std::string>{"shed q0 e3 priority depth=2"});
  EXPECT_EQ(f.contents(), (std::vector<EventId>{1, 2, 4}));
}

TEST(Buffer, PriorityShedsAnArrivalNoMoreImportantThanTheLowestQueued) {
  BufferFixture f(2, OverflowPolicy::shed_by_priority);
  const std::vector<OfferResult> results = f.offer_all({event(1, 5), event(2, 1), event(3, 1), event(4, 0)});
  EXPECT_EQ(results, (std::vector<OfferResult>{OfferResult::accepted, OfferResult::accepted, OfferResult::shed,
                                               OfferResult::shed}));
  EXPECT_EQ(f.observer.starting_with("shed"),
            (std::vector<std::string>{"shed q0 e3 priority depth=2 on_arrival", "shed q0 e4 priority depth=2 on_arrival"}));
  EXPECT_EQ(f.contents(), (std::vector<EventId>{1, 2}));
}

TEST(Buffer, PriorityNeverShedsAMoreImportantEventWhileALessImportantOneIsQueued) {
  BufferFixture f(2, OverflowPolicy::shed_by_priority);
  f.offer_all({event(1, 0), event(2, 9), event(3, 5), event(4, 7)});
  EXPECT_EQ(f.observer.starting_with("shed"),
            (std::vector<std::string>{"shed q0 e1 priority depth=1", "shed q0 e3 priority depth=1"}));
  EXPECT_EQ(f.contents(), (std::vector<EventId>{2, 4}));
}

TEST(Buffer, DropNewestShedsTheArrival) {
  BufferFixture f(2, OverflowPolicy::drop_newest);
  f.offer_all({event(1), event(2), event(3)});
  EXPECT_EQ(f.observer.starting_with("shed"), std::vector<std::string>{"shed q0 e3 drop_newest depth=2 on_arrival"});
  EXPECT_EQ(f.contents(), (std::vector<EventId>{1, 2}));
}

TEST(Buffer, DropOldestShedsTheHead) {
  BufferFixture f(2, OverflowPolicy::drop_oldest);
  f.offer_all({event(1), event(2), event(3)});
  EXPECT_EQ(f.observer.starting_with("shed"), std::vector<std::string>{"shed q0 e1 drop_oldest depth=1"});
  EXPECT_EQ(f.contents(), (std::vector<EventId>{2, 3}));
}

TEST(Buffer, BlockHoldsTheProducerUntilATakeMakesRoom) {
  BufferFixture f(1, OverflowPolicy::block);
  std::vector<Nanos> accepted_at;
  f.sim.spawn(f.node, "producer", [&] {
    for (EventId id = 1; id <= 2; ++id) {
      f.buffer.offer(event(id));
      accepted_at.push_back(f.sim.now());
    }
  });
  f.sim.spawn(f.node, "consumer", [&] {
    f.sim.sleep_for(500);
    Event out;
    f.buffer.take(out);
  });
  f.sim.run();
  EXPECT_EQ(accepted_at, (std::vector<Nanos>{0, 500}));
  EXPECT_TRUE(f.observer.starting_with("shed").empty());
  EXPECT_EQ(f.buffer.depth(), 1u);
}

TEST(Buffer, DepthStaysWithinCapacityUnlessTheUnboundedDefectIsOn) {
  {
    BufferFixture bounded(2, OverflowPolicy::drop_newest);
    bounded.offer_all({event(1), event(2), event(3), event(4)});
    EXPECT_EQ(bounded.buffer.depth(), 2u);
  }
  BufferFixture unbounded(2, OverflowPolicy::drop_newest, /*unbounded=*/true);
  unbounded.offer_all({event(1), event(2), event(3), event(4)});
  EXPECT_EQ(unbounded.buffer.depth(), 4u);
  EXPECT_TRUE(unbounded.observer.starting_with("shed").empty());
}

TEST(Buffer, ACrashOfItsNodeLosesEveryQueuedEvent) {
  BufferFixture f(4, OverflowPolicy::block);
  f.offer_all({event(1), event(2)});
  f.sim.crash(f.node);
  EXPECT_EQ(f.observer.starting_with("lost_in_crash"),
            (std::vector<std::string>{"lost_in_crash q0 e1", "lost_in_crash q0 e2"}));
  EXPECT_EQ(f.buffer.depth(), 0u);
}

}  // namespace
}  // namespace sluice
