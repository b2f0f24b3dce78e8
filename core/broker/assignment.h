// Partition assignment for a consumer group: which member consumes which
// partition. Pure functions of the member list (sorted by id, so every
// strategy is deterministic) and, for sticky, of the previous assignment.
#pragma once

#include <cstdint>
#include <vector>

#include "core/broker/protocol.h"
#include "core/broker/topic_config.h"

namespace sluice {

// owner[p] is the member consuming partition p (0: none, when there are no members).
using Owners = std::vector<MemberId>;

// range: members in id order take contiguous runs of partitions, the first
//   (partitions % members) one extra (Kafka's RangeAssignor).
// round_robin: partition p goes to member p % members.
// sticky: every partition whose previous owner is still a member and not
//   over its fair share stays put; the rest go to the least-loaded members,
//   so a rebalance moves as few partitions as balance allows.
// REQUIRES: members sorted ascending, without duplicates; previous.size() ==
// partitions when given (sticky only).
Owners assign_partitions(AssignmentStrategy strategy, std::uint32_t partitions, const std::vector<MemberId>& members,
                         const Owners& previous);

}  // namespace sluice
