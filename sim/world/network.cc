#include "sim/world/network.h"

#include <algorithm>
#include <cmath>

#include "core/check.h"

namespace sluice {

// What happened to a message, mixed into the trace hash with it.
enum class Network::Outcome : std::uint64_t {
  delivered = 1,
  duplicated,
  dropped_random,
  dropped_partitioned,
  dropped_in_flight,
  dropped_node_down,
  dropped_port_closed,
  dropped_mailbox_full,
};

namespace {

// Trace words for events that are not about one message.
constexpr std::uint64_t kTraceCut = 0x4E37'C000'0000'0000ULL;
constexpr std::uint64_t kTraceHeal = 0x4E37'4EA1'0000'0000ULL;
constexpr std::uint64_t kTraceCrashLoss = 0x4E37'C4A5'0000'0000ULL;

Nanos sample_latency(const Distribution& latency, Rng& rng) {
  const double ns = latency.sample(rng);
  // Only a normal distribution goes negative; a message cannot arrive early.
  if (!(ns > 0)) return 0;
  return ns >= 1e18 ? Nanos{1'000'000'000'000'000'000} : static_cast<Nanos>(ns);
}

}  // namespace

const char* Network::outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::delivered: return "delivered";
    case Outcome::duplicated: return "duplicated";
    case Outcome::dropped_random: return "dropped by the link's loss rate";
    case Outcome::dropped_partitioned: return "dropped: the link is cut";
    case Outcome::dropped_in_flight: return "dropped in flight by a partition";
    case Outcome::dropped_node_down: return "dropped: the node is down";
    case Outcome::dropped_port_closed: return "dropped: the port is closed";
    case Outcome::dropped_mailbox_full: return "dropped: the mailbox is full";
  }
  return "?";
}

Network::Network(Simulation& sim, const NetworkSpec& spec)
    : sim_(sim),
      mailbox_capacity_(spec.mailbox_capacity),
      defaults_(spec.defaults),
      latency_rng_(sim.stream("network/latency")),
      drop_rng_(sim.stream("network/drop")),
      duplicate_rng_(sim.stream("network/duplicate")),
      in_flight_rng_(sim.stream("network/in_flight")) {
  SLUICE_CHECK(mailbox_capacity_ >= 1, "a mailbox must hold at least one message");
  grow(sim.node_count());
  resolve(spec);
  sim_.set_transport(this);
}

Network::~Network() {
  *alive_ = false;
  sim_.set_transport(nullptr);
}

// --- links -----------------------------------------------------------------------

void Network::grow(std::size_t nodes) {
  if (nodes <= nodes_) return;
  Link fresh;
  fresh.params = defaults_;
  fresh.ns_per_byte = defaults_.bandwidth_bytes_per_s > 0 ? 1e9 / defaults_.bandwidth_bytes_per_s : 0;
  std::vector<Link> links(nodes * nodes, fresh);
  for (std::size_t from = 0; from < nodes_; ++from) {
    for (std::size_t to = 0; to < nodes_; ++to) links[from * nodes + to] = links_[from * nodes_ + to];
  }
  links_ = std::move(links);
  nodes_ = nodes;
  mail_.resize(nodes);
}

void Network::resolve(const NetworkSpec& spec) {
  for (const LinkOverride& entry : spec.links) {
    std::optional<NodeId> from = sim_.find_node(entry.from);
    std::optional<NodeId> to = sim_.find_node(entry.to);
    SLUICE_CHECK(from.has_value() && to.has_value(), "a network link names a node the loader did not check");
    auto apply = [&entry](Link& l) {
      if (entry.latency_ns) l.params.latency_ns = *entry.latency_ns;
      if (entry.drop) l.params.drop = *entry.drop;
      if (entry.duplicate) l.params.duplicate = *entry.duplicate;
      if (entry.fifo) l.params.fifo = *entry.fifo;
      if (entry.bandwidth_bytes_per_s) l.params.bandwidth_bytes_per_s = *entry.bandwidth_bytes_per_s;
      l.ns_per_byte = l.params.bandwidth_bytes_per_s > 0 ? 1e9 / l.params.bandwidth_bytes_per_s : 0;
    };
    apply(link(*from, *to));
    if (entry.both_ways) apply(link(*to, *from));
  }
}

Network::Link& Network::link(NodeId from, NodeId to) {
  if (from >= nodes_ || to >= nodes_) grow(std::max<std::size_t>(from, to) + 1);
  return links_[from * nodes_ + to];
}

bool Network::is_cut(NodeId from, NodeId to) const {
  if (from >= nodes_ || to >= nodes_) return false;
  return links_[from * nodes_ + to].cuts > 0;
}

// --- sending -------------------------------------------------------------------

