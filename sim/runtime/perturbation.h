// The simulation's side of the perturbation sites (Runtime::buggify, after
// FoundationDB's flow/Buggify.h): which sites a run enables and when an
// enabled site fires. Every draw comes from streams forked from the run's
// seed under "buggify", so turning perturbation on never moves another
// component's numbers, and a run with it off draws nothing at all.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/random/rng.h"
#include "core/runtime/perturbation_sites.h"

namespace sluice {

// What a scenario's "perturb" (or --perturb) asks for. No candidate sites: off.
struct PerturbSpec {
  std::vector<PerturbSite> sites;          // the candidates, in table order
  double enable_probability = kDefaultEnableProbability;  // per candidate, once per run
  double fire_probability = kDefaultFireProbability;      // per enabled site, each time it is reached
  // FoundationDB activates a section with P_GENERAL_BUGGIFIED_SECTION_ACTIVATED = 0.25
  // per run (flow/include/flow/Buggify.h). Its sections fire with 0.25, or a
  // smaller BUGGIFY_WITH_PROB(x); Sluice's sites are reached on every rpc,
  // fetch and heartbeat, so they fire with the smaller 0.05.
  static constexpr double kDefaultEnableProbability = 0.25;
  static constexpr double kDefaultFireProbability = 0.05;

  bool on() const { return !sites.empty(); }
  bool operator==(const PerturbSpec&) const = default;
  // Every site with the default probabilities: what --perturb means.
  static PerturbSpec all();
};

class Perturbation {
 public:
  // `root` is the run's root generator (Rng(seed)); only its forks are drawn.
  Perturbation(const PerturbSpec& spec, const Rng& root);

  // Whether `site` fires now; counts it when it does. Draws only for an
  // enabled site that may still fire.
  bool fire(PerturbSite site);

  bool on() const { return on_; }
  bool enabled(PerturbSite site) const { return enabled_[index(site)]; }
  std::uint64_t fired(PerturbSite site) const { return fired_[index(site)]; }
  // The enabled sites' names, in table order.
  std::vector<std::string> enabled_names() const;

 private:
  static std::size_t index(PerturbSite site) { return static_cast<std::size_t>(site); }

  bool on_ = false;
  double fire_probability_ = 0;
  std::array<bool, kPerturbSiteCount> enabled_{};
  std::array<std::uint64_t, kPerturbSiteCount> fired_{};
  std::vector<Rng> fire_rngs_;  // one stream per site, so one site's draws never shift another's
};

}  // namespace sluice
