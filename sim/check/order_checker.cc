#include "sim/check/order_checker.h"

#include "sim/check/delivery_checker.h"

namespace sluice {

void OrderChecker::effect(const Event& event, Nanos now, SinkIndex sink) {
  ++verdict_.checked;
  if (last_by_key_.size() <= sink) last_by_key_.resize(sink + 1);
  auto [it, inserted] = last_by_key_[sink].try_emplace(event.key, Last{event.emitted_at, event.id, now});
  if (inserted) return;
  Last& last = it->second;
  bool earlier = event.emitted_at != last.emitted_at ? event.emitted_at < last.emitted_at : event.id < last.id;
  if (earlier) {
    verdict_.violate(describe_event(event) + " took effect at t=" + std::to_string(now) + "ns after event " +
                     std::to_string(source_of(last.id)) + ":" + std::to_string(sequence_of(last.id)) +
                     " of the same key, produced later (emitted at t=" + std::to_string(last.emitted_at) +
                     "ns, applied at t=" + std::to_string(last.applied_at) + "ns)");
    return;
  }
  last = Last{event.emitted_at, event.id, now};
}

}  // namespace sluice
