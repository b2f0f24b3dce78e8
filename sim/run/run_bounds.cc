#include "sim/run/run_bounds.h"

#include <algorithm>

namespace sluice {

namespace {

constexpr Nanos kMinSettle = kNanosPerSecond;
constexpr Nanos kStallMultiple = 10;

// a * b, saturating at kNever (durations here come from scenario files).
Nanos saturating_times(Nanos a, std::uint64_t b) {
  if (a <= 0 || b == 0) return 0;
  if (static_cast<std::uint64_t>(a) > static_cast<std::uint64_t>(kNever) / b) return kNever;
  return a * static_cast<Nanos>(b);
}

Nanos per_event_of(double rate_per_s) {
  return rate_per_s > 0 ? static_cast<Nanos>(kNanosPerSecond / rate_per_s) : 0;
}

// The longest one stage may take over one event when nothing is wrong: every
// attempt running to its timeout (or its mean service time), every backoff
// at its cap, the events ahead of it in the worker's inbox, the rate limit.
Nanos stage_settle(const StageSpec& stage) {
  const StagePolicies& p = stage.policies;
  const auto service = static_cast<Nanos>(std::max(0.0, stage.service_ns.mean()));
  const Nanos attempt = p.timeout != kNever ? p.timeout : service;
  Nanos longest = saturating_times(attempt + p.retry.max_backoff, p.retry.max_attempts);
  longest = std::max(longest, saturating_times(service, p.prefetch));
  longest = std::max(longest, per_event_of(p.rate_limit.rate_per_s));
  if (stage.group) {
    longest = std::max({longest, stage.group->session_timeout, stage.group->rpc_timeout});
  }
  if (stage.checkpoint) longest = std::max({longest, stage.checkpoint->interval, stage.checkpoint->timeout});
  return longest;
}

}  // namespace

Nanos default_stall_after(const Scenario& scenario) {
  Nanos longest = kMinSettle;
  for (const StageSpec& stage : scenario.stages) longest = std::max(longest, stage_settle(stage));
  for (const SinkSpec& sink : scenario.sinks) longest = std::max(longest, sink.rpc_timeout);
  for (const SourceSpec& source : scenario.sources) {
    longest = std::max({longest, source.retry.max_backoff, per_event_of(source.rate_limit.rate_per_s)});
  }
  for (const TopicSpec& topic : scenario.topics) longest = std::max(longest, topic.config.produce_timeout);
  return saturating_times(longest, kStallMultiple);
}

std::uint32_t default_livelock_attempts(const Scenario& scenario) {
  std::uint32_t most = 10;
  for (const StageSpec& stage : scenario.stages) most = std::max(most, stage.policies.retry.max_attempts);
  for (const SourceSpec& source : scenario.sources) most = std::max(most, source.retry.max_attempts);
  return most * 10;
}

RunBounds run_bounds(const Scenario& scenario, const BudgetOverrides& overrides) {
  const RunSpec& run = scenario.run;
  RunBounds bounds;
  bounds.max_virtual_time = overrides.max_virtual_time.value_or(run.max_virtual_time.value_or(kDefaultMaxVirtualTime));
  bounds.max_events = overrides.max_events.value_or(run.max_events.value_or(kDefaultMaxEvents));
  bounds.max_wall_ms = overrides.max_wall_ms.value_or(run.max_wall_ms.value_or(kDefaultMaxWallMs));
  bounds.stall_after = run.stall_after.value_or(default_stall_after(scenario));
  bounds.livelock_attempts = run.livelock_attempts.value_or(default_livelock_attempts(scenario));
  return bounds;
}

Nanos progress_judged_from(const std::vector<FaultSpec>& faults, const Scenario& scenario) {
  Nanos from = 0;
  for (const FaultSpec& fault : faults) {
    const bool crash = fault.kind == FaultKind::crash || fault.kind == FaultKind::crash_at_point;
    const Nanos lasts = crash ? fault.restart_after : fault.duration;
    // A crash at a fault point fires later than it is armed; the history
    // pushes the judging back when it does.
    from = std::max(from, lasts == kNever || fault.at > kNever - lasts ? fault.at : fault.at + lasts);
  }
  for (const SinkSpec& sink : scenario.sinks) {
    for (const Outage& outage : sink.outages) from = std::max(from, outage.end == kNever ? outage.start : outage.end);
  }
  return from;
}

}  // namespace sluice
