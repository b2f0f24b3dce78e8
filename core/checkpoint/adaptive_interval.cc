#include "core/checkpoint/adaptive_interval.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sluice {
namespace {

std::string ms(Nanos t) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1fms", static_cast<double>(t) / kNanosPerMilli);
  return text;
}

}  // namespace

AdaptiveInterval::AdaptiveInterval(AdaptiveCheckpointConfig config, Nanos initial)
    : config_(config), interval_(std::clamp(initial, config.min, config.max)) {}

std::optional<std::string> AdaptiveInterval::completed(Nanos alignment, std::uint64_t records, Nanos since_previous) {
  Nanos next = interval_;
  std::string reason;
  if (alignment > config_.alignment_target) {
    next = std::min(config_.max, interval_ * 2);
    reason = "alignment " + ms(alignment) + " over its target " + ms(config_.alignment_target);
  } else if (records > 0 && since_previous > 0) {
    const double per_ns = static_cast<double>(records) / static_cast<double>(since_previous);
    next = std::clamp(nanos_from_double(static_cast<double>(config_.replay_target) / per_ns), config_.min, config_.max);
    // Shorter at once (replay is at stake), longer at most twofold a step.
    next = std::min(next, interval_ * 2);
    reason = "replay of " + std::to_string(records) + " records per " + ms(since_previous) + " against its target " +
             std::to_string(config_.replay_target);
  }
  // Ignore changes under a quarter: the records counted per interval are
  // noisy (Poisson arrivals), and following the noise would only fill the record.
  if (next == interval_ || std::abs(static_cast<double>(next - interval_)) < 0.25 * static_cast<double>(interval_)) {
    return std::nullopt;
  }
  interval_ = next;
  return reason + ": interval " + ms(next);
}

}  // namespace sluice
