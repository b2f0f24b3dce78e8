// Which binary wrote an output, and from which scenario file. The determinism
// promise (same scenario, seed and binary: same trace_hash) is per binary, so
// every output names it: version, source commit and build type, fixed when
// the build was configured, and the SHA-256 of the scenario file's bytes.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace sluice {

struct BuildInfo {
  const char* version;     // the project version in CMakeLists.txt
  const char* commit;      // `git rev-parse HEAD` at configure time; "unknown" without git
  const char* build_type;  // CMAKE_BUILD_TYPE
};
const BuildInfo& build_info();

// "sluice 0.1 (commit 1ab32d4..., Debug build)"
std::string version_line();

// {"sluice_version", "commit", "build_type", "scenario_sha256"}; the hash is
// omitted when `scenario_path` is empty (a scenario built in code).
nlohmann::json provenance_json(const std::string& scenario_path);

}  // namespace sluice
