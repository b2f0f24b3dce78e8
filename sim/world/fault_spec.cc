#include "sim/world/fault_spec.h"

#include <algorithm>
#include <cmath>

#include "core/random/distribution.h"
#include "core/random/rng.h"

namespace sluice {

const char* fault_kind_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::crash: return "crash";
    case FaultKind::pause: return "pause";
    case FaultKind::slow: return "slow";
    case FaultKind::clock_skew: return "clock_skew";
  }
  return "?";
}

const std::vector<std::string>& fault_kind_names() {
  static const std::vector<std::string> names = {"crash", "pause", "slow", "clock_skew"};
  return names;
}

std::optional<FaultKind> fault_kind_from_name(std::string_view name) {
  for (FaultKind kind : {FaultKind::crash, FaultKind::pause, FaultKind::slow, FaultKind::clock_skew}) {
    if (name == fault_kind_name(kind)) return kind;
  }
  return std::nullopt;
}

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

// Durations scale with intensity: at 1.0 a pause lasts 2 s on average, a
// crash keeps the node down 5 s, a slowdown lasts 20 s at up to 20x.
FaultSpec draw_fault(FaultKind kind, Nanos at, const std::string& target, double intensity, Rng& rng) {
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
    case FaultKind::pause: fault.duration = duration(2.0); break;
    case FaultKind::slow:
      fault.duration = duration(20.0);
      fault.factor = 1.0 + std::floor(Distribution::uniform(1.0, 1.0 + 19.0 * intensity).sample(rng));
      break;
    case FaultKind::clock_skew:
      fault.duration = duration(30.0);
      fault.offset = static_cast<Nanos>(Distribution::uniform(-1.0, 1.0).sample(rng) * intensity * kNanosPerSecond);
      break;
  }
  return fault;
}

}  // namespace

std::vector<FaultSpec> draw_swarm(const SwarmSpec& swarm, Nanos faults_end, const std::vector<std::string>& nodes,
                                  std::uint64_t seed) {
  std::vector<FaultSpec> faults;
  if (swarm.rate_per_s <= 0 || faults_end == kNever) return faults;
  Rng rng = Rng(seed).fork("swarm");
  std::vector<FaultKind> kinds = enabled_kinds(swarm.kinds, rng);
  const std::vector<std::string>& targets = swarm.targets.empty() ? nodes : swarm.targets;
  if (kinds.empty() || targets.empty()) return faults;
  Distribution gap = Distribution::exponential(swarm.rate_per_s / kNanosPerSecond);
  for (Nanos at = swarm.start + static_cast<Nanos>(gap.sample(rng)); at < faults_end;
       at += static_cast<Nanos>(gap.sample(rng))) {
    FaultKind kind = kinds[rng.uniform_u64(kinds.size())];
    const std::string& target = targets[rng.uniform_u64(targets.size())];
    FaultSpec fault = draw_fault(kind, at, target, swarm.intensity, rng);
    // Everything heals by faults_end, so liveness can be judged after it.
    if (fault.kind == FaultKind::crash) fault.restart_after = std::min(fault.restart_after, faults_end - at);
    else fault.duration = std::min(fault.duration, faults_end - at);
    faults.push_back(fault);
  }
  return faults;
}

}  // namespace sluice
