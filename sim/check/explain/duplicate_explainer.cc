// no_duplicate_effects: both effects, the path each copy took, and the cause
// of the second copy: a retry after a lost reply, a redelivery after a
// rebalance or crash, a replay after a restore, or a zombie without fencing.
#include <algorithm>

#include "core/runtime/perturbation_sites.h"
#include "sim/check/explain/explain_support.h"
#include "sim/check/explain/explainers.h"
#include "sim/check/explain/hard_defect_words.h"

namespace sluice {
namespace {

struct Copy {
  CausalRecord effect;
  std::optional<CausalRecord> deliver;  // the worker that handled this copy, when the ring still has it
  std::optional<CausalRecord> fetch;    // the partition it was fetched from
};

Copy copy_of(const std::vector<CausalRecord>& records, const CausalRecord& effect) {
  return {effect, last_before(records, effect.t, {"deliver"}), last_before(records, effect.t, {"fetch"})};
}

std::string copy_words(const CausalLog& log, const Copy& c) {
  std::string path = c.fetch ? "fetched from " + log.part_name(c.fetch->place) + " at " + human_time(c.fetch->t) + ", " : "";
  if (c.deliver) path += "handled by " + log.where(c.deliver->place) + " from " + human_time(c.deliver->t) + ", ";
  return path + "applied at " + human_time(c.effect.t) + " in " + log.where(c.effect.place);
}

// "generation 3": the group generation of `stage` at `t` (its last rebalance
// by then), or "its first generation" before any rebalance.
std::string generation_words(const CausalLog& log, std::uint32_t stage, Nanos t) {
  std::vector<const Mark*> before = marks_between(log, "rebalance", 0, t, stage);
  return before.empty() ? std::string("its first generation") : "generation " + std::to_string(before.back()->id);
}

// The latest perturbation on `node` in [t0, t1] that hides a landed write's reply from its caller.
const Mark* perturbed_reply(const CausalLog& log, const std::string& node, Nanos t0, Nanos t1) {
  const Mark* found = nullptr;
  for (const Mark* m : marks_between(log, "perturbed", t0, t1)) {
    const auto site = static_cast<PerturbSite>(m->id);
    if (m->reason == node && (site == PerturbSite::rpc_spurious_timeout || site == PerturbSite::produce_ack_lost)) found = m;
  }
  return found;
}

// The second copy is a retry: the worker's attempt failed although the write
// had been applied. Names the fault that cut or delayed the reply, if any.
Explanation retry_cause(const CausalLog& log, const Copy& first, const CausalRecord& failed, Explanation out) {
  const std::string worker = log.node_of(failed.place), sink = log.node_of(first.effect.place);
  const std::string reason = failed.reason[0] != '\0' ? failed.reason : "failure";
  out.steps.push_back(log.step(failed, log.where(failed.place) + "'s attempt " + std::to_string(failed.detail) +
                                           " failed (" + reason + ") although the write had been applied: it retried"));
  const Nanos from = first.deliver ? first.deliver->t : first.effect.t;
  const FaultWindow* cut = fault_cutting(log, sink, worker, from, failed.t, true);
  const FaultWindow* hit = cut ? nullptr : fault_hitting(log, sink, from - 60'000'000'000, failed.t);
  if (!hit && !cut) hit = fault_hitting(log, worker, from - 60'000'000'000, failed.t);
  if (cut) {
    out.steps.push_back(log.step(*cut, true, "the " + cut->label() + " cuts messages between node " + sink +
                                                 " and node " + worker + ": the reply was lost"));
    out.why = "A retry after a lost reply: " + fault_words(*cut) + " cut the reply from sink node " + sink +
              " to worker node " + worker + ", so the worker timed out and applied event " + event_name(failed.id) +
              " again.";
  } else if (const Mark* site = perturbed_reply(log, worker, from, failed.t)) {
    const std::string name(perturb_site_name(static_cast<PerturbSite>(site->id)));
    out.steps.push_back({site->t, worker, "", "perturbed", "",
                         "perturbation site " + name + " fired: the caller gave up on a write that had landed"});
    out.why = "A retry after a lost reply: the perturbation site " + name + " fired on worker node " + worker + " at " +
              human_time(site->t) + " (the reply or ack came, the caller treated it as a timeout), so the worker " +
              "applied event " + event_name(failed.id) + " again.";
  } else if (hit) {
    out.steps.push_back(log.step(*hit, true, "the " + hit->label() + " delayed the reply past the timeout"));
    out.why = "A retry after a lost reply: " + fault_words(*hit) + " kept the reply from arriving in time, so the " +
              "worker retried and applied event " + event_name(failed.id) + " again.";
  } else {
    out.why = "A retry after a lost reply: no fault was active, so the network dropped or delayed the reply (its " +
              std::string("loss rate or latency) past the timeout, and the worker applied event ") +
              event_name(failed.id) + " again.";
  }
  return out;
}

// The second copy came from a second fetch: the partition was handed out again.
Explanation redelivery_cause(const CausalLog& log, const Copy& first, const Copy& second, Explanation out) {
  const std::uint32_t stage = first.deliver ? first.deliver->place.index : 0;
  const Nanos from = first.fetch ? first.fetch->t : first.effect.t;
  const Nanos to = second.fetch ? second.fetch->t : second.effect.t;
  std::vector<const Mark*> rebalances = marks_between(log, "rebalance", from, to, stage);
  std::vector<const Mark*> restores = marks_between(log, "restore", first.effect.t, second.effect.t);
  const std::string first_node = first.deliver ? log.node_of(first.deliver->place) : std::string();
  const FaultWindow* fault = first_node.empty() ? nullptr : fault_hitting(log, first_node, from - 60'000'000'000, to);
  if (!fault && first.fetch) fault = fault_hitting(log, log.node_of(first.fetch->place), from - 60'000'000'000, to);
  if (fault) out.steps.push_back(log.step(*fault, true, "the " + fault->label() + " stops the worker that had it"));
  if (!restores.empty()) {
    const Mark& r = *restores.back();
    out.steps.push_back(mark_step(log, r, "restored checkpoint " + std::to_string(r.id) + ": the partition rewinds to offset " +
                                              std::to_string(r.offset) + ", before the event's first effect"));
    out.why = "A replay after a restore: checkpoint " + std::to_string(r.id) + " rewound " + log.part_name({Role::queue, r.part}) +
              " to offset " + std::to_string(r.offset) + " (" + human_time(r.t) + "), so event " +
              event_name(first.effect.id) + " was fetched and applied again" +
              (fault ? " after " + fault_words(*fault) : std::string()) + ".";
    return out;
  }
  for (const Mark* m : rebalances) {
    out.steps.push_back(mark_step(log, *m, "the group rebalanced to generation " + std::to_string(m->id) + " (" +
                                               std::to_string(m->offset) + " members)"));
  }
  const std::string generation = rebalances.empty() ? "" : " to generation " + std::to_string(rebalances.back()->id);
  const bool zombie = !rebalances.empty() && first.deliver && second.deliver &&
                      first.deliver->place.worker != second.deliver->place.worker &&
                      std::max(first.effect.t, second.effect.t) > rebalances.back()->t &&
                      marks_between(log, "commit_fenced", from, second.effect.t).empty() &&
                      (first.effect.t > rebalances.back()->t ? first.deliver->t : second.deliver->t) < rebalances.back()->t;
  if (zombie) {
    const Copy& late = first.effect.t > rebalances.back()->t && first.deliver->t < rebalances.back()->t ? first : second;
    out.why = "A zombie writing without fencing: " + log.where(late.deliver->place) + " still held event " +
              event_name(first.effect.id) + " with " + generation_words(log, stage, late.deliver->t) +
              " after the rebalance" + generation + " handed its partition to another worker" +
              (fault ? " (" + fault_words(*fault) + ")" : std::string()) +
              ", and nothing fenced its stale generation, so both applied it.";
  } else {
    out.why = "A redelivery after a " + std::string(rebalances.empty() ? "restart" : "rebalance" + generation) +
              (fault ? " caused by " + fault_words(*fault) : std::string()) + ": event " + event_name(first.effect.id) +
              " had been applied but its offset not committed, so it was fetched and applied again.";
  }
  return out;
}

// The latest fault that cut one of `stage`'s worker nodes off from `queue_node` in [t0, t1].
const FaultWindow* worker_cut(const CausalLog& log, std::uint32_t stage, const std::string& queue_node, Nanos t0, Nanos t1) {
  const FaultWindow* cut = nullptr;
  if (queue_node.empty() || stage >= log.places().worker_nodes.size()) return nullptr;
  for (const std::string& node : log.places().worker_nodes[stage]) {
    const FaultWindow* f = fault_cutting(log, node, queue_node, t0, t1, true);
    if (f && (!cut || f->begin > cut->begin)) cut = f;
  }
  return cut;
}

// Two copies committed together (a transactional sink commits pending
// transactions at a checkpoint): the copies are the last two processings of
// the event. The older one's transaction was written with a generation the
// group had left behind (a zombie's write); with fencing, the restore that
// replayed the event would have aborted it.
Explanation committed_together(const CausalLog& log, const std::vector<CausalRecord>& records, const Copy& first,
                               Explanation out) {
  std::optional<CausalRecord> newer = last_before(records, first.effect.t, {"processed"}), older;
  if (newer) older = last_before(records, newer->t, {"processed"});
  if (!older || !newer) {
    out.why = "Event " + event_name(first.effect.id) + " was committed twice at once in " + log.where(first.effect.place) +
              ": two pending transactions held it; the processings behind them are older than the history kept.";
    return out;
  }
  const std::uint32_t stage = older->place.index;
  const std::string stale = generation_words(log, stage, older->t), current = generation_words(log, stage, newer->t);
  out.steps.push_back(log.step(*older, log.where(older->place) + " processes it with " + stale +
                                           " and pre-commits a transaction"));
  out.steps.push_back(log.step(*newer, log.where(newer->place) + " processes it again with " + current +
                                           " and pre-commits another"));
  std::vector<const Mark*> rebalances = marks_between(log, "rebalance", older->t, newer->t, stage);
  for (const Mark* m : rebalances) {
    out.steps.push_back(mark_step(log, *m, "the group rebalanced to generation " + std::to_string(m->id) + " (" +
                                               std::to_string(m->offset) + " members)"));
  }
  const std::optional<CausalRecord> refetch = last_before(records, newer->t, {"fetch"});
  std::vector<const Mark*> restores;
  if (refetch) restores = marks_between(log, "restore", older->t, refetch->t, refetch->place.index);
  if (!restores.empty()) {
    out.steps.push_back(mark_step(log, *restores.back(), "restored checkpoint " + std::to_string(restores.back()->id) +
                                                             ": the partition rewinds to offset " +
                                                             std::to_string(restores.back()->offset) + " and replays the event"));
  }
  const std::string queue_node = first.fetch ? log.node_of(first.fetch->place) : std::string();
  const FaultWindow* cut = worker_cut(log, stage, queue_node, older->t - 2'000'000'000, newer->t);
  if (cut) out.steps.push_back(log.step(*cut, true, "the " + cut->label() + " cuts a worker off from the broker: the group moves its partitions"));
  const bool fenced = !marks_between(log, "commit_fenced", older->t, first.effect.t).empty();
  const std::string rebalance =
      rebalances.empty() ? std::string("a rebalance") : "the rebalance to generation " + std::to_string(rebalances.back()->id);
  const std::string replay =
      restores.empty() ? std::string(" handed the event out again")
                       : " restored " + log.part_name({Role::queue, restores.back()->part}) + " from checkpoint " +
                             std::to_string(restores.back()->id) + " (offset " + std::to_string(restores.back()->offset) + ")";
  out.why = "A zombie writing without fencing: " + log.where(older->place) + " wrote event " +
            event_name(first.effect.id) + " into a transaction at " + human_time(older->t) + " with " + stale + "; " +
            rebalance + (cut ? " (after " + fault_words(*cut) + ")" : std::string()) + replay + ", and " +
            log.where(newer->place) + " processed it again at " + human_time(newer->t) + " with " + current + "; " +
            (fenced ? "a fenced commit did not stop the stale transaction"
                    : "nothing fenced the stale " + stale + " transaction") +
            (log.places().has_defect("no_fencing") ? " (the no_fencing defect)" : "") + ", so both committed at " +
            human_time(first.effect.t) + ".";
  return out;
}

// How the sink failed to recognise the repeat, when it tries to: a clause
// for the end of the why ("" when the sink does not deduplicate).
std::string dedup_clause(const CausalLog& log, SinkIndex sink) {
  const std::string& dedup = sink < log.places().sink_dedup.size() ? log.places().sink_dedup[sink] : std::string();
  if (dedup.empty()) return "";
  if (const std::string evicted = clock_eviction_clause(log, sink); !evicted.empty()) return evicted;
  if (log.places().has_defect("skip_dedup")) {
    return "; the sink has " + dedup + " but the skip_dedup defect skips the check";
  }
  if (dedup.rfind("a ", 0) == 0) return "; the sink's " + dedup.substr(2) + " had already forgotten it";
  return "; the sink has " + dedup + " and still applied it";
}

// The first copy was read uncommitted (the read_uncommitted_downstream
// defect): fetched from a transactional partition before any transaction
// that wrote it there had committed. Returns the why, or "" when not so.
std::string uncommitted_read(const CausalLog& log, const std::vector<CausalRecord>& records, const Copy& first,
                             const Copy& second) {
  if (!log.places().has_defect("read_uncommitted_downstream") || !first.fetch) return "";
  const std::uint32_t partition = first.fetch->place.index;
  std::optional<CausalRecord> abort;
  bool marked = false;  // any transaction marker of it in that partition: it is transactional
  for (const CausalRecord& r : records) {
    const std::string_view kind = r.kind;
    if (r.place.role != Role::queue || r.place.index != partition || kind.rfind("txn_", 0) != 0) continue;
    marked = true;
    if (kind == "txn_commit" && r.t <= first.fetch->t) return "";  // committed before it was read
    if (kind == "txn_abort" && !abort) abort = r;
  }
  if (!marked) return "";
  const std::string reader = first.deliver ? log.where(first.deliver->place) : std::string("its consumer");
  return "A read of uncommitted data: " + reader + " fetched event " + event_name(first.effect.id) + " from " +
         log.part_name(first.fetch->place) + " at " + human_time(first.fetch->t) +
         " before any transaction that wrote it there had committed (the read_uncommitted_downstream defect reads "
         "read_uncommitted), and applied it at " + human_time(first.effect.t) +
         (abort ? "; that transaction aborted at " + human_time(abort->t) : std::string()) +
         "; the copy the upstream stage wrote again was committed and applied a second time at " +
         human_time(second.effect.t) + ".";
}

}  // namespace

Explanation explain_duplicate(const CausalLog& log, const Event& event, SinkIndex sink, Nanos now) {
  const std::vector<CausalRecord> records = log.of_event(event.id);
  std::vector<CausalRecord> effects;
  for (const CausalRecord& r : of_kind(records, "effect")) {
    if (r.place.role == Role::sink && r.place.index == sink) effects.push_back(r);
  }
  Explanation out;
  out.at = now;
  if (effects.size() < 2) {
    out.why = "Event " + event_name(event.id) + " took effect a second time in " + log.where({Role::sink, sink}) + " at " +
              human_time(now) + "; its first effect is older than the history the checker keeps.";
    if (!effects.empty()) out.steps.push_back(log.step(effects.back(), "the second effect"));
    return out;
  }
  const Copy first = copy_of(records, effects[effects.size() - 2]), second = copy_of(records, effects.back());
  for (const CausalRecord& r : records) {
    if (r.t > now) break;
    const std::string_view kind = r.kind;
    if (kind == "produce") out.steps.push_back(log.step(r, "produced by " + log.where(r.place)));
    if (kind == "fetch") out.steps.push_back(log.step(r, "fetched from " + log.where(r.place)));
    if (kind == "deliver") out.steps.push_back(log.step(r, "handed to " + log.where(r.place)));
  }
  add_txn_steps(log, records, now, out);  // the transactions each copy went through, if any
  out.steps.push_back(log.step(first.effect, "first effect: " + copy_words(log, first)));
  out.steps.push_back(log.step(second.effect, "second effect (the duplicate): " + copy_words(log, second)));
  std::optional<CausalRecord> failed = last_before(records, second.effect.t, {"attempt_failed"});
  const bool refetched = first.fetch && second.fetch && second.fetch->t > first.fetch->t;
  const std::string dirty = uncommitted_read(log, records, first, second);
  const std::string appended_twice = volatile_window_why(log, records, event.id, out);
  if (!appended_twice.empty()) {
    out.why = appended_twice;
  } else if (first.effect.t == second.effect.t) {
    out = committed_together(log, records, first, std::move(out));
  } else if (!dirty.empty()) {
    out.why = dirty;
  } else if (failed && failed->t >= (first.deliver ? first.deliver->t : first.effect.t) && !refetched) {
    out = retry_cause(log, first, *failed, std::move(out));
  } else if (refetched || !marks_between(log, "restore", first.effect.t, second.effect.t).empty()) {
    out = redelivery_cause(log, first, second, std::move(out));
  } else if (!of_kind(records, "replay").empty()) {
    out.why = "A replay by the source: " + log.where(records.front().place) + " replayed event " + event_name(event.id) +
              " from its spill backlog after it had taken effect.";
  } else if (first.deliver && second.deliver && first.deliver->t == second.deliver->t &&
             log.node_of(first.deliver->place) != log.node_of(first.effect.place)) {
    out.why = "A duplicated message: " + log.where(first.deliver->place) + " sent event " + event_name(event.id) +
              " once, with no retry, and the network delivered the request to " + log.where({Role::sink, sink}) +
              " twice (at " + human_time(first.effect.t) + " and " + human_time(second.effect.t) + ").";
  } else {
    out.why = "Event " + event_name(event.id) + " took effect twice in " + log.where({Role::sink, sink}) +
              "; no retry, redelivery or restore of it is in the kept history.";
  }
  const std::string clause = dedup_clause(log, sink);
  if (!clause.empty() && !out.why.empty() && out.why.back() == '.') out.why.insert(out.why.size() - 1, clause);
  order_steps(out.steps);
  return out;
}

}  // namespace sluice
