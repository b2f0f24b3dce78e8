#include "sim/watch/state_check.h"

#include "sim/check/explain/explainers.h"

namespace sluice {
namespace {

std::vector<OperatorSpec> operators_of(const PartNames& names) {
  std::vector<OperatorSpec> out = names.queue_operators;
  out.resize(names.queues.size());
  return out;
}

}  // namespace

StateCheck::StateCheck(const CheckerContext& ctx) : ctx_(ctx), checker_(operators_of(ctx.names), ctx.names.queues) {}

void StateCheck::on(const StateSnapshotted& rec) {
  checker_.snapshotted(rec.partition, rec.id, rec.offset, rec.digest, ctx_.now());
  explain(rec.partition, rec.id, rec.offset, rec.digest, false);
}

void StateCheck::on(const StateRestored& rec) {
  checker_.restored(rec.partition, rec.id, rec.offset, rec.digest, ctx_.now());
  explain(rec.partition, rec.id, rec.offset, rec.digest, true);
}

// An aborted transaction's records stay in the log, marked: a read_committed fold skips them.
void StateCheck::on(const TxnMarkerWritten& rec) {
  if (rec.commit || !rec.written) return;
  for (std::uint64_t offset : rec.offsets) checker_.skipped(rec.partition, offset);
}

void StateCheck::explain(QueueIndex partition, std::uint64_t id, std::uint64_t offset, std::uint64_t digest,
                         bool restore) {
  ctx_.explanations.explain_first("checkpoint_consistency", checker_.verdict(), [&] {
    return explain_state(ctx_.causal, partition, id, offset, restore, ctx_.now(),
                         checker_.diff(partition, offset, digest));
  });
}

}  // namespace sluice
