#include "sim/coverage/precursor_coverage.h"

#include <algorithm>

#include "sim/coverage/coverage_kinds.h"

namespace sluice {
namespace {

// Past this many ids out of order a source's arrivals at a sink are not
// followed any further (a shedding pipeline leaves gaps that never fill):
// memory and the scans below stay bounded.
constexpr std::size_t kMostOutOfOrder = 1024;

// The straggler scan runs when this many ids sit above the watermark: often
// while few do (the lag bands start low), every 64 beyond, so its cost (linear
// in the ids below the third straggler) is paid about once per 64 arrivals.
bool scan_at(std::size_t out_of_order) {
  return out_of_order == 1 || out_of_order == 8 || out_of_order == 32 || out_of_order % 64 == 0;
}

bool in(const std::vector<std::string>& group, const std::string& node) {
  return std::find(group.begin(), group.end(), node) != group.end();
}

// The group of a partition holding `node`, or -1: a node in no group is not cut off.
int group_of(const FaultSpec& cut, const std::string& node) {
  for (std::size_t g = 0; g < cut.groups.size(); ++g) {
    if (in(cut.groups[g], node)) return static_cast<int>(g);
  }
  return -1;
}

bool same_cut(const FaultSpec& a, const FaultSpec& b) {
  return a.kind == b.kind && a.at == b.at && a.groups == b.groups && a.from == b.from && a.to == b.to;
}

}  // namespace

void PrecursorCoverage::set_sinks(std::vector<SinkInfo> sinks) {
  sinks_ = std::move(sinks);
  sink_state_.assign(sinks_.size(), SinkState{});
}

Nanos PrecursorCoverage::offset(const std::string& node) const {
  auto it = offsets_.find(node);
  return it == offsets_.end() ? 0 : it->second;
}

void PrecursorCoverage::effect(SinkIndex sink, EventId id) {
  if (sink >= sinks_.size() || sinks_[sink].dead_letter) return;
  if (sinks_[sink].window > 0) window_effect(sink);
  Arrivals& arrivals = arrivals_[{sink, source_of(id)}];
  if (arrivals.saturated) return;
  const std::uint64_t n = sequence_of(id);
  if (!arrivals.seen.insert(n) || n <= arrivals.seen.watermark()) return;  // a repeat, or in order
  arrivals.highest = std::max(arrivals.highest, n);
  const std::size_t out_of_order = arrivals.seen.sparse_size();
  if (out_of_order > kMostOutOfOrder) {
    arrivals.seen = SequenceSet{};
    arrivals.saturated = true;
    return;
  }
  if (scan_at(out_of_order)) stragglers(sink, arrivals);
}

// Stamps in a full window come from its last `window` effects, so from this
// epoch or the one before: the node's clock stands behind them by the highest
// offset of the two epochs minus its offset now.
void PrecursorCoverage::window_effect(std::size_t sink) {
  const SinkInfo& info = sinks_[sink];
  SinkState& state = sink_state_[sink];
  const Nanos now = offset(info.node);
  if (state.effects - state.epoch_start >= info.window) {
    state.previous_high = state.epoch_high;
    state.epoch_high = now;
    state.epoch_start = state.effects;
  }
  if (state.effects == 0) state.epoch_high = state.previous_high = now;
  state.epoch_high = std::max(state.epoch_high, now);
  ++state.effects;
  if (state.effects <= info.window) return;  // not full yet: nothing is evicted
  tracker_.reach("window_evict:" + coverage_setback_band(std::max(state.epoch_high, state.previous_high) - now) +
                 "@" + info.name);
}

void PrecursorCoverage::stragglers(std::size_t sink, Arrivals& arrivals) {
  const SequenceSet& seen = arrivals.seen;
  const std::vector<std::uint64_t> missing = seen.missing_below(arrivals.highest, 3);
  const std::vector<std::string>& counts = coverage_straggler_counts();
  for (std::size_t k = 0; k < missing.size(); ++k) {
    // Present ids below the (k+1)-th straggler: those above the watermark, minus the k earlier stragglers.
    const std::uint64_t below = missing[k] - seen.watermark() - k;
    const std::uint64_t later = seen.sparse_size() - below;
    tracker_.reach("stragglers:" + counts[k] + "/" + coverage_lag_band(later) + "@" + sinks_[sink].name);
  }
}

bool PrecursorCoverage::away_from(const std::string& node, const std::string& other, std::string* how) const {
  if (other == node) return false;
  auto paused = paused_.find(other);
  if (paused != paused_.end() && paused->second > 0) {
    *how = "paused";
    return true;
  }
  for (const FaultSpec& cut : cuts_) {
    bool apart = false;
    if (cut.kind == FaultKind::partition) {
      const int mine = group_of(cut, node), theirs = group_of(cut, other);
      apart = mine >= 0 && theirs >= 0 && mine != theirs;
    } else {
      apart = (in(cut.from, node) && in(cut.to, other)) || (in(cut.from, other) && in(cut.to, node));
    }
    if (apart) {
      *how = "partitioned";
      return true;
    }
  }
  return false;
}

void PrecursorCoverage::fault_began(const FaultSpec& fault) {
  switch (fault.kind) {
    case FaultKind::crash:
    case FaultKind::crash_at_point:
      if (!timed_out_.empty()) {
        tracker_.reach("crash_unacked:" + coverage_loss_band(timed_out_.size()) + "@" + fault.target);
      }
      paused_.erase(fault.target);  // a crash ends any pause
      break;
    case FaultKind::pause: ++paused_[fault.target]; break;
    case FaultKind::clock_skew: offsets_[fault.target] += fault.offset; break;
    case FaultKind::partition:
    case FaultKind::partition_one_way: cuts_.push_back(fault); break;
    case FaultKind::slow: break;
  }
}

void PrecursorCoverage::fault_healed(const FaultSpec& fault) {
  switch (fault.kind) {
    case FaultKind::crash:
    case FaultKind::crash_at_point: {
      // The restart: which nodes are away from it now.
      for (const auto& [node, roles] : tracker_.node_roles()) {
        std::string how;
        if (!away_from(fault.target, node, &how)) continue;
        for (const std::string& role : roles) tracker_.reach("restart_away:" + how + "/" + role + "@" + fault.target);
      }
      break;
    }
    case FaultKind::pause: {
      auto it = paused_.find(fault.target);
      if (it != paused_.end() && it->second > 0) --it->second;
      break;
    }
    case FaultKind::clock_skew: offsets_[fault.target] -= fault.offset; break;
    case FaultKind::partition:
    case FaultKind::partition_one_way: {
      auto it = std::find_if(cuts_.begin(), cuts_.end(), [&](const FaultSpec& cut) { return same_cut(cut, fault); });
      if (it != cuts_.end()) cuts_.erase(it);
      break;
    }
    case FaultKind::slow: break;
  }
}

}  // namespace sluice
