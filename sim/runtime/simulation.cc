#include "sim/runtime/simulation.h"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <utility>

#include <boost/fiber/algo/round_robin.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/operations.hpp>
#include <boost/fiber/pooled_fixedsize_stack.hpp>

#include "core/check.h"
#include "core/random/rng.h"
#include "core/runtime/storage.h"
#include "core/runtime/transport.h"

#if SLUICE_SANITIZE
#include <sanitizer/asan_interface.h>
#endif

namespace sluice {

using boost::fibers::context;

namespace {
// Fiber stacks come from the simulation's pool (copies share it); each record remembers where its stack lies
// (for the sanitizer build, which must clean it before unwinding).
class RecordingStack {
 public:
  RecordingStack(const boost::fibers::pooled_fixedsize_stack& pool, FiberRecord* record)
      : pool_(pool), record_(record) {}
  boost::context::stack_context allocate() {
    boost::context::stack_context stack = pool_.allocate();
    record_->stack_bottom = static_cast<char*>(stack.sp) - stack.size;
    record_->stack_size = stack.size;
#if SLUICE_SANITIZE
    // A pooled stack may still carry the poison of its previous fiber's
    // frames, which ASan could not track across Boost.Context's switches
    // (see raise_crashed): a fresh fiber starts on a clean stack.
    __asan_unpoison_memory_region(record_->stack_bottom, record_->stack_size);
#endif
    return stack;
  }
  void deallocate(boost::context::stack_context& stack) noexcept { pool_.deallocate(stack); }

 private:
  boost::fibers::pooled_fixedsize_stack pool_;
  FiberRecord* record_;
};

// Boost.Fiber keeps one scheduler per OS thread, so one simulation at a time
// may own it. Sweeps run simulations on separate threads.
thread_local Simulation* active_simulation = nullptr;

std::uint64_t pack_handle(std::uint32_t stamp, std::uint32_t slot) {
  return (static_cast<std::uint64_t>(stamp) << 32) | slot;
}
}  // namespace

const char* outcome_name(RunOutcome outcome) {
  switch (outcome) {
    case RunOutcome::quiescent: return "quiescent";
    case RunOutcome::stopped: return "stopped";
    case RunOutcome::time_limit: return "time_limit";
    case RunOutcome::deadlock: return "deadlock";
    case RunOutcome::event_limit: return "event_limit";
    case RunOutcome::fiber_error: return "fiber_error";
    case RunOutcome::paused: return "paused";
    case RunOutcome::budget_exhausted: return "budget_exhausted";
  }
  return "?";
}

Simulation::Simulation(SimulationOptions options)
    : options_(options),
      root_rng_(options.seed),
      strategy_(make_strategy(options.strategy, root_rng_)),
      perturbation_(options.perturb, root_rng_),
      stack_pool_(options.fiber_stack_bytes) {
  if (active_simulation != nullptr) {
    throw std::logic_error("only one Simulation may exist per thread at a time");
  }
  active_simulation = this;
  check_context_ = CheckContext{options_.seed, &now_};
  set_check_context(&check_context_);
  boost::fibers::use_scheduling_algorithm<FiberAlgorithm>(static_cast<FiberAlgorithm::Host&>(*this),
                                                          *strategy_, &algorithm_);
  nodes_.push_back(Node{.name = "world"});
  trace_hash_.mix(options_.seed);
}

Simulation::~Simulation() {
  shutdown();
  algorithm_->detach();
  boost::fibers::use_scheduling_algorithm<boost::fibers::algo::round_robin>();
  active_simulation = nullptr;
  set_check_context(nullptr);
}

// --- nodes -------------------------------------------------------------------

NodeId Simulation::add_node(std::string name) {
  if (find_node(name)) throw std::invalid_argument("duplicate node name: " + name);
  nodes_.push_back(Node{.name = std::move(name)});
  return static_cast<NodeId>(nodes_.size() - 1);
}

std::optional<NodeId> Simulation::find_node(std::string_view name) const {
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].name == name) return static_cast<NodeId>(i);
  }
  return std::nullopt;
}

void Simulation::on_node_start(NodeId node, std::function<void()> startup) {
  Node& n = nodes_.at(node);
  n.startups.push_back(std::move(startup));
  // A node registered after the start begins at once, like a restart would.
  if (started_ && n.up) n.startups.back()();
}

