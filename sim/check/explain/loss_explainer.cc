// no_loss: the last place the acknowledged event was seen (a queue, a
// worker's hands, a partition log, an unsynced write, the spill backlog) and
// the fault or policy that destroyed it.
#include <optional>

#include "sim/check/explain/explain_support.h"
#include "sim/check/explain/explainers.h"
#include "sim/check/explain/hard_defect_words.h"

namespace sluice {
namespace {

bool on_log(const CausalLog& log, const CausalRecord& r) {
  return r.place.role == Role::queue && r.place.index < log.places().queue_is_log.size() &&
         log.places().queue_is_log[r.place.index];
}

// Where the event was when last seen, as a phrase ("in queue 'ingest' on node edge").
std::string place_words(const CausalLog& log, const CausalRecord& r) {
  const std::string_view kind = r.kind;
  if (kind == "crash_drop" && on_log(log, r)) return "as an unsynced write in the log of " + log.where(r.place);
  if (kind == "crash_drop") return "in " + log.where(r.place) + " (in memory)";
  if (kind == "enqueue") return (on_log(log, r) ? "in the log of " : "in ") + log.where(r.place);
  if (kind == "trim") return "trimmed from " + log.where(r.place) + " once its offset was committed";
  if (kind == "fetch" || kind == "deliver" || kind == "route" || kind == "processed") {
    return "in the hands of " + log.where(r.place);
  }
  if (kind == "attempt_failed") return "in the hands of " + log.where(r.place) + ", whose attempt failed";
  if (kind == "transit_loss") return "in transit inside " + log.where(r.place);
  if (kind == "spill") return "in the spill backlog of " + log.where(r.place);
  if (kind == "gave_up") return "given up on by " + log.where(r.place) + " after " + std::to_string(r.detail) + " attempt(s)";
  return "at " + log.where(r.place);
}

// The fault that destroyed it: a crash of `node` active at `t`, else the
// first crash after `t`, else any fault active at `t` or after it.
const FaultWindow* fault_for(const CausalLog& log, const std::string& node, Nanos t) {
  if (node.empty()) return nullptr;
  const FaultWindow* after = nullptr;
  const FaultWindow* any = nullptr;
  for (const FaultWindow& f : log.faults()) {
    if (!f.hits(node) || f.end < t) continue;
    const bool crash = f.is_crash();
    if (crash && f.begin <= t) return &f;
    if (crash && !after) after = &f;
    if (!any) any = &f;
  }
  return after ? after : any;
}

// Why nothing brought it back: the policy or defect that let it go.
std::string policy_words(const CausalLog& log, const CausalRecord& last) {
  const std::string_view kind = last.kind;
  if (kind == "crash_drop" && on_log(log, last)) {
    return log.places().has_defect("ack_before_fsync") ? "the topic acknowledged it before the fsync (the ack_before_fsync defect)"
                                                       : "the topic acknowledged it before it was synced";
  }
  if (kind == "trim" || kind == "fetch") {
    if (std::string unredriven = unredriven_commit_words(log, last); !unredriven.empty()) return unredriven;
    if (log.places().has_defect("commit_before_process")) {
      return "the group committed its offset on receipt, before processing (the commit_before_process defect), so no one fetched it again";
    }
    if (log.places().delivery == "at_most_once") return "at-most-once delivery commits offsets on receipt, so no one fetched it again";
    return "its offset had been committed, so no one fetched it again";
  }
  if (log.places().has_defect("no_retry_on_timeout") &&
      (kind == "deliver" || kind == "route" || kind == "processed" || kind == "attempt_failed")) {
    return "the attempt timed out and the stage dropped it instead of retrying (the no_retry_on_timeout defect)";
  }
  if (kind == "attempt_failed") {
    const std::string gap = forgotten_gap_words(log, last);
    return gap.empty() ? "nothing retried it or shed it" : gap;
  }
  if (kind == "gave_up") {
    return "the stage gave up on it with no dead-letter sink to park it in (and no \"on_give_up\": \"drop\" to account for it)";
  }
  if (log.places().delivery == "at_most_once") return "at-most-once delivery does not redeliver";
  return "";
}

// A record trimmed unprocessed was in some consumer's inbox, which the
// history does not see: the first crash of a worker's node after the trim.
const FaultWindow* consumer_crash(const CausalLog& log, Nanos t) {
  for (const FaultWindow& f : log.faults()) {
    if (f.begin < t || !f.is_crash()) continue;
    for (const std::vector<std::string>& workers : log.places().worker_nodes) {
      for (const std::string& node : workers) {
        if (f.hits(node)) return &f;
      }
    }
  }
  return nullptr;
}

// The partition the event was last fetched from, if the history still holds it.
std::optional<QueueIndex> fetched_from(const CausalLog& log, EventId id, const CausalRecord& last) {
  std::optional<QueueIndex> found;
  if (last.place.role == Role::queue && on_log(log, last)) found = last.place.index;
  for (const CausalRecord& r : log.of_event(id)) {
    if (std::string_view(r.kind) == "fetch") found = r.place.index;
  }
  return found;
}

// A policy that commits on receipt (the commit_before_process defect, or
// at-most-once delivery) loses what the crash takes: the commit the group made
// on `partition` before the crash is the one that skipped past the record.
// Adds it as a step and returns the clause for the why ("" when unknown).
std::string skipping_commit(const CausalLog& log, const FaultWindow& crash, std::optional<QueueIndex> partition,
                            Explanation& out) {
  const bool early = log.places().has_defect("commit_before_process") || log.places().delivery == "at_most_once";
  if (!early || !partition || *partition >= crash.commits_before.size()) return "";
  const Commit& c = crash.commits_before[*partition];
  if (c.t < 0) return "";
  const Place queue{Role::queue, *partition};
  const std::string words = "the group committed " + log.part_name(queue) + " to offset " + std::to_string(c.offset) +
                            " (generation " + std::to_string(c.generation) + ") at " + human_time(c.t);
  out.steps.push_back({c.t, log.node_of(queue), log.part_name(queue), "commit", "",
                       words + ", on receipt: past records still unprocessed in the worker's inbox"});
  return "; " + words + ", before the records it covered were processed, so after " + crash.label() +
         " the partition resumed past the event";
}

// The fault behind a rebalance at `t` of a group whose workers run on
// `nodes`: the latest one that hit one of them and began or healed in the
// minute before it.
const FaultWindow* fault_behind(const CausalLog& log, const std::vector<std::string>& nodes, Nanos t) {
  const FaultWindow* found = nullptr;
  for (const FaultWindow& f : log.faults()) {
    const Nanos moment = f.end <= t ? f.end : f.begin;
    if (moment > t || moment < t - 60'000'000'000) continue;
    for (const std::string& n : nodes) {
      if (f.hits(n) && (!found || moment >= (found->end <= t ? found->end : found->begin))) found = &f;
    }
  }
  return found;
}

// A record committed on receipt and then handed back unprocessed by a
// rebalance: the commit skipped past it, and the partition's next owner
// resumed after it. The commit shows as the record's trim while the history
// still holds it; else it came with the fetch (on receipt). Returns the why,
// or "" when the history shows no such rebalance.
std::string commit_then_rebalance(const CausalLog& log, EventId lost, const CausalRecord& holder, Explanation& out) {
  const bool early = log.places().has_defect("commit_before_process") || log.places().delivery == "at_most_once";
  const std::vector<const Mark*> rebalances = marks_between(log, "rebalance", holder.t, kNever, holder.place.index);
  if (!early || rebalances.empty()) return "";
  std::optional<CausalRecord> trim;
  for (const CausalRecord& r : log.of_event(lost)) {
    if (std::string_view(r.kind) == "trim") trim = r;
  }
  const Mark& rebalance = *rebalances.front();
  const Nanos committed_at = trim ? trim->t : holder.t;
  const std::string partition = trim ? log.part_name(trim->place) : "its partition";
  const std::vector<const Mark*> before = marks_between(log, "rebalance", 0, committed_at, holder.place.index);
  const std::string generation = before.empty() ? "its first generation" : "generation " + std::to_string(before.back()->id);
  const std::string commit = "the group committed " + partition + " past it " + (trim ? "at " : "when it was fetched, at ") +
                             human_time(committed_at) + " (with " + generation + "), before it was processed";
  if (trim) {
    out.steps.push_back({trim->t, log.node_of(trim->place), partition, "trim", event_name(lost),
                         commit + ": the partition log trims it"});
  } else {
    out.steps.push_back(log.step(holder, commit));
  }
  out.steps.push_back(mark_step(log, rebalance, "the group rebalanced to generation " + std::to_string(rebalance.id) +
                                                    ": " + log.where(holder.place) + " hands back its unprocessed records"));
  const std::vector<std::string>& nodes = log.places().worker_nodes[holder.place.index];
  const FaultWindow* fault = fault_behind(log, nodes, rebalance.t);
  if (fault) out.steps.push_back(log.step(*fault, true, "the " + fault->label() + " changes the group's members"));
  const std::string policy = log.places().has_defect("commit_before_process")
                                 ? " (the commit_before_process defect)"
                                 : " (at-most-once delivery commits on receipt)";
  return "Event " + event_name(lost) + " was acknowledged and lost: " + commit + policy + "; then the rebalance to generation " +
         std::to_string(rebalance.id) + " at " + human_time(rebalance.t) +
         (fault ? ", after " + fault_words(*fault) + "," : std::string()) + " moved " + partition + " away from " +
         log.where(holder.place) + ", which still held it unprocessed, and the next owner resumed from the committed offset, past it.";
}

}  // namespace

Explanation explain_loss(const CausalLog& log, EventId lost, const std::string& verdict_text) {
  Explanation out;
  const CausalRecord* last = log.last_seen(lost);
  const CausalRecord* holder = log.last_holder(lost);
  // An event resolved on one branch of a fan-out is no longer in flight for
  // the causal log, yet lost on another branch: its newest records in the
  // ring still say where it was.
  const std::vector<CausalRecord> kept = log.of_event(lost);
  std::optional<CausalRecord> ring_last, ring_holder;
  for (const CausalRecord& r : kept) {
    if (std::string_view(r.kind) == "effect") continue;  // the branch where it arrived
    ring_last = r;
    if (r.place.role == Role::worker) ring_holder = r;
  }
  if (last == nullptr && ring_last) last = &*ring_last;
  if (holder == nullptr && ring_holder) holder = &*ring_holder;
  for (const CausalRecord& r : kept) {
    if (last && r.t == last->t && std::string_view(r.kind) == last->kind) continue;  // told below, with its meaning
    out.steps.push_back(log.step(r, std::string(r.kind) + " at " + log.where(r.place)));
  }
  if (last == nullptr) {
    // Nothing kept says where it was: the crashes of the run are the candidates.
    std::string crashes;
    for (const FaultWindow& f : log.faults()) {
      if (!f.is_crash()) continue;
      out.steps.push_back(log.step(f, true, "the " + f.label() + " begins: it may have taken the event"));
      crashes += (crashes.empty() ? "; the run's crashes: " : ", ") + fault_words(f);
    }
    out.why = "Event " + event_name(lost) + " was acknowledged but never took effect; where it was last seen is older " +
              "than the history the checker keeps (" + verdict_text + ")" + crashes + ".";
    return out;
  }
  out.at = last->t;
  if (holder && (holder->t != last->t || std::string_view(holder->kind) != last->kind)) {
    out.steps.push_back(log.step(*holder, "held by " + log.where(holder->place)));
  }
  out.steps.push_back(log.step(*last, "last seen " + place_words(log, *last)));
  const std::string_view last_kind = last->kind;
  if (holder && (last_kind == "route" || last_kind == "deliver" || last_kind == "fetch")) {
    std::string why = commit_then_rebalance(log, lost, *holder, out);
    if (!why.empty()) {
      out.why = std::move(why);
      order_steps(out.steps);
      return out;
    }
  }
  // Dropped as its replica left: the scale-in, not a fault, took it.
  if (holder && last_kind == "transit_loss" && holder->place.index == last->place.index) {
    const std::string scaled = scale_in_words(log, holder->place.index, holder->place.worker, last->t, out);
    if (!scaled.empty()) {
      out.why = "Event " + event_name(lost) + " was acknowledged, held by " + log.where(holder->place) + " since " +
                human_time(holder->t) + ", and lost: " + scaled + ".";
      order_steps(out.steps);
      return out;
    }
  }
  // A record inside a stage (no node of its own) is where its last worker was.
  std::string node = log.node_of(last->place);
  if ((node.empty() || std::string_view(last->kind) == "trim") && holder) node = log.node_of(holder->place);
  const FaultWindow* fault = fault_for(log, node, holder && node == log.node_of(holder->place) ? holder->t : last->t);
  if (!holder && std::string_view(last->kind) == "trim") fault = consumer_crash(log, last->t);
  if (!fault && holder && node != log.node_of(last->place)) fault = fault_for(log, log.node_of(last->place), last->t);
  if (fault) out.steps.push_back(log.step(*fault, true, "the " + fault->label() + " begins"));
  const std::string policy = policy_words(log, *last);
  std::string cause = fault ? fault_words(*fault) + " took it" : std::string("nothing recorded destroyed it");
  if (!fault && !policy.empty()) cause = "no fault took it";
  if (std::string_view(last->kind) == "trim") {
    const std::string who = holder ? log.where(holder->place) : "the consumer whose inbox held it";
    cause = fault ? fault_words(*fault) + " stopped " + who : "it never took effect";
  }
  const std::string skipped = fault ? skipping_commit(log, *fault, fetched_from(log, lost, *last), out) : "";
  out.why = "Event " + event_name(lost) + " was acknowledged, last seen " + place_words(log, *last) + " at " +
            human_time(last->t) + ", and lost: " + cause + (policy.empty() ? "" : ", and " + policy) + skipped + ".";
  order_steps(out.steps);
  return out;
}

}  // namespace sluice
