// drains_after_heal (and the progress invariant's hook): the events still
// stuck when the run ended, where each waited, and the faults still active.
#include "sim/check/explain/explain_support.h"
#include "sim/check/explain/explainers.h"

namespace sluice {

Explanation explain_stuck(const CausalLog& log, const std::string& what) {
  constexpr std::size_t kShown = 5;
  Explanation out;
  std::vector<CausalRecord> stuck = log.recent_unresolved(kShown);
  for (const CausalRecord& r : stuck) {
    out.steps.push_back(log.step(r, "still waiting " + std::string(r.kind == std::string_view("enqueue") ? "in " : "after ") +
                                        std::string(r.kind) + " at " + log.where(r.place)));
  }
  std::vector<std::string> active;
  for (const FaultWindow& f : log.faults()) {
    if (f.end == kNever) {
      out.steps.push_back(log.step(f, true, "the " + f.label() + " never heals"));
      active.push_back(f.label());
    }
  }
  if (!stuck.empty()) out.at = stuck.back().t;
  std::string waits = stuck.empty() ? std::string()
                                    : "; the newest stuck event, " + event_name(stuck.back().id) + ", waits after " +
                                          stuck.back().kind + " at " + log.where(stuck.back().place) + " since " +
                                          human_time(stuck.back().t);
  std::string faults;
  for (const std::string& f : active) faults += (faults.empty() ? "; never healed: " : ", ") + f;
  out.why = what + waits + faults + ".";
  order_steps(out.steps);
  return out;
}

}  // namespace sluice
