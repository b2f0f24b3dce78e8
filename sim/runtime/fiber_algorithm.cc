#include "sim/runtime/fiber_algorithm.h"

#include <cassert>
#include <utility>

#include "sim/runtime/pick_strategy.h"

namespace sluice {

using boost::fibers::context;
using ContextType = boost::fibers::type;

void FiberAlgorithm::awakened(context* ctx) noexcept {
  if (ctx->is_context(ContextType::main_context)) {
    main_ = ctx;
    return;
  }
  if (ctx->is_context(ContextType::dispatcher_context)) {
    dispatcher_ = ctx;
    return;
  }
  if (ctx->get_properties() == nullptr) {
    // First wake-up of a fiber being spawned: attach its record.
    FiberRecord* record = host_.take_spawning_record();
    assert(record != nullptr && "fibers must be started through Simulation::spawn");
    record->context = ctx;
    ctx->set_properties(new FiberProps(ctx, record));
  }
  if (host_.hold(static_cast<FiberProps*>(ctx->get_properties())->record, ctx)) return;
  ready_.push_back(ctx);
}

namespace {
// The ready queue as the strategy sees it: fiber ids in ready order.
class ReadyQueueView final : public ReadyFibers {
 public:
  explicit ReadyQueueView(const std::deque<context*>& ready) : ready_(ready) {}
  std::size_t size() const override { return ready_.size(); }
  FiberId id(std::size_t index) const override {
    return static_cast<FiberProps*>(ready_[index]->get_properties())->record->id;
  }

 private:
  const std::deque<context*>& ready_;
};
}  // namespace

context* FiberAlgorithm::pick_next() noexcept {
  if (!ready_.empty()) {
    std::size_t index = (ready_.size() == 1 || detached_) ? 0 : strategy_.pick(ReadyQueueView(ready_));
    assert(index < ready_.size());
    context* next = ready_[index];
    if (index != 0) std::swap(ready_[index], ready_.front());
    ready_.pop_front();
    running_ = static_cast<FiberProps*>(next->get_properties())->record;
    if (!detached_) host_.on_pick(running_);
    return next;
  }
  running_ = nullptr;
  // Boost releases finished fibers' stacks in the dispatcher; give it a turn
  // when there is something to release, otherwise go straight back to the loop.
  if (dispatcher_ != nullptr && (finished_pending_ || main_ == nullptr)) {
    finished_pending_ = false;
    return std::exchange(dispatcher_, nullptr);
  }
  if (main_ != nullptr) return std::exchange(main_, nullptr);
  return std::exchange(dispatcher_, nullptr);
}

bool FiberAlgorithm::has_ready_fibers() const noexcept {
  return !ready_.empty() || main_ != nullptr || dispatcher_ != nullptr;
}

void FiberAlgorithm::suspend_until(std::chrono::steady_clock::time_point const&) noexcept {  // determinism-ok
  // The main context never blocks while a simulation runs, so reaching this
  // means a fiber blocked outside the Runtime (a raw Boost.Fiber primitive).
  host_.on_stall();
}

}  // namespace sluice
