// What held the drain back: a subscriber that tallies the mechanisms that
// cost the pipeline time (failed attempts and their reasons, give-ups,
// breakers opening, rebalances, perturbation sites firing), over the whole
// run and from the quiet point on (every source finished, every fault
// healed), so a drains_after_heal violation names its causes in words
// instead of a bare duration. The tally draws nothing and feeds nothing
// into trace_hash.
//
// Order: before the drain watch, which it asks whether the quiet point has
// passed (a record at the very quiet point counts as before it).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/model/records.h"
#include "sim/watch/drain_watch.h"
#include "sim/watch/part_names.h"
#include "sim/world/world_records.h"

namespace sluice {

class DrainCauses {
 public:
  DrainCauses(const PartNames& names, const DrainWatch& drain) : names_(names), drain_(drain) {}

  void on(const AttemptFailed& rec);
  void on(const GaveUp& rec);
  void on(const BreakerChanged& rec);
  void on(const Rebalanced& rec);
  void on(const Perturbed& rec);
  template <typename R>
  void on(const R&) {}

  // The causes, most frequent first, as phrases ("415 failed attempt(s) in
  // stage 'store' (timeout 415), 140 after the quiet point").
  std::vector<std::string> phrases() const;

 private:
  // In the order ties are told: a perturbation first, as it is the root of
  // the failed attempts it causes.
  enum class Kind { perturbed, breaker_opened, rebalanced, failed_attempts, gave_up };
  // One mechanism at one part (a stage's name, or a perturbation site's).
  using Cause = std::pair<Kind, std::string>;
  struct Count {
    std::uint64_t total = 0;
    std::uint64_t after_quiet = 0;
    std::map<std::string, std::uint64_t> reasons;  // failed attempts: reason -> count
  };
  Count& add(Kind kind, const std::string& part);
  static std::string phrase(const Cause& cause, const Count& count);

  const PartNames& names_;
  const DrainWatch& drain_;
  std::map<Cause, Count> counts_;  // ordered: ties in the phrases follow kind, then name
};

}  // namespace sluice
