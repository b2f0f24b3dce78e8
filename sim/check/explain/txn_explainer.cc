// Transaction markers in explanations: which transaction (writer, number,
// epoch) committed or aborted a copy of the event, and in which partition.
#include "sim/check/explain/explain_support.h"
#include "sim/check/explain/explainers.h"

namespace sluice {
namespace {

bool is_marker(const CausalRecord& r) {
  const std::string_view kind = r.kind;
  return kind == "txn_commit" || kind == "txn_abort" || kind == "txn_abort_unmarked";
}

std::string transaction_words(const CausalRecord& r) {
  return "transaction " + std::to_string(r.detail & 0xffffffffULL) + " of worker " + std::to_string(r.place.worker) +
         " (epoch " + std::to_string(r.detail >> 32) + ")";
}

std::string marker_words(const CausalLog& log, const CausalRecord& r) {
  const std::string_view kind = r.kind;
  const std::string where = log.part_name(Place{Role::queue, r.place.index, 0});
  if (kind == "txn_commit") return "commit marker of " + transaction_words(r) + " in " + where + ": the copy is visible read_committed";
  if (kind == "txn_abort") return "abort marker of " + transaction_words(r) + " in " + where + ": the copy is never delivered read_committed";
  return transaction_words(r) + " aborted in " + where + " but its abort marker was never written (the abort_markers_lost defect): the aborted copy reads as committed";
}

}  // namespace

void add_txn_steps(const CausalLog& log, const std::vector<CausalRecord>& records, Nanos until, Explanation& out) {
  for (const CausalRecord& r : records) {
    if (r.t <= until && is_marker(r)) out.steps.push_back(log.step(r, marker_words(log, r)));
  }
}

Explanation explain_topic_duplicate(const CausalLog& log, const Event& event, QueueIndex queue, Nanos now) {
  const std::vector<CausalRecord> records = log.of_event(event.id);
  Explanation out;
  out.at = now;
  std::vector<CausalRecord> visible;
  for (const CausalRecord& r : records) {
    const std::string_view kind = r.kind;
    if (r.t > now) break;
    if (kind == "produce") out.steps.push_back(log.step(r, "produced by " + log.where(r.place)));
    if (kind == "deliver") out.steps.push_back(log.step(r, "handed to " + log.where(r.place)));
    if (is_marker(r)) {
      out.steps.push_back(log.step(r, marker_words(log, r)));
      if (kind != "txn_abort") visible.push_back(r);
    }
  }
  const std::string topic = log.part_name(Place{Role::queue, queue, 0});
  if (visible.size() < 2) {
    out.why = "Event " + event_name(event.id) + " was committed a second time in " + topic + " at " + human_time(now) +
              "; the first copy's marker is older than the history the checker keeps.";
    return out;
  }
  const CausalRecord& first = visible[visible.size() - 2];
  const CausalRecord& second = visible.back();
  const bool same_writer = first.place.worker == second.place.worker;
  const PartPlaces& places = log.places();
  std::string cause;
  if (std::string_view(first.kind) == "txn_abort_unmarked" || std::string_view(second.kind) == "txn_abort_unmarked") {
    cause = "an aborted transaction's records became visible because its abort markers were lost" +
            std::string(places.has_defect("abort_markers_lost") ? " (the abort_markers_lost defect)" : "");
  } else if (places.has_defect("no_producer_fencing") && (!same_writer || (first.detail >> 32) != (second.detail >> 32))) {
    cause = "when the input was handed to a new writer, the transaction coordinator did not bump the writer's epoch "
            "(the no_producer_fencing defect), so the older writer's open transaction was not aborted and committed "
            "beside the new one's";
  } else if (places.has_defect("offsets_outside_transaction")) {
    cause = "the input offsets were committed apart from the transaction (the offsets_outside_transaction defect): "
            "a writer that restarted after its output had committed, and before the member committed the input "
            "offsets, re-read the input and committed it again";
  } else if ((first.detail >> 32) != (second.detail >> 32) && same_writer) {
    cause = "the same writer committed it under two epochs: the older epoch was not fenced (a zombie)";
  } else if (!same_writer) {
    cause = "two writers processed the same input record and both transactions committed: the input offsets were not "
            "committed with the first transaction, or a zombie was not fenced";
  } else {
    cause = "the input was replayed after its output had committed: its offsets were not part of the transaction";
  }
  out.why = "Exactly-once broke inside the pipeline: event " + event_name(event.id) + " was committed twice in " + topic +
            ", first by " + transaction_words(first) + " at " + human_time(first.t) + ", then by " +
            transaction_words(second) + " at " + human_time(second.t) + "; " + cause + ".";
  return out;
}

}  // namespace sluice
