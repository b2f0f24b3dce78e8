// Elastic scaling in explanations: the decision that scaled a stage in, the
// replica that left holding events, and the events it took with it.
#include <algorithm>
#include <cstring>

#include "sim/check/explain/explain_support.h"
#include "sim/check/explain/explainers.h"

namespace sluice {
namespace {

// The newest scale-in decision of `stage` at or before `t`.
const Mark* scale_in_before(const CausalLog& log, StageIndex stage, Nanos t) {
  const Mark* found = nullptr;
  for (const Mark* m : marks_between(log, "scaled", 0, t, stage)) {
    if (m->id < m->offset) found = m;  // to < from
  }
  return found;
}

// When replica `worker` of `stage` began draining, at or before `t` (-1: never).
Nanos draining_since(const CausalLog& log, StageIndex stage, std::uint32_t worker, Nanos t) {
  Nanos since = -1;
  for (const Mark* m : marks_between(log, "replica", 0, t, stage)) {
    if (m->worker == worker && m->reason == "draining") since = m->t;
  }
  return since;
}

std::string drain_words(const CausalLog& log) {
  return log.places().has_defect("scale_in_without_drain")
             ? "it did not drain first (the scale_in_without_drain defect drops what a replica holds at once)"
             : "its drain ended before it had finished or handed back everything it held";
}

}  // namespace

std::string scale_in_words(const CausalLog& log, StageIndex stage, std::uint32_t worker, Nanos t, Explanation& out) {
  const Mark* left = nullptr;
  for (const Mark* m : marks_between(log, "replica", t, t, stage)) {
    if (m->worker == worker && m->reason == "left") left = m;
  }
  if (left == nullptr) return "";
  const Mark* decision = scale_in_before(log, stage, t);
  if (decision) {
    out.steps.push_back(mark_step(log, *decision, "the autoscaler scales stage '" + log.places().stages[stage] + "' in from " +
                                                      std::to_string(decision->offset) + " to " +
                                                      std::to_string(decision->id) + " replicas: " + decision->reason));
  }
  const Nanos drain = draining_since(log, stage, worker, t);
  const Place replica{Role::worker, stage, worker};
  out.steps.push_back(mark_step(log, *left, log.part_name(replica) + " leaves the stage" +
                                                (drain >= 0 && drain < t ? " after draining since " + human_time(drain) : "")));
  return log.where(replica) + " was scaled in at " + human_time(t) +
         (decision ? " (the autoscaler's decision at " + human_time(decision->t) + ", " + std::to_string(decision->offset) +
                         " -> " + std::to_string(decision->id) + " replicas)"
                   : std::string()) +
         " and " + drain_words(log);
}

Explanation explain_scale_in(const CausalLog& log, StageIndex stage, std::uint32_t worker, std::int64_t held, Nanos now) {
  Explanation out;
  out.at = now;
  // The events it held: the stage's in-transit losses at the moment it left.
  std::vector<std::string> names;
  for (const CausalRecord& r : log.recent_at(Place{Role::stage, stage, 0}, "transit_loss", static_cast<std::size_t>(held))) {
    if (r.t != now) continue;
    names.push_back(event_name(r.id));
    out.steps.push_back(log.step(r, "dropped from the inbox of " + log.part_name(Place{Role::worker, stage, worker}) +
                                        " as it leaves"));
  }
  std::string how = scale_in_words(log, stage, worker, now, out);
  if (how.empty()) how = log.where(Place{Role::worker, stage, worker}) + " left at " + human_time(now) + " and " + drain_words(log);
  std::string which;
  for (std::size_t i = 0; i < names.size() && i < 5; ++i) which += (i == 0 ? " (" : ", ") + names[i];
  if (!which.empty()) which += names.size() > 5 ? ", ...)" : ")";
  out.why = "A scale-in lost work: " + how + "; it held " + std::to_string(held) +
            " event(s) it had neither finished nor handed back" + which +
            ", which are lost if they came from a buffer, or replayed past their commit if from a topic.";
  order_steps(out.steps);
  return out;
}

}  // namespace sluice
