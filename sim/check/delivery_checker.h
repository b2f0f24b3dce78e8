// no_loss and no_duplicate_effects, followed online per source with
// SequenceSets: memory grows with the events in flight, not the run length.
//
// Every produced event is resolved at most once: by its first effect, or by a
// shed (a configured policy dropped it, counted). An acknowledged event still
// unresolved when the run ends is lost; a second effect is a duplicate.
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

  void produced(const Event& event) {
    PerSource& s = sources_[source_of(event.id)];
    s.produced = std::max(s.produced, sequence_of(event.id) + 1);
  }
  void acked(const Event& event) { sources_[source_of(event.id)].acked.insert(sequence_of(event.id)); }
  // Returns false when the event had already taken effect (a duplicate).
  bool effect(const Event& event, Nanos now, const std::string& where);
  void shed(const Event& event) { sources_[source_of(event.id)].resolved.insert(sequence_of(event.id)); }
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

 private:
  struct PerSource {
    std::uint64_t produced = 0;
    SequenceSet acked;
    SequenceSet resolved;
    SequenceSet vanished;
  };
  std::vector<PerSource> sources_;
  Verdict duplicates_;
  std::uint64_t lost_ = 0;
  std::uint64_t in_flight_at_end_ = 0;
};

std::string describe_event(const Event& event);

}  // namespace sluice
