// One deterministic simulation: a virtual clock, a timer heap, simulated
// nodes and the fibers that run on them, all on the calling OS thread.
//
// The loop (run/step) lives in the thread's main context. It lets every
// ready fiber run until the current instant has settled (all fibers blocked),
// then fires the next timer in (time, sequence) order and repeats. Nothing
// here reads a wall clock: time moves only when the loop pops a timer.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/fiber/pooled_fixedsize_stack.hpp>

#include "core/check.h"
#include "core/runtime/runtime.h"
#include "sim/runtime/fiber_algorithm.h"
#include "sim/runtime/perturbation.h"
#include "sim/runtime/pick_strategy.h"
#include "sim/runtime/timer_heap.h"
#include "core/runtime/trace_hash.h"

namespace sluice {

struct SimulationOptions {
  std::uint64_t seed = 1;
  StrategySpec strategy{};  // pct needs a horizon here (the runner derives one)
  PerturbSpec perturb{};    // the BUGGIFY sites; off by default
  std::uint64_t max_events = 0;  // 0: unlimited; guards against livelock
  // Called once when max_events is reached, before the fibers unwind (so a
  // history can stop recording: the unwinding is not the pipeline's doing).
  std::function<void()> on_event_limit;
  // Each fiber's stack. Session 6 saw a Debug sim_test crash at 256 KiB and
  // raised this to 1 MiB; on a consistent build the whole sim_test passes at
  // 256 KiB (re-checked in session 7), so that crash was most likely a stale
  // object file, not a deep frame. 1 MiB stays as headroom: pages are touched
  // only as deep as a fiber goes, so the resident cost is what fibers use.
  std::size_t fiber_stack_bytes = 1024 * 1024;
};

enum class RunOutcome {
  quiescent,    // nothing left to do: every fiber finished or is a blocked daemon
  stopped,      // stop() was called
  time_limit,   // the next timer lies beyond run_until's bound
  deadlock,     // non-daemon fibers blocked with no timer left to wake anything
  event_limit,  // max_events reached
  fiber_error,  // a fiber let an exception escape
  paused,       // run's max_timers were fired; run again to continue
  budget_exhausted,  // a run's budget (virtual time, events, wall time) ended it; set by the runner
};
const char* outcome_name(RunOutcome outcome);

struct RunResult {
  RunOutcome outcome = RunOutcome::quiescent;
  std::string message;  // for deadlock and fiber_error: what and who
};

// The node every callback timer and the loop itself belong to; it never crashes.
inline constexpr NodeId kWorldNode = 0;

// The simulated world behind the Runtime's transport and storage calls
// (sim/world/ implements both). The Simulation passes the caller's node along.
class SimTransport {
 public:
  virtual ~SimTransport() = default;
  virtual void send(NodeId from, NodeId to, std::uint32_t port, Message message) = 0;
  virtual bool receive(NodeId node, std::uint32_t port, Message& out, Nanos deadline) = 0;
  virtual std::uint32_t new_port(NodeId node) = 0;
  virtual void close_port(NodeId node, std::uint32_t port) noexcept = 0;
};
class SimStorage {
 public:
  virtual ~SimStorage() = default;
  virtual DurableLog& log(NodeId node, std::string_view name) = 0;
  virtual KvStore& kv(NodeId node, std::string_view name) = 0;
};

class Simulation final : public Runtime, private FiberAlgorithm::Host {
 public:
  explicit Simulation(SimulationOptions options = {});
  ~Simulation() override;
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // --- nodes ----------------------------------------------------------------
  NodeId add_node(std::string name);
  std::optional<NodeId> find_node(std::string_view name) const;
  std::size_t node_count() const { return nodes_.size(); }
  // Every fiber of the node unwinds at its next runtime call; blocked ones are
  // woken to do so. The node stays down until restart().
  void crash(NodeId node);
  void restart(NodeId node);
  bool is_up(NodeId node) const { return nodes_.at(node).up; }
  // A stop-the-world stall (a long GC pause): nothing on the node runs until
  // resume(); fibers woken meanwhile (timers, notifications) wait, then run
  // late, not lost.
  void pause(NodeId node);
  void resume(NodeId node);
  bool is_paused(NodeId node) const { return nodes_.at(node).paused; }
  // Service times and disk latencies on the node are multiplied by `factor`.
  void set_slowdown(NodeId node, double factor);
  double slowdown_of(NodeId node) const { return nodes_.at(node).slowdown; }
  void set_clock_skew(NodeId node, Nanos offset) { nodes_.at(node).clock_skew = offset; }
  // Arms fault point `point` on the node: the first fiber of the node to
  // pass it runs `fire` (which crashes the node) and unwinds. Re-arming
  // replaces an armed callback.
  void arm_fault_point(NodeId node, std::string point, std::function<void()> fire);

  // --- the world --------------------------------------------------------------
  // Where send/receive and log/kv go; null (the default): calling them is a
  // logic error. The world outlives every fiber that uses it.
  void set_transport(SimTransport* transport) { transport_ = transport; }
  void set_storage(SimStorage* storage) { storage_ = storage; }

  // --- timers in the loop's context ----------------------------------------
  // Runs `callback` at virtual time `at` in the loop's context: it may spawn,
  // notify, crash and schedule, but must not block. Returns a handle for cancel().
  std::uint64_t call_at(Nanos at, std::function<void()> callback);
  void cancel(std::uint64_t handle);