void Simulation::crash(NodeId node) {
  SLUICE_CHECK(node != kWorldNode, "the world node cannot crash");
  Node& n = nodes_.at(node);
  if (!n.up) return;
  n.up = false;
  ++n.epoch;
  trace_hash_.mix(0xC0A5'0000'0000'0000ULL | node);
  // A crash ends a pause: the held fibers are dead and must unwind now.
  if (n.paused) resume(node);
  for (auto& hook : n.crash_hooks) hook();
  // Wake every parked fiber of the node so it unwinds now, in id order.
  for (auto& [id, record] : fibers_) {
    if (record->node != node || !record->blocked) continue;
    if (record->waiter != nullptr && record->waiter->queue != nullptr) {
      record->waiter->queue->remove(record->waiter);
    }
    wake(record.get());
  }
}

void Simulation::restart(NodeId node) {
  Node& n = nodes_.at(node);
  if (n.up) return;
  n.up = true;
  trace_hash_.mix(0x5E57'0000'0000'0000ULL | node);
  for (auto& startup : n.startups) startup();
}

void Simulation::on_node_crash(NodeId node, std::function<void()> hook) {
  nodes_.at(node).crash_hooks.push_back(std::move(hook));
}

void Simulation::pause(NodeId node) {
  SLUICE_CHECK(node != kWorldNode, "the world node cannot pause");
  Node& n = nodes_.at(node);
  if (n.paused || !n.up) return;
  n.paused = true;
  trace_hash_.mix(0x9A05'0000'0000'0000ULL | node);
  // Fibers already ready wait with the ones woken later.
  for (boost::fibers::context* ctx : algorithm_->take_ready([node](FiberRecord* r) { return r->node == node; })) {
    n.held.push_back(ctx);
  }
}

void Simulation::resume(NodeId node) {
  Node& n = nodes_.at(node);
  if (!n.paused) return;
  n.paused = false;
  trace_hash_.mix(0x4E5E'0000'0000'0000ULL | node);
  std::vector<boost::fibers::context*> held;
  held.swap(n.held);
  for (boost::fibers::context* ctx : held) context::active()->schedule(ctx);
}

bool Simulation::hold(FiberRecord* record, boost::fibers::context* ctx) {
  Node& n = nodes_[record->node];
  if (!n.paused) return false;
  n.held.push_back(ctx);
  return true;
}

void Simulation::set_slowdown(NodeId node, double factor) {
  SLUICE_CHECK(factor > 0, "a slowdown factor must be positive");
  nodes_.at(node).slowdown = factor;
  trace_hash_.mix(0x5107'0000'0000'0000ULL ^ static_cast<std::uint64_t>(factor * 1000) ^ node);
}

void Simulation::start_nodes() {
  for (Node& n : nodes_) {
    if (!n.up) continue;
    for (auto& startup : n.startups) startup();
  }
}

// --- timers --------------------------------------------------------------------

std::uint64_t Simulation::call_at(Nanos at, std::function<void()> callback) {
  if (at < now_) at = now_;
  std::uint32_t slot;
  if (free_callbacks_.empty()) {
    slot = static_cast<std::uint32_t>(callbacks_.size());
    callbacks_.push_back(Callback{});
  } else {
    slot = free_callbacks_.back();
    free_callbacks_.pop_back();
  }
  callbacks_[slot].fn = std::move(callback);
  timers_.push(at, nullptr, slot);
  return pack_handle(callbacks_[slot].stamp, slot);
}

void Simulation::cancel(std::uint64_t handle) {
  auto slot = static_cast<std::uint32_t>(handle);
  auto stamp = static_cast<std::uint32_t>(handle >> 32);
  if (slot < callbacks_.size() && callbacks_[slot].stamp == stamp) callbacks_[slot].fn = nullptr;
}

void Simulation::release_timer_ref(FiberRecord* record) {
  SLUICE_CHECK(record->timer_refs > 0, "a timer released a fiber it did not hold");
  if (--record->timer_refs == 0 && record->finished) delete record;
}

void Simulation::fire(const TimerEntry& entry) {
  if (entry.fiber == nullptr) {
    auto slot = static_cast<std::uint32_t>(entry.generation);
    std::function<void()> fn = std::move(callbacks_[slot].fn);
    callbacks_[slot].fn = nullptr;
    ++callbacks_[slot].stamp;
    free_callbacks_.push_back(slot);
    if (fn) fn();
    return;
  }
  FiberRecord* record = entry.fiber;
  bool live = !record->finished && record->blocked && entry.generation == record->wait_generation;
  release_timer_ref(record);
  if (!live) return;
  if (record->waiter != nullptr && record->waiter->queue != nullptr) {
    record->waiter->queue->remove(record->waiter);  // a timed-out wait
  }
  wake(record);
}

// --- the loop -------------------------------------------------------------------

void Simulation::settle() {
  while (algorithm_->has_ready_workers()) boost::this_fiber::yield();
}

std::optional<RunResult> Simulation::check_deadlock() {
  std::vector<std::string> blocked = blocked_fibers();
  if (blocked.empty()) return std::nullopt;
  std::string message = "deadlock at t=" + std::to_string(now_) + "ns: no timer pending and " +
                        std::to_string(blocked.size()) + " fiber(s) blocked forever:";
  for (const std::string& line : blocked) message += "\n  " + line;
  return RunResult{RunOutcome::deadlock, message};
}

std::vector<std::string> Simulation::blocked_fibers() const {
  std::vector<std::string> lines;
  for (const auto& [id, record] : fibers_) {
    if (!record->blocked || record->daemon) continue;
    std::string what = record->waiter != nullptr && record->waiter->queue != nullptr
                           ? std::string("waiting on '") + record->waiter->queue->label() + "'"
                           : std::string("sleeping");
    lines.push_back("fiber '" + record->name + "' on node '" + nodes_[record->node].name + "' " + what);
  }
  return lines;
}

RunResult Simulation::run(Nanos until, std::uint64_t max_timers) {
  if (shut_down_) throw std::logic_error("Simulation::run after shutdown");
  if (!started_) {
    started_ = true;
    start_nodes();
  }
  stop_requested_ = false;
  std::uint64_t fired = 0;
  for (;;) {
    settle();
    if (fiber_error_) return {RunOutcome::fiber_error, *fiber_error_};
    if (limit_hit_) {
      return {RunOutcome::event_limit, "stopped after " + std::to_string(events_) + " scheduler events"};
    }
    if (stop_requested_) return {RunOutcome::stopped, {}};
    // Stale entries (cancelled callbacks, waits that ended early) must not move the clock.
    while (!timers_.empty()) {
      const TimerEntry& top = timers_.top();
      bool stale = top.fiber == nullptr ? !callbacks_[static_cast<std::uint32_t>(top.generation)].fn
                                        : (top.fiber->finished || !top.fiber->blocked ||
                                           top.generation != top.fiber->wait_generation);
      if (!stale) break;
      fire(timers_.pop());
    }
    if (timers_.empty()) {
      if (auto deadlock = check_deadlock()) return *deadlock;
      return {RunOutcome::quiescent, {}};
    }
    if (timers_.top().time > until) {
      if (until > now_) now_ = until;
      return {RunOutcome::time_limit, {}};
    }
    if (max_timers != 0 && fired++ == max_timers) return {RunOutcome::paused, {}};
    TimerEntry entry = timers_.pop();
    if (entry.time != now_) {
      now_ = entry.time;
      trace_hash_.mix(static_cast<std::uint64_t>(now_));
    }
    fire(entry);
  }
}

void Simulation::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  shutting_down_ = true;
  for (NodeId node = 0; node < nodes_.size(); ++node) resume(node);
  // Every fiber unwinds through NodeCrashed; parked ones are woken to do so.
  for (int round = 0; round < 16 && !fibers_.empty(); ++round) {
    for (auto& [id, record] : fibers_) {
      if (!record->blocked) continue;
      if (record->waiter != nullptr && record->waiter->queue != nullptr) {
        record->waiter->queue->remove(record->waiter);
      }
      wake(record.get());
    }
    settle();
  }
  if (!fibers_.empty()) {
    std::fprintf(stderr, "sluice: %zu fiber(s) refused to unwind at shutdown (seed %llu)\n",
                 fibers_.size(), static_cast<unsigned long long>(options_.seed));
    std::abort();
  }
  // Let Boost's dispatcher release the finished fibers' stacks.
  algorithm_->note_finished_fiber();
  boost::this_fiber::yield();
  // Timer entries may still name finished fibers; drop them.
  while (!timers_.empty()) {
    TimerEntry entry = timers_.pop();
    if (entry.fiber != nullptr) release_timer_ref(entry.fiber);
  }
}

// --- fibers ------------------------------------------------------------------

FiberId Simulation::spawn(NodeId node, std::string name, std::function<void()> body, SpawnOptions options) {
  if (shutting_down_) return 0;
  const Node& n = nodes_.at(node);
  if (!n.up) return 0;  // a crashed node runs nothing until it restarts
  auto owned = std::make_unique<FiberRecord>();
  FiberRecord* record = owned.get();
  record->id = next_fiber_id_++;
  record->node = node;
  record->node_epoch = n.epoch;
  record->name = std::move(name);
  record->daemon = options.daemon;
  fibers_.emplace(record->id, std::move(owned));
  trace_hash_.mix(0x5BA7'0000'0000'0000ULL ^ record->id);

  // The fiber's constructor wakes it at once; the algorithm picks up the record.
  spawning_ = record;
  boost::fibers::fiber fiber(std::allocator_arg, RecordingStack(stack_pool_, record),
                             [this, record, body = std::move(body)] { run_fiber(record, body); });
  SLUICE_CHECK(spawning_ == nullptr, "a spawned fiber did not take its record at once");
  fiber.detach();
  return record->id;
}

FiberRecord* Simulation::take_spawning_record() { return std::exchange(spawning_, nullptr); }

void Simulation::run_fiber(FiberRecord* record, const std::function<void()>& body) {
  try {
    if (!is_dead(*record)) body();
  } catch (const NodeCrashed&) {
    // The node crashed (or the run ended): unwinding was the point.
  } catch (const std::exception& e) {
    if (!fiber_error_) {
      fiber_error_ = "fiber '" + record->name + "' on node '" + nodes_[record->node].name +
                     "' threw at t=" + std::to_string(now_) + "ns: " + e.what();
    }
  } catch (...) {
    if (!fiber_error_) fiber_error_ = "fiber '" + record->name + "' threw a non-standard exception";
  }
  retire(record);
}

void Simulation::retire(FiberRecord* record) {
  record->finished = true;
  strategy_->forget(record->id);
  auto node = fibers_.extract(record->id);
  SLUICE_CHECK(!node.empty(), "a fiber retired twice");
  if (record->timer_refs > 0) {
    node.mapped().release();  // the last timer entry naming it deletes it
  }
  algorithm_->note_finished_fiber();
}

void Simulation::on_pick(FiberRecord* record) {
  ++events_;
  trace_hash_.mix(record->id);
  if (options_.max_events != 0 && events_ >= options_.max_events && !limit_hit_) {
    // Fibers that never block would keep the instant from settling; make
    // every fiber unwind at its next runtime call instead.
    limit_hit_ = true;
    if (options_.on_event_limit) options_.on_event_limit();
    shutting_down_ = true;
  }
}

void Simulation::on_stall() {
  std::fprintf(stderr,
               "sluice: the scheduler stalled: a fiber blocked outside the Runtime (seed %llu, t=%lldns)\n",
               static_cast<unsigned long long>(options_.seed), static_cast<long long>(now_));
  std::abort();
}

void Simulation::raise_crashed(const FiberRecord& record) {
#if SLUICE_SANITIZE
  // ASan cannot see Boost.Context's stack switches (Debian's Boost is built
  // without its sanitizer hooks), so it refuses to clear the poison of frames
  // that unwinding abandons and then reports its own bookkeeping as an
  // overflow (google/sanitizers#189). Frames about to be unwound keep their
  // redzones poisoned and the landing pads' calls land on them, so clear the
  // whole fiber stack: this loses redzone checks on it, never finds false ones.
  if (record.stack_bottom != nullptr) __asan_unpoison_memory_region(record.stack_bottom, record.stack_size);
#endif
  throw NodeCrashed{record.node};
}

FiberRecord* Simulation::current() const { return algorithm_->running(); }

FiberRecord* Simulation::current_or_die(const char* operation) const {
  FiberRecord* record = current();
  if (record == nullptr) {
    throw std::logic_error(std::string(operation) + " called outside a simulated fiber (callbacks must not block)");
  }
  return record;
}

NodeId Simulation::current_node() const {
  FiberRecord* record = current();
  return record == nullptr ? kWorldNode : record->node;
}

void Simulation::arm_fault_point(NodeId node, std::string point, std::function<void()> fire) {
  nodes_.at(node).armed_points.insert_or_assign(std::move(point), std::move(fire));
}

void Simulation::fault_point(std::string_view name) {
  FiberRecord* record = current_or_die("fault_point");
  if (on_fault_point_) on_fault_point_(name);
  Node& node = nodes_.at(record->node);
  auto armed = node.armed_points.find(name);
  if (armed == node.armed_points.end()) return;
  std::function<void()> fire = std::move(armed->second);
  node.armed_points.erase(armed);
  trace_hash_.mix(0xFA17'0000'0000'0000ULL ^ (static_cast<std::uint64_t>(record->node) << 32));
  trace_hash_.mix(stable_hash(name));  // the point by name, not by the length of its name
  fire();
  check_alive();
}

bool Simulation::buggify(PerturbSite site) {
  if (!perturbation_.fire(site)) return false;
  // A fired site changes what happens next: the hash says which one, and when.
  trace_hash_.mix(0xB066'1F00'0000'0000ULL ^ static_cast<std::uint64_t>(site));
  if (on_perturbed_) on_perturbed_(site, current_node());
  return true;
}

void Simulation::check_alive() {
  FiberRecord* record = current();
  if (record != nullptr && is_dead(*record)) raise_crashed(*record);
}

void Simulation::park(FiberRecord* self) {
  self->blocked = true;
  self->context->suspend();
}

void Simulation::wake(FiberRecord* record) {
  SLUICE_CHECK(record->blocked, "only a parked fiber can be woken");
  record->blocked = false;
  ++record->wait_generation;
  context::active()->schedule(record->context);
}

void Simulation::sleep_until(Nanos deadline) {
  FiberRecord* self = current_or_die("sleep_until");
  if (is_dead(*self)) raise_crashed(*self);
  if (deadline <= now_) return;
  timers_.push(deadline, self, self->wait_generation);
  ++self->timer_refs;
  park(self);
  if (is_dead(*self)) raise_crashed(*self);
}

void Simulation::yield() {
  FiberRecord* self = current_or_die("yield");
  if (is_dead(*self)) raise_crashed(*self);
  boost::this_fiber::yield();
  if (is_dead(*self)) raise_crashed(*self);
}

bool Simulation::wait(WaitQueue& queue, Nanos deadline) {
  FiberRecord* self = current_or_die("wait");
  if (is_dead(*self)) raise_crashed(*self);
  if (deadline <= now_) return false;
  Waiter waiter;
  waiter.fiber = self;
  queue.push_back(&waiter);
  self->waiter = &waiter;
  if (deadline != kNever) {
    timers_.push(deadline, self, self->wait_generation);
    ++self->timer_refs;
  }
  park(self);
  self->waiter = nullptr;
  SLUICE_CHECK(waiter.queue == nullptr, "a woken waiter must be off its queue");
  if (is_dead(*self)) {
    // A wake-up meant for this fiber must not die with it: pass it on.
    if (waiter.notified && !notify_one(queue)) queue.unclaimed();
    raise_crashed(*self);
  }
  return waiter.notified;
}

bool Simulation::notify_one(WaitQueue& queue) {
  Waiter* waiter = queue.pop_front();
  if (waiter == nullptr) return false;
  waiter->notified = true;
  wake(static_cast<FiberRecord*>(waiter->fiber));
  return true;
}

void Simulation::notify_all(WaitQueue& queue) {
  while (notify_one(queue)) {
  }
}

// --- the world -------------------------------------------------------------------

namespace {
template <class T>
T& installed(T* part, const char* operation, const char* what) {
  if (part == nullptr) {
    throw std::logic_error(std::string(operation) + ": no " + what +
                           " is installed in this simulation (build a sluice::World for it)");
  }
  return *part;
}
}  // namespace

void Simulation::send(NodeId to, std::uint32_t port, Message message) {
  check_alive();
  installed(transport_, "send", "network").send(current_node(), to, port, std::move(message));
}

bool Simulation::receive(std::uint32_t port, Message& out, Nanos deadline) {
  FiberRecord* self = current_or_die("receive");
  if (is_dead(*self)) raise_crashed(*self);
  return installed(transport_, "receive", "network").receive(self->node, port, out, deadline);
}

std::uint32_t Simulation::new_port() {
  check_alive();
  return installed(transport_, "new_port", "network").new_port(current_node());
}

void Simulation::close_port(std::uint32_t port) {
  if (transport_ != nullptr) transport_->close_port(current_node(), port);
}

DurableLog& Simulation::log(std::string_view name) {
  check_alive();
  return installed(storage_, "log", "disk").log(current_node(), name);
}

KvStore& Simulation::kv(std::string_view name) {
  check_alive();
  return installed(storage_, "kv", "disk").kv(current_node(), name);
}

}  // namespace sluice
