#include "sim/check/delivery_checker.h"

namespace sluice {

std::string describe_event(const Event& event) {
  return "event " + std::to_string(source_of(event.id)) + ":" + std::to_string(sequence_of(event.id)) +
         " (key " + std::to_string(event.key) + ", emitted at t=" + std::to_string(event.emitted_at) + "ns)";
}

bool DeliveryChecker::effect(const Event& event, Nanos now, const std::string& where) {
  ++duplicates_.checked;
  if (sources_[source_of(event.id)].resolved.insert(sequence_of(event.id))) return true;
  duplicates_.violate(describe_event(event) + " took effect twice: again at t=" + std::to_string(now) +
                      "ns in sink '" + where + "'");
  return false;
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
      verdict.violate("event " + std::to_string(i) + ":" + std::to_string(seq) + " from source '" +
                      source_names[i] + "' was acknowledged but never took effect nor was shed" +
                      (s.vanished.contains(seq) ? " (a crash took it)" : ""));
    }
  }
  if (in_flight_at_end_ > 0) {
    verdict.note = std::to_string(in_flight_at_end_) + " acknowledged event(s) still in flight when the run ended";
  }
  return verdict;
}

}  // namespace sluice
