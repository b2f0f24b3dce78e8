// The stage -> sink hop across the network. A worker on another node than its
// sink cannot call Sink::offer: it sends the event to a sink server on the
// sink's node (an rpc with a timeout) and learns the outcome from the reply.
//
//   worker node                           sink node
//   RemoteSink::offer --- request(Event) --> SinkServer: Sink::offer (the effect)
//                     <-- reply(applied | refused) --
//
// The network may lose the request, the reply or both, and a timeout cannot
// tell them apart: the effect may or may not have been applied. The caller
// keeps the event and retries (Stage::deliver), so delivery is at-least-once
// and a lost reply makes a plain sink apply the event twice: real behaviour,
// which no_duplicate_effects reports. A caller on the sink's own node skips
// the network and calls the sink directly.
#pragma once

#include <cstdint>

#include "core/model/inlet.h"
#include "core/pipeline/sink.h"
#include "core/runtime/runtime.h"
#include "core/runtime/transport.h"

namespace sluice {

// Sink servers listen on well-known ports: the base plus the sink's index.
inline constexpr Port kSinkPortBase = 0x5100;
constexpr Port sink_port(SinkIndex index) { return kSinkPortBase + index; }

inline constexpr Nanos kDefaultSinkRpcTimeout = kNanosPerSecond;
// What a request or reply costs on the wire besides the event (headers).
inline constexpr std::uint32_t kSinkEnvelopeBytes = 64;

// The body of a sink server's reply.
enum class SinkReply : std::uint8_t { applied, refused };

// The worker's side: an Inlet whose offer is an rpc to the sink's server.
// accepted on "applied", refused on "refused", timed_out when no reply came
// within `timeout` (the effect may have been applied).
class RemoteSink final : public Inlet {
 public:
  // `local` is the sink itself, for callers on `sink_node`. REQUIRES: timeout > 0.
  RemoteSink(Runtime& runtime, Sink& local, NodeId sink_node, SinkIndex index, Nanos timeout);
  OfferResult offer(Event event) override;

 private:
  Runtime& runtime_;
  Sink& local_;
  NodeId sink_node_;
  Port port_;
  Nanos timeout_;
};

// The sink's side: a daemon fiber on the sink's node, started with the node
// and again after each restart, that applies each request's event through
// Sink::offer (outages included) and replies. A crash kills it, and the
// requests queued in its mailbox are lost with the node.
class SinkServer {
 public:
  SinkServer(Runtime& runtime, Sink& sink, NodeId node, SinkIndex index);
  // Registers the server fiber with its node's start-up.
  void install();

 private:
  void serve();

  Runtime& runtime_;
  Sink& sink_;
  NodeId node_;
  Port port_;
};

}  // namespace sluice
