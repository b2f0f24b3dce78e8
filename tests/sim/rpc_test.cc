// Request/response over the simulated network: replies, timeouts, stale and
// duplicated replies, and calls from a node that crashes.
#include <gtest/gtest.h>

#include <any>
#include <optional>
#include <vector>

#include "core/runtime/rpc.h"
#include "tests/sim/world_test_support.h"

namespace sluice {
namespace {

using testing::TestWorld;

constexpr Port kEcho = 80;
constexpr Nanos kMs = kNanosPerMilli;

// A server on `node` that answers each request with its body plus 1000,
// after `delay` (a slow server), or not at all for bodies in `ignore`.
void serve(TestWorld& w, NodeId node, Nanos delay = 0, std::vector<int> ignore = {}) {
  w.sim.spawn(
      node, "server",
      [&w, delay, ignore] {
        Message request;
        while (w.sim.receive(kEcho, request)) {
          const int value = std::any_cast<int>(request.body);
          if (std::find(ignore.begin(), ignore.end(), value) != ignore.end()) continue;
          w.sim.sleep_for(delay);
          reply(w.sim, request, Message{.size_bytes = 8, .body = value + 1000});
        }
      },
      {.daemon = true});
}

TEST(Rpc, ACallReturnsItsReply) {
  NetworkSpec spec;
  spec.defaults.latency_ns = Distribution::constant(2 * kMs);
  TestWorld w(1, spec);
  serve(w, w.b);
  std::optional<Message> response;
  Nanos returned_at = -1;
  w.sim.spawn(w.a, "client", [&] {
    response = call(w.sim, w.b, kEcho, Message{.size_bytes = 8, .body = 7}, 100 * kMs);
    returned_at = w.sim.now();
  });
  w.sim.run();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(std::any_cast<int>(response->body), 1007);
  EXPECT_EQ(response->from, w.b);
  EXPECT_EQ(returned_at, 4 * kMs);  // there and back
}

TEST(Rpc, ACallWithoutAReplyTimesOutAtItsDeadline) {
  TestWorld w;
  serve(w, w.b, 0, {7});
  std::optional<Message> response = Message{};
  Nanos returned_at = -1;
  w.sim.spawn(w.a, "client", [&] {
    w.sim.sleep_for(5 * kMs);
    response = call(w.sim, w.b, kEcho, Message{.body = 7}, 30 * kMs);
    returned_at = w.sim.now();
  });
  w.sim.run();
  EXPECT_FALSE(response.has_value());
  EXPECT_EQ(returned_at, 35 * kMs);
}

TEST(Rpc, AStaleReplyIsNeverTakenForTheAnswerToALaterCall) {
  TestWorld w;
  serve(w, w.b, 20 * kMs);  // every reply comes 20 ms late
  std::vector<std::optional<int>> answers;
  w.sim.spawn(w.a, "client", [&] {
    // The first call gives up at 10 ms; its reply arrives at 20 ms, during
    // the second call (which waits long enough for its own).
    for (int value : {1, 2}) {
      std::optional<Message> r = call(w.sim, w.b, kEcho, Message{.body = value}, value == 1 ? 10 * kMs : 100 * kMs);
      answers.push_back(r ? std::optional<int>(std::any_cast<int>(r->body)) : std::nullopt);
    }
  });
  w.sim.run();
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_FALSE(answers[0].has_value());
  EXPECT_EQ(answers[1], 1002);
  EXPECT_EQ(w.network().stats().dropped_port_closed, 1u);  // the stale reply
}

TEST(Rpc, DuplicatedRepliesAreSeenOnce) {
  NetworkSpec spec;
  spec.defaults.duplicate = 1.0;  // every message arrives twice
  spec.defaults.latency_ns = Distribution::uniform(kMs, 2 * kMs);
  TestWorld w(4, spec);
  int handled = 0;
  w.sim.spawn(
      w.b, "server",
      [&] {
        Message request;
        while (w.sim.receive(kEcho, request)) {
          ++handled;
          reply(w.sim, request, Message{.body = std::any_cast<int>(request.body)});
        }
      },
      {.daemon = true});
  std::vector<int> answers;
  w.sim.spawn(w.a, "client", [&] {
    for (int value = 0; value < 10; ++value) {
      std::optional<Message> r = call(w.sim, w.b, kEcho, Message{.body = value}, 50 * kMs);
      ASSERT_TRUE(r.has_value());
      answers.push_back(std::any_cast<int>(r->body));
    }
  });
  w.sim.run();
  EXPECT_EQ(answers, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(handled, 20);  // requests were duplicated too: the server must be idempotent
  EXPECT_GE(w.network().stats().dropped_port_closed, 10u);
}

TEST(Rpc, ACallerThatCrashesClosesItsReplyPort) {
  NetworkSpec spec;
  spec.defaults.latency_ns = Distribution::constant(5 * kMs);
  TestWorld w(1, spec);
  serve(w, w.b);
  bool returned = false;
  w.sim.spawn(w.a, "client", [&] {
    call(w.sim, w.b, kEcho, Message{.body = 1}, 100 * kMs);
    returned = true;
  });
  w.sim.call_at(7 * kMs, [&] { w.sim.crash(w.a); });
  w.sim.call_at(8 * kMs, [&] { w.sim.restart(w.a); });
  w.sim.run();
  EXPECT_FALSE(returned);
  EXPECT_EQ(w.network().stats().dropped_port_closed, 1u);  // the reply, at 10 ms
}

}  // namespace
}  // namespace sluice
