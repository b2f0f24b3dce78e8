// Messages between nodes: what Runtime::send and Runtime::receive carry.
//
// The transport is datagram-like (UDP, not TCP): a send is fire-and-forget,
// and the network between two nodes may delay, drop, duplicate and reorder
// messages, or cut the link altogether (a partition). Each node has one
// mailbox per port; mailboxes are volatile: a crash of the node empties them,
// and messages arriving at a crashed node are lost. A message to the sending
// node itself skips the network (no faults) but still goes through the mailbox.
//
// Ports below kEphemeralPortBase are well known (a component listens on a
// fixed port, and its mailbox exists from the first message or receive).
// Ports from Runtime::new_port() are ephemeral: open on the node that asked
// until close_port() or a crash; messages to an ephemeral port that is not
// open are dropped (a late reply to a call that already gave up).
#pragma once

#include <any>
#include <cstdint>

#include "core/runtime/runtime.h"

namespace sluice {

using Port = std::uint32_t;
inline constexpr Port kEphemeralPortBase = Port{1} << 31;

inline constexpr bool is_ephemeral_port(Port port) { return port >= kEphemeralPortBase; }

struct Message {
  NodeId from = 0;  // set by send(): the sending node
  NodeId to = 0;    // set by send()
  Port port = 0;    // set by send(): the destination port
  // The correlation id: a request's id comes back in its reply (rpc.h sets it).
  std::uint64_t id = 0;
  // Where the receiver should reply; 0: no reply expected (rpc.h sets it).
  Port reply_port = 0;
  // What the network charges against a link's bandwidth. The body's real
  // size plays no part: the sender states what it would put on the wire.
  std::uint32_t size_bytes = 0;
  // The payload. It must be copyable, because the network may duplicate a
  // message; a large payload is best held by std::shared_ptr<const T>.
  std::any body{};
};

// A size for Message::size_bytes, saturating: a payload that large just
// takes the link as long as the largest one can.
constexpr std::uint32_t wire_bytes(std::uint64_t bytes) {
  return bytes > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(bytes);
}

}  // namespace sluice
