#include "sim/check/bounded_queues_checker.h"

#include "sim/check/delivery_checker.h"

namespace sluice {

BoundedQueuesChecker::BoundedQueuesChecker(bool has_queues) { verdict_.applicable = has_queues; }

void BoundedQueuesChecker::over_capacity(const std::string& queue, std::uint64_t capacity, std::size_t depth,
                                         Nanos now, const Event& event) {
  verdict_.violate("queue '" + queue + "' held " + std::to_string(depth) + " events, over its capacity of " +
                   std::to_string(capacity) + ", at t=" + std::to_string(now) + "ns when " + describe_event(event) +
                   " arrived");
}

}  // namespace sluice
