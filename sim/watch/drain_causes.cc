#include "sim/watch/drain_causes.h"

#include <algorithm>

#include "core/runtime/perturbation_sites.h"

namespace sluice {

DrainCauses::Count& DrainCauses::add(Kind kind, const std::string& part) {
  const bool after = drain_.past_quiet();
  Count& count = counts_[{kind, part}];
  ++count.total;
  if (after) ++count.after_quiet;
  return count;
}

void DrainCauses::on(const AttemptFailed& rec) { ++add(Kind::failed_attempts, names_.stages[rec.stage]).reasons[rec.reason]; }
void DrainCauses::on(const GaveUp& rec) { add(Kind::gave_up, names_.stages[rec.stage]); }
void DrainCauses::on(const BreakerChanged& rec) {
  if (std::string_view(rec.state) == "open") add(Kind::breaker_opened, names_.stages[rec.stage]);
}
void DrainCauses::on(const Rebalanced& rec) { add(Kind::rebalanced, names_.stages[rec.stage]); }
void DrainCauses::on(const Perturbed& rec) { add(Kind::perturbed, std::string(perturb_site_name(rec.site))); }

std::string DrainCauses::phrase(const Cause& cause, const Count& count) {
  const std::string n = std::to_string(count.total);
  const std::string& part = cause.second;
  std::string text;
  switch (cause.first) {
    case Kind::failed_attempts: {
      std::string reasons;
      for (const auto& [reason, times] : count.reasons) reasons += (reasons.empty() ? "" : ", ") + reason + " " + std::to_string(times);
      text = n + " failed attempt(s) in stage '" + part + "' (" + reasons + ")";
      break;
    }
    case Kind::gave_up: text = n + " event(s) given up by stage '" + part + "' after its last retry"; break;
    case Kind::breaker_opened: text = "the breaker of stage '" + part + "' opened " + n + " time(s)"; break;
    case Kind::rebalanced: text = n + " rebalance(s) of stage '" + part + "''s consumer group"; break;
    case Kind::perturbed: {
      const auto site = find_perturb_site(part);
      text = "the perturbation site " + part + " fired " + n + " time(s) (" +
             std::string(site ? perturb_site_info(*site).forces : "") + ")";
      break;
    }
  }
  return text + ", " + std::to_string(count.after_quiet) + " after the quiet point";
}

std::vector<std::string> DrainCauses::phrases() const {
  std::vector<std::pair<const Cause*, const Count*>> ranked;
  for (const auto& [cause, count] : counts_) ranked.emplace_back(&cause, &count);
  // Most frequent first; stable, so ties keep the map's order (kind, then name).
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second->total > b.second->total; });
  std::vector<std::string> out;
  for (const auto& [cause, count] : ranked) out.push_back(phrase(*cause, *count));
  return out;
}

}  // namespace sluice
