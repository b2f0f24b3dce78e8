// The simulated network: latency, loss, duplication, reordering, bandwidth,
// partitions (symmetric, one-way, in flight), crashes, and determinism.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "core/runtime/transport.h"
#include "tests/sim/world_test_support.h"

namespace sluice {
namespace {

using testing::TestWorld;
using testing::within_binomial;

constexpr Port kPort = 7;
constexpr Nanos kMs = kNanosPerMilli;

struct Arrival {
  Nanos at;
  std::uint64_t id;
  NodeId from;
};

// A daemon on `node` that records every message on `port`.
void collect(TestWorld& w, NodeId node, Port port, std::vector<Arrival>& out) {
  w.sim.spawn(
      node, "collector",
      [&w, port, &out] {
        Message m;
        while (w.sim.receive(port, m)) out.push_back({w.sim.now(), m.id, m.from});
      },
      {.daemon = true});
}

// A fiber on `from` that sends `n` messages to `to` at t=0, ids 0..n-1.
void burst(TestWorld& w, NodeId from, NodeId to, int n, std::uint32_t size_bytes = 100) {
  w.sim.spawn(from, "burst", [&w, to, n, size_bytes] {
    for (int i = 0; i < n; ++i) {
      w.sim.send(to, kPort, Message{.id = static_cast<std::uint64_t>(i), .size_bytes = size_bytes});
    }
  });
}

TEST(Network, APerfectNetworkDeliversEverythingAtOnceInOrder) {
  TestWorld w;
  std::vector<Arrival> got;
  collect(w, w.b, kPort, got);
  burst(w, w.a, w.b, 50);
  w.sim.run();
  ASSERT_EQ(got.size(), 50u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].id, i);
    EXPECT_EQ(got[i].at, 0);
    EXPECT_EQ(got[i].from, w.a);
  }
  EXPECT_EQ(w.network().stats().delivered, 50u);
}

TEST(Network, LatencyFollowsItsDistribution) {
  NetworkSpec spec;
  spec.defaults.latency_ns = Distribution::exponential(1.0 / kMs);  // mean 1 ms, sd 1 ms
  TestWorld w(3, spec);
  std::vector<Arrival> got;
  collect(w, w.b, kPort, got);
  constexpr int kN = 20'000;
  burst(w, w.a, w.b, kN);
  w.sim.run();
  ASSERT_EQ(got.size(), static_cast<std::size_t>(kN));
  double sum = 0;
  for (const Arrival& arrival : got) sum += static_cast<double>(arrival.at);
  const double mean = sum / kN;
  const double standard_error = kMs / std::sqrt(kN);
  EXPECT_NEAR(mean, kMs, 5 * standard_error);
}

TEST(Network, ConstantLatencyIsExactAndPerLinkOverridesApply) {
  NetworkSpec spec;
  spec.defaults.latency_ns = Distribution::constant(2 * kMs);
  spec.links.push_back(LinkOverride{.from = "a", .to = "c", .latency_ns = Distribution::constant(9 * kMs)});
  TestWorld w(1, spec);
  std::vector<Arrival> at_b, at_c, back_at_a;
  collect(w, w.b, kPort, at_b);
  collect(w, w.c, kPort, at_c);
  collect(w, w.a, kPort, back_at_a);
  w.send_at(0, w.a, w.b, kPort, Message{});
  w.send_at(0, w.a, w.c, kPort, Message{});
  w.send_at(0, w.c, w.a, kPort, Message{});  // the override is one-way
  w.sim.run();
  ASSERT_EQ(at_b.size(), 1u);
  ASSERT_EQ(at_c.size(), 1u);
  ASSERT_EQ(back_at_a.size(), 1u);
  EXPECT_EQ(at_b[0].at, 2 * kMs);
  EXPECT_EQ(at_c[0].at, 9 * kMs);
  EXPECT_EQ(back_at_a[0].at, 2 * kMs);
}

