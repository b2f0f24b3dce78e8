// Queries the explainers share: the faults and marks near a moment, and the
// words for them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/check/explain/causal_log.h"

namespace sluice {

// The latest fault of the run (the one nearest the moment explained) for
// which `matches(fault)` holds, or null.
template <typename Predicate>
const FaultWindow* latest_fault(const CausalLog& log, Predicate matches) {
  const FaultWindow* found = nullptr;
  for (const FaultWindow& f : log.faults()) {
    if (matches(f)) found = &f;
  }
  return found;
}
// The latest fault that cuts messages from node `a` to node `b` (either way
// when `both_ways`) and is active at some time in [t0, t1].
const FaultWindow* fault_cutting(const CausalLog& log, const std::string& a, const std::string& b, Nanos t0, Nanos t1,
                               bool both_ways = false);
// The latest fault that hits `node` and began in [t0, t1] (crash first when `crash_only`).
const FaultWindow* fault_hitting(const CausalLog& log, const std::string& node, Nanos t0, Nanos t1,
                               bool crash_only = false);
// Marks of `kind` in [t0, t1] (of `part` when given), oldest first.
std::vector<const Mark*> marks_between(const CausalLog& log, std::string_view kind, Nanos t0, Nanos t1,
                                       std::optional<std::uint32_t> part = std::nullopt);
// "partition_one_way db -> worker (20.000 s to 25.000 s)".
std::string fault_words(const FaultWindow& fault);
// Records of `kind` among `records`, oldest first.
std::vector<CausalRecord> of_kind(const std::vector<CausalRecord>& records, std::string_view kind);
// The last record before `t` (strictly) among `records` whose kind is one of `kinds`, if any.
std::optional<CausalRecord> last_before(const std::vector<CausalRecord>& records, Nanos t,
                                        std::initializer_list<std::string_view> kinds);
// A mark as an explanation step (rebalance, checkpoint, restore, fenced commit, worker loss).
ExplainStep mark_step(const CausalLog& log, const Mark& mark, std::string text);
// Sorts steps by time (stable: equal times keep their order) and drops exact repeats.
void order_steps(std::vector<ExplainStep>& steps);

}  // namespace sluice
