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

Explanation explain_latency(const CausalLog& log, const ScalingRecord::SloMiss& miss) {
  Explanation out;
  const bool bunched = miss.worst_over > 0;
  out.at = bunched ? miss.worst_to : (miss.slowest.empty() ? miss.slo.settle : miss.slowest.front().at);
  // What the run was doing while the effects over the bound piled up: the
  // faults active in that window, and the decisions in it and the minute before.
  const Nanos from = bunched ? miss.worst_from : miss.slo.settle, to = out.at;
  std::string faults;
  for (const FaultWindow& f : log.faults()) {
    if (f.begin >= to || f.end <= from - 60'000'000'000) continue;
    out.steps.push_back(log.step(f, true, "the " + f.label() + " begins"));
    faults += (faults.empty() ? "" : ", ") + fault_words(f);
  }
  std::string decisions;
  for (const Mark* m : marks_between(log, "scaled", from - 60'000'000'000, to)) {
    out.steps.push_back(mark_step(log, *m, "the autoscaler scales stage '" + log.places().stages[m->part] + "' from " +
                                               std::to_string(m->offset) + " to " + std::to_string(m->id) +
                                               " replicas: " + m->reason));
    decisions += (decisions.empty() ? "" : ", ") + std::to_string(m->offset) + " -> " + std::to_string(m->id) + " at " +
                 human_time(m->t);
  }
  std::string slowest;
  for (const ScalingRecord::SlowEffect& e : miss.slowest) {
    const std::string took = human_duration(e.at - e.emitted_at);
    out.steps.push_back({e.at, "", "", "effect", event_name(e.event),
                         "takes effect " + took + " after it was produced (at " + human_time(e.emitted_at) + ")"});
    if (slowest.size() < 200) slowest += (slowest.empty() ? "" : ", ") + event_name(e.event) + " (" + took + ")";
  }
  out.why = "Latency missed its objective: the p99 of the " + std::to_string(miss.effects) + " effects after " +
            human_time(miss.slo.settle) + " is " + human_duration(miss.p99) + ", above the bound of " +
            human_duration(miss.slo.p99) + "; " + std::to_string(miss.over) + " effects took longer";
  if (bunched) {
    out.why += ", most in " + human_time(miss.worst_from) + " to " + human_time(miss.worst_to) + " (" +
               std::to_string(miss.worst_over) + ")";
  }
  if (!slowest.empty()) out.why += "; the slowest: " + slowest;
  out.why += faults.empty() ? "; no fault was active then" : "; faults active then: " + faults;
  if (!decisions.empty()) out.why += "; the autoscalers' decisions then: " + decisions;
  out.why += ".";
  order_steps(out.steps);
  return out;
}

}  // namespace sluice