TEST(Network, DropRateIsWithinSamplingError) {
  NetworkSpec spec;
  spec.defaults.drop = 0.05;
  TestWorld w(5, spec);
  std::vector<Arrival> got;
  collect(w, w.b, kPort, got);
  constexpr int kN = 20'000;
  burst(w, w.a, w.b, kN);
  w.sim.run();
  const NetworkStats& stats = w.network().stats();
  EXPECT_TRUE(within_binomial(stats.dropped_random, kN, 0.05)) << stats.dropped_random;
  EXPECT_EQ(got.size() + stats.dropped_random, static_cast<std::size_t>(kN));
}

TEST(Network, DuplicateRateIsWithinSamplingErrorAndCopiesAreIdentical) {
  NetworkSpec spec;
  spec.defaults.duplicate = 0.05;
  spec.defaults.latency_ns = Distribution::uniform(0, kMs);
  TestWorld w(6, spec);
  std::vector<Arrival> got;
  collect(w, w.b, kPort, got);
  constexpr int kN = 20'000;
  burst(w, w.a, w.b, kN);
  w.sim.run();
  const NetworkStats& stats = w.network().stats();
  EXPECT_TRUE(within_binomial(stats.duplicated, kN, 0.05)) << stats.duplicated;
  EXPECT_EQ(got.size(), kN + stats.duplicated);
  std::vector<int> copies(kN, 0);
  for (const Arrival& arrival : got) ++copies[arrival.id];
  EXPECT_EQ(std::count(copies.begin(), copies.end(), 2), static_cast<std::ptrdiff_t>(stats.duplicated));
  EXPECT_EQ(std::count(copies.begin(), copies.end(), 0), 0);
}

std::size_t inversions(const std::vector<Arrival>& got) {
  std::size_t count = 0;
  for (std::size_t i = 1; i < got.size(); ++i) count += got[i].id < got[i - 1].id ? 1 : 0;
  return count;
}

TEST(Network, IndependentLatenciesReorderUnlessTheLinkIsFifo) {
  for (bool fifo : {false, true}) {
    NetworkSpec spec;
    spec.defaults.latency_ns = Distribution::uniform(1 * kMs, 3 * kMs);
    spec.defaults.fifo = fifo;
    TestWorld w(7, spec);
    std::vector<Arrival> got;
    collect(w, w.b, kPort, got);
    w.sim.spawn(w.a, "spaced", [&w] {
      for (std::uint64_t i = 0; i < 1000; ++i) {
        w.sim.send(w.b, kPort, Message{.id = i});
        w.sim.sleep_for(10 * kNanosPerMicro);
      }
    });
    w.sim.run();
    ASSERT_EQ(got.size(), 1000u);
    if (fifo) {
      EXPECT_EQ(inversions(got), 0u);
    } else {
      EXPECT_GT(inversions(got), 100u);
    }
    for (const Arrival& arrival : got) {
      EXPECT_GE(arrival.at, static_cast<Nanos>(arrival.id) * 10 * kNanosPerMicro + kMs);
    }
  }
}

TEST(Network, BandwidthQueuesMessagesBehindEachOther) {
  NetworkSpec spec;
  spec.defaults.bandwidth_bytes_per_s = 1e6;  // 1000-byte messages: 1 ms each
  spec.defaults.latency_ns = Distribution::uniform(0, 0.5 * kMs);
  TestWorld w(8, spec);
  std::vector<Arrival> got, other_link;
  collect(w, w.b, kPort, got);
  collect(w, w.c, kPort, other_link);
  constexpr int kN = 100;
  constexpr std::uint32_t kSize = 1000;
  burst(w, w.a, w.b, kN, kSize);
  burst(w, w.a, w.c, 1, kSize);  // another link: its own transmitter
  w.sim.run();
  ASSERT_EQ(got.size(), static_cast<std::size_t>(kN));
  Nanos last = 0;
  for (const Arrival& arrival : got) {
    // The i-th message leaves once the i before it have: (i + 1) ms.
    EXPECT_GE(arrival.at, static_cast<Nanos>(arrival.id + 1) * kMs);
    last = std::max(last, arrival.at);
  }
  EXPECT_GE(last, kN * kSize * kNanosPerSecond / 1'000'000);  // n * s / b
  EXPECT_LE(last, kN * kMs + kMs / 2);
  ASSERT_EQ(other_link.size(), 1u);
  EXPECT_LE(other_link[0].at, kMs + kMs / 2);
}

