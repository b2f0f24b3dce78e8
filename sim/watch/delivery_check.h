// no_loss and the sinks' side of no_duplicate_effects as a subscriber: feeds
// the delivery checker (delivery_checker.h) every outcome an event can have,
// and keeps what that needs to know about topics (a fetched copy lost in a
// crash is lost only once the record's last log copy is gone) and dead
// letters (a parked event is excused downstream of the stage that parked it).
// It runs before the progress watch and the causal log, which ask it whether
// an event is resolved or settled.
#pragma once

#include <cstdint>
#include <map>

#include "core/model/records.h"
#include "sim/watch/checker_context.h"
#include "sim/check/delivery_checker.h"
#include "sim/check/event_id_map.h"

namespace sluice {

class DeliveryCheck {
 public:
  explicit DeliveryCheck(const CheckerContext& ctx);

  void on(const Produced& rec) { checker_.produced(rec.event); }
  void on(const Acked& rec) { checker_.acked(rec.event); }
  void on(const SourceDropped& rec) { checker_.shed(rec.event); }
  void on(const Enqueued& rec) {
    if (ctx_.names.queue_topic[rec.queue] != PartNames::kNotATopic) ++retained_[rec.event.id];
  }
  void on(const Shed& rec);
  void on(const LostInCrash& rec);
  void on(const LostInTransit& rec);
  void on(const GaveUp& rec);
  void on(const Effect& rec);
  void on(const Trimmed& rec) { partition_dropped(rec.partition, rec.event); }
  template <typename R>
  void on(const R&) {}

  DeliveryChecker& checker() { return checker_; }
  const DeliveryChecker& checker() const { return checker_; }
  // Whether the last Effect was the event's first at its sink (false for a dead letter).
  bool last_effect_first() const { return last_effect_first_; }

 private:
  // A topic record left a partition log (shed, lost, trimmed).
  void partition_dropped(QueueIndex queue, const Event& event);

  const CheckerContext& ctx_;
  DeliveryChecker checker_;
  bool last_effect_first_ = false;
  // Topic records: how many copies each event has in partition logs (until
  // trimmed), and which of those lost their fetched copy in a crash. A record
  // still in its log when the run ends is in flight, not lost: the group
  // would hand it out again.
  EventIdMap<std::uint32_t> retained_;  // looked up only
  EventIdMap<bool> copy_lost_;          // looked up only
  // Events a stage gave up on and is parking: the stage, for the excuse.
  std::map<EventId, StageIndex> parking_;
};

}  // namespace sluice
