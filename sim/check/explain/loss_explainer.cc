// no_loss: the last place the acknowledged event was seen (a queue, a
// worker's hands, a partition log, an unsynced write, the spill backlog) and
// the fault or policy that destroyed it.
#include "sim/check/explain/explain_support.h"
#include "sim/check/explain/explainers.h"

namespace sluice {
namespace {

constexpr Nanos kFaultLookBack = 60'000'000'000;  // a fault this long before the last sighting may still explain it

bool on_log(const CausalLog& log, const CausalRecord& r) {
  return r.place.role == Role::queue && r.place.index < log.places().queue_is_log.size() &&
         log.places().queue_is_log[r.place.index];
}

// Where the event was when last seen, as a phrase ("in queue 'ingest' on node edge").
std::string place_words(const CausalLog& log, const CausalRecord& r) {
  const std::string_view kind = r.kind;
  if (kind == "crash_drop" && on_log(log, r)) return "an unsynced write in " + log.where(r.place) + "'s log";
  if (kind == "crash_drop") return "in " + log.where(r.place) + " (in memory)";
  if (kind == "enqueue") return (on_log(log, r) ? "in the log of " : "in ") + log.where(r.place);
  if (kind == "fetch" || kind == "deliver" || kind == "route") return "in the hands of " + log.where(r.place);
  if (kind == "attempt_failed") return "in the hands of " + log.where(r.place) + ", whose attempt failed";
  if (kind == "transit_loss") return "in transit inside " + log.where(r.place);
  if (kind == "spill") return "in the spill backlog of " + log.where(r.place);
  return "at " + log.where(r.place);
}

// What destroyed it: the crash that took it, the failed attempt nobody
// retried, or the offset committed before it took effect.
std::string cause_words(const CausalLog& log, const CausalRecord& last, const FaultWindow* fault, ExplainStep* fault_step) {
  const std::string_view kind = last.kind;
  std::string cause;
  if (fault) {
    *fault_step = log.step(*fault, true, "the " + fault->label() + " hits the node that last held the event");
    cause = fault_words(*fault);
  }
  if (kind == "crash_drop" && on_log(log, last)) {
    return (fault ? cause : "a crash") + " took back the partition's records not yet fsynced, although they had been "
                                         "acknowledged (acknowledged before fsync)";
  }
  if (kind == "crash_drop" || kind == "transit_loss") return (fault ? cause : "a crash") + " took it with the node's memory";
  if (kind == "attempt_failed") {
    return std::string("the attempt failed (") + (last.reason[0] ? last.reason : "failure") + ")" +
           (fault ? " during " + cause : "") + " and nothing retried it or shed it";
  }
  if (kind == "fetch" || kind == "deliver" || kind == "route") {
    return (fault ? cause + " stopped the worker" : "the worker stopped") +
           " before it took effect, and no one fetched it again (its offset had been committed or the record dropped)";
  }
  if (fault) return cause + " destroyed it";
  return "nothing recorded destroyed it: it was still waiting when the run ended";
}

}  // namespace

Explanation explain_loss(const CausalLog& log, EventId lost, const std::string& verdict_text) {
  Explanation out;
  const std::vector<CausalRecord> records = log.of_event(lost);
  const CausalRecord* last = log.last_seen(lost);
  for (const CausalRecord& r : records) {
    if (last && r.t == last->t && std::string_view(r.kind) == last->kind) continue;  // told below, with its meaning
    out.steps.push_back(log.step(r, std::string(r.kind) + " at " + log.where(r.place)));
  }
  if (last == nullptr) {
    out.why = "Event " + event_name(lost) + " was acknowledged but never took effect; where it was last seen is older " +
              "than the history the checker keeps (" + verdict_text + ").";
    return out;
  }
  out.at = last->t;
  const std::string node = log.node_of(last->place);
  const FaultWindow* fault = node.empty() ? nullptr : fault_hitting(log, node, last->t - kFaultLookBack, kNever - 1, true);
  if (!fault && !node.empty()) fault = fault_hitting(log, node, last->t - kFaultLookBack, kNever - 1);
  ExplainStep fault_step;
  const std::string cause = cause_words(log, *last, fault, &fault_step);
  out.steps.push_back(log.step(*last, "last seen: " + place_words(log, *last)));
  if (fault) out.steps.push_back(fault_step);
  if (last->place.role == Role::queue && on_log(log, *last)) {
    const Commit commit = log.last_commit(last->place.index);
    if (commit.t >= last->t) {
      out.steps.push_back({commit.t, node, log.part_name(last->place), "commit", "",
                           "offset " + std::to_string(commit.offset) + " committed (generation " +
                               std::to_string(commit.generation) + ")"});
    }
  }
  out.why = "Event " + event_name(lost) + " was acknowledged, last seen " + place_words(log, *last) + " at " +
            human_time(last->t) + ", and lost: " + cause + ".";
  order_steps(out.steps);
  return out;
}

}  // namespace sluice
