#include "sim/world/fault_spec.h"

#include <algorithm>
#include <cmath>

#include "core/random/distribution.h"
#include "core/random/rng.h"
#include "core/runtime/fault_points.h"

namespace sluice {

namespace {

// Which kinds this seed enables: each candidate with probability 1/2,
// re-drawn until at least one is on.
std::vector<FaultKind> enabled_kinds(const std::vector<FaultKind>& candidates, Rng& rng) {
  for (;;) {
    std::vector<FaultKind> enabled;
    for (FaultKind kind : candidates) {
      if (rng.bernoulli(0.5)) enabled.push_back(kind);
    }
    if (!enabled.empty() || candidates.empty()) return enabled;
  }
}

// The other side of a partition around `target`: each other node joins it
// with probability 1/2, and at least one does. The rest stay with `target`.
// REQUIRES: `others` is not empty.
void split(const std::vector<std::string>& others, std::vector<std::string>& mine, std::vector<std::string>& theirs,
           Rng& rng) {
  for (const std::string& node : others) (rng.bernoulli(0.5) ? theirs : mine).push_back(node);
  if (!theirs.empty()) return;
  const std::size_t pick = rng.uniform_u64(mine.size() - 1) + 1;  // never the target at mine[0]
  theirs.push_back(mine[pick]);
  mine.erase(mine.begin() + static_cast<std::ptrdiff_t>(pick));
}

// Distinct targets other than `target`, in order.
std::vector<std::string> others_of(const std::string& target, const std::vector<std::string>& targets) {
  std::vector<std::string> others;
  for (const std::string& node : targets) {
    if (node != target && std::find(others.begin(), others.end(), node) == others.end()) others.push_back(node);
  }
  return others;
}

// Durations scale with intensity: at 1.0 a pause lasts 2 s on average, a
// crash keeps the node down 5 s, a slowdown lasts 20 s at up to 20x, a
// partition lasts 10 s, a clock skew 30 s (its offset: up to the swarm's
// max_clock_skew, else intensity seconds, either way).
FaultSpec draw_fault(FaultKind kind, Nanos at, const std::string& target, const std::vector<std::string>& targets,
                     const SwarmSpec& swarm, const std::vector<std::string_view>& points, Rng& rng) {
  const double intensity = swarm.intensity;
  auto duration = [&](double mean_seconds) {
    return std::max<Nanos>(kNanosPerMilli,
                           static_cast<Nanos>(Distribution::exponential(1.0 / (mean_seconds * intensity)).sample(rng) *
                                              kNanosPerSecond));
  };
  FaultSpec fault;
  fault.at = at;
  fault.kind = kind;
  fault.target = target;
  switch (kind) {
    case FaultKind::crash: fault.restart_after = duration(5.0); break;
    case FaultKind::crash_at_point: {
      fault.point = std::string(points[rng.uniform_u64(points.size())]);
      fault.restart_after = duration(5.0);
      break;
    }
    case FaultKind::pause: fault.duration = duration(2.0); break;
    case FaultKind::slow:
      fault.duration = duration(20.0);
      fault.factor = 1.0 + std::floor(Distribution::uniform(1.0, 1.0 + 19.0 * intensity).sample(rng));
      break;
    case FaultKind::clock_skew: {
      // By default at most +-intensity seconds; a scenario may allow the
      // steps of several seconds NTP makes after a long drift (max_clock_skew).
      fault.duration = duration(30.0);
      const double bound = swarm.max_clock_skew > 0 ? static_cast<double>(swarm.max_clock_skew)
                                                    : intensity * kNanosPerSecond;
      fault.offset = static_cast<Nanos>(Distribution::uniform(-1.0, 1.0).sample(rng) * bound);
      break;
    }
    case FaultKind::partition:
    case FaultKind::partition_one_way: {
      fault.target.clear();
      fault.duration = duration(10.0);
      std::vector<std::string> mine{target}, theirs;
      split(others_of(target, targets), mine, theirs, rng);
      if (kind == FaultKind::partition) {
        fault.groups = {std::move(mine), std::move(theirs)};
      } else {
        fault.from = {target};
        fault.to = std::move(theirs);
      }
      break;
    }
  }
  return fault;
}

}  // namespace

Nanos FaultSpec::lasts() const {
  const std::vector<std::string_view>& fields = fault_kind_info(kind).fields;
  return std::find(fields.begin(), fields.end(), "restart_after") != fields.end() ? restart_after : duration;
}

std::vector<std::string> FaultSpec::nodes() const {
  std::vector<std::string> out;
  if (!target.empty()) out.push_back(target);
  for (const auto& group : groups) out.insert(out.end(), group.begin(), group.end());
  out.insert(out.end(), from.begin(), from.end());
  out.insert(out.end(), to.begin(), to.end());
  return out;
}

std::string FaultSpec::describe_targets() const {
  auto join = [](const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& name : names) text += (text.empty() ? "" : ",") + name;
    return text;
  };
  if (kind == FaultKind::partition) {
    std::string text;
    for (const auto& group : groups) text += (text.empty() ? "" : " | ") + join(group);
    return text;
  }
  if (kind == FaultKind::partition_one_way) return join(from) + " -> " + join(to);
  return target;
}

namespace {
// The kinds one seed enables, drawn first from the swarm's generator.
std::vector<FaultKind> seed_kinds(const SwarmSpec& swarm, const std::vector<std::string>& targets, Rng& rng) {
  // A partition needs two distinct nodes to separate.
  std::vector<FaultKind> candidates = swarm.kinds;
  if (targets.empty() || others_of(targets[0], targets).empty()) std::erase_if(candidates, is_partition);
  return enabled_kinds(candidates, rng);
}
}  // namespace

std::vector<FaultKind> swarm_enabled_kinds(const SwarmSpec& swarm, const std::vector<std::string>& nodes,
                                           std::uint64_t seed) {
  Rng rng = Rng(seed).fork("swarm");
  return seed_kinds(swarm, swarm.targets.empty() ? nodes : swarm.targets, rng);
}

std::vector<FaultSpec> draw_swarm(const SwarmSpec& swarm, Nanos faults_end, const std::vector<std::string>& nodes,
                                  std::uint64_t seed) {
  std::vector<FaultSpec> faults;
  if (swarm.rate_per_s <= 0 || faults_end == kNever) return faults;
  Rng rng = Rng(seed).fork("swarm");
  const std::vector<std::string>& targets = swarm.targets.empty() ? nodes : swarm.targets;
  std::vector<FaultKind> kinds = seed_kinds(swarm, targets, rng);
  if (kinds.empty() || targets.empty()) return faults;
  const std::vector<std::string_view> points = swarm_fault_points(swarm.transaction_points, swarm.scale_in_points);
  Distribution gap = Distribution::exponential(swarm.rate_per_s / kNanosPerSecond);
  // Gaps are clamped: a rate of 1e-9/s has a mean gap past the range of Nanos.
  for (Nanos at = swarm.start + nanos_from_double(gap.sample(rng)); at < faults_end;
       at += nanos_from_double(gap.sample(rng))) {
    FaultKind kind = kinds[rng.uniform_u64(kinds.size())];
    const std::string& target = targets[rng.uniform_u64(targets.size())];
    FaultSpec fault = draw_fault(kind, at, target, targets, swarm, points, rng);
    // Everything heals by faults_end, so liveness can be judged after it.
    if (fault.kind == FaultKind::crash) fault.restart_after = std::min(fault.restart_after, faults_end - at);
    else fault.duration = std::min(fault.duration, faults_end - at);
    faults.push_back(fault);
  }
  return faults;
}

}  // namespace sluice
