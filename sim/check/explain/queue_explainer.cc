// bounded_queues: the queue, its capacity, and the events over it.
#include "sim/check/explain/explain_support.h"
#include "sim/check/explain/explainers.h"

namespace sluice {

Explanation explain_queue(const CausalLog& log, QueueIndex queue, const Event& event, std::size_t depth,
                          std::uint64_t capacity, Nanos now) {
  constexpr std::size_t kShown = 5;
  Explanation out;
  out.at = now;
  const Place place{Role::queue, queue};
  // The arrivals just before this one, which filled the queue (the event
  // itself is noted after the check, so it is not among them).
  for (const CausalRecord& r : log.recent_at(place, "enqueue", kShown)) {
    out.steps.push_back(log.step(r, "arrives; the queue now holds " + std::to_string(r.detail) + " of " +
                                        std::to_string(capacity)));
  }
  for (const CausalRecord& r : log.of_event(event.id)) {
    if (std::string_view(r.kind) == "produce") out.steps.push_back(log.step(r, "produced by " + log.where(r.place)));
  }
  out.steps.push_back({now, log.node_of(place), log.part_name(place), "enqueue", event_name(event.id),
                       "arrives and is kept as event number " + std::to_string(depth) + ", over the capacity of " +
                           std::to_string(capacity)});
  out.why = log.where(place) + " held " + std::to_string(depth) + " events at " + human_time(now) +
            ", over its capacity of " + std::to_string(capacity) + ", when event " + event_name(event.id) +
            " arrived: the arrival over capacity was neither refused, blocked nor shed" +
            (log.places().has_defect("unbounded_buffer") ? " (the unbounded_buffer defect ignores the capacity)." : ".");
  order_steps(out.steps);
  return out;
}

}  // namespace sluice
