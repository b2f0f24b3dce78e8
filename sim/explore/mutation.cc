#include "sim/explore/mutation.h"

#include <algorithm>

#include "sim/run/shrink_trial.h"

namespace sluice {
namespace {

// Where the schedule lives in time: faults are shifted by up to a tenth of it.
Nanos schedule_span(const Scenario& scenario, const std::vector<FaultSpec>& faults) {
  Nanos span = scenario.run.faults_end != kNever ? scenario.run.faults_end : 0;
  for (const FaultSpec& f : faults) span = std::max(span, f.at);
  return std::max<Nanos>(span, kNanosPerSecond);
}

std::uint64_t fresh_seed(Rng& rng) { return 1 + rng.uniform_u64(1'000'000'000); }

void shift(const Scenario& scenario, Candidate& c, Rng& rng) {
  if (c.faults.empty()) return;
  FaultSpec& f = c.faults[rng.uniform_u64(c.faults.size())];
  const std::int64_t reach = schedule_span(scenario, c.faults) / 10;
  f.at = std::max<Nanos>(0, f.at + rng.uniform_int(-reach, reach));
}

// One fault of a fresh swarm draw: a kind, target and duration the swarm allows.
void add(const Scenario& scenario, Candidate& c, Rng& rng) {
  std::vector<FaultSpec> drawn = swarm_faults(scenario, fresh_seed(rng));
  if (drawn.empty()) return;
  c.faults.push_back(drawn[rng.uniform_u64(drawn.size())]);
}

// A fault of a fresh swarm draw placed within a second of where one of the
// parent's faults begins or ends: rare failures need two faults to meet (a
// node away exactly while another restarts), and a parent that reached a
// rare situation by its first fault gets the second near it, not anywhere.
void near(const Scenario& scenario, Candidate& c, Rng& rng) {
  if (c.faults.empty()) return;
  std::vector<FaultSpec> drawn = swarm_faults(scenario, fresh_seed(rng));
  if (drawn.empty()) return;
  const FaultSpec& anchor = c.faults[rng.uniform_u64(c.faults.size())];
  Nanos at = anchor.at;
  if (anchor.lasts() != kNever && rng.bernoulli(0.5)) at += anchor.lasts();
  FaultSpec added = drawn[rng.uniform_u64(drawn.size())];
  added.at = std::max<Nanos>(0, at + rng.uniform_int(-kNanosPerSecond, kNanosPerSecond));
  c.faults.push_back(std::move(added));
}

// AFL's splice: the parent's schedule up to a cut time, the mate's from it on,
// so two corpus entries that each reached half of a combination can meet.
void splice(const Scenario& scenario, Candidate& c, const Candidate& mate, Rng& rng) {
  const Nanos cut = rng.uniform_int(0, schedule_span(scenario, c.faults));
  std::erase_if(c.faults, [cut](const FaultSpec& f) { return f.at >= cut; });
  for (const FaultSpec& f : mate.faults) {
    if (f.at >= cut) c.faults.push_back(f);
  }
}

// Lengthens one of the parent's faults that ends (a pause, partition, skew or
// a crash's time down) to 1.5x to 3x, keeping its start: a parent that
// reached a rare situation while a node was away keeps it, and for longer,
// where a shift or a reseed would more often lose it.
void stretch(Candidate& c, Rng& rng) {
  std::vector<std::size_t> ending;
  for (std::size_t i = 0; i < c.faults.size(); ++i) {
    if (c.faults[i].lasts() != kNever && c.faults[i].lasts() > 0) ending.push_back(i);
  }
  if (ending.empty()) return;
  FaultSpec& f = c.faults[ending[rng.uniform_u64(ending.size())]];
  const Nanos longer = static_cast<Nanos>(static_cast<double>(f.lasts()) * (1.5 + 1.5 * rng.next_double()));
  if (f.restart_after != kNever) f.restart_after = longer;
  else f.duration = longer;
}

void drop(Candidate& c, Rng& rng) {
  if (c.faults.empty()) return;
  c.faults.erase(c.faults.begin() + static_cast<std::ptrdiff_t>(rng.uniform_u64(c.faults.size())));
}

void retarget(const Scenario& scenario, Candidate& c, Rng& rng) {
  std::vector<std::size_t> movable;
  for (std::size_t i = 0; i < c.faults.size(); ++i) {
    if (!is_partition(c.faults[i].kind)) movable.push_back(i);
  }
  const std::vector<std::string> nodes =
      scenario.swarm && !scenario.swarm->targets.empty() ? scenario.swarm->targets : scenario.nodes();
  if (movable.empty() || nodes.empty()) return;
  c.faults[movable[rng.uniform_u64(movable.size())]].target = nodes[rng.uniform_u64(nodes.size())];
}

// Toggles one site; an enabled site is on for the whole run (enable probability 1),
// so what the corpus kept is what reruns.
void toggle_site(Candidate& c, Rng& rng) {
  const PerturbSite site = kPerturbSites[rng.uniform_u64(kPerturbSiteCount)].site;
  std::vector<PerturbSite>& sites = c.perturb.sites;
  auto it = std::find(sites.begin(), sites.end(), site);
  if (it != sites.end()) {
    sites.erase(it);
  } else {
    sites.push_back(site);
    std::sort(sites.begin(), sites.end());
  }
  c.perturb.enable_probability = 1.0;
}

void switch_strategy(Candidate& c, Rng& rng) {
  static const char* const kChoices[] = {"fifo", "random", "pct:2", "pct:3", "pct:5"};
  parse_strategy(kChoices[rng.uniform_u64(std::size(kChoices))], &c.strategy);
}

}  // namespace

Candidate fresh_candidate(const Scenario& scenario, std::uint64_t seed, const StrategySpec& strategy,
                          const PerturbSpec& perturb) {
  Candidate c;
  c.seed = seed;
  c.faults = scenario.faults;
  std::vector<FaultSpec> drawn = swarm_faults(scenario, seed);
  c.faults.insert(c.faults.end(), drawn.begin(), drawn.end());
  c.strategy = strategy;
  c.perturb = perturb;
  return c;
}

Candidate mutate(const Scenario& scenario, const Candidate& parent, const Candidate* mate, Rng& rng) {
  Candidate c = parent;
  c.mutations.clear();
  const std::uint64_t edits = 1 + rng.uniform_u64(3);
  for (std::uint64_t i = 0; i < edits; ++i) {
    switch (rng.uniform_u64(10)) {
      case 0: shift(scenario, c, rng), c.mutations.push_back("shift"); break;
      case 1: add(scenario, c, rng), c.mutations.push_back("add"); break;
      case 2: drop(c, rng), c.mutations.push_back("drop"); break;
      case 3: retarget(scenario, c, rng), c.mutations.push_back("retarget"); break;
      case 4: toggle_site(c, rng), c.mutations.push_back("perturb"); break;
      case 5: switch_strategy(c, rng), c.mutations.push_back("strategy"); break;
      case 6: near(scenario, c, rng), c.mutations.push_back("near"); break;
      case 8: stretch(c, rng), c.mutations.push_back("stretch"); break;
      case 7:
        if (mate != nullptr) {
          splice(scenario, c, *mate, rng), c.mutations.push_back("splice");
          break;
        }
        [[fallthrough]];
      default: c.seed = fresh_seed(rng), c.mutations.push_back("reseed"); break;
    }
  }
  std::stable_sort(c.faults.begin(), c.faults.end(), [](const FaultSpec& a, const FaultSpec& b) { return a.at < b.at; });
  return c;
}

}  // namespace sluice
