#include "sim/check/delivery_checker.h"

#include <set>

namespace sluice {

std::string describe_event(const Event& event) {
  return "event " + std::to_string(source_of(event.id)) + ":" + std::to_string(sequence_of(event.id)) +
         " (key " + std::to_string(event.key) + ", emitted at t=" + std::to_string(event.emitted_at) + "ns)";
}

bool DeliveryChecker::effect(const Event& event, Nanos now, const std::string& where, SinkIndex sink) {
  ++duplicates_.checked;
  sources_[source_of(event.id)].resolved.insert(sequence_of(event.id));
  if (effects_.size() <= sink) effects_.resize(sink + 1);
  std::vector<SequenceSet>& at_sink = effects_[sink];
  if (at_sink.size() <= source_of(event.id)) at_sink.resize(sources_.size());
  if (at_sink[source_of(event.id)].insert(sequence_of(event.id))) return true;
  duplicates_.violate(describe_event(event) + " took effect twice: again at t=" + std::to_string(now) +
                      "ns in sink '" + where + "'");
  return false;
}

void DeliveryChecker::missing_branches(std::size_t source, const std::vector<std::string>& source_names, bool drained,
                                       Verdict& verdict) {
  constexpr std::size_t kMostListed = 1'000'000;
  const PerSource& s = sources_[source];
  std::set<std::uint64_t> counted;
  for (SinkIndex sink : expected_sinks_[source]) {
    static const SequenceSet kNone;
    const SequenceSet& applied = sink < effects_.size() && source < effects_[sink].size() ? effects_[sink][source] : kNone;
    for (std::uint64_t seq : applied.missing_below(s.produced, kMostListed)) {
      // Never acknowledged, shed, or missing everywhere (reported above).
      if (!s.acked.contains(seq) || s.shed.contains(seq) || !s.resolved.contains(seq)) continue;
      if (!drained && !s.vanished.contains(seq)) continue;
      if (!counted.insert(seq).second) continue;
      ++lost_;
      if (lost_ids_.size() < kLostIdsKept) lost_ids_.push_back(make_event_id(static_cast<SourceIndex>(source), seq));
      verdict.violate("event " + std::to_string(source) + ":" + std::to_string(seq) + " from source '" +
                      source_names[source] + "' took effect on one branch of a fan-out but never in sink '" +
                      (sink < sink_names_.size() ? sink_names_[sink] : std::to_string(sink)) + "'");
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
                      (s.vanished.contains(seq) ? " (a crash took it)" : ""));
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
