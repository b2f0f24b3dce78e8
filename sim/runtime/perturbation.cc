#include "sim/runtime/perturbation.h"

#include <algorithm>
#include <string>

namespace sluice {

PerturbSpec PerturbSpec::all() {
  PerturbSpec spec;
  for (const PerturbSiteInfo& info : kPerturbSites) spec.sites.push_back(info.site);
  return spec;
}

Perturbation::Perturbation(const PerturbSpec& spec, const Rng& root) : on_(spec.on()), fire_probability_(spec.fire_probability) {
  if (!on_) return;
  Rng enable = root.fork("buggify");
  for (const PerturbSiteInfo& info : kPerturbSites) {
    // One draw per site of the table, candidate or not, so narrowing the
    // candidates does not change which of the remaining ones a seed enables.
    const bool drawn = enable.bernoulli(spec.enable_probability);
    const bool candidate = std::find(spec.sites.begin(), spec.sites.end(), info.site) != spec.sites.end();
    enabled_[index(info.site)] = candidate && drawn;
    fire_rngs_.push_back(root.fork("buggify/" + std::string(info.name)));
  }
}

bool Perturbation::fire(PerturbSite site) {
  const std::size_t i = index(site);
  if (!enabled_[i]) return false;
  const std::uint32_t fires_max = kPerturbSites[i].fires_max;
  if (fires_max != 0 && fired_[i] >= fires_max) return false;
  if (!fire_rngs_[i].bernoulli(fire_probability_ * kPerturbSites[i].fire_scale)) return false;
  ++fired_[i];
  return true;
}

std::vector<std::string> Perturbation::enabled_names() const {
  std::vector<std::string> names;
  for (const PerturbSiteInfo& info : kPerturbSites) {
    if (enabled_[index(info.site)]) names.emplace_back(info.name);
  }
  return names;
}

}  // namespace sluice
