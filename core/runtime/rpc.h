// Request/response over the datagram transport: a call waits for the reply
// to its own request, on a port of its own, until a virtual-time timeout.
//
//   // client fiber
//   Message request{.size_bytes = 64, .body = Get{"k"}};
//   if (std::optional<Message> response = call(rt, server, kKvPort, std::move(request), 50 * kNanosPerMilli)) ...
//   // server fiber
//   Message request;
//   while (rt.receive(kKvPort, request)) reply(rt, request, Message{.size_bytes = 16, .body = Value{...}});
//
// Each call opens a fresh ephemeral reply port and closes it when it returns
// (or unwinds), so a reply that arrives after its call gave up is dropped by
// the network instead of being mistaken for the answer to a later call, and
// a duplicated reply is never seen twice. The correlation id is checked as
// well, so a stray message on the port is ignored. A timed-out call does not
// mean the request was not processed: the request or only the reply may have
// been lost; callers retry idempotent requests or deduplicate.
#pragma once

#include <any>
#include <optional>
#include <utility>

#include "core/check.h"

#include "core/runtime/runtime.h"
#include "core/runtime/transport.h"

namespace sluice {

// Sends `request` to mailbox `port` of node `to` (setting its id and
// reply_port) and waits up to `timeout` of virtual time for the matching
// reply. nullopt on timeout. REQUIRES: timeout >= 0 (kNever: no timeout).
std::optional<Message> call(Runtime& runtime, NodeId to, Port port, Message request, Nanos timeout);

// call() for a reply of a known type: nullopt on timeout; a reply of another
// type is a protocol bug and stops the run.
template <typename Reply>
std::optional<Reply> call_for(Runtime& runtime, NodeId to, Port port, Message request, Nanos timeout) {
  std::optional<Message> response = call(runtime, to, port, std::move(request), timeout);
  if (!response) return std::nullopt;
  Reply* reply = std::any_cast<Reply>(&response->body);
  SLUICE_CHECK(reply != nullptr, "an rpc was answered with a reply of an unexpected type");
  return std::move(*reply);
}

// Answers `request` with `response` (its id set to the request's).
// REQUIRES: request.reply_port != 0 (the request came from call()).
void reply(Runtime& runtime, const Message& request, Message response);

// Closes an ephemeral port when it goes out of scope, also while unwinding.
class PortGuard {
 public:
  PortGuard(Runtime& runtime, Port port) : runtime_(runtime), port_(port) {}
  ~PortGuard() { runtime_.close_port(port_); }
  PortGuard(const PortGuard&) = delete;
  PortGuard& operator=(const PortGuard&) = delete;
  Port port() const { return port_; }

 private:
  Runtime& runtime_;
  Port port_;
};

}  // namespace sluice
