#include "sim/run/judge.h"

#include "sim/check/drain_checker.h"

namespace sluice {

Verdict judge(InvariantId id, const Scenario& scenario, History& history, Nanos end, bool can_move) {
  switch (id) {
    case InvariantId::progress: return history.progress(end, can_move);
    case InvariantId::no_loss:
      return history.delivery().no_loss(history.names().sources, history.drained_at() >= 0);
    case InvariantId::drains_after_heal: return judge_drain(history.drain_facts(end, scenario.run.drain_within));
    case InvariantId::no_duplicate_effects:
    case InvariantId::per_key_order:
    case InvariantId::checkpoint_consistency:
    case InvariantId::bounded_queues:
    case InvariantId::flow_control:
    case InvariantId::no_flapping:
    case InvariantId::scale_in_is_lossless: return *verdict_so_far(id, history);
    case InvariantId::latency_slo: return history.scaling().latency_slo();
  }
  return {};
}

std::vector<std::pair<std::string, Verdict>> judge_all(const Scenario& scenario, History& history, Nanos end,
                                                       bool can_move) {
  std::vector<std::pair<std::string, Verdict>> out;
  for (const InvariantInfo& info : invariant_catalog()) {
    out.emplace_back(std::string(info.name), judge(info.id, scenario, history, end, can_move));
  }
  return out;
}

std::optional<Verdict> verdict_so_far(InvariantId id, const History& history) {
  switch (id) {
    case InvariantId::no_duplicate_effects: return history.no_duplicate_effects();
    case InvariantId::per_key_order: return history.per_key_order();
    case InvariantId::checkpoint_consistency: return history.checkpoint_consistency();
    case InvariantId::bounded_queues: return history.bounded_queues();
    case InvariantId::flow_control: return history.flow_control();
    case InvariantId::no_flapping: return history.scaling().no_flapping();
    case InvariantId::scale_in_is_lossless: {
      Verdict v = history.scaling().scale_in_is_lossless();
      if (!history.scaling().any()) {
        v.applicable = false;
        v.note = "no stage autoscales";
      }
      return v;
    }
    case InvariantId::latency_slo:
    // Loss, draining and progress are decided by how the run ends.
    case InvariantId::progress:
    case InvariantId::no_loss:
    case InvariantId::drains_after_heal: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace sluice
