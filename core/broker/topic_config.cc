#include "core/broker/topic_config.h"

namespace sluice {

const char* discard_policy_name(DiscardPolicy policy) {
  return policy == DiscardPolicy::reject_new ? "new" : "old";
}

const char* ack_policy_name(AckPolicy policy) { return policy == AckPolicy::append ? "append" : "fsync"; }

const char* fsync_policy_name(FsyncPolicy policy) {
  switch (policy) {
    case FsyncPolicy::every_write: return "every_write";
    case FsyncPolicy::interval: return "interval";
    case FsyncPolicy::never: return "never";
  }
  return "?";
}

const char* delivery_mode_name(DeliveryMode mode) {
  switch (mode) {
    case DeliveryMode::at_most_once: return "at_most_once";
    case DeliveryMode::at_least_once: return "at_least_once";
    case DeliveryMode::exactly_once: return "exactly_once";
  }
  return "?";
}

const char* assignment_strategy_name(AssignmentStrategy strategy) {
  switch (strategy) {
    case AssignmentStrategy::range: return "range";
    case AssignmentStrategy::round_robin: return "round_robin";
    case AssignmentStrategy::sticky: return "sticky";
  }
  return "?";
}

}  // namespace sluice
