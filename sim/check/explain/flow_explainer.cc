// flow_control: the credits the worker was granted against the deliveries
// made to it.
#include "sim/check/explain/explain_support.h"
#include "sim/check/explain/explainers.h"

namespace sluice {

Explanation explain_flow(const CausalLog& log, StageIndex stage, std::uint32_t worker, const Event& event, Nanos now) {
  constexpr std::size_t kShown = 5;
  Explanation out;
  out.at = now;
  const Place place{Role::worker, stage, worker};
  const CreditTally tally = log.tally(stage, worker);
  if (tally.last_request_t >= 0) {
    out.steps.push_back({tally.last_request_t, log.node_of(place), log.part_name(place), "credit", "",
                         "last request: " + std::to_string(tally.last_request_n) + " credit(s); " +
                             std::to_string(tally.requested) + " requested since " + human_time(tally.since)});
  }
  // The routes before this one (it is the newest, noted with the check).
  for (const CausalRecord& r : log.recent_at(place, "route", kShown + 1)) {
    const bool violating = r.id == event.id && r.t == now;
    out.steps.push_back(log.step(r, violating ? "routed to the worker with no credit left: the delivery over the grant"
                                              : "routed to the worker, using one credit"));
  }
  out.why = log.where(place) + " was granted " + std::to_string(tally.requested) + " credit(s) since " +
            human_time(tally.since) + " but received " + std::to_string(tally.delivered) + " deliveries by " +
            human_time(now) + ": event " + event_name(event.id) + " was routed to it without a request" +
            (log.places().has_defect("ignore_credits") ? " (the ignore_credits defect routes without credits)." : ".");
  order_steps(out.steps);
  return out;
}

}  // namespace sluice
