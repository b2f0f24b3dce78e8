// Evaluates a scenario's alert rules over the run's own metrics, every
// rule's `interval` of virtual time, from a fiber on the world's node (the
// monitoring system is not under test). Keeps each alert's transitions for
// summary.json, the trace and the report, and judges `expect.alerts`.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/runtime/runtime.h"
#include "sim/alerts/alert_rule.h"
#include "sim/alerts/alert_state.h"
#include "sim/world/fault_spec.h"

namespace sluice {

class History;

class AlertMonitor {
 public:
  // REQUIRES: the rules' `of` names were checked by the loader.
  AlertMonitor(Runtime& runtime, History& history, std::vector<AlertRule> rules);
  // Starts one evaluation loop per rule on `node` when the run starts.
  void start(NodeId node);

  // summary.json "alerts": per alert, its rule and transitions.
  nlohmann::json summary_json() const;
  // series.json "alerts": per alert, its pending and firing spans (closed at `end`).
  nlohmann::json series_json(Nanos end) const;
  // What failed of `expect.alerts`, each an explanation (exit 1).
  std::vector<std::string> failures(const std::vector<AlertExpectation>& expectations,
                                    const std::vector<FaultSpec>& faults, Nanos end) const;

 private:
  // Running totals sampled at each evaluation, for rates over a window.
  struct Sample {
    Nanos at;
    std::uint64_t done;      // effects, or the stage's finished events
    std::uint64_t failures;  // failed attempts and refusals
  };
  struct Watched {
    AlertRule rule;
    std::vector<std::size_t> queues;  // metric queues it reads (queue_depth, consumer_lag, stalled)
    std::int64_t stage = -1;          // the stage it reads, or -1: all
    AlertState state;
    std::deque<Sample> samples;
    Nanos last_progress = 0;
    std::uint64_t last_done = 0;
  };
  void run(std::size_t index);
  double read(Watched& w, Nanos now);
  Sample totals(const Watched& w, Nanos now) const;
  std::string explain(const AlertExpectation& e, const Watched* w, const std::vector<FaultSpec>& faults) const;

  Runtime& runtime_;
  History& history_;
  std::vector<std::unique_ptr<Watched>> watched_;
};

}  // namespace sluice
