#include "sim/watch/progress_watch.h"

#include <cstdint>

namespace sluice {

ProgressWatch::ProgressWatch(const CheckerContext& ctx, const DeliveryCheck& delivery, const Redeliveries& redeliveries,
                             const PendingPlaces& places, FailoverRecord& failover)
    : ctx_(ctx),
      delivery_(delivery),
      redeliveries_(redeliveries),
      failover_(failover),
      checker_(ProgressBounds{.stall_after = kNever, .attempts_max = UINT32_MAX, .judged_from = kNever},
               [&places](EventId id) { return places.locate(id); },
               [&places](const PendingPlace& place) { return places.describe_place(place); }) {}

void ProgressWatch::on(const Acked& rec) {
  if (!delivery_.checker().resolved(rec.event)) checker_.accepted(rec.event, ctx_.now());
  else checker_.settled_before_ack();
  after();
}

void ProgressWatch::on(const LostInTransit& rec) {
  // A record fetched from a topic is still in its partition and will be
  // redelivered: it stays pending. An event from a buffer is gone (no_loss's business).
  if (!ctx_.names.stage_reads_topic[rec.stage]) checker_.resolved(rec.event, ctx_.now());
  after();
}

}  // namespace sluice
