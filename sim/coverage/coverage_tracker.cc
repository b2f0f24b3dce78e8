#include "sim/coverage/coverage_tracker.h"

#include <algorithm>
#include <cstdint>

#include "sim/coverage/coverage_kinds.h"

namespace sluice {
namespace {

// A fault "meets a retry" when an attempt failed this recently: about one
// backoff of the shipped retry policies.
constexpr Nanos kRetryingWindow = 1'000'000'000;

// The smallest depth at or above `percent` of `capacity`.
std::size_t band_depth(std::uint64_t capacity, unsigned percent) {
  return static_cast<std::size_t>((capacity * percent + 99) / 100);
}

bool any(const std::vector<bool>& flags) { return std::find(flags.begin(), flags.end(), true) != flags.end(); }

}  // namespace

void CoverageTracker::set_parts(std::vector<std::string> queues, std::vector<std::uint64_t> capacities,
                                std::size_t buffer_queues, std::vector<std::string> stages,
                                std::vector<std::int64_t> queue_consumers) {
  queues_ = std::move(queues);
  capacities_ = std::move(capacities);
  buffer_queues_ = buffer_queues;
  stages_ = std::move(stages);
  queue_consumers_ = std::move(queue_consumers);
  next_band_.assign(queues_.size(), 0);
  // Only bounded buffers have fill bands: topics have no item capacity.
  const std::size_t bounded = std::min(buffer_queues_, capacities_.size());
  backlog_depth_.assign(bounded, SIZE_MAX);
  next_band_depth_.assign(bounded, SIZE_MAX);
  for (std::size_t q = 0; q < bounded; ++q) {
    if (capacities_[q] == 0) continue;
    backlog_depth_[q] = band_depth(capacities_[q], 75);
    next_band_depth_[q] = band_depth(capacities_[q], coverage_fill_bands().front());
  }
  backlogged_.assign(queues_.size(), false);
  breaker_open_.assign(stages_.size(), false);
  rebalancing_.assign(stages_.size(), false);
  checkpointing_.assign(stages_.size(), false);
}

void CoverageTracker::depth(std::uint32_t queue, std::size_t depth) {
  // The hot path (every enqueue and dequeue): two compares against
  // precomputed depths; the band keys are built only when one is passed.
  if (queue >= backlog_depth_.size()) return;
  const bool high = depth >= backlog_depth_[queue];
  if (high != backlogged_[queue]) {
    backlogged_[queue] = high;
    backlogged_count_ += high ? 1 : static_cast<std::size_t>(-1);
  }
  if (depth < next_band_depth_[queue]) return;
  const std::vector<unsigned>& bands = coverage_fill_bands();
  const std::uint64_t capacity = capacities_[queue];
  while (next_band_[queue] < bands.size() && depth * 100 >= capacity * bands[next_band_[queue]]) {
    reach("fill:" + std::to_string(bands[next_band_[queue]]) + "@" + queues_[queue]);
    ++next_band_[queue];
  }
  next_band_depth_[queue] = next_band_[queue] < bands.size() ? band_depth(capacity, bands[next_band_[queue]]) : SIZE_MAX;
}

void CoverageTracker::breaker(std::uint32_t stage, const char* state) {
  breaker_open_[stage] = std::string_view(state) != "closed";
  reach("breaker:" + std::string(state) + "@" + stages_[stage]);
}

void CoverageTracker::worker_lost(std::uint32_t stage) { rebalancing_[stage] = true; }

void CoverageTracker::rebalanced(std::uint32_t stage, std::uint64_t generation) {
  rebalancing_[stage] = false;
  reach("generation:" + coverage_generation_bucket(generation) + "@" + stages_[stage]);
}

void CoverageTracker::attempt_failed(std::uint32_t stage, Nanos now) {
  last_failed_attempt_ = now;
  reach("retry:retried@" + stages_[stage]);
}

void CoverageTracker::gave_up(std::uint32_t stage, bool dead_lettered) {
  reach(std::string(dead_lettered ? "retry:dead_lettered@" : "retry:gave_up@") + stages_[stage]);
}

void CoverageTracker::snapshotted(std::uint32_t partition) {
  if (partition >= queue_consumers_.size() || queue_consumers_[partition] < 0) return;
  checkpointing_[static_cast<std::size_t>(queue_consumers_[partition])] = true;
}

void CoverageTracker::checkpoint_ended(std::uint32_t stage, bool completed) {
  checkpointing_[stage] = false;
  reach(std::string(completed ? "checkpoint:completed@" : "checkpoint:aborted@") + stages_[stage]);
}

std::vector<std::string> CoverageTracker::states(Nanos now) const {
  std::vector<std::string> out;
  if (any(rebalancing_)) out.push_back("rebalancing");
  if (any(checkpointing_)) out.push_back("checkpointing");
  if (any(breaker_open_)) out.push_back("breaker_open");
  if (backlogged_count_ > 0) out.push_back("backlogged");
  if (last_failed_attempt_ >= 0 && now - last_failed_attempt_ <= kRetryingWindow) out.push_back("retrying");
  if (out.empty()) out.push_back("quiet");
  return out;
}

void CoverageTracker::fault_began(const FaultSpec& fault, Nanos now) {
  const std::string kind = fault_kind_name(fault.kind);
  if (fault.kind == FaultKind::crash_at_point) reach("crashed_at:" + fault.point);
  for (const std::string& state : states(now)) reach("fault_state:" + kind + "/" + state);
  if (is_partition(fault.kind)) {
    reach("fault_role:" + kind + "/network");
    return;
  }
  auto it = roles_.find(fault.target);
  if (it == roles_.end()) return;
  for (const std::string& role : it->second) reach("fault_role:" + kind + "/" + role);
}

void CoverageTracker::fault_point(std::string_view point) {
  // Reached on every pass; the set lookup is only paid once per name in practice
  // because the points sit on checkpoint and commit paths, not per event.
  std::string key = "fault_point:" + std::string(point);
  if (!keys_.contains(key)) reach(std::move(key));
}

void CoverageTracker::perturbed(PerturbSite site) { reach("perturb:" + std::string(perturb_site_name(site))); }

void CoverageTracker::crash_lost(const std::string& node, std::uint64_t records, std::uint64_t puts) {
  if (records > 0) reach("crash_loss:records/" + coverage_loss_band(records) + "@" + node);
  if (puts > 0) reach("crash_loss:puts/" + coverage_loss_band(puts) + "@" + node);
}

nlohmann::json CoverageTracker::json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const std::string& key : keys_) list.push_back(key);
  return list;
}

}  // namespace sluice
