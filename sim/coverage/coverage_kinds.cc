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
      // Precursors (sim/coverage/precursor_coverage.h): situations a run
      // passes on its way to a rare failure, so guidance can climb towards
      // it; a healthy pipeline reaches every one of them.
      {"window_evict", "a full dedup window evicted an id while its node's clock stood this far behind the stamps it holds", true},
      {"stragglers", "a sink applied this many later ids of a source while this many earlier ones were missing", true},
      {"crash_unacked", "a node crashed while this many produces had timed out, not yet acknowledged", true},
      {"restart_away", "a crashed node restarted while a node in this role was paused or cut off from it", true},
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

const std::vector<std::string>& coverage_setback_bands() {
  static const std::vector<std::string> bands = {"steady", "0-1s", "1-2s", "2-4s", "4s+"};
  return bands;
}

std::string coverage_setback_band(Nanos setback) {
  if (setback <= 0) return "steady";
  if (setback < kNanosPerSecond) return "0-1s";
  if (setback < 2 * kNanosPerSecond) return "1-2s";
  if (setback < 4 * kNanosPerSecond) return "2-4s";
  return "4s+";
}

const std::vector<std::string>& coverage_straggler_counts() {
  static const std::vector<std::string> counts = {"1", "2", "3+"};
  return counts;
}

const std::vector<std::string>& coverage_lag_bands() {
  static const std::vector<std::string> bands = {"1-63", "64-255", "256+"};
  return bands;
}

std::string coverage_lag_band(std::uint64_t later) {
  if (later < 64) return "1-63";
  if (later < 256) return "64-255";
  return "256+";
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
  if (kind == "window_evict") values = coverage_setback_bands();
  if (kind == "stragglers") {
    for (const std::string& count : coverage_straggler_counts()) {
      for (const std::string& lag : coverage_lag_bands()) values.push_back(count + "/" + lag);
    }
  }
  if (kind == "crash_unacked") values = coverage_loss_bands();
  if (kind == "restart_away") {
    for (const char* how : {"paused", "partitioned"}) {
      for (const std::string& role : coverage_node_roles()) {
        if (role != "network") values.push_back(std::string(how) + "/" + role);
      }
    }
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