TEST(Network, ASymmetricPartitionCutsBothWaysAndHeals) {
  TestWorld w;
  std::vector<Arrival> at_a, at_b, at_c;
  collect(w, w.a, kPort, at_a);
  collect(w, w.b, kPort, at_b);
  collect(w, w.c, kPort, at_c);
  Network::CutId cut = 0;
  w.sim.call_at(10, [&] { cut = w.network().partition({{w.a}, {w.b}}); });
  w.sim.call_at(30, [&] { w.network().heal(cut); });
  w.send_at(20, w.a, w.b, kPort, Message{.id = 1});
  w.send_at(20, w.b, w.a, kPort, Message{.id = 2});
  w.send_at(20, w.a, w.c, kPort, Message{.id = 3});  // c is in no group: unaffected
  w.send_at(40, w.a, w.b, kPort, Message{.id = 4});
  w.send_at(40, w.b, w.a, kPort, Message{.id = 5});
  w.sim.run();
  EXPECT_EQ(w.network().stats().dropped_partitioned, 2u);
  ASSERT_EQ(at_b.size(), 1u);
  EXPECT_EQ(at_b[0].id, 4u);
  ASSERT_EQ(at_a.size(), 1u);
  EXPECT_EQ(at_a[0].id, 5u);
  ASSERT_EQ(at_c.size(), 1u);
  EXPECT_FALSE(w.network().is_cut(w.a, w.b));
}

TEST(Network, AOneWayPartitionDropsExactlyOneDirection) {
  TestWorld w;
  std::vector<Arrival> at_a, at_b;
  collect(w, w.a, kPort, at_a);
  collect(w, w.b, kPort, at_b);
  w.sim.call_at(0, [&] { w.network().partition_one_way({w.a}, {w.b}); });
  for (std::uint64_t i = 0; i < 10; ++i) {
    w.send_at(10, w.a, w.b, kPort, Message{.id = i});
    w.send_at(10, w.b, w.a, kPort, Message{.id = i});
  }
  w.sim.run();
  EXPECT_TRUE(at_b.empty());
  EXPECT_EQ(at_a.size(), 10u);
  EXPECT_EQ(w.network().stats().dropped_partitioned, 10u);
  EXPECT_TRUE(w.network().is_cut(w.a, w.b));
  EXPECT_FALSE(w.network().is_cut(w.b, w.a));
}

TEST(Network, OverlappingPartitionsHealOnlyWhenTheLastOneDoes) {
  TestWorld w;
  Network::CutId first = 0, second = 0;
  w.sim.call_at(0, [&] {
    first = w.network().partition({{w.a}, {w.b, w.c}});
    second = w.network().partition_one_way({w.a}, {w.b});
  });
  w.sim.call_at(10, [&] { w.network().heal(first); });
  w.sim.run();
  EXPECT_TRUE(w.network().is_cut(w.a, w.b));
  EXPECT_FALSE(w.network().is_cut(w.b, w.a));
  EXPECT_FALSE(w.network().is_cut(w.a, w.c));
  w.network().heal(second);
  EXPECT_FALSE(w.network().is_cut(w.a, w.b));
}

// Per seed: how many of 200 messages in flight at the cut were delivered.
std::size_t delivered_across_a_cut(std::uint64_t seed) {
  NetworkSpec spec;
  spec.defaults.latency_ns = Distribution::constant(10 * kMs);
  TestWorld w(seed, spec);
  std::vector<Arrival> got;
  collect(w, w.b, kPort, got);
  burst(w, w.a, w.b, 200);
  w.sim.call_at(5 * kMs, [&] { w.network().partition({{w.a}, {w.b}}); });
  w.sim.run();
  EXPECT_EQ(got.size() + w.network().stats().dropped_in_flight, 200u);
  return got.size();
}

