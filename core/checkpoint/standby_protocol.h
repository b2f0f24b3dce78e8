// The messages of the standby state backend: warm replicas on workers'
// nodes poll the checkpoint coordinator for the committed changelog, and a
// restoring worker may ask a replica's node for its state (promotion).
//
//   standby (worker node)                 coordinator (broker node)
//   StandbyPoll (positions) ----------->  which partitions it stands by for,
//   <---------- StandbyUpdate             and their committed records since
//   restoring worker                      standby's node
//   StandbyHandOver (partition) ------->  <---------- StandbyState (state, position)
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/broker/protocol.h"
#include "core/checkpoint/changelog.h"
#include "core/checkpoint/protocol.h"
#include "core/runtime/transport.h"

namespace sluice {

// A worker's standby server: one port per stage and worker, like barriers.
inline constexpr Port kStandbyPortBase = 0x100000;
constexpr Port standby_port(StageIndex stage, std::uint32_t worker) {
  return kStandbyPortBase + stage * kMaxWorkersPerStage + worker;
}

struct StandbyPoll {
  std::uint32_t worker = 0;
  std::vector<std::pair<std::uint32_t, std::uint64_t>> positions;  // (partition, next changelog offset)
};
struct StandbyFeed {
  std::uint32_t partition = 0;
  bool restart = false;  // the replica must start over from an empty state
  std::vector<ChangelogRecord> records;  // committed live records from its position (or 0)
  std::uint64_t end = 0;                 // its position after them
};
// Every partition the worker should stand by for now; others are dropped.
struct StandbyUpdate {
  std::vector<StandbyFeed> partitions;
};
struct StandbyHandOver {
  std::uint32_t partition = 0;
};
struct StandbyState {
  bool ok = false;  // false: no replica of that partition here (any more)
  std::uint64_t position = 0;
  std::string state;  // KeyedState::encode_full
};

}  // namespace sluice
