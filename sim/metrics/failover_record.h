// Failover time per crash (issue 17): for every crash of a node, how long
// the pipeline took to recover from it. Two figures, both from the crash:
// to the first effect at or after the node came back ("recovered"), and to
// caught up, when the events pending (accepted, no outcome yet) are back
// down to their count at the crash. The history feeds it crashes, restarts,
// effects and the pending count; nothing here touches the simulation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace sluice {

class FailoverRecord {
 public:
  void crashed(Nanos at, const std::string& node, const std::string& kind, std::uint64_t pending);
  void restarted(Nanos at, const std::string& node, std::uint64_t pending);
  // Called on every effect and every change of the pending count: a
  // comparison unless a restarted crash waits for one of them.
  void effect(Nanos at) {
    if (awaiting_effect_ > 0) first_effects(at);
  }
  // A partition's state was rebuilt by a restore: counted for every crash
  // still waiting for its first effect (the restores it caused).
  void state_rebuilt(const std::string& backend, std::uint64_t records_replayed, std::uint64_t bytes_read,
                     const std::string& promoted_standby);
  bool awaits_catch_up() const { return awaiting_catch_up_ > 0; }
  void pending_now(Nanos at, std::uint64_t pending) {
    if (awaiting_catch_up_ > 0 && pending <= catch_up_level_) caught_up(at, pending);
  }
  // summary.json "failover": one object per crash, in crash order (empty: no crash).
  nlohmann::json summary_json() const;
  bool any() const { return !crashes_.empty(); }

 private:
  struct Crash {
    std::string node, kind;
    Nanos crashed_at = 0;
    std::uint64_t pending_at_crash = 0;
    Nanos restarted_at = -1;    // -1: never came back
    Nanos first_effect_at = -1;  // the first effect at or after the restart
    Nanos caught_up_at = -1;     // pending back to pending_at_crash, at or after the restart
    std::string backend = "";    // of the restores it caused; "" none, "mixed" several
    std::uint64_t restores = 0, records_replayed = 0, bytes_read = 0;
    std::vector<std::string> promoted_standbys = {};  // nodes, in promotion order, each once
  };
  void first_effects(Nanos at);
  void caught_up(Nanos at, std::uint64_t pending);
  void recount();  // the waiting counts and the catch-up level, after a change
  std::vector<Crash> crashes_;
  std::uint32_t awaiting_effect_ = 0, awaiting_catch_up_ = 0;
  std::uint64_t catch_up_level_ = 0;  // the highest level a waiting crash would accept
};

}  // namespace sluice