TEST(Network, MessagesInFlightWhenAPartitionStartsAreDroppedOrDeliveredBySeed) {
  std::set<std::size_t> outcomes;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const std::size_t delivered = delivered_across_a_cut(seed);
    EXPECT_EQ(delivered, delivered_across_a_cut(seed)) << "seed " << seed;  // deterministic per seed
    EXPECT_TRUE(within_binomial(delivered, 200, 0.5)) << delivered;          // both happen
    EXPECT_GT(delivered, 0u);
    EXPECT_LT(delivered, 200u);
    outcomes.insert(delivered);
  }
  EXPECT_GT(outcomes.size(), 5u);  // and differently per seed
}

TEST(Network, AMessageInFlightAcrossACutThatHealedIsStillJudgedBySeed) {
  // The cut lasts 1 ms inside the 10 ms flight; each message gets one coin.
  NetworkSpec spec;
  spec.defaults.latency_ns = Distribution::constant(10 * kMs);
  TestWorld w(11, spec);
  std::vector<Arrival> got;
  collect(w, w.b, kPort, got);
  burst(w, w.a, w.b, 400);
  Network::CutId cut = 0;
  w.sim.call_at(2 * kMs, [&] { cut = w.network().partition({{w.a}, {w.b}}); });
  w.sim.call_at(3 * kMs, [&] { w.network().heal(cut); });
  w.send_at(4 * kMs, w.a, w.b, kPort, Message{.id = 1000});  // sent after the heal: untouched
  w.sim.run();
  EXPECT_TRUE(within_binomial(w.network().stats().dropped_in_flight, 400, 0.5));
  EXPECT_EQ(std::count_if(got.begin(), got.end(), [](const Arrival& a) { return a.id == 1000; }), 1);
}

TEST(Network, ACrashEmptiesTheNodesMailboxesAndDropsArrivalsWhileDown) {
  TestWorld w;
  std::vector<Arrival> after_restart;
  w.send_at(0, w.a, w.b, kPort, Message{.id = 1});  // nobody receives yet: waits in the mailbox
  w.send_at(0, w.a, w.b, kPort, Message{.id = 2});
  w.sim.call_at(10, [&] { w.sim.crash(w.b); });
  w.send_at(20, w.a, w.b, kPort, Message{.id = 3});  // b is down
  w.sim.call_at(30, [&] {
    w.sim.restart(w.b);
    collect(w, w.b, kPort, after_restart);
  });
  w.send_at(40, w.a, w.b, kPort, Message{.id = 4});
  w.sim.run();
  const NetworkStats& stats = w.network().stats();
  EXPECT_EQ(stats.lost_in_crash, 2u);
  EXPECT_EQ(stats.dropped_node_down, 1u);
  ASSERT_EQ(after_restart.size(), 1u);
  EXPECT_EQ(after_restart[0].id, 4u);
}

TEST(Network, AReceiverBlockedAtTheCrashUnwinds) {
  TestWorld w;
  bool returned = false;
  w.sim.spawn(w.b, "receiver", [&] {
    Message m;
    w.sim.receive(kPort, m);
    returned = true;
  });
  w.sim.call_at(10, [&] { w.sim.crash(w.b); });
  EXPECT_EQ(w.sim.run().outcome, RunOutcome::quiescent);
  EXPECT_FALSE(returned);
  EXPECT_EQ(w.sim.live_fibers(), 0u);
}

TEST(Network, ReceiveTimesOutInVirtualTime) {
  TestWorld w;
  bool got = true;
  Nanos returned_at = -1;
  w.sim.spawn(w.b, "receiver", [&] {
    Message m;
    got = w.sim.receive(kPort, m, 25 * kMs);
    returned_at = w.sim.now();
  });
  w.sim.run();
  EXPECT_FALSE(got);
  EXPECT_EQ(returned_at, 25 * kMs);
}

