#include "core/pipeline/sink_dedup.h"

namespace sluice {

SinkDedup::SinkDedup(SinkDedupConfig config) : config_(config) {
  if (config_.window > 0) recent_.emplace(config_.window);
}

bool SinkDedup::repeat(EventId id, Nanos local_now) {
  if (config_.idempotent) {
    const bool first = applied_[source_of(id)].insert(sequence_of(id));
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
  recent_->insert(id, local_now);
  return false;
}

}  // namespace sluice