void Network::send(NodeId from, NodeId to, std::uint32_t port, Message message) {
  SLUICE_CHECK(to < sim_.node_count(), "send to a node that does not exist");
  message.from = from;
  message.to = to;
  message.port = port;
  ++stats_.sent;
  stats_.bytes_sent += message.size_bytes;
  sent_ = sim_.now();
  if (from == to) {
    deliver(std::move(message));  // loopback: no network, no faults
    return;
  }
  Link& l = link(from, to);
  if (l.cuts > 0) {
    record(Outcome::dropped_partitioned, message);
    return;
  }
  // The bytes occupy the link whether or not the message survives it.
  Nanos departure = sim_.now();
  if (l.ns_per_byte > 0) {
    const auto transmission = static_cast<Nanos>(std::ceil(message.size_bytes * l.ns_per_byte));
    departure = std::max(departure, l.free_at) + transmission;
    l.free_at = departure;
  }
  if (l.params.drop > 0 && drop_rng_.bernoulli(l.params.drop)) {
    record(Outcome::dropped_random, message);
    return;
  }
  if (l.params.duplicate > 0 && duplicate_rng_.bernoulli(l.params.duplicate)) {
    record(Outcome::duplicated, message);
    Message copy = message;
    transmit(l, departure, std::move(message));
    transmit(l, departure, std::move(copy));
    return;
  }
  transmit(l, departure, std::move(message));
}

void Network::transmit(Link& l, Nanos departure, Message message) {
  Nanos arrival = departure + sample_latency(l.params.latency_ns, latency_rng_);
  if (l.params.fifo) {
    // Equal arrival times keep send order: timers fire in (time, sequence) order.
    arrival = std::max(arrival, l.last_arrival);
    l.last_arrival = arrival;
  }
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(in_flight_.size());
    in_flight_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  in_flight_[slot].message = std::move(message);
  in_flight_[slot].cut_sequence = cut_sequence_;
  in_flight_[slot].sent = sim_.now();
  sim_.call_at(arrival, [this, slot] { arrive(slot); });
}

void Network::arrive(std::uint32_t slot) {
  Message message = std::move(in_flight_[slot].message);
  const std::uint64_t sent_under = in_flight_[slot].cut_sequence;
  sent_ = in_flight_[slot].sent;
  in_flight_[slot].message.body.reset();
  free_slots_.push_back(slot);
  // A partition that began while the message was on the wire: the seed decides.
  if (link(message.from, message.to).cut_sequence > sent_under && in_flight_rng_.bernoulli(0.5)) {
    record(Outcome::dropped_in_flight, message);
    return;
  }
  deliver(std::move(message));
}

// --- mailboxes -----------------------------------------------------------------

Network::NodeMail& Network::mail_of(NodeId node) {
  if (node >= mail_.size()) grow(node + 1);
  NodeMail& mail = mail_[node];
  if (!mail.hooked && node != kWorldNode) {
    mail.hooked = true;
    sim_.on_node_crash(node, [this, alive = alive_, node] {
      if (*alive) crashed(node);
    });
  }
  return mail;
}

Network::Mailbox* Network::mailbox(NodeId node, Port port, bool create) {
  NodeMail& mail = mail_of(node);
  auto found = mail.boxes.find(port);
  if (found != mail.boxes.end()) return &found->second;
  // An ephemeral port exists only from new_port() to close_port().
  if (!create || is_ephemeral_port(port)) return nullptr;
  return &mail.boxes.try_emplace(port, "mailbox " + sim_.node_name(node) + ":" + std::to_string(port))
              .first->second;
}

void Network::deliver(Message message) {
  if (!sim_.is_up(message.to)) {
    record(Outcome::dropped_node_down, message);
    return;
  }
  Mailbox* box = mailbox(message.to, message.port, true);
  if (box == nullptr || !box->open) {
    record(Outcome::dropped_port_closed, message);
    return;
  }
  if (box->messages.size() >= mailbox_capacity_) {
    record(Outcome::dropped_mailbox_full, message);
    return;
  }
  record(Outcome::delivered, message);
  box->messages.push_back(std::move(message));
  sim_.notify_one(box->waiters);
}

bool Network::receive(NodeId node, std::uint32_t port, Message& out, Nanos deadline) {
  Mailbox* box = mailbox(node, port, true);
  SLUICE_CHECK(box != nullptr && box->open, "receive on an ephemeral port that is not open on this node");
  while (box->messages.empty()) {
    if (!sim_.wait(box->waiters, deadline) && box->messages.empty()) return false;
  }
  out = std::move(box->messages.front());
  box->messages.pop_front();
  return true;
}

std::uint32_t Network::new_port(NodeId node) {
  SLUICE_CHECK(next_port_ != 0, "the run has used up its ephemeral ports");
  const Port port = next_port_++;
  mail_of(node).boxes.try_emplace(port, "reply mailbox " + sim_.node_name(node) + ":" + std::to_string(port));
  return port;
}

