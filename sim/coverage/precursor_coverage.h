// The precursor situations of coverage (sim/coverage/coverage_kinds.cc): a
// run that comes *near* a rare failure reaches them on the way, so the guided
// explorer has something to climb long before the failure shows. Each marks a
// state of the pipeline a healthy run reaches too, never a defect:
//
//   window_evict  a full dedup window evicted an id while its node's clock
//                 stood behind the stamps it holds (a clock set back), by a band
//   stragglers    a sink applied later ids of a source while one, two, or three
//                 or more earlier ids were still missing, for that many later ids
//   crash_unacked a node crashed while produces had timed out, not yet acked:
//                 an idempotent producer's retries are about to straddle a crash
//   restart_away  a crashed node restarted while a worker or sink node was
//                 paused or cut off from it: whatever the restart re-drives
//                 misses that node
//
// Like CoverageTracker it draws nothing and feeds nothing back into the run.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/model/event.h"
#include "core/pipeline/sequence_set.h"
#include "sim/coverage/coverage_tracker.h"
#include "sim/world/fault_spec.h"

namespace sluice {

class PrecursorCoverage {
 public:
  explicit PrecursorCoverage(CoverageTracker& tracker) : tracker_(tracker) {}

  struct SinkInfo {
    std::string name;
    std::string node;
    std::uint64_t window = 0;  // a dedup window's ids; 0: none
    bool dead_letter = false;  // parks what stages gave up on, in no order: not followed
  };
  // Sinks in SinkIndex order.
  void set_sinks(std::vector<SinkInfo> sinks);

  void effect(SinkIndex sink, EventId id);
  void produce_timed_out(EventId id) { timed_out_.insert(id); }
  void produce_settled(EventId id) { timed_out_.erase(id); }
  void fault_began(const FaultSpec& fault);
  void fault_healed(const FaultSpec& fault);

 private:
  struct SinkState {
    std::uint64_t effects = 0;
    std::uint64_t epoch_start = 0;  // effects when the current epoch of `window` effects began
    Nanos epoch_high = 0;           // the highest clock offset of the sink's node seen at an effect this epoch
    Nanos previous_high = 0;        // ... in the epoch before (the window holds stamps of both)
  };
  struct Arrivals {
    SequenceSet seen;
    std::uint64_t highest = 0;  // the highest sequence number seen
    bool saturated = false;  // too many ids out of order to follow: stop (a sink downstream of sheds)
  };
  void window_effect(std::size_t sink);
  void stragglers(std::size_t sink, Arrivals& arrivals);
  Nanos offset(const std::string& node) const;
  bool away_from(const std::string& node, const std::string& other, std::string* how) const;

  CoverageTracker& tracker_;
  std::vector<SinkInfo> sinks_;
  std::vector<SinkState> sink_state_;
  std::map<std::pair<SinkIndex, SourceIndex>, Arrivals> arrivals_;
  std::set<EventId> timed_out_;               // produces answered by a timeout, not yet acked or dropped
  std::map<std::string, Nanos> offsets_;      // node -> clock offset (the sum of its skews, as the injector keeps it)
  std::map<std::string, int> paused_;         // node -> pauses in force
  std::vector<FaultSpec> cuts_;               // partitions in force, copied: a record's spec lives only for the call
};

}  // namespace sluice
