// Where a stateful operator's state lives between checkpoints and how a
// restore rebuilds it (issue 17, "State backends and failover time"):
//
//   snapshot   checkpoint snapshots on the coordinator's disk; a restore
//              reads the latest completed one (the Flink model; default)
//   changelog  every checkpoint appends the state's changes to a compacted
//              changelog beside the coordinator; a restore replays it (the
//              Kafka Streams model)
//   standby    the changelog plus warm replicas on other workers' nodes that
//              apply it continuously; a restore promotes the most caught-up
//              replica and replays only the tail it misses
#pragma once

#include <cstdint>

namespace sluice {

enum class StateBackend : std::uint8_t { snapshot, changelog, standby };

constexpr const char* state_backend_name(StateBackend backend) {
  switch (backend) {
    case StateBackend::snapshot: return "snapshot";
    case StateBackend::changelog: return "changelog";
    case StateBackend::standby: return "standby";
  }
  return "?";
}

constexpr bool uses_changelog(StateBackend backend) { return backend != StateBackend::snapshot; }

}  // namespace sluice
