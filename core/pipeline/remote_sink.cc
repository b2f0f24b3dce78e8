#include "core/pipeline/remote_sink.h"

#include <any>
#include <optional>
#include <utility>

#include "core/check.h"
#include "core/runtime/rpc.h"

namespace sluice {

RemoteSink::RemoteSink(Runtime& runtime, Sink& local, NodeId sink_node, SinkIndex index, Nanos timeout)
    : runtime_(runtime), local_(local), sink_node_(sink_node), port_(sink_port(index)), timeout_(timeout) {
  SLUICE_CHECK(timeout_ > 0, "a sink rpc timeout must be positive");
}

OfferResult RemoteSink::offer(Event event) {
  // Same node: no network, no copy into a message.
  if (runtime_.current_node() == sink_node_) return local_.offer(event);
  Message request{.size_bytes = event.size_bytes + kSinkEnvelopeBytes, .body = event};
  std::optional<SinkReply> reply = call_for<SinkReply>(runtime_, sink_node_, port_, std::move(request), timeout_);
  if (!reply) return OfferResult::timed_out;
  return *reply == SinkReply::applied ? OfferResult::accepted : OfferResult::refused;
}

SinkServer::SinkServer(Runtime& runtime, Sink& sink, NodeId node, SinkIndex index)
    : runtime_(runtime), sink_(sink), node_(node), port_(sink_port(index)) {}

void SinkServer::install() {
  runtime_.on_node_start(node_, [this] {
    runtime_.spawn(node_, "sink " + sink_.name() + " server", [this] { serve(); }, SpawnOptions{.daemon = true});
  });
}

void SinkServer::serve() {
  Message request;
  while (runtime_.receive(port_, request)) {
    const Event* event = std::any_cast<Event>(&request.body);
    SLUICE_CHECK(event != nullptr, "a sink request must carry an Event");
    // A duplicated request is applied again unless the sink recognises repeats.
    const bool applied = sink_.offer(*event) == OfferResult::accepted;
    reply(runtime_, request,
          Message{.size_bytes = kSinkEnvelopeBytes, .body = applied ? SinkReply::applied : SinkReply::refused});
  }
}

}  // namespace sluice
