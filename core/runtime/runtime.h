// The seam between the pipeline core and the world it runs in (the LevelDB
// `Env` idea). core/ reads time, sleeps, blocks, spawns fibers and draws random
// numbers only through this interface; sim/ implements it deterministically
// in virtual time. A later real-time implementation can run the same core.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/random/rng.h"
#include "core/runtime/perturbation_sites.h"
#include "core/runtime/trace_hash.h"
#include "core/runtime/wait_queue.h"
#include "core/time.h"

namespace sluice {

using NodeId = std::uint32_t;
using FiberId = std::uint64_t;

// Thrown into every fiber of a crashed node at its next runtime call, so the
// fiber unwinds and releases what it holds. It deliberately does not derive
// from std::exception: `catch (const std::exception&)` in component code must
// not swallow a crash by accident. A fiber that catches it anyway with
// `catch (...)` gets it again at its next runtime call.
struct NodeCrashed {
  NodeId node;
};

// Defined in core/runtime/transport.h and core/runtime/storage.h; include
// those to send messages or use storage.
struct Message;
class DurableLog;
class KvStore;

struct SpawnOptions {
  // A daemon fiber (a server loop) may still be blocked when the simulation
  // ends; a non-daemon fiber blocked with nothing left to wake it is a deadlock.
  bool daemon = false;
};

class Runtime {
 public:
  virtual ~Runtime() = default;

  // --- time ---------------------------------------------------------------
  // Not virtual: the hottest call in a run (every history record reads it),
  // and the simulation is the only runtime; it advances now_ itself.
  Nanos now() const { return now_; }
  virtual void sleep_until(Nanos deadline) = 0;
  // Saturates: a long delay late in a long run means "never", not overflow.
  void sleep_for(Nanos duration) { sleep_until(duration > 0 ? saturating_add(now(), duration) : now() + duration); }
  // Lets other ready fibers run at the same virtual time.
  virtual void yield() = 0;

  // --- blocking -----------------------------------------------------------
  // Parks the calling fiber on `queue` until notify_* picks it or the virtual
  // deadline passes. Returns true when notified, false on timeout.
  virtual bool wait(WaitQueue& queue, Nanos deadline = kNever) = 0;
  // Wakes the longest-waiting fiber; false when nobody was waiting.
  virtual bool notify_one(WaitQueue& queue) = 0;
  virtual void notify_all(WaitQueue& queue) = 0;

  // --- fibers and nodes ---------------------------------------------------
  virtual FiberId spawn(NodeId node, std::string name, std::function<void()> body,
                        SpawnOptions options = {}) = 0;
  // Runs `startup` (which typically spawns the node's fibers) when the run
  // starts and again each time the node restarts after a crash.
  virtual void on_node_start(NodeId node, std::function<void()> startup) = 0;
  // Runs `hook` at the instant `node` crashes, before its fibers unwind:
  // volatile state held outside fibers (a buffer's contents) is dropped here.
  virtual void on_node_crash(NodeId node, std::function<void()> hook) = 0;
  // The node the calling fiber belongs to.
  virtual NodeId current_node() const = 0;
  virtual const std::string& node_name(NodeId node) const = 0;
  // Throws NodeCrashed when the caller's node has crashed. Every blocking
  // call checks this; long computations without blocking may call it.
  virtual void check_alive() = 0;

  // --- the caller's node as the world has it -------------------------------
  // The factor by which the node is currently slowed (1 when healthy): every
  // service time and disk latency on it is multiplied by this.
  virtual double slowdown() const = 0;
  // The node's local clock: virtual time plus the node's clock skew. Only for
  // components that would read a local clock in reality (timeouts, TTLs).
  virtual Nanos local_now() const = 0;

  // --- randomness ---------------------------------------------------------
  // An independent stream for one component, derived from the run's seed and
  // the name alone, so adding a component does not reshuffle the others.
  virtual Rng stream(std::string_view name) const = 0;

  // --- messages between nodes (core/runtime/transport.h) -------------------
  // Sends `message` from the caller's node to mailbox `port` of node `to`,
  // filling in from, to and port. Fire-and-forget: the network may delay,
  // drop, duplicate and reorder it.
  virtual void send(NodeId to, std::uint32_t port, Message message) = 0;
  // Takes the oldest message in the caller's node's mailbox `port`, blocking
  // until one arrives or the virtual deadline passes (then false). A deadline
  // of now() or earlier makes it a try_receive.
  virtual bool receive(std::uint32_t port, Message& out, Nanos deadline = kNever) = 0;
  // A port never handed out before in this run (>= kEphemeralPortBase), open
  // on the caller's node until close_port() or the node crashes.
  virtual std::uint32_t new_port() = 0;
  // Closes an ephemeral port: later messages to it are dropped. Never
  // throws, so unwinding code (a crashed fiber) may call it.
  virtual void close_port(std::uint32_t port) = 0;

  // --- durable storage of the caller's node (core/runtime/storage.h) --------
  // The node's log or key-value store of that name, created empty on first
  // use. It survives the node's crashes (minus what was not fsync'd), so the
  // reference stays valid for the whole run.
  virtual DurableLog& log(std::string_view name) = 0;
  virtual KvStore& kv(std::string_view name) = 0;

  // --- fault points -------------------------------------------------------------
  // A named point in the core's checkpoint and commit paths ("before_snapshot",
  // "after_snapshot", "between_precommit_and_commit",
  // "between_processing_and_commit"). A scenario may arm one for a node: the
  // node crashes the first time one of its fibers passes it (the call then
  // throws NodeCrashed). Unarmed, it costs a lookup.
  virtual void fault_point(std::string_view name) = 0;

  // --- perturbation sites (core/runtime/perturbation_sites.h) ---------------
  // BUGGIFY: true when the site should force its rare-but-legal behaviour now.
  // Always false unless the run enables perturbation; then it draws only from
  // its own streams, so the run's other random numbers never shift.
  virtual bool buggify(PerturbSite site) = 0;

  // --- observation ----------------------------------------------------------
  // Feeds an externally visible event into the run's trace hash. Not
  // virtual, like now(): it runs for every record and scheduling decision.
  void trace(std::uint64_t word) { trace_hash_.mix(word); }
  // Ends the simulation once the current instant has settled.
  virtual void stop() = 0;

 protected:
  Nanos now_ = 0;  // virtual time: only the implementation moves it
  TraceHash trace_hash_;  // the run's trace hash: fed through trace()
};

}  // namespace sluice
