// The recent history as a subscriber: remembers the records a checker's first
// violation quotes as its context (recent_history.h), named by their parts.
// Order: after bounded_queues (whose context ends before the arrival) and
// before the other checkers (whose context ends with the offending record).
#pragma once

#include <string>
#include <string_view>

#include "core/model/records.h"
#include "core/runtime/runtime.h"
#include "sim/watch/part_names.h"
#include "sim/check/recent_history.h"

namespace sluice {

class RecentRecords {
 public:
  RecentRecords(Runtime& runtime, const PartNames& names, RecentHistory& recent)
      : runtime_(runtime), names_(names), recent_(recent) {}

  void on(const Produced& rec) { at_source("produce", rec.source, rec.event); }
  void on(const Rejected& rec) { at_source("reject", rec.source, rec.event); }
  void on(const SourceDropped& rec) { at_source("source_drop", rec.source, rec.event); }
  void on(const Spilled& rec) { at_source("spill", rec.source, rec.event); }
  void on(const Replayed& rec) { at_source("replay", rec.source, rec.event); }
  void on(const Enqueued& rec) { remember("enqueue", rec.event, &names_.queues[rec.queue]); }
  void on(const Dequeued& rec) { remember("dequeue", rec.event, &names_.queues[rec.queue]); }
  void on(const Shed& rec) { remember("shed", rec.event, &names_.queues[rec.queue]); }
  void on(const DeliveredToWorker& rec) { remember("route to worker", rec.event, &names_.stages[rec.stage]); }
  void on(const AttemptFailed& rec) { remember("attempt failed", rec.event, &names_.stages[rec.stage]); }
  void on(const GaveUp& rec) {
    remember(rec.dead_lettered ? "dead letter" : "gave up", rec.event, &names_.stages[rec.stage]);
  }
  void on(const Effect& rec) {
    if (!names_.sink_is_dead_letter[rec.sink]) remember("effect", rec.event, &names_.sinks[rec.sink]);
  }
  void on(const DuplicateSuppressed& rec) { remember("duplicate suppressed", rec.event, part_named(rec.where)); }
  void on(const Fetched& rec) { remember("fetch", rec.event, &names_.queues[rec.partition]); }
  template <typename R>
  void on(const R&) {}

 private:
  void remember(const char* kind, const Event& event, const std::string* part) {
    recent_.remember(kind, runtime_.now(), event, part);
  }
  void at_source(const char* kind, SourceIndex source, const Event& event) {
    remember(kind, event, &names_.sources[source]);
  }
  // The sink or queue of that name, or null.
  const std::string* part_named(std::string_view name) const {
    for (const std::vector<std::string>* parts : {&names_.sinks, &names_.queues}) {
      for (const std::string& part : *parts) {
        if (part == name) return &part;
      }
    }
    return nullptr;
  }

  Runtime& runtime_;
  const PartNames& names_;
  RecentHistory& recent_;
};

}  // namespace sluice
