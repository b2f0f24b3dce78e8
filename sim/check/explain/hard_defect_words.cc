#include "sim/check/explain/hard_defect_words.h"

#include "sim/check/explain/explain_support.h"

namespace sluice {
namespace {

constexpr Nanos kMinute = 60'000'000'000;

bool on_topic_log(const CausalLog& log, const CausalRecord& r) {
  return r.place.role == Role::queue && r.place.index < log.places().queue_is_log.size() &&
         log.places().queue_is_log[r.place.index];
}

}  // namespace

std::string clock_eviction_clause(const CausalLog& log, SinkIndex sink) {
  if (!log.places().has_defect("dedup_evicts_by_wall_clock")) return "";
  const std::string node = log.node_of({Role::sink, sink});
  const FaultWindow* skew = latest_fault(log, [&](const FaultWindow& f) { return f.kind == "clock_skew" && f.hits(node); });
  return "; the sink's deduplication window had already forgotten it: the dedup_evicts_by_wall_clock defect makes room "
         "by forgetting the id applied longest ago by node " + node + "'s clock" +
         (skew ? ", and the " + fault_words(*skew) + " set that clock back, so the ids applied since, the freshest, "
                 "went first"
               : std::string(", not the oldest insert"));
}

std::string volatile_window_why(const CausalLog& log, const std::vector<CausalRecord>& records, EventId event,
                                Explanation& out) {
  if (!log.places().has_defect("idempotence_window_volatile")) return "";
  // Two copies in one partition: fetched from it twice with no rebalance or
  // restore between (a single copy is handed out again only by one of
  // those). The appends themselves are usually older than the kept history.
  std::vector<const CausalRecord*> fetches;
  for (const CausalRecord& r : records) {
    if (std::string_view(r.kind) == "fetch" && on_topic_log(log, r)) fetches.push_back(&r);
  }
  const CausalRecord* first = nullptr;
  const CausalRecord* again = nullptr;
  for (std::size_t i = 0; i + 1 < fetches.size() && !again; ++i) {
    for (std::size_t j = i + 1; j < fetches.size() && !again; ++j) {
      if (fetches[j]->place.index != fetches[i]->place.index) continue;
      if (!marks_between(log, "rebalance", fetches[i]->t, fetches[j]->t).empty() ||
          !marks_between(log, "restore", fetches[i]->t, fetches[j]->t).empty()) {
        continue;
      }
      first = fetches[i];
      again = fetches[j];
    }
  }
  if (!again) return "";
  // The appends are usually older than the kept history: every restart of
  // the broker before the first fetch is a candidate.
  const std::string broker = log.node_of(first->place);
  std::string crashes;
  for (const FaultWindow& f : log.faults()) {
    if (!f.is_crash() || !f.hits(broker) || f.begin > first->t) continue;
    crashes += (crashes.empty() ? "" : ", ") + fault_words(f);
    out.steps.push_back(log.step(f, true, "the " + f.label() + " begins: a produce appended just before it loses its "
                                                                "ack, and the producer retries it"));
  }
  if (crashes.empty()) return "";
  out.steps.push_back(log.step(*again, "fetched again from " + log.where(again->place) +
                                           " with no rebalance or restore since the first fetch: a second copy"));
  return "A produce retried across a broker restart: " + log.where(first->place) + " held event " +
         event_name(event) + " twice (fetched at " + human_time(first->t) + " and again at " + human_time(again->t) +
         " with no rebalance or restore between): the producer retried it after a broker restart (" + crashes +
         ") swallowed the ack of its append, and the restarted broker had started its idempotence window empty "
         "instead of rebuilding it from its log (the idempotence_window_volatile defect), so the retry was appended "
         "again and both copies were applied.";
}

std::string forgotten_gap_words(const CausalLog& log, const CausalRecord& last) {
  if (!log.places().has_defect("idempotent_sink_forgets_gaps")) return "";
  const std::string node = log.node_of(last.place);
  const FaultWindow* late = latest_fault(
      log, [&](const FaultWindow& f) { return f.hits(node) && f.begin <= last.t && f.end >= last.t - kMinute; });
  return "its write reached the sink late" + (late ? " (" + fault_words(*late) + " held it back)" : std::string()) +
         ", after more than 256 later ids of its source, while a second id was missing too: the idempotent sink had "
         "taken the lowest missing id for one that would never come and moved its watermark past it (the "
         "idempotent_sink_forgets_gaps defect), so it suppressed the write as a repeat";
}

std::string unredriven_commit_words(const CausalLog& log, const CausalRecord& last) {
  if (!log.places().has_defect("checkpoint_commit_not_redriven")) return "";
  const std::string node = log.node_of(last.place);
  const FaultWindow* crash =
      latest_fault(log, [&](const FaultWindow& f) { return f.is_crash() && f.hits(node) && f.begin <= last.t + kMinute; });
  return "its effect was in a transaction of a checkpoint the coordinator completed just before " +
         (crash ? fault_words(*crash) : std::string("its crash")) +
         "; the restarted coordinator did not commit that checkpoint again for its writer, which had not rejoined "
         "(the checkpoint_commit_not_redriven defect), the restore that followed aborted the transaction, and the "
         "checkpoint's offsets, past the event, stood";
}

}  // namespace sluice
