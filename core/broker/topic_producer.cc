#include "core/broker/topic_producer.h"

#include <optional>
#include <utility>

#include "core/check.h"
#include "core/runtime/rpc.h"

namespace sluice {

OfferResult TopicProducer::offer(Event event) {
  const TopicConfig& config = topic_.config();
  Message request{.size_bytes = event.size_bytes + kRequestEnvelopeBytes,
                  .body = ProduceRequest{topic_.partition_of(event.key), event, idempotent_}};
  std::optional<Message> response = call(runtime_, config.node, topic_.port(), std::move(request), config.produce_timeout);
  if (!response) return OfferResult::timed_out;
  const ProduceReply* reply = std::any_cast<ProduceReply>(&response->body);
  SLUICE_CHECK(reply != nullptr, "a broker answered a produce with something other than a ProduceReply");
  return reply->status == ProduceStatus::appended ? OfferResult::accepted : OfferResult::refused;
}

}  // namespace sluice
