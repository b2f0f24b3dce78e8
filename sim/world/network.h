// The simulated network: the Runtime's send/receive (core/runtime/transport.h)
// over links with latency, loss, duplication, reordering, bandwidth and
// partitions, all in virtual time and drawn from the run's seed.
//
// A message's life: send() checks the link (cut: dropped), waits for the
// link's transmitter when the link has a bandwidth (queueing), flips the
// link's drop and duplicate coins, draws a latency per copy, and schedules
// the arrival as a loop callback (no fiber per message). At arrival, a
// message that was in flight when a partition cut its link is dropped or
// delivered by a coin; a message to a crashed node or a closed port is
// dropped; otherwise it joins the mailbox and wakes one receiver.
//
// Every drop, duplicate, delivery, cut and heal feeds the trace hash.
// Randomness comes from one stream per purpose ("network/latency",
// "network/drop", ...), so tuning one probability leaves the others' draws
// alone.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/random/rng.h"
#include "core/runtime/transport.h"
#include "core/runtime/wait_queue.h"
#include "sim/runtime/simulation.h"
#include "sim/world/world_spec.h"

namespace sluice {

struct NetworkStats {
  std::uint64_t sent = 0;                  // send() calls, self-sends included
  std::uint64_t bytes_sent = 0;            // their size_bytes
  std::uint64_t delivered = 0;             // put into a mailbox (duplicates included)
  std::uint64_t duplicated = 0;            // extra copies the network made
  std::uint64_t dropped_random = 0;        // the link's drop probability
  std::uint64_t dropped_partitioned = 0;   // sent over a cut link
  std::uint64_t dropped_in_flight = 0;     // in flight when a partition cut the link, and the coin said drop
  std::uint64_t dropped_node_down = 0;     // arrived at a crashed node
  std::uint64_t dropped_port_closed = 0;   // arrived at an ephemeral port no longer open
  std::uint64_t dropped_mailbox_full = 0;  // arrived at a full mailbox
  std::uint64_t lost_in_crash = 0;         // waiting in a mailbox when its node crashed
};

class Network final : public SimTransport {
 public:
  using CutId = std::uint64_t;

  // Installs itself as `sim`'s transport. Link overrides name nodes, which
  // must exist in `sim` already (the loader checked the names).
  Network(Simulation& sim, const NetworkSpec& spec);
  ~Network() override;
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  // --- partitions -------------------------------------------------------------
  // Nodes in different groups cannot reach each other, either way, until
  // heal(). Nodes in no group are not affected. Overlapping cuts compose: a
  // link carries traffic again once every cut on it has healed.
  // REQUIRES: no node appears twice.
  CutId partition(const std::vector<std::vector<NodeId>>& groups);
  // Messages from any node of `from` to any node of `to` are dropped; the
  // other direction still works. REQUIRES: from and to are disjoint.
  CutId partition_one_way(const std::vector<NodeId>& from, const std::vector<NodeId>& to);
  void heal(CutId cut);
  bool is_cut(NodeId from, NodeId to) const;

  const NetworkStats& stats() const { return stats_; }
  // Sees every message copy's fate once (delivered or how it was lost), with
  // its send time: trace.perfetto.json draws them as flow arrows. Optional.
  using Tap = std::function<void(const Message& message, Nanos sent, Nanos now, bool delivered, const char* outcome)>;
  void set_tap(Tap tap) { tap_ = std::move(tap); }
  // Messages scheduled to arrive and not arrived yet.
  std::size_t in_flight() const { return in_flight_.size() - free_slots_.size(); }

  // --- SimTransport -----------------------------------------------------------
  void send(NodeId from, NodeId to, std::uint32_t port, Message message) override;
  bool receive(NodeId node, std::uint32_t port, Message& out, Nanos deadline) override;
  std::uint32_t new_port(NodeId node) override;
  void close_port(NodeId node, std::uint32_t port) noexcept override;

 private:
  // One direction between two nodes.
  struct Link {
    LinkParams params;
    double ns_per_byte = 0;          // from the bandwidth; 0: unlimited
    Nanos free_at = 0;               // bandwidth: when the transmitter is next idle
    Nanos last_arrival = 0;          // fifo: no later message arrives before this
    int cuts = 0;                    // partitions cutting this direction now
    std::uint64_t cut_sequence = 0;  // the sequence number of the last cut that began on it
  };
  struct Mailbox {
    explicit Mailbox(std::string text) : label(std::move(text)), waiters(label.c_str()) {}
    std::string label;  // "mailbox NODE:PORT", for deadlock reports
    WaitQueue waiters;
    std::deque<Message> messages;
    bool open = true;  // ephemeral ports: until close_port or a crash
  };
  struct NodeMail {
    std::map<Port, Mailbox> boxes;  // ordered: a crash walks them
    bool hooked = false;            // the crash hook is registered
  };
  struct InFlight {
    Message message;
    std::uint64_t cut_sequence = 0;  // cuts begun before the send
    Nanos sent = 0;                  // for the tap
  };
  enum class Outcome : std::uint64_t;

  Link& link(NodeId from, NodeId to);
  void grow(std::size_t nodes);
  void resolve(const NetworkSpec& spec);
  void transmit(Link& link, Nanos departure, Message message);
  void arrive(std::uint32_t slot);
  void deliver(Message message);
  Mailbox* mailbox(NodeId node, Port port, bool create);
  NodeMail& mail_of(NodeId node);
  void crashed(NodeId node);
  CutId cut(std::vector<std::pair<NodeId, NodeId>> links);
  void record(Outcome outcome, const Message& message);
  static const char* outcome_name(Outcome outcome);  // the tap's words for it

  Simulation& sim_;
  std::uint64_t mailbox_capacity_;
  LinkParams defaults_;
  std::size_t nodes_ = 0;
  std::vector<Link> links_;  // nodes_ * nodes_, row = from
  std::vector<NodeMail> mail_;
  std::vector<InFlight> in_flight_;  // a slab; arrival callbacks carry the slot
  std::vector<std::uint32_t> free_slots_;
  std::map<CutId, std::vector<std::pair<NodeId, NodeId>>> cuts_;
  CutId next_cut_ = 1;
  std::uint64_t cut_sequence_ = 0;
  Port next_port_ = kEphemeralPortBase;
  Rng latency_rng_;
  Rng drop_rng_;
  Rng duplicate_rng_;
  Rng in_flight_rng_;
  NetworkStats stats_;
  Tap tap_;
  Nanos sent_ = 0;  // the send time of the message record() is about (for the tap)
  // Crash hooks outlive the network inside the Simulation; they check this.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace sluice
