// How a sink recognises an effect it has applied already, by event id.
//
//   idempotent  an upsert by id: every repeat is suppressed, exactly. It
//               remembers every id it applied, per source as a watermark
//               plus the few ids above it (a SequenceSet), so memory grows
//               with the gaps (events that never reached the sink), not
//               with the run.
//   window      remembers the last `window` ids applied, each for at most
//               `ttl` of the sink node's local clock (so clock skew moves
//               expiry). A repeat inside the window is suppressed; one that
//               arrives after its id left the window (too many newer
//               effects, or too late) takes effect again.
//
// Both are the sink's store, not its memory: they survive the sink node's
// crashes, as the effects do.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "core/model/event.h"
#include "core/model/recent_ids.h"
#include "core/pipeline/sequence_set.h"

namespace sluice {

struct SinkDedupConfig {
  bool idempotent = false;
  std::uint64_t window = 0;  // ids remembered; 0: no window
  Nanos ttl = kNever;        // with a window: how long each id is remembered
  bool skip = false;         // the skip_dedup defect: never recognise a repeat
};

class SinkDedup {
 public:
  explicit SinkDedup(SinkDedupConfig config);
  // True when `id` repeats an effect to suppress; otherwise remembers it as
  // applied. `local_now` is the sink node's clock.
  bool repeat(EventId id, Nanos local_now);

 private:
  bool repeat_in_window(EventId id, Nanos local_now);

  SinkDedupConfig config_;
  std::map<SourceIndex, SequenceSet> applied_;  // idempotent
  std::optional<RecentIds<Nanos>> recent_;      // window: when each id was applied
};

}  // namespace sluice