void Network::close_port(NodeId node, std::uint32_t port) noexcept {
  if (!is_ephemeral_port(port) || node >= mail_.size()) return;
  std::map<Port, Mailbox>& boxes = mail_[node].boxes;
  auto found = boxes.find(port);
  if (found == boxes.end()) return;
  found->second.open = false;
  found->second.messages.clear();
  // Another fiber still parked on it (a misuse) keeps it alive, closed.
  if (found->second.waiters.empty()) boxes.erase(found);
}

void Network::crashed(NodeId node) {
  std::uint64_t lost = 0;
  std::map<Port, Mailbox>& boxes = mail_[node].boxes;
  for (auto it = boxes.begin(); it != boxes.end();) {
    Mailbox& box = it->second;
    lost += box.messages.size();
    box.messages.clear();
    if (!is_ephemeral_port(it->first)) {
      ++it;
      continue;
    }
    // Closed, not erased: the fiber that opened it still holds a reference
    // (a wake-up it got just before the crash is passed on through the
    // queue as it unwinds) and erases it when it closes the port.
    box.open = false;
    ++it;
  }
  stats_.lost_in_crash += lost;
  if (lost > 0) sim_.trace(kTraceCrashLoss ^ (static_cast<std::uint64_t>(node) << 32) ^ lost);
}

// --- partitions ----------------------------------------------------------------

Network::CutId Network::partition(const std::vector<std::vector<NodeId>>& groups) {
  std::vector<NodeId> seen;
  for (const auto& group : groups) seen.insert(seen.end(), group.begin(), group.end());
  std::sort(seen.begin(), seen.end());
  SLUICE_CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end(), "a node is in two partition groups");
  std::vector<std::pair<NodeId, NodeId>> links;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    for (std::size_t j = 0; j < groups.size(); ++j) {
      if (i == j) continue;
      for (NodeId from : groups[i]) {
        for (NodeId to : groups[j]) links.emplace_back(from, to);
      }
    }
  }
  return cut(std::move(links));
}

Network::CutId Network::partition_one_way(const std::vector<NodeId>& from, const std::vector<NodeId>& to) {
  std::vector<std::pair<NodeId, NodeId>> links;
  for (NodeId a : from) {
    for (NodeId b : to) {
      SLUICE_CHECK(a != b, "a one-way partition names a node on both sides");
      links.emplace_back(a, b);
    }
  }
  return cut(std::move(links));
}

Network::CutId Network::cut(std::vector<std::pair<NodeId, NodeId>> links) {
  ++cut_sequence_;
  for (auto [from, to] : links) {
    Link& l = link(from, to);
    ++l.cuts;
    l.cut_sequence = cut_sequence_;
  }
  const CutId id = next_cut_++;
  sim_.trace(kTraceCut ^ (id << 20) ^ links.size());
  cuts_.emplace(id, std::move(links));
  return id;
}

void Network::heal(CutId id) {
  auto found = cuts_.find(id);
  SLUICE_CHECK(found != cuts_.end(), "heal of a partition that is not in force");
  for (auto [from, to] : found->second) {
    Link& l = link(from, to);
    SLUICE_CHECK(l.cuts > 0, "a healed link was not cut");
    --l.cuts;
  }
  sim_.trace(kTraceHeal ^ (id << 20) ^ found->second.size());
  cuts_.erase(found);
}

// --- observation ------------------------------------------------------------------

void Network::record(Outcome outcome, const Message& message) {
  switch (outcome) {
    case Outcome::delivered: ++stats_.delivered; break;
    case Outcome::duplicated: ++stats_.duplicated; break;
    case Outcome::dropped_random: ++stats_.dropped_random; break;
    case Outcome::dropped_partitioned: ++stats_.dropped_partitioned; break;
    case Outcome::dropped_in_flight: ++stats_.dropped_in_flight; break;
    case Outcome::dropped_node_down: ++stats_.dropped_node_down; break;
    case Outcome::dropped_port_closed: ++stats_.dropped_port_closed; break;
    case Outcome::dropped_mailbox_full: ++stats_.dropped_mailbox_full; break;
  }
  if (tap_ && outcome != Outcome::duplicated) {
    tap_(message, sent_, sim_.now(), outcome == Outcome::delivered, outcome_name(outcome));
  }
  // One word per event: what happened, on which link and port, to which message.
  sim_.trace((static_cast<std::uint64_t>(outcome) << 58) ^ (static_cast<std::uint64_t>(message.from) << 42) ^
             (static_cast<std::uint64_t>(message.to) << 26) ^ message.port ^ (message.id * 0x9E3779B97F4A7C15ULL));
}

}  // namespace sluice
