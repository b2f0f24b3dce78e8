#include "core/pipeline/sink_dedup.h"

namespace sluice {

SinkDedup::SinkDedup(SinkDedupConfig config) : config_(config) {
  if (config_.window > 0) recent_.emplace(config_.window);
}

bool SinkDedup::repeat(EventId id, Nanos local_now) {
  if (config_.idempotent) {
    SequenceSet& applied = applied_[source_of(id)];
    const bool first = applied.insert(sequence_of(id));
    // The idempotent_sink_forgets_gaps defect: memory "bounded" by tolerating
    // one straggler. While one id is missing the sink remembers every id
    // above it exactly; once a second one has also been missing while
    // hundreds above it arrived, it decides the older was shed or lost (two
    // live stragglers at once "cannot" happen) and moves its watermark past
    // it. An id that is only late, held by a paused or cut-off worker while
    // another is held too, is then taken for a repeat and never applied.
    constexpr std::size_t kGapsAssumedLost = 256;
    if (config_.forget_gaps && applied.sparse_size() > kGapsAssumedLost &&
        applied.present_above_second_gap() > kGapsAssumedLost) {
      applied.skip_lowest_gap();
    }
    return !first && !config_.skip;
  }
  if (recent_) return repeat_in_window(id, local_now);
  return false;
}

bool SinkDedup::repeat_in_window(EventId id, Nanos local_now) {
  const Nanos ttl = config_.ttl;
  auto expired = [ttl, local_now](Nanos applied_at) { return ttl != kNever && local_now - applied_at >= ttl; };
  recent_->forget_oldest_while(expired);
  // A skewed clock that went back can leave an expired id behind a younger one.
  const Nanos* applied_at = recent_->find(id);
  if (applied_at != nullptr && !expired(*applied_at) && !config_.skip) return true;
  // The dedup_evicts_by_wall_clock defect: a full window makes room by
  // forgetting the id applied longest ago by the sink's clock, which is the
  // oldest insert only while that clock never goes back. Set back (a skew),
  // the ids applied since carry the smallest times and are forgotten first,
  // so a retry of one of them moments later takes effect again.
  if (config_.evict_by_clock && recent_->size() == config_.window) recent_->forget_smallest_value();
  recent_->insert(id, local_now);
  return false;
}

}  // namespace sluice
