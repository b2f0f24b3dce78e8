// The Boost.Fiber scheduling algorithm of one simulation.
//
// Among ready worker fibers it asks the PickStrategy. The thread's main
// context (which runs the simulation loop) is picked only when no worker is
// ready: so `yield()` from the loop returns exactly when the current virtual
// instant has settled and every fiber is blocked, and the loop can advance
// time. The dispatcher context (Boost's housekeeping) runs only when a fiber
// has finished and its stack can be released.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <vector>

#include <boost/fiber/algo/algorithm.hpp>

#include "sim/runtime/fiber_record.h"

namespace sluice {

class PickStrategy;

class FiberAlgorithm final : public boost::fibers::algo::algorithm {
 public:
  // Hooks into the owning simulation; all called on the simulation's thread.
  struct Host {
    virtual ~Host() = default;
    virtual FiberRecord* take_spawning_record() = 0;  // the record of the fiber being created
    // True when the fiber's node is paused: the host keeps the context until it resumes.
    virtual bool hold(FiberRecord* record, boost::fibers::context* ctx) = 0;
    virtual void on_pick(FiberRecord* record) = 0;     // one scheduling decision
    [[noreturn]] virtual void on_stall() = 0;          // nothing ready, nothing to wait for
  };

  FiberAlgorithm(Host& host, PickStrategy& strategy, FiberAlgorithm** self)
      : host_(host), strategy_(strategy) {
    *self = this;
  }

  void awakened(boost::fibers::context* ctx) noexcept override;
  boost::fibers::context* pick_next() noexcept override;
  bool has_ready_fibers() const noexcept override;
  // Boost's signature names the wall clock; the argument is never read.
  void suspend_until(std::chrono::steady_clock::time_point const&) noexcept override;  // determinism-ok
  void notify() noexcept override {}

  bool has_ready_workers() const { return !ready_.empty(); }
  // The simulated fiber running now (null in the loop's own context). Kept
  // here, where every switch is decided, so asking costs no thread-local lookup.
  FiberRecord* running() const { return running_; }
  // Removes and returns the ready fibers `select` picks (in ready order).
  template <class Select>
  std::vector<boost::fibers::context*> take_ready(Select select) {
    std::vector<boost::fibers::context*> taken;
    std::deque<boost::fibers::context*> kept;
    for (boost::fibers::context* ctx : ready_) {
      if (select(static_cast<FiberProps*>(ctx->get_properties())->record)) {
        taken.push_back(ctx);
      } else {
        kept.push_back(ctx);
      }
    }
    ready_.swap(kept);
    return taken;
  }
  std::size_t ready_workers() const { return ready_.size(); }
  void note_finished_fiber() { finished_pending_ = true; }
  // The simulation is being torn down: no more strategy or hash calls.
  void detach() { detached_ = true; }

 private:
  Host& host_;
  PickStrategy& strategy_;
  std::deque<boost::fibers::context*> ready_;
  FiberRecord* running_ = nullptr;
  boost::fibers::context* main_ = nullptr;
  boost::fibers::context* dispatcher_ = nullptr;
  bool finished_pending_ = false;
  bool detached_ = false;
};

}  // namespace sluice