TEST(Network, MessagesToSelfSkipTheNetworksFaults) {
  NetworkSpec spec;
  spec.defaults.drop = 1.0;
  spec.defaults.latency_ns = Distribution::constant(kNanosPerSecond);
  TestWorld w(1, spec);
  std::vector<Arrival> got;
  collect(w, w.a, kPort, got);
  w.sim.call_at(0, [&] { w.network().partition({{w.a}, {w.b}}); });
  burst(w, w.a, w.a, 5);
  burst(w, w.b, w.a, 5);
  w.sim.run();
  ASSERT_EQ(got.size(), 5u);
  for (const Arrival& arrival : got) EXPECT_EQ(arrival.at, 0);
}

TEST(Network, AFullMailboxDropsFurtherArrivals) {
  NetworkSpec spec;
  spec.mailbox_capacity = 3;
  TestWorld w(1, spec);
  burst(w, w.a, w.b, 5);
  w.sim.run();
  EXPECT_EQ(w.network().stats().delivered, 3u);
  EXPECT_EQ(w.network().stats().dropped_mailbox_full, 2u);
}

// A busy, faulty little network: three nodes exchange messages at random
// with latency, loss, duplication, bandwidth, a crash and partitions.
struct ChaosOutcome {
  std::uint64_t hash;
  std::uint64_t delivered;
  std::uint64_t dropped;
  bool operator==(const ChaosOutcome&) const = default;
};

ChaosOutcome chaos(std::uint64_t seed) {
  NetworkSpec spec;
  spec.defaults.latency_ns = Distribution::lognormal(2 * kMs, 0.8);
  spec.defaults.drop = 0.02;
  spec.defaults.duplicate = 0.01;
  spec.defaults.bandwidth_bytes_per_s = 50e6;
  spec.links.push_back(LinkOverride{.from = "b", .to = "c", .both_ways = true, .drop = 0.2, .fifo = true});
  TestWorld w(seed, spec);
  for (NodeId node : {w.a, w.b, w.c}) {
    w.sim.on_node_start(node, [&w, node] {
      w.sim.spawn(
          node, "echo",
          [&w] {
            Message m;
            while (w.sim.receive(kPort, m)) {
              if (m.id % 3 != 0) w.sim.send(m.from, kPort + 1, Message{.id = m.id, .size_bytes = 64});
            }
          },
          {.daemon = true});
      w.sim.spawn(node, "talk", [&w, node] {
        Rng rng = w.sim.stream("talk/" + w.sim.node_name(node));
        for (std::uint64_t i = 0; i < 200; ++i) {
          w.sim.sleep_for(static_cast<Nanos>(rng.uniform_u64(200 * kNanosPerMicro)));
          const NodeId to = static_cast<NodeId>(1 + rng.uniform_u64(3));
          w.sim.send(to, kPort, Message{.id = i, .size_bytes = static_cast<std::uint32_t>(rng.uniform_u64(4000))});
        }
      });
    });
  }
  Network::CutId cut = 0;
  w.sim.call_at(10 * kMs, [&] { cut = w.network().partition({{w.a}, {w.b, w.c}}); });
  w.sim.call_at(20 * kMs, [&] { w.network().heal(cut); });
  w.sim.call_at(25 * kMs, [&] { w.network().partition_one_way({w.c}, {w.a}); });
  w.sim.call_at(15 * kMs, [&] { w.sim.crash(w.b); });
  w.sim.call_at(18 * kMs, [&] { w.sim.restart(w.b); });
  w.sim.run();
  const NetworkStats& s = w.network().stats();
  return {w.sim.trace_hash(), s.delivered,
          s.dropped_random + s.dropped_partitioned + s.dropped_in_flight + s.dropped_node_down};
}

TEST(Network, SameSeedSameTraceHashWithNetworkFaultsOver100Seeds) {
  std::set<std::uint64_t> hashes;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    const ChaosOutcome first = chaos(seed);
    EXPECT_EQ(first, chaos(seed)) << "seed " << seed;
    EXPECT_GT(first.delivered, 0u);
    EXPECT_GT(first.dropped, 0u);
    hashes.insert(first.hash);
  }
  EXPECT_EQ(hashes.size(), 100u);  // and the seed matters
}

}  // namespace
}  // namespace sluice
