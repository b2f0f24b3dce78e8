#include "sim/watch/bounded_queues_check.h"

#include "sim/check/explain/explainers.h"

namespace sluice {

void BoundedQueuesCheck::explain(const Enqueued& rec, std::uint64_t capacity) {
  ctx_.explanations.explain_first("bounded_queues", checker_.verdict(), [&] {
    return explain_queue(ctx_.causal, rec.queue, rec.event, rec.depth, capacity, ctx_.now());
  });
}

}  // namespace sluice
