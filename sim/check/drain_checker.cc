#include "sim/check/drain_checker.h"

#include <string>

namespace sluice {

Verdict judge_drain(const DrainFacts& facts) {
  Verdict verdict;
  verdict.checked = 1;
  if (facts.drained_at < 0) {
    verdict.violate(std::to_string(facts.backlog) + " event(s) still queued or in service when the run ended at t=" +
                    std::to_string(facts.end) + "ns" +
                    (facts.all_sources_finished ? "" : " (some sources had not finished)"));
  } else if (facts.drain_within != kNever && facts.drained_at - facts.quiet_at > facts.drain_within) {
    verdict.violate("the backlog took " + std::to_string(facts.drained_at - facts.quiet_at) +
                    "ns to drain after the sources finished and the faults healed (t=" +
                    std::to_string(facts.quiet_at) + "ns), over the bound of " + std::to_string(facts.drain_within) +
                    "ns");
  }
  return verdict;
}

}  // namespace sluice
