#include "sim/watch/duplicate_effects_check.h"

#include "sim/check/explain/explainers.h"

namespace sluice {

DuplicateEffectsCheck::DuplicateEffectsCheck(const CheckerContext& ctx, const DeliveryCheck& delivery)
    : ctx_(ctx),
      delivery_(delivery),
      txns_(ctx.names.queue_topic, ctx.names.queues, ctx.names.sources.size(), PartNames::kNotATopic) {}

void DuplicateEffectsCheck::explain_repeat(const Effect& rec) {
  ctx_.explanations.explain_first("no_duplicate_effects", verdict(),
                                  [&] { return explain_duplicate(ctx_.causal, rec.event, rec.sink, ctx_.now()); });
}

// A committed transaction's records reach the intermediate topic's readers:
// each must be the first copy of its event there.
void DuplicateEffectsCheck::on(const TxnMarkerWritten& rec) {
  const auto& [partition, writer, epoch, txn, commit, written, records, offsets] = rec;
  if (!commit && written) return;  // aborted and marked: read_committed readers skip them
  for (const Event& event : records) {
    if (txns_.committed(partition, event, ctx_.now(), writer, epoch, txn)) continue;
    ctx_.capture_first(txns_.verdict(), context_, event);
    ctx_.explanations.explain_first("no_duplicate_effects", verdict(), [&] {
      return explain_topic_duplicate(ctx_.causal, event, partition, ctx_.now());
    });
  }
}

}  // namespace sluice
