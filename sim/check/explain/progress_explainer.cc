// progress and drains_after_heal: each stuck event, where it sits and what it
// waits on (from the progress checker's PendingPlace), and the faults that
// still hit the parts it waits on.
#include <algorithm>

#include "sim/check/explain/explain_support.h"
#include "sim/check/explain/explainers.h"

namespace sluice {
namespace {

// The part an event at `place` sits in, as the causal log names parts.
Place part_of(const PendingPlace& place) {
  switch (place.spot) {
    case PendingPlace::Spot::queue: return {Role::queue, place.part};
    case PendingPlace::Spot::spill: return {Role::source, place.part};
    case PendingPlace::Spot::stranded: return {Role::stage, place.part};
    default: return {Role::worker, place.part, place.worker};
  }
}

// "in service at worker-1 of 'work' on node w1 since 3.200 s".
std::string sits(const CausalLog& log, const PendingPlace& place) {
  const std::string where = log.where(part_of(place));
  const std::string since = " since " + human_time(place.since);
  switch (place.spot) {
    case PendingPlace::Spot::queue: return "waiting in " + where + since;
    case PendingPlace::Spot::inbox: return "in the inbox of " + where + since;
    case PendingPlace::Spot::service: return "in service at " + where + since;
    case PendingPlace::Spot::retry:
      return "in the retry loop of " + where + " (last failure: " +
             (place.last_failure[0] != '\0' ? std::string(place.last_failure) : std::string("none")) + ", " +
             std::to_string(place.attempts) + " attempt(s) counted)" + since;
    case PendingPlace::Spot::handover: return "processed by " + where + since;
    case PendingPlace::Spot::spill: return "in the spill backlog of " + where + since;
    case PendingPlace::Spot::stranded: return "stranded in " + where + " by a crash" + since;
    case PendingPlace::Spot::unseen: return "somewhere the kept history no longer shows";
  }
  return "at " + where + since;
}

// The fault still hitting a node the event waits on: the worker's own node,
// or the queue's node, active at `now` (the latest one).
const FaultWindow* fault_on(const CausalLog& log, const PendingPlace& place, Nanos now) {
  const std::string node = log.node_of(part_of(place));
  return latest_fault(log, [&](const FaultWindow& f) {
    return !node.empty() && f.hits(node) && f.begin <= now && (f.end > now || f.end == kNever);
  });
}

}  // namespace

Explanation explain_progress(const CausalLog& log, const std::string& what, const std::vector<StuckEvent>& stuck,
                             Nanos now) {
  Explanation out;
  out.at = now;
  std::vector<const FaultWindow*> shown;
  for (const StuckEvent& s : stuck) {
    const Place part = part_of(s.place);
    std::string text = "event " + event_name(s.id) + " " + sits(log, s.place) + "; waits on " + s.waits_on;
    const FaultWindow* fault = fault_on(log, s.place, now);
    if (fault) text += ", while " + fault_words(*fault) + " hits node " + log.node_of(part);
    out.steps.push_back({s.place.since, log.node_of(part), log.part_name(part), "pending", event_name(s.id), text});
    if (fault && std::find(shown.begin(), shown.end(), fault) == shown.end()) {
      shown.push_back(fault);
      out.steps.push_back(log.step(*fault, true, "the " + fault->label() + (fault->end == kNever ? " never heals" : " begins")));
    }
  }
  if (stuck.empty()) return explain_stuck(log, what);
  const StuckEvent& oldest = stuck.front();
  const FaultWindow* fault = fault_on(log, oldest.place, now);
  // describe_place already names the faults on the nodes it waits on ("(under crash ...)").
  const bool told = oldest.waits_on.find("(under ") != std::string::npos;
  std::string never;  // faults that never heal keep whatever waits on their nodes stuck
  for (const FaultWindow& f : log.faults()) {
    if (f.end == kNever) never += (never.empty() ? "; never healed: " : ", ") + f.label();
  }
  out.why = what + (oldest.looping ? "; the looping event, " : "; the oldest stuck event, ") + event_name(oldest.id) +
            ", is " + sits(log, oldest.place) + " and waits on " + oldest.waits_on +
            (fault && !told ? " (" + fault_words(*fault) + " hits its node)" : "") + never + ".";
  order_steps(out.steps);
  return out;
}

}  // namespace sluice
