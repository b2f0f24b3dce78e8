#include "sim/output/provenance.h"

#include "sim/output/sha256.h"

namespace sluice {

std::string version_line() {
  const BuildInfo& info = build_info();
  return std::string("sluice ") + info.version + " (commit " + info.commit + ", " + info.build_type + " build)";
}

nlohmann::json provenance_json(const std::string& scenario_path) {
  const BuildInfo& info = build_info();
  nlohmann::json out = {{"sluice_version", info.version}, {"commit", info.commit}, {"build_type", info.build_type}};
  if (!scenario_path.empty()) out["scenario_sha256"] = sha256_file(scenario_path);
  return out;
}

}  // namespace sluice
