#include "sim/metrics/failover_record.h"

#include <algorithm>

namespace sluice {

void FailoverRecord::crashed(Nanos at, const std::string& node, const std::string& kind, std::uint64_t pending) {
  crashes_.push_back(Crash{.node = node, .kind = kind, .crashed_at = at, .pending_at_crash = pending});
}

// A restart answers the newest crash of the node still down.
void FailoverRecord::restarted(Nanos at, const std::string& node, std::uint64_t pending) {
  for (auto it = crashes_.rbegin(); it != crashes_.rend(); ++it) {
    if (it->node == node && it->restarted_at < 0) {
      it->restarted_at = at;
      break;
    }
  }
  recount();
  pending_now(at, pending);  // already caught up when it came back
}

void FailoverRecord::state_rebuilt(const std::string& backend, std::uint64_t records_replayed, std::uint64_t bytes_read,
                                   const std::string& promoted_standby) {
  for (Crash& c : crashes_) {
    if (c.first_effect_at >= 0) continue;
    c.backend = c.backend.empty() || c.backend == backend ? backend : "mixed";
    ++c.restores;
    c.records_replayed += records_replayed;
    c.bytes_read += bytes_read;
    auto& nodes = c.promoted_standbys;
    if (!promoted_standby.empty() && std::find(nodes.begin(), nodes.end(), promoted_standby) == nodes.end()) {
      nodes.push_back(promoted_standby);
    }
  }
}

void FailoverRecord::first_effects(Nanos at) {
  for (Crash& c : crashes_) {
    if (c.restarted_at >= 0 && c.first_effect_at < 0) c.first_effect_at = at;
  }
  recount();
}

void FailoverRecord::caught_up(Nanos at, std::uint64_t pending) {
  for (Crash& c : crashes_) {
    if (c.restarted_at >= 0 && c.caught_up_at < 0 && pending <= c.pending_at_crash) c.caught_up_at = at;
  }
  recount();
}

void FailoverRecord::recount() {
  awaiting_effect_ = awaiting_catch_up_ = 0;
  catch_up_level_ = 0;
  for (const Crash& c : crashes_) {
    if (c.restarted_at < 0) continue;
    if (c.first_effect_at < 0) ++awaiting_effect_;
    if (c.caught_up_at < 0) {
      ++awaiting_catch_up_;
      catch_up_level_ = std::max(catch_up_level_, c.pending_at_crash);
    }
  }
}

nlohmann::json FailoverRecord::summary_json() const {
  nlohmann::json out = nlohmann::json::array();
  auto since = [](Nanos from, Nanos to) { return to < 0 ? nlohmann::json() : nlohmann::json(to - from); };
  for (const Crash& c : crashes_) {
    auto at = [](Nanos t) { return t < 0 ? nlohmann::json() : nlohmann::json(t); };
    out.push_back({{"node", c.node},
                   {"kind", c.kind},
                   {"crashed_at_ns", c.crashed_at},
                   {"restarted_at_ns", at(c.restarted_at)},
                   {"pending_at_crash", c.pending_at_crash},
                   {"first_effect_at_ns", at(c.first_effect_at)},
                   {"recovery_ns", since(c.crashed_at, c.first_effect_at)},
                   {"caught_up_at_ns", at(c.caught_up_at)},
                   {"catch_up_ns", since(c.crashed_at, c.caught_up_at)},
                   {"backend", c.backend.empty() ? nlohmann::json() : nlohmann::json(c.backend)},
                   {"restore", {{"restores", c.restores},
                                {"records_replayed", c.records_replayed},
                                {"bytes_read", c.bytes_read},
                                {"promoted_standbys", c.promoted_standbys}}}});
  }
  return out;
}

}  // namespace sluice
