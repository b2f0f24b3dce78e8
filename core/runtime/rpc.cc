#include "core/runtime/rpc.h"

#include <utility>

#include "core/check.h"

namespace sluice {

std::optional<Message> call(Runtime& runtime, NodeId to, Port port, Message request, Nanos timeout) {
  SLUICE_CHECK(timeout >= 0, "an rpc timeout must not be negative");
  const Nanos now = runtime.now();
  const Nanos deadline = timeout >= kNever - now ? kNever : now + timeout;
  PortGuard reply_port(runtime, runtime.new_port());
  // The reply port is unique in the run, so it doubles as the call's id.
  const std::uint64_t id = reply_port.port();
  request.id = id;
  request.reply_port = reply_port.port();
  runtime.send(to, port, std::move(request));
  Message response;
  while (runtime.receive(reply_port.port(), response, deadline)) {
    if (response.id != id) continue;
    // Perturbation: the reply came, but as if too late. The caller learns
    // nothing, exactly as when a slow network delivers the reply after the
    // deadline; the request's effect stays.
    if (deadline != kNever && runtime.buggify(PerturbSite::rpc_spurious_timeout)) {
      runtime.sleep_until(deadline);
      return std::nullopt;
    }
    return response;
  }
  return std::nullopt;
}

void reply(Runtime& runtime, const Message& request, Message response) {
  SLUICE_CHECK(request.reply_port != 0, "reply() to a message that expects no reply");
  response.id = request.id;
  runtime.send(request.from, request.reply_port, std::move(response));
}

}  // namespace sluice
