#include "sim/run/alert_monitor.h"

#include <algorithm>
#include <cstdio>

#include "sim/catalog/fault_kind_catalog.h"
#include "sim/run/history.h"

namespace sluice {
namespace {

std::string seconds(Nanos t) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1fs", to_seconds(t));
  return text;
}

const char* metric_name(AlertMetric m) {
  switch (m) {
    case AlertMetric::queue_depth: return "queue_depth";
    case AlertMetric::consumer_lag: return "consumer_lag";
    case AlertMetric::p99_latency: return "p99_latency";
    case AlertMetric::error_rate: return "error_rate";
    case AlertMetric::retry_rate: return "retry_rate";
    case AlertMetric::throughput: return "throughput";
    case AlertMetric::stalled: return "stalled";
  }
  return "?";
}

}  // namespace

AlertMonitor::AlertMonitor(Runtime& runtime, History& history, std::vector<AlertRule> rules)
    : runtime_(runtime), history_(history) {
  const PartNames& names = history.names();
  for (AlertRule& rule : rules) {
    auto w = std::make_unique<Watched>(Watched{rule, {}, -1, AlertState(rule.hold_for), {}, 0, 0});
    // A name is a buffer (one queue), a topic (its partitions' queues) or a stage (the queue it reads).
    for (std::size_t q = 0; q < names.queues.size(); ++q) {
      const std::string& queue = names.queues[q];
      if (queue == rule.of || queue.rfind(rule.of + "/", 0) == 0) w->queues.push_back(q);
    }
    for (std::size_t s = 0; s < names.stages.size(); ++s) {
      if (names.stages[s] != rule.of) continue;
      w->stage = static_cast<std::int64_t>(s);
      for (std::size_t q = 0; q < names.queue_consumers.size(); ++q) {
        if (names.queue_consumers[q] == w->stage) w->queues.push_back(q);
      }
    }
    if (rule.metric == AlertMetric::p99_latency) history.window_latency().enable(rule.window);
    watched_.push_back(std::move(w));
  }
}

void AlertMonitor::start(NodeId node) {
  runtime_.on_node_start(node, [this, node] {
    for (std::size_t i = 0; i < watched_.size(); ++i) {
      runtime_.spawn(node, "alert " + watched_[i]->rule.name, [this, i] { run(i); }, SpawnOptions{.daemon = true});
    }
  });
}

void AlertMonitor::run(std::size_t index) {
  Watched& w = *watched_[index];
  for (;;) {
    runtime_.sleep_for(w.rule.interval);
    const Nanos now = runtime_.now();
    const double value = read(w, now);
    const bool condition = w.rule.above ? value > w.rule.threshold : value < w.rule.threshold;
    if (w.state.evaluate(now, condition, value)) {
      history_.on(AlertChanged{w.rule.name, w.state.transitions().back().state, value});
    }
  }
}

AlertMonitor::Sample AlertMonitor::totals(const Watched& w, Nanos now) const {
  const PipelineMetrics& m = history_.metrics();
  Sample s{now, 0, 0};
  if (w.stage >= 0) {
    s.done = m.stages[static_cast<std::size_t>(w.stage)].processed;
    s.failures = m.stages[static_cast<std::size_t>(w.stage)].retries;
  } else {
    s.done = w.rule.metric == AlertMetric::throughput ? m.counts.effects : 0;
    for (const StageMetrics& stage : m.stages) {
      if (w.rule.metric != AlertMetric::throughput) s.done += stage.processed;
      s.failures += stage.retries;
    }
  }
  return s;
}

// Rates over the window come from the oldest sample still inside it, so
// they are exact at the evaluation interval's granularity.
double AlertMonitor::read(Watched& w, Nanos now) {
  const PipelineMetrics& m = history_.metrics();
  std::int64_t depth = 0;
  for (std::size_t q : w.queues) depth += m.queues[q].depth.value();
  const Sample current = totals(w, now);
  w.samples.push_back(current);
  while (w.samples.size() > 1 && w.samples[1].at <= now - w.rule.window) w.samples.pop_front();
  const Sample& base = w.samples.front();
  const double span = std::max(to_seconds(now - base.at), 1e-9);
  if (current.done != w.last_done) {
    w.last_done = current.done;
    w.last_progress = now;
  }
  switch (w.rule.metric) {
    case AlertMetric::queue_depth:
    case AlertMetric::consumer_lag: return static_cast<double>(depth);
    case AlertMetric::p99_latency: {
      const std::int64_t p99 = history_.window_latency().p99(now, w.rule.window);
      return p99 < 0 ? 0 : to_seconds(p99);
    }
    case AlertMetric::error_rate: {
      const double failed = static_cast<double>(current.failures - base.failures);
      const double attempts = failed + static_cast<double>(current.done - base.done);
      return attempts > 0 ? failed / attempts : 0;
    }
    case AlertMetric::retry_rate: return static_cast<double>(current.failures - base.failures) / span;
    case AlertMetric::throughput: return static_cast<double>(current.done - base.done) / span;
    case AlertMetric::stalled: {
      const bool backlog = w.queues.empty() ? history_.backlog() > 0 : depth > 0;
      return backlog && now - w.last_progress >= w.rule.window ? 1 : 0;
    }
  }
  return 0;
}

