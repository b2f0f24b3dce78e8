#include "sim/check/delivery_checker.h"

#include <algorithm>
#include <set>

namespace sluice {

std::string describe_event(const Event& event) {
  return "event " + std::to_string(source_of(event.id)) + ":" + std::to_string(sequence_of(event.id)) +
         " (key " + std::to_string(event.key) + ", emitted at t=" + std::to_string(event.emitted_at) + "ns)";
}

void DeliveryChecker::shed(const Event& event, const std::vector<SinkIndex>& downstream) {
  const std::size_t source = source_of(event.id);
  PerSource& s = sources_[source];
  s.resolved.insert(sequence_of(event.id));
  static const std::vector<SinkIndex> kAnyOne;
  const std::vector<SinkIndex>& owed = source < expected_sinks_.size() ? expected_sinks_[source] : kAnyOne;
  const bool everywhere = downstream.empty() || owed.size() <= 1 ||
                          std::all_of(owed.begin(), owed.end(), [&](SinkIndex sink) {
                            return std::find(downstream.begin(), downstream.end(), sink) != downstream.end();
                          });
  if (everywhere) {
    s.shed.insert(sequence_of(event.id));
    return;
  }
  for (SinkIndex sink : downstream) at(excused_, sink, source).insert(sequence_of(event.id));
}

bool DeliveryChecker::settled_on_every_branch(std::size_t source, std::uint64_t seq) const {
  if (sources_[source].shed.contains(seq)) return true;
  return std::all_of(expected_sinks_[source].begin(), expected_sinks_[source].end(), [&](SinkIndex sink) {
    const SequenceSet* applied = find(effects_, sink, source);
    const SequenceSet* excused = find(excused_, sink, source);
    return (applied && applied->contains(seq)) || (excused && excused->contains(seq));
  });
}

void DeliveryChecker::duplicate(const Event& event, Nanos now, const std::string& where) {
  duplicates_.violate(describe_event(event) + " took effect twice: again at t=" + std::to_string(now) +
                      "ns in sink '" + where + "'");
}

void DeliveryChecker::missing_branches(std::size_t source, const std::vector<std::string>& source_names, bool drained,
                                       Verdict& verdict) {
  constexpr std::size_t kMostListed = 1'000'000;
  const PerSource& s = sources_[source];
  std::set<std::uint64_t> counted;
  for (SinkIndex sink : expected_sinks_[source]) {
    const SequenceSet& applied = at(effects_, sink, source);
    const SequenceSet& excused = at(excused_, sink, source);
    for (std::uint64_t seq : applied.missing_below(s.produced, kMostListed)) {
      // Never acknowledged, shed before any branch, or missing everywhere (reported above).
      if (!s.acked.contains(seq) || s.shed.contains(seq) || !s.resolved.contains(seq)) continue;
      if (excused.contains(seq)) continue;  // shed or parked on the way to this sink
      if (!drained && !s.vanished.contains(seq)) continue;
      if (!counted.insert(seq).second) continue;
      ++lost_;
      if (lost_ids_.size() < kLostIdsKept) lost_ids_.push_back(make_event_id(static_cast<SourceIndex>(source), seq));
      verdict.violate("event " + std::to_string(source) + ":" + std::to_string(seq) + " from source '" +
                      source_names[source] + "' was acknowledged and resolved on another branch of a fan-out " +
                      "but never took effect in sink '" +
                      (sink < sink_names_.size() ? sink_names_[sink] : std::to_string(sink)) +
                      "', and no policy on its way there dropped it");
    }
  }
}

std::uint64_t DeliveryChecker::unresolved() const {
  std::uint64_t total = 0;
  for (const PerSource& s : sources_) {
    std::uint64_t resolved = s.resolved.watermark() + s.resolved.sparse_size();
    total += s.produced - std::min(s.produced, resolved);
  }
  return total;
}

Verdict DeliveryChecker::no_loss(const std::vector<std::string>& source_names, bool drained) {
  Verdict verdict;
  constexpr std::size_t kMostListed = 1'000'000;
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    const PerSource& s = sources_[i];
    verdict.checked += s.acked.watermark() + s.acked.sparse_size();
    for (std::uint64_t seq : s.resolved.missing_below(s.produced, kMostListed)) {
      if (!s.acked.contains(seq)) continue;  // never acknowledged: the producer knows it failed
      if (!drained && !s.vanished.contains(seq)) {
        ++in_flight_at_end_;
        continue;
      }
      ++lost_;
      if (lost_ids_.size() < kLostIdsKept) lost_ids_.push_back(make_event_id(static_cast<SourceIndex>(i), seq));
      verdict.violate("event " + std::to_string(i) + ":" + std::to_string(seq) + " from source '" +
                      source_names[i] + "' was acknowledged but never took effect nor was shed" +
                      (s.given_up.contains(seq) ? " (stage '" + given_up_ +
                                                      "' gave up on it with no dead-letter sink and no \"on_give_up\": \"drop\")"
                       : s.vanished.contains(seq) ? " (a crash took it)" : ""));
    }
  }
  for (std::size_t i = 0; i < sources_.size() && i < expected_sinks_.size(); ++i) {
    if (expected_sinks_[i].size() > 1) missing_branches(i, source_names, drained, verdict);
  }
  if (in_flight_at_end_ > 0) {
    verdict.note = std::to_string(in_flight_at_end_) + " acknowledged event(s) still in flight when the run ended";
  }
  return verdict;
}

}  // namespace sluice
