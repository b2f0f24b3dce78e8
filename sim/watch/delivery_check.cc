#include "sim/watch/delivery_check.h"

namespace sluice {

DeliveryCheck::DeliveryCheck(const CheckerContext& ctx) : ctx_(ctx), checker_(ctx.names.sources.size()) {
  checker_.expect_sinks(ctx.names.source_sinks, ctx.names.sinks);
}

void DeliveryCheck::on(const Shed& rec) {
  checker_.shed(rec.event, ctx_.names.queue_sinks[rec.queue]);
  partition_dropped(rec.queue, rec.event);
}

void DeliveryCheck::on(const LostInCrash& rec) {
  checker_.vanished(rec.event);
  partition_dropped(rec.queue, rec.event);
}

void DeliveryCheck::on(const LostInTransit& rec) {
  // A topic record's fetched copy: the record itself is still in its log
  // (uncommitted), and the group will hand it out again.
  if (retained_.contains(rec.event.id)) {
    copy_lost_[rec.event.id] = true;
  } else {
    checker_.vanished(rec.event);
  }
}

void DeliveryCheck::on(const GaveUp& rec) {
  const auto& [stage, event, attempts, dead_lettered] = rec;
  if (dead_lettered) {
    parking_[event.id] = stage;  // excused downstream of this stage once parked
  } else if (ctx_.names.stage_drops_on_give_up[stage]) {
    // The scenario chose to drop give-ups: excused only at the sinks downstream of this stage.
    checker_.shed(event, ctx_.names.stage_sinks[stage]);
  } else {
    checker_.given_up(event, ctx_.names.stages[stage]);  // nowhere to go and no policy saying so: a loss
  }
}

void DeliveryCheck::on(const Effect& rec) {
  const auto& [sink, event] = rec;
  last_effect_first_ = false;
  if (!ctx_.names.sink_is_dead_letter[sink]) {
    last_effect_first_ = checker_.effect(event, ctx_.now(), ctx_.names.sinks[sink], sink);
    return;
  }
  // Parked in the dead-letter sink: accounted for, not an effect.
  const auto parked_by = parking_.find(event.id);
  if (parked_by != parking_.end()) {
    checker_.shed(event, ctx_.names.stage_sinks[parked_by->second]);
    parking_.erase(parked_by);
  } else {
    checker_.shed(event);
  }
}

void DeliveryCheck::partition_dropped(QueueIndex queue, const Event& event) {
  if (ctx_.names.queue_topic[queue] == PartNames::kNotATopic) return;
  std::uint32_t* copies = retained_.find(event.id);
  if (copies == nullptr || --*copies > 0) return;
  retained_.erase(event.id);
  // Its last log copy is gone and a crash took the fetched one: lost, unless
  // it took effect (the checker decides).
  if (copy_lost_.erase(event.id) != 0) checker_.vanished(event);
}

}  // namespace sluice
