// The explanations attached at the end of the run: the ones the checkers
// kept as violations happened (ExplanationBook), and those of the
// invariants judged only at the end (no_loss, latency_slo, progress,
// drains_after_heal), built now from the causal log.
#include <algorithm>

#include "sim/check/explain/explainers.h"
#include "sim/run/history.h"

namespace sluice {

void History::attach_explanations(std::vector<std::pair<std::string, Verdict>>& verdicts) const {
  const std::uint64_t most = explanations_.count();
  for (auto& [name, verdict] : verdicts) {
    if (verdict.ok()) continue;
    if (const std::vector<Explanation>* kept = explanations_.find(name)) {
      verdict.explanations = *kept;
    } else if (name == "no_loss") {
      for (EventId id : delivery_.checker().lost_ids()) {
        if (verdict.explanations.size() < most) verdict.explanations.push_back(explain_loss(causal_log_, id, verdict.first));
      }
    } else if (name == "latency_slo" && scaling().slo_miss()) {
      verdict.explanations.push_back(explain_latency(causal_log_, *scaling().slo_miss()));
    } else if (name == "drains_after_heal" || name == "progress") {
      const bool livelock = name == "progress" && verdict.first.find("livelock bound") != std::string::npos;
      verdict.explanations.push_back(explain_progress(causal_log_, name == "progress" ? progress_words(verdict) : stuck_words(),
                                                      stuck_list(livelock), runtime_.now()));
    }
    if (!verdict.explanations.empty()) verdict.explanation = verdict.explanations.front();
  }
}

std::vector<StuckEvent> History::stuck_list(bool livelock) const {
  constexpr std::size_t kShown = 5;
  std::vector<StuckEvent> out;
  std::vector<std::pair<EventId, PendingPlace>> places = progress_.checker().stuck_places(kShown);
  // A livelock's event goes first: it is the one the violation is about.
  if (auto looping = progress_.checker().most_attempted(); looping && livelock) {
    std::erase_if(places, [&](const auto& p) { return p.first == looping->first; });
    places.insert(places.begin(), *looping);
  }
  for (const auto& [id, place] : places) {
    const std::string described = places_.describe_place(place);
    const std::size_t waits = described.find("; waits on ");
    out.push_back({id, place, waits == std::string::npos ? described : described.substr(waits + 11), livelock && out.empty()});
  }
  return out;
}

std::string History::progress_words(const Verdict& verdict) const {
  if (verdict.first.find("livelock bound") != std::string::npos) {
    return "An event was attempted, redelivered or replayed more than run.livelock_attempts times after the faults " +
           std::string("healed, without an outcome (a livelock)");
  }
  const std::string pending = std::to_string(progress_.checker().pending()) + " acknowledged event(s) were pending";
  if (verdict.first.find("nothing left") != std::string::npos) {
    return pending + " and nothing left in the simulation could move them";
  }
  return pending + " and none reached an outcome for longer than run.stall_after";
}

std::string History::stuck_words() const {
  const std::vector<std::string> causes = drain_causes_.phrases();
  const std::string most = causes.empty() ? "" : "; what cost it most: " + causes.front();
  if (drained_at() >= 0) {
    return "The backlog drained only at " + human_time(drained_at()) + ", later than the drain bound after the sources " +
           "finished and the faults healed (" + human_time(std::max(last_source_finished_at(), quiet_after())) + ")" + most;
  }
  return std::to_string(backlog()) + " event(s) were still queued or in service when the run ended" +
         (all_sources_finished() ? "" : ", and some sources had not finished") + most;
}

}  // namespace sluice
