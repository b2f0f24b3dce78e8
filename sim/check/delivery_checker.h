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

#include "core/model/event.h"
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
  // Inline (every effect); only a duplicate builds a message, out of line.
  bool effect(const Event& event, Nanos now, const std::string& where, SinkIndex sink = 0) {
    ++duplicates_.checked;
    sources_[source_of(event.id)].resolved.insert(sequence_of(event.id));
    if (at(effects_, sink, source_of(event.id)).insert(sequence_of(event.id))) return true;
    duplicate(event, now, where);
    return false;
  }
  // A configured policy dropped the event (a shed, a source giving up) or a
  // stage parked it in a dead-letter sink. That excuses it only at the sinks
  // downstream of where it happened (`downstream`; empty: everywhere, as for a
  // source that gave up on it): on a fan-out, the other branches still owe an
  // effect.
  void shed(const Event& event, const std::vector<SinkIndex>& downstream = {});
  // A stage gave up on it with no dead-letter sink and no "on_give_up":
  // "drop": nothing will ever resolve it, so it is lost even when the run is
  // cut short.
  void given_up(const Event& event, const std::string& stage) {
    sources_[source_of(event.id)].vanished.insert(sequence_of(event.id));
    if (given_up_.empty()) given_up_ = stage;
    sources_[source_of(event.id)].given_up.insert(sequence_of(event.id));
  }
  // Whether the event already took effect or was shed.
  bool resolved(const Event& event) const {
    return sources_[source_of(event.id)].resolved.contains(sequence_of(event.id));
  }
  // Whether nothing more is owed for it: resolved at every sink its source
  // fans out to (an effect there, or a shed or dead letter on the way), or
  // shed before any branch. One comparison for a source without fan-out.
  bool settled(const Event& event) const {
    const std::size_t source = source_of(event.id);
    if (source >= expected_sinks_.size() || expected_sinks_[source].size() <= 1) return true;
    return settled_on_every_branch(source, sequence_of(event.id));
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
    SequenceSet shed;  // dropped by a configured policy before any branch: excused everywhere
    SequenceSet vanished;
    SequenceSet given_up;  // subset of vanished: a stage gave up on it
  };
  std::string given_up_;  // the first stage that gave up on an event without a dead-letter sink
  // Acknowledged events resolved somewhere (an effect, or a shed on another
  // branch) but missing at a sink their source fans out to, with no shed or
  // dead letter upstream of that sink to excuse them.
  void missing_branches(std::size_t source, const std::vector<std::string>& source_names, bool drained, Verdict& verdict);
  bool settled_on_every_branch(std::size_t source, std::uint64_t seq) const;
  // The set of `table` for (sink, source), or null before its first use.
  static const SequenceSet* find(const std::vector<std::vector<SequenceSet>>& table, SinkIndex sink, std::size_t source) {
    return sink < table.size() && source < table[sink].size() ? &table[sink][source] : nullptr;
  }
  std::vector<std::vector<SinkIndex>> expected_sinks_;
  std::vector<std::string> sink_names_;
  std::vector<PerSource> sources_;
  // [sink][source], grown on first use.
  SequenceSet& at(std::vector<std::vector<SequenceSet>>& table, SinkIndex sink, std::size_t source) {
    if (table.size() <= sink) [[unlikely]] table.resize(sink + 1);
    if (table[sink].size() <= source) [[unlikely]] table[sink].resize(sources_.size());
    return table[sink][source];
  }
  [[gnu::cold]] void duplicate(const Event& event, Nanos now, const std::string& where);
  std::vector<std::vector<SequenceSet>> effects_;  // events applied there
  std::vector<std::vector<SequenceSet>> excused_;  // events shed or parked upstream of that sink only
  Verdict duplicates_;
  std::uint64_t lost_ = 0;
  std::vector<EventId> lost_ids_;
  std::uint64_t in_flight_at_end_ = 0;
};

std::string describe_event(const Event& event);

}  // namespace sluice
