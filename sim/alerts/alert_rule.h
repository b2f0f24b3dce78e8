// A scenario's alert rules and the expectations about them (README,
// "Elastic scaling and alerts"). Prometheus-style: a rule's condition is
// evaluated every `interval` of virtual time; true for `for` makes the alert
// fire (pending until then), false again resolves it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"

namespace sluice {

enum class AlertMetric : std::uint8_t {
  queue_depth,    // events waiting in a buffer, or retained in a topic (all partitions)
  consumer_lag,   // a topic's records appended and not yet committed by its group
  p99_latency,    // source-to-effect p99 over the last `window` (seconds)
  error_rate,     // failed attempts / all attempts over the last `window`, of a stage or all
  retry_rate,     // failed attempts and downstream refusals per second over the last `window`
  throughput,     // effects per second (or a stage's finished events) over the last `window`
  stalled,        // 1 while a stage (or the pipeline) has a backlog and finished nothing for `window`
};

struct AlertRule {
  std::string name;
  AlertMetric metric = AlertMetric::queue_depth;
  std::string of;            // the queue, topic or stage; empty: the whole pipeline (where allowed)
  bool above = true;         // fires when the value is above (false: below) the threshold
  double threshold = 0;      // in the metric's unit (events, events/s, seconds, a fraction)
  Nanos window = 60 * kNanosPerSecond;
  Nanos hold_for = 0;        // Prometheus' `for`
  Nanos interval = 15 * kNanosPerSecond;
};

struct AlertExpectation {
  enum class Kind : std::uint8_t { fires_within, never_fires, resolves_within };
  std::string alert;
  Kind kind = Kind::fires_within;
  Nanos within = 0;
  // From a named fault's start (fires_within) or end (resolves_within), or from `at` (a degradation's start).
  std::optional<std::size_t> fault;
  Nanos at = 0;
  std::string pointer;  // where it was written, for messages
};

}  // namespace sluice
