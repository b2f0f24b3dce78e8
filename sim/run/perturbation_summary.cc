#include "sim/run/perturbation_summary.h"

#include <string>

namespace sluice {

nlohmann::json perturbation_json(const Perturbation& perturbation, const PerturbSpec& spec) {
  nlohmann::json enabled = nlohmann::json::array();
  nlohmann::json fired = nlohmann::json::object();
  for (const PerturbSiteInfo& info : kPerturbSites) {
    if (!perturbation.enabled(info.site)) continue;
    enabled.push_back(std::string(info.name));
    fired[std::string(info.name)] = perturbation.fired(info.site);
  }
  return {{"enabled", enabled},
          {"fired", fired},
          {"enable_probability", spec.enable_probability},
          {"fire_probability", spec.fire_probability}};
}

std::string perturbation_line(const nlohmann::json& perturbation) {
  std::string enabled, fired;
  for (const nlohmann::json& name : perturbation["enabled"]) {
    const std::string site = name.get<std::string>();
    enabled += (enabled.empty() ? "" : ", ") + site;
    const std::uint64_t count = perturbation["fired"].value(site, std::uint64_t{0});
    if (count > 0) fired += (fired.empty() ? "" : ", ") + site + " x" + std::to_string(count);
  }
  return "perturb     enabled " + (enabled.empty() ? std::string("none") : enabled) + "; fired " +
         (fired.empty() ? std::string("none") : fired);
}

}  // namespace sluice
