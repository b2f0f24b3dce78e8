#include "sim/check/order_checker.h"

#include "sim/check/delivery_checker.h"

namespace sluice {

OrderChecker::ByKey& OrderChecker::keys_of(SinkIndex sink, SourceIndex source) {
  if (last_by_key_.size() <= sink) last_by_key_.resize(sink + 1);
  const std::size_t slot = total_order_ ? 0 : source;
  if (last_by_key_[sink].size() <= slot) last_by_key_[sink].resize(slot + 1);
  return last_by_key_[sink][slot];
}

void OrderChecker::effect(const Event& event, Nanos now, SinkIndex sink) {
  ++verdict_.checked;
  auto [it, inserted] = keys_of(sink, source_of(event.id)).try_emplace(event.key, Last{event.emitted_at, event.id, now});
  if (inserted) return;
  Last& last = it->second;
  // Within one source the sequence number is production order; across
  // sources (a declared total order) emission time, then the id.
  const bool earlier = !total_order_ || event.emitted_at == last.emitted_at ? event.id < last.id
                                                                            : event.emitted_at < last.emitted_at;
  if (earlier) {
    verdict_.violate(describe_event(event) + " took effect at t=" + std::to_string(now) + "ns after event " +
                     std::to_string(source_of(last.id)) + ":" + std::to_string(sequence_of(last.id)) +
                     " of the same key, produced later (emitted at t=" + std::to_string(last.emitted_at) +
                     "ns, applied at t=" + std::to_string(last.applied_at) + "ns)" +
                     (total_order_ ? "" : " by the same source"));
    return;
  }
  last = Last{event.emitted_at, event.id, now};
}

}  // namespace sluice