nlohmann::json AlertMonitor::summary_json() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& w : watched_) {
    nlohmann::json transitions = nlohmann::json::array();
    std::size_t fired = 0;
    for (const AlertTransition& t : w->state.transitions()) {
      transitions.push_back({{"at_ns", t.at}, {"state", t.state}, {"value", t.value}});
      fired += std::string_view(t.state) == "firing" ? 1 : 0;
    }
    out[w->rule.name] = {{"metric", metric_name(w->rule.metric)},
                         {"of", w->rule.of},
                         {"op", w->rule.above ? "above" : "below"},
                         {"threshold", w->rule.threshold},
                         {"for_ns", w->rule.hold_for},
                         {"interval_ns", w->rule.interval},
                         {"fired", fired},
                         {"transitions", std::move(transitions)}};
  }
  return out;
}

nlohmann::json AlertMonitor::series_json(Nanos end) const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& w : watched_) {
    nlohmann::json spans = nlohmann::json::array();
    const std::vector<AlertTransition>& ts = w->state.transitions();
    for (std::size_t i = 0; i < ts.size(); ++i) {
      const std::string_view state = ts[i].state;
      if (state != "pending" && state != "firing") continue;
      const Nanos until = i + 1 < ts.size() ? ts[i + 1].at : end;
      if (until > ts[i].at) spans.push_back({{"state", ts[i].state}, {"from_ns", ts[i].at}, {"to_ns", until}});
    }
    out[w->rule.name] = std::move(spans);
  }
  return out;
}

std::vector<std::string> AlertMonitor::failures(const std::vector<AlertExpectation>& expectations,
                                                const std::vector<FaultSpec>& faults, Nanos end) const {
  std::vector<std::string> out;
  for (const AlertExpectation& e : expectations) {
    const Watched* w = nullptr;
    for (const auto& candidate : watched_) {
      if (candidate->rule.name == e.alert) w = candidate.get();
    }
    const std::string why = explain(e, w, faults);
    if (!why.empty()) out.push_back(why + " (" + e.pointer + "; the run ended at " + seconds(end) + ")");
  }
  return out;
}

// Empty when the expectation held; else what happened instead.
std::string AlertMonitor::explain(const AlertExpectation& e, const Watched* w, const std::vector<FaultSpec>& faults) const {
  const std::string name = "alert '" + e.alert + "'";
  if (w == nullptr) return name + " is not a rule of this scenario";
  std::vector<Nanos> fired, resolved;
  Nanos first_pending = -1;
  for (const AlertTransition& t : w->state.transitions()) {
    const std::string_view state = t.state;
    if (state == "firing") fired.push_back(t.at);
    if (state == "resolved") resolved.push_back(t.at);
    if (state == "pending" && first_pending < 0) first_pending = t.at;
  }
  if (e.kind == AlertExpectation::Kind::never_fires) {
    if (fired.empty()) return "";
    return name + " was expected never to fire but fired at " + seconds(fired.front());
  }
  Nanos from = e.at;
  std::string anchor = "at " + seconds(e.at);
  if (e.fault) {
    const FaultSpec& f = faults[*e.fault];
    const bool heal = e.kind == AlertExpectation::Kind::resolves_within;
    from = heal ? saturating_add(f.at, f.lasts()) : f.at;
    const std::string fault = "fault " + std::to_string(*e.fault) + " (" + fault_kind_name(f.kind) + " " +
                              f.describe_targets() + " at " + seconds(f.at) + ")";
    anchor = heal ? "the heal at " + seconds(from) + " of " + fault : fault;
  }
  const std::vector<Nanos>& times = e.kind == AlertExpectation::Kind::fires_within ? fired : resolved;
  for (Nanos t : times) {
    if (t >= from && t <= saturating_add(from, e.within)) return "";
  }
  const char* verb = e.kind == AlertExpectation::Kind::fires_within ? "fire" : "resolve";
  std::string what = name + " was expected to " + verb + " within " + seconds(e.within) + " of " + anchor + " but ";
  const auto later = std::find_if(times.begin(), times.end(), [&](Nanos t) { return t >= from; });
  if (later != times.end()) {
    return what + "did so only at " + seconds(*later) + ", " + seconds(*later - from) + " after it" +
           (e.kind == AlertExpectation::Kind::fires_within
                ? " (its `for` of " + seconds(w->rule.hold_for) + " plus the " + seconds(w->rule.interval) +
                      " evaluation interval)"
                : "");
  }
  if (e.kind == AlertExpectation::Kind::resolves_within && fired.empty()) return what + "it never fired";
  if (e.kind == AlertExpectation::Kind::fires_within && first_pending >= 0) {
    return what + "it never fired: it went pending at " + seconds(first_pending) + " but its condition did not hold for " +
           seconds(w->rule.hold_for);
  }
  return what + "it never did";
}

}  // namespace sluice
