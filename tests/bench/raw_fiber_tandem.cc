// The scheduler's yardstick: scenarios/bench/tandem.json written directly on
// Boost.Fiber, with none of Sluice. Poisson arrivals at rate 1 feed two
// single-worker stations in series (exponential service at 1.25) through
// 64-slot blocking queues; virtual time advances from timer to timer.
//
// It has what any virtual-time simulation on Boost.Fiber must have (a
// scheduling algorithm that lets the loop run only once every fiber is
// blocked, a timer heap, context switches on every sleep and every blocked
// push or pop, one random draw per sleep) and nothing else: no history, no
// checkers, no metrics, no trace hash. `sluice run scenarios/bench/tandem.json`
// does the same work plus everything Sluice adds, so the ratio of the two is
// what Sluice costs over the bare runtime (README, Performance).
//
// Usage: raw_fiber_tandem [N]   (default 1,000,000 events). Prints the
// number of events, the final virtual time and the mean sojourn, so a run
// can be checked against the Jackson-network result (8 s end to end).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <queue>
#include <vector>

#include <boost/fiber/all.hpp>

#include "core/random/rng.h"

namespace {

using boost::fibers::context;
using Nanos = std::int64_t;

Nanos now_ns = 0;

// Ready fibers in FIFO order; the main context (the time loop) only when no
// fiber is ready, so the loop runs once the current instant has settled.
class Algorithm final : public boost::fibers::algo::algorithm {
 public:
  void awakened(context* ctx) noexcept override {
    if (ctx->is_context(boost::fibers::type::main_context)) {
      main_ = ctx;
    } else if (ctx->is_context(boost::fibers::type::dispatcher_context)) {
      dispatcher_ = ctx;
    } else {
      ready_.push_back(ctx);
    }
  }
  context* pick_next() noexcept override {
    if (!ready_.empty()) {
      context* next = ready_.front();
      ready_.pop_front();
      return next;
    }
    if (dispatcher_ != nullptr) return std::exchange(dispatcher_, nullptr);
    return std::exchange(main_, nullptr);
  }
  bool has_ready_fibers() const noexcept override { return !ready_.empty() || main_ || dispatcher_; }
  void suspend_until(std::chrono::steady_clock::time_point const&) noexcept override {}  // determinism-ok: never blocks
  void notify() noexcept override {}

 private:
  std::deque<context*> ready_;
  context* main_ = nullptr;
  context* dispatcher_ = nullptr;
};

struct Timer {
  Nanos at;
  std::uint64_t seq;
  context* fiber;
  bool operator>(const Timer& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};
std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers;
std::uint64_t timer_seq = 0;

void sleep_for(Nanos d) {
  context* self = context::active();
  timers.push({now_ns + d, timer_seq++, self});
  self->suspend();
}

// A blocking FIFO of capacity 64: a full push or an empty pop parks the fiber.
class Queue {
 public:
  void push(Nanos item) {
    while (items_.size() >= kCapacity) park(pushers_);
    items_.push_back(item);
    wake(poppers_);
  }
  Nanos pop() {
    while (items_.empty()) park(poppers_);
    Nanos item = items_.front();
    items_.pop_front();
    wake(pushers_);
    return item;
  }

 private:
  static constexpr std::size_t kCapacity = 64;
  static void park(std::deque<context*>& waiters) {
    waiters.push_back(context::active());
    context::active()->suspend();
  }
  static void wake(std::deque<context*>& waiters) {
    if (waiters.empty()) return;
    context* fiber = waiters.front();
    waiters.pop_front();
    context::active()->schedule(fiber);
  }
  std::deque<Nanos> items_;
  std::deque<context*> pushers_, poppers_;
};

Nanos exponential(sluice::Rng& rng, double rate) {
  return static_cast<Nanos>(-std::log(1.0 - rng.next_double()) / rate * 1e9);
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  boost::fibers::use_scheduling_algorithm<Algorithm>();
  sluice::Rng rng(1);
  sluice::Rng arrivals = rng.fork("arrivals"), station1 = rng.fork("s1"), station2 = rng.fork("s2");
  Queue q1, q2;
  std::uint64_t done = 0;
  double sojourn_sum = 0;

  boost::fibers::fiber source([&] {
    for (std::uint64_t i = 0; i < n; ++i) {
      sleep_for(exponential(arrivals, 1.0));
      q1.push(now_ns);
    }
  });
  boost::fibers::fiber s1([&] {
    for (std::uint64_t i = 0; i < n; ++i) {
      Nanos born = q1.pop();
      sleep_for(exponential(station1, 1.25));
      q2.push(born);
    }
  });
  boost::fibers::fiber s2([&] {
    for (std::uint64_t i = 0; i < n; ++i) {
      Nanos born = q2.pop();
      sleep_for(exponential(station2, 1.25));
      sojourn_sum += static_cast<double>(now_ns - born);
      ++done;
    }
  });

  // The time loop: let the instant settle, then wake the earliest sleeper.
  while (done < n) {
    boost::this_fiber::yield();
    if (done >= n || timers.empty()) break;
    Timer next = timers.top();
    timers.pop();
    now_ns = next.at;
    context::active()->schedule(next.fiber);
  }
  source.join();
  s1.join();
  s2.join();
  std::printf("events %llu virtual_time_s %.1f mean_sojourn_s %.3f\n", static_cast<unsigned long long>(done),
              static_cast<double>(now_ns) / 1e9, sojourn_sum / static_cast<double>(done) / 1e9);
  return done == n ? 0 : 1;
}
