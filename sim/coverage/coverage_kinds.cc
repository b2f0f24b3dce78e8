#include "sim/coverage/coverage_kinds.h"

#include "core/runtime/fault_points.h"
#include "core/runtime/perturbation_sites.h"
#include "sim/catalog/fault_kind_catalog.h"

namespace sluice {

const std::vector<CoverageKindInfo>& coverage_kinds() {
  static const std::vector<CoverageKindInfo> kinds = {
      {"fault_state", "a fault of this kind began while a component was in this state", false},
      {"fault_role", "a fault of this kind hit a node in this role", false},
      {"fault_point", "the code passed this named fault point (armed or not)", false},
      {"perturb", "this perturbation site fired", false},
      {"fill", "a bounded buffer reached this fill band (percent of capacity)", true},
      {"breaker", "a stage's circuit breaker entered this state", true},
      {"generation", "a consumer group reached a generation in this bucket", true},
      {"retry", "a stage retried a failed attempt, gave up, or dead-lettered", true},
      {"checkpoint", "a checkpoint completed or aborted", true},
      // Where a crash meets work in progress: the bugs that lose acknowledged
      // data or skip a recovery step sit exactly there, and a healthy
      // pipeline reaches both (an unsynced tail is normal before an fsync).
      {"crash_loss", "a node's crash threw away this many unsynced log records or key-value puts", true},
      {"crashed_at", "a node crashed at this named fault point (crash_at_point fired)", false},
  };
  return kinds;
}

const std::vector<std::string>& coverage_fault_states() {
  // quiet: none of the others. Why these: the hard bugs sit where a fault
  // meets a protocol in progress (a rebalance, a checkpoint, an open breaker,
  // a full queue, a retry in flight).
  static const std::vector<std::string> states = {"quiet", "rebalancing", "checkpointing", "breaker_open",
                                                  "backlogged", "retrying"};
  return states;
}

const std::vector<std::string>& coverage_node_roles() {
  static const std::vector<std::string> roles = {"source", "buffer", "broker", "worker", "sink", "network"};
  return roles;
}

const std::vector<unsigned>& coverage_fill_bands() {
  static const std::vector<unsigned> bands = {25, 50, 75, 90, 100};
  return bands;
}

std::string coverage_generation_bucket(unsigned long long generation) {
  if (generation <= 1) return "1";
  if (generation == 2) return "2";
  if (generation <= 4) return "3-4";
  if (generation <= 8) return "5-8";
  return "9+";
}

const std::vector<std::string>& coverage_loss_bands() {
  static const std::vector<std::string> bands = {"1", "2-8", "9+"};
  return bands;
}

std::string coverage_loss_band(std::uint64_t lost) {
  if (lost <= 1) return "1";
  if (lost <= 8) return "2-8";
  return "9+";
}

std::vector<std::string> coverage_values(std::string_view kind) {
  std::vector<std::string> values;
  auto crossed = [&](const std::vector<std::string>& second) {
    for (const std::string& fault : fault_kind_names()) {
      for (const std::string& s : second) values.push_back(fault + "/" + s);
    }
  };
  if (kind == "fault_state") crossed(coverage_fault_states());
  if (kind == "fault_role") {
    // A partition hits the network, every other kind one node: only those pairs can happen.
    for (const FaultKindInfo& info : fault_kind_catalog()) {
      for (const std::string& role : coverage_node_roles()) {
        if ((role == "network") == info.on_network) values.push_back(std::string(info.name) + "/" + role);
      }
    }
  }
  if (kind == "fault_point") {
    for (std::string_view point : fault_point_names()) values.emplace_back(point);
  }
  if (kind == "perturb") {
    for (const PerturbSiteInfo& site : kPerturbSites) values.emplace_back(site.name);
  }
  if (kind == "fill") {
    for (unsigned band : coverage_fill_bands()) values.push_back(std::to_string(band));
  }
  if (kind == "breaker") values = {"open", "half_open", "closed"};
  if (kind == "generation") values = {"1", "2", "3-4", "5-8", "9+"};
  if (kind == "retry") values = {"retried", "gave_up", "dead_lettered"};
  if (kind == "checkpoint") values = {"completed", "aborted"};
  if (kind == "crash_loss") {
    for (const char* what : {"records", "puts"}) {
      for (const std::string& band : coverage_loss_bands()) values.push_back(std::string(what) + "/" + band);
    }
  }
  if (kind == "crashed_at") {
    for (std::string_view point : fault_point_names()) values.emplace_back(point);
  }
  return values;
}

std::vector<std::string> coverage_universe() {
  std::vector<std::string> all;
  for (const CoverageKindInfo& kind : coverage_kinds()) {
    for (const std::string& value : coverage_values(kind.name)) all.push_back(std::string(kind.name) + ":" + value);
  }
  return all;
}

std::string coverage_situation(std::string_view key) {
  return std::string(key.substr(0, key.find('@')));
}

}  // namespace sluice
