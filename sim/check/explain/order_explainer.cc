// per_key_order: the two events of the key, where the later-produced one
// overtook the earlier, and why (a retry, a rebalance, unordered routing).
#include "sim/check/explain/explain_support.h"
#include "sim/check/explain/explainers.h"

namespace sluice {

Explanation explain_order(const CausalLog& log, const Event& late, SinkIndex sink, Nanos now) {
  Explanation out;
  out.at = now;
  const std::vector<CausalRecord> key_records = log.of_key(late.key);
  // The event that overtook it: the last one of the key applied at this sink
  // before now, produced after `late`.
  std::optional<CausalRecord> ahead;
  for (const CausalRecord& r : key_records) {
    if (r.t >= now || std::string_view(r.kind) != "effect" || r.place.index != sink || r.id == late.id) continue;
    if (r.emitted_at > late.emitted_at || (r.emitted_at == late.emitted_at && r.id > late.id)) ahead = r;
  }
  for (const CausalRecord& r : key_records) {
    if (r.t > now || (r.id != late.id && (!ahead || r.id != ahead->id))) continue;
    const std::string_view kind = r.kind;
    if (kind != "produce" && kind != "deliver" && kind != "route" && kind != "attempt_failed" && kind != "effect" &&
        kind != "fetch") {
      continue;
    }
    std::string text = std::string(kind) + " at " + log.where(r.place);
    if (kind == "attempt_failed") text = "attempt " + std::to_string(r.detail) + " failed (" + r.reason + ") at " + log.where(r.place);
    out.steps.push_back(log.step(r, text));
  }
  const std::string key = "key " + std::to_string(late.key);
  if (!ahead) {
    out.why = "Event " + event_name(late.id) + " of " + key + " took effect at " + human_time(now) +
              " after a later-produced event of its key; that event is older than the kept history.";
    return out;
  }
  const std::vector<CausalRecord> late_records = log.of_event(late.id), ahead_records = log.of_event(ahead->id);
  std::optional<CausalRecord> failed = last_before(late_records, now, {"attempt_failed"});
  std::optional<CausalRecord> late_worker = last_before(late_records, now, {"deliver"});
  std::optional<CausalRecord> ahead_worker = last_before(ahead_records, ahead->t, {"deliver"});
  std::string overtook = "event " + event_name(ahead->id) + " (produced " + human_time(ahead->emitted_at) +
                         ") took effect at " + human_time(ahead->t) + ", before event " + event_name(late.id) +
                         " (produced " + human_time(late.emitted_at) + ") of the same " + key + " at " + human_time(now);
  std::string why;
  if (failed) {
    why = "a retry: " + log.where(failed->place) + "'s attempt failed (" + failed->reason + ") at " +
          human_time(failed->t) + " and the later event overtook it while it backed off";
  } else if (late_worker && ahead_worker && (late_worker->place.worker != ahead_worker->place.worker ||
                                             late_worker->place.index != ahead_worker->place.index)) {
    const Mark* rebalance = nullptr;
    for (const Mark* m : marks_between(log, "rebalance", late_worker->t - 1, ahead->t)) rebalance = m;
    why = rebalance ? "a rebalance to generation " + std::to_string(rebalance->id) + " at " + human_time(rebalance->t) +
                          " moved the key to another worker"
                    : std::string("unordered routing");
    why += ": the events went to " + log.where(late_worker->place) + " and " + log.where(ahead_worker->place) +
           ", and the second finished first";
  } else {
    why = "the same worker applied them out of order";
  }
  if (failed && log.places().has_defect("reorder_on_retry")) why += " (the reorder_on_retry defect puts a failed event behind later ones)";
  out.why = "Out of order by " + why + ": " + overtook + ".";
  order_steps(out.steps);
  return out;
}

}  // namespace sluice