  // --- running --------------------------------------------------------------
  // Runs until quiescence, stop(), a deadlock, an error, or virtual time `until`.
  // With `max_timers`, returns (outcome `paused`) after firing that many timers:
  // a debugger's single step is run(kNever, 1).
  RunResult run(Nanos until = kNever, std::uint64_t max_timers = 0);
  // Unwinds every remaining fiber (as if every node crashed) and releases
  // their stacks. run() does not call it, so a caller can inspect the state
  // first; the destructor does if nobody did.
  void shutdown();

  std::uint64_t trace_hash() const { return trace_hash_.value(); }
  std::uint64_t events() const { return events_; }
  // What the scheduling strategy did so far (summary.json's strategy_stats).
  const StrategyStats& strategy_stats() const { return strategy_->stats(); }
  // Which perturbation sites the run enabled and how often each fired.
  const Perturbation& perturbation() const { return perturbation_; }
  // Called each time a site fires, with the node whose fiber reached it (the history's causal log).
  void on_perturbed(std::function<void(PerturbSite, NodeId)> hook) { on_perturbed_ = std::move(hook); }
  // Called each time a fiber passes a fault point, armed or not (coverage).
  void on_fault_point(std::function<void(std::string_view)> hook) { on_fault_point_ = std::move(hook); }
  std::uint64_t seed() const { return options_.seed; }
  std::size_t live_fibers() const { return fibers_.size(); }
  // Names of blocked non-daemon fibers and what they wait on, sorted by fiber id.
  std::vector<std::string> blocked_fibers() const;

  // --- Runtime --------------------------------------------------------------
  void sleep_until(Nanos deadline) override;
  void yield() override;
  bool wait(WaitQueue& queue, Nanos deadline = kNever) override;
  bool notify_one(WaitQueue& queue) override;
  void notify_all(WaitQueue& queue) override;
  FiberId spawn(NodeId node, std::string name, std::function<void()> body,
                SpawnOptions options = {}) override;
  void on_node_start(NodeId node, std::function<void()> startup) override;
  void on_node_crash(NodeId node, std::function<void()> hook) override;
  double slowdown() const override { return nodes_[current_node()].slowdown; }
  Nanos local_now() const override { return now_ + nodes_[current_node()].clock_skew; }
  NodeId current_node() const override;
  const std::string& node_name(NodeId node) const override { return nodes_.at(node).name; }
  void check_alive() override;
  Rng stream(std::string_view name) const override { return root_rng_.fork(name); }
  void send(NodeId to, std::uint32_t port, Message message) override;
  bool receive(std::uint32_t port, Message& out, Nanos deadline = kNever) override;
  std::uint32_t new_port() override;
  void close_port(std::uint32_t port) override;
  DurableLog& log(std::string_view name) override;
  KvStore& kv(std::string_view name) override;
  void fault_point(std::string_view name) override;
  bool buggify(PerturbSite site) override;
  void stop() override { stop_requested_ = true; }

 private:
  struct Node {
    std::string name;
    bool up = true;
    bool paused = false;
    std::uint64_t epoch = 0;
    double slowdown = 1.0;
    Nanos clock_skew = 0;
    std::vector<std::function<void()>> startups{};
    std::vector<std::function<void()>> crash_hooks{};
    std::vector<boost::fibers::context*> held{};  // woken while paused, in wake-up order
    std::map<std::string, std::function<void()>, std::less<>> armed_points{};
  };
  struct Callback {
    std::function<void()> fn;
    std::uint32_t stamp = 0;
  };

  // FiberAlgorithm::Host
  FiberRecord* take_spawning_record() override;
  bool hold(FiberRecord* record, boost::fibers::context* ctx) override;
  void on_pick(FiberRecord* record) override;
  [[noreturn]] void on_stall() override;

  [[noreturn]] static void raise_crashed(const FiberRecord& record);
  FiberRecord* current() const;
  FiberRecord* current_or_die(const char* operation) const;
  bool is_dead(const FiberRecord& record) const {
    return shutting_down_ || record.node_epoch != nodes_[record.node].epoch;
  }
  void run_fiber(FiberRecord* record, const std::function<void()>& body);
  void park(FiberRecord* record);
  void wake(FiberRecord* record);
  void settle();
  void fire(const TimerEntry& entry);
  void release_timer_ref(FiberRecord* record);
  void retire(FiberRecord* record);
  void start_nodes();
  std::optional<RunResult> check_deadlock();

  SimulationOptions options_;
  Rng root_rng_;
  std::unique_ptr<PickStrategy> strategy_;
  Perturbation perturbation_;
  std::function<void(PerturbSite, NodeId)> on_perturbed_;
  std::function<void(std::string_view)> on_fault_point_;
  boost::fibers::pooled_fixedsize_stack stack_pool_;  // reused by every fiber of the run
  FiberAlgorithm* algorithm_ = nullptr;
  std::uint64_t events_ = 0;
  TimerHeap timers_;
  std::vector<Callback> callbacks_;
  std::vector<std::uint32_t> free_callbacks_;
  std::vector<Node> nodes_;
  std::map<FiberId, std::unique_ptr<FiberRecord>> fibers_;  // ordered: crash order is by id
  std::vector<std::unique_ptr<FiberRecord>> retired_;       // finished, still named by timers
  FiberId next_fiber_id_ = 1;
  FiberRecord* spawning_ = nullptr;
  bool started_ = false;
  bool stop_requested_ = false;
  bool shutting_down_ = false;
  bool shut_down_ = false;
  bool limit_hit_ = false;
  std::optional<std::string> fiber_error_;
  CheckContext check_context_;
  SimTransport* transport_ = nullptr;
  SimStorage* storage_ = nullptr;
};

}  // namespace sluice
