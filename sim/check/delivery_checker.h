// no_loss and no_duplicate_effects, followed online per source with
// SequenceSets: memory grows with the events in flight, not the run length.
//
// An event is resolved by its first effect or by a shed (a configured policy
// dropped it, counted). An acknowledged event still unresolved when the run
// ends is lost; a second effect at the same sink is a duplicate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/pipeline/event.h"
#include "core/pipeline/sequence_set.h"
#include "sim/check/verdict.h"

namespace sluice {

class DeliveryChecker {
 public:
  explicit DeliveryChecker(std::size_t source_count) : sources_(source_count) {}
  // The sinks each source's events must all reach (a stage that fans out
  // sends every event to several); empty for a source: any one sink will do.
  void expect_sinks(std::vector<std::vector<SinkIndex>> per_source, std::vector<std::string> sink_names) {
    expected_sinks_ = std::move(per_source);
    sink_names_ = std::move(sink_names);
  }

  void produced(const Event& event) {
    PerSource& s = sources_[source_of(event.id)];
    s.produced = std::max(s.produced, sequence_of(event.id) + 1);
  }
  void acked(const Event& event) { sources_[source_of(event.id)].acked.insert(sequence_of(event.id)); }
  // Returns false when the event had already taken effect at this sink (a
  // duplicate). An event a stage fans out takes effect once at each sink.
  bool effect(const Event& event, Nanos now, const std::string& where, SinkIndex sink = 0);
  void shed(const Event& event) {
    sources_[source_of(event.id)].resolved.insert(sequence_of(event.id));
    sources_[source_of(event.id)].shed.insert(sequence_of(event.id));
  }
  // The history saw the event vanish (a crash took the memory holding it).
  void vanished(const Event& event) { sources_[source_of(event.id)].vanished.insert(sequence_of(event.id)); }

  // Events produced but neither resolved nor still able to be (the in-flight
  // count the runner uses to decide the pipeline has drained).
  std::uint64_t unresolved() const;
  std::uint64_t duplicates() const { return duplicates_.violations; }

  // Called once at the end of the run: finds the acknowledged events never
  // resolved. When the pipeline drained, every one of them is lost; when the
  // run was cut short (run.until) with work still queued, only those the
  // history saw vanish are, and the rest are counted as in flight at the end.
  Verdict no_loss(const std::vector<std::string>& source_names, bool drained);
  std::uint64_t in_flight_at_end() const { return in_flight_at_end_; }
  const Verdict& no_duplicate_effects() const { return duplicates_; }
  std::uint64_t lost() const { return lost_; }
  // The first events no_loss reported, in its order (at most kLostIdsKept): what its explanations follow.
  static constexpr std::size_t kLostIdsKept = 64;
  const std::vector<EventId>& lost_ids() const { return lost_ids_; }

 private:
  struct PerSource {
    std::uint64_t produced = 0;
    SequenceSet acked;
    SequenceSet resolved;
    SequenceSet shed;  // dropped by a configured policy: excused everywhere
    SequenceSet vanished;
  };
  // Acknowledged events that took effect somewhere but not at every sink
  // their source fans out to, and were not shed.
  void missing_branches(std::size_t source, const std::vector<std::string>& source_names, bool drained, Verdict& verdict);
  std::vector<std::vector<SinkIndex>> expected_sinks_;
  std::vector<std::string> sink_names_;
  std::vector<PerSource> sources_;
  std::vector<std::vector<SequenceSet>> effects_;  // [sink][source]: events applied there
  Verdict duplicates_;
  std::uint64_t lost_ = 0;
  std::vector<EventId> lost_ids_;
  std::uint64_t in_flight_at_end_ = 0;
};

std::string describe_event(const Event& event);

}  // namespace sluice
