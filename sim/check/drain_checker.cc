#include "sim/check/drain_checker.h"

#include <cstddef>
#include <string>

#include "sim/check/explanation.h"

namespace sluice {
namespace {

// The first few causes, joined: what held the backlog back, in the run's words.
// `none`: what to say when nothing was recorded.
std::string held_back_by(const std::vector<std::string>& causes, const std::string& none) {
  constexpr std::size_t kQuoted = 3;
  if (causes.empty()) return none;
  std::string text = "; held back by ";
  for (std::size_t i = 0; i < causes.size() && i < kQuoted; ++i) text += (i == 0 ? "" : "; ") + causes[i];
  if (causes.size() > kQuoted) text += "; and " + std::to_string(causes.size() - kQuoted) + " more cause(s)";
  return text;
}

}  // namespace

Verdict judge_drain(const DrainFacts& facts) {
  Verdict verdict;
  verdict.checked = 1;
  if (facts.drained_at < 0) {
    verdict.violate(std::to_string(facts.backlog) + " event(s) still queued or in service when the run ended at " +
                    human_time(facts.end) + (facts.all_sources_finished ? "" : " (some sources had not finished)") +
                    held_back_by(facts.causes, ""));
  } else if (facts.drain_within != kNever && facts.drained_at - facts.quiet_at > facts.drain_within) {
    verdict.violate("the backlog of " + std::to_string(facts.backlog_at_quiet) + " event(s) took " +
                    human_duration(facts.drained_at - facts.quiet_at) +
                    " to drain after the sources finished and the faults healed (at " + human_time(facts.quiet_at) +
                    "), over the bound of " + human_duration(facts.drain_within) +
                    held_back_by(facts.causes, "; no failed attempt, give-up, breaker opening, rebalance or perturbation "
                                               "was recorded: the stages worked the backlog off at their own pace"));
  }
  return verdict;
}

}  // namespace sluice
