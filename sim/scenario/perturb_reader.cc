#include "sim/scenario/perturb_reader.h"

#include <algorithm>
#include <string>
#include <vector>

namespace sluice {
namespace {

std::vector<std::string_view> site_names() {
  std::vector<std::string_view> names;
  for (const PerturbSiteInfo& info : kPerturbSites) names.push_back(info.name);
  return names;
}

// "all", or a non-empty list of distinct site names, kept in table order.
std::vector<PerturbSite> read_sites(const JsonReader& reader) {
  if (reader.is_string()) {
    reader.enumeration<bool>({{"all", true}});
    return PerturbSpec::all().sites;
  }
  std::vector<bool> chosen(kPerturbSiteCount, false);
  for (const JsonReader& item : reader.array(1)) {
    const std::size_t index = item.one_of(site_names());
    if (chosen[index]) item.fail("the site " + std::string(kPerturbSites[index].name) + " is listed twice");
    chosen[index] = true;
  }
  std::vector<PerturbSite> sites;
  for (std::size_t i = 0; i < kPerturbSiteCount; ++i) {
    if (chosen[i]) sites.push_back(kPerturbSites[i].site);
  }
  return sites;
}

}  // namespace

PerturbSpec read_perturb(const JsonReader& reader) {
  const ObjectReader object = reader.object();
  object.allow({"sites", "enable_probability", "fire_probability"});
  object.finish();
  PerturbSpec spec;
  spec.sites = read_sites(object.at("sites"));
  spec.enable_probability = object.number_or("enable_probability", PerturbSpec::kDefaultEnableProbability, 0, 1);
  spec.fire_probability = object.number_or("fire_probability", PerturbSpec::kDefaultFireProbability, 0, 1);
  return spec;
}

nlohmann::json perturb_json(const PerturbSpec& spec) {
  nlohmann::json sites = "all";
  if (spec.sites != PerturbSpec::all().sites) {
    sites = nlohmann::json::array();
    for (PerturbSite site : spec.sites) sites.push_back(std::string(perturb_site_name(site)));
  }
  return {{"sites", sites}, {"enable_probability", spec.enable_probability}, {"fire_probability", spec.fire_probability}};
}

}  // namespace sluice
