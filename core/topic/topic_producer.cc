#include "core/topic/topic_producer.h"

#include <optional>
#include <utility>

#include "core/check.h"
#include "core/runtime/rpc.h"

namespace sluice {

OfferResult TopicProducer::offer(Event event) {
  const TopicConfig& config = topic_.config();
  Message request{.size_bytes = event.size_bytes + kRequestEnvelopeBytes,
                  .body = ProduceRequest{topic_.partition_of(event.key), event, idempotent_}};
  std::optional<ProduceReply> reply =
      call_for<ProduceReply>(runtime_, config.node, topic_.port(), std::move(request), config.produce_timeout);
  if (!reply) return OfferResult::timed_out;
  // Perturbation: the append happened but its ack is lost, so the caller
  // retries a write that succeeded (idempotence or dedup must absorb it).
  if (reply->status == ProduceStatus::appended && runtime_.buggify(PerturbSite::produce_ack_lost)) {
    return OfferResult::timed_out;
  }
  return reply->status == ProduceStatus::appended ? OfferResult::accepted : OfferResult::refused;
}

}  // namespace sluice
