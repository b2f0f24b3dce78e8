#include "sim/scaling/scaling_record.h"

#include <algorithm>
#include <cstring>

namespace sluice {
namespace {

std::string seconds(Nanos t) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3fs", to_seconds(t));
  return text;
}

std::string direction(std::uint32_t from, std::uint32_t to) { return to > from ? "up" : "down"; }

}  // namespace

namespace {
// A window of zero is no window at all: "none" reads better than "0 ns".
std::string window_words(Nanos window) { return window == 0 ? "none" : human_duration(window); }
}  // namespace

std::string damping_words(const AutoscaleConfig& config, bool no_stabilization) {
  if (no_stabilization) return "the no_stabilization defect makes its autoscaler ignore its stabilization windows";
  switch (config.algorithm) {
    case ScalingAlgorithm::hpa:
      return "its hpa autoscaler's stabilization windows (scale-up " + window_words(config.up.stabilization) +
             ", scale-down " + window_words(config.down.stabilization) +
             ") are shorter than the load's swings, so every lull scales in and every burst scales out again";
    case ScalingAlgorithm::keda_lag:
      return "its keda_lag autoscaler's cooldown of " + human_duration(config.cooldown) + " and polling every " +
             human_duration(config.period) + " do not outlast the load's swings";
    case ScalingAlgorithm::rate:
      return "its rate (DS2) autoscaler re-decides every " + human_duration(config.period) +
             " with no window to smooth the rates it measures";
  }
  return "";
}

void ScalingRecord::add_stage(std::uint32_t stage, std::string name, std::uint32_t initial, FlappingBounds flapping) {
  StageScaling& s = stages_[stage];
  s.name = std::move(name);
  s.flapping = flapping;
  s.ready = s.ready_max = s.ready_min = initial;
  s.ready_series.set(0, initial);
}

// A reversal is a change whose direction is the opposite of the previous change's.
void ScalingRecord::decided(Nanos at, std::uint32_t stage, std::uint32_t from, std::uint32_t to, const std::string& reason) {
  auto it = stages_.find(stage);
  if (it == stages_.end()) return;
  StageScaling& s = it->second;
  if (!s.decisions.empty()) {
    const Decision& last = s.decisions.back();
    if ((last.to > last.from) != (to > from)) s.reversals.push_back(at);
  }
  s.decisions.push_back({at, from, to, reason});
  std::uint32_t in_window = 0;
  for (Nanos r : s.reversals) in_window += r > at - s.flapping.window ? 1 : 0;
  if (in_window > s.worst_reversals) {
    s.worst_reversals = in_window;
    s.worst_at = at;
  }
  if (reason.find("capped") != std::string::npos) ++s.idle_slots_wanted;
}

void ScalingRecord::replica_changed(Nanos at, std::uint32_t stage, std::uint32_t worker, const char* state) {
  auto it = stages_.find(stage);
  if (it == stages_.end()) return;
  StageScaling& s = it->second;
  if (std::strcmp(state, "ready") == 0) ++s.ready;
  // A draining replica no longer takes work: it counts as gone.
  if (std::strcmp(state, "draining") == 0 && s.ready > 0) --s.ready;
  if (std::strcmp(state, "left") == 0) {
    const std::int64_t held = held_[{stage, worker}];
    if (held > 0) {
      lossless_.violate("replica " + std::to_string(worker) + " of stage " + s.name + " left at " + seconds(at) +
                        " holding " + std::to_string(held) +
                        " event(s) it had neither finished nor handed back: they are lost (a buffer's) or replayed "
                        "past their commit (a topic's)");
    }
    ++lossless_.checked;
    held_[{stage, worker}] = 0;
  }
  s.ready_max = std::max(s.ready_max, s.ready);
  s.ready_min = std::min(s.ready_min, s.ready);
  s.ready_series.set(at, s.ready);
}

void ScalingRecord::delivered(std::uint32_t stage, std::uint32_t worker) {
  if (stages_.count(stage) != 0) ++held_[{stage, worker}];
}

void ScalingRecord::released(std::uint32_t stage, std::uint32_t worker) {
  if (stages_.count(stage) != 0) --held_[{stage, worker}];
}

// A crash is a fault, not a scale-in: what the worker held is the fault's
// business (no_loss, redelivery), not this invariant's.
void ScalingRecord::worker_lost(std::uint32_t stage, std::uint32_t worker) {
  if (stages_.count(stage) != 0) held_[{stage, worker}] = 0;
}

void ScalingRecord::effect(Nanos at, Nanos emitted_at, std::uint64_t event) {
  if (!has_slo_ || at < slo_.settle) return;
  const Nanos latency = std::max<Nanos>(0, at - emitted_at);
  after_settle_.record(latency);
  if (latency > slo_.p99) {
    ++over_;
    ++over_by_window_[at / kOverWindow];
  }
  auto slower = [](const SlowEffect& a, const SlowEffect& b) { return a.at - a.emitted_at > b.at - b.emitted_at; };
  const SlowEffect e{event, emitted_at, at};
  if (slowest_.size() == kSlowestKept && !slower(e, slowest_.back())) return;
  slowest_.insert(std::upper_bound(slowest_.begin(), slowest_.end(), e, slower), e);
  if (slowest_.size() > kSlowestKept) slowest_.pop_back();
}

std::optional<ScalingRecord::SloMiss> ScalingRecord::slo_miss() const {
  if (latency_slo().ok()) return std::nullopt;
  SloMiss miss{.slo = slo_, .p99 = after_settle_.quantile(0.99), .effects = after_settle_.count(), .over = over_,
               .slowest = slowest_};
  for (const auto& [window, count] : over_by_window_) {
    if (count <= miss.worst_over) continue;
    miss.worst_over = count;
    miss.worst_from = window * kOverWindow;
    miss.worst_to = miss.worst_from + kOverWindow;
  }
  return miss;
}

void ScalingRecord::checkpoint_interval(Nanos at, std::string stage, Nanos interval, const std::string& reason) {
  checkpoint_intervals_.push_back({{"at_ns", at}, {"stage", std::move(stage)}, {"interval_ns", interval}, {"reason", reason}});
}

void ScalingRecord::finish(Nanos end) {
  for (auto& [index, s] : stages_) s.ready_series.finish(end);
}

Verdict ScalingRecord::no_flapping() const {
  Verdict v;
  if (stages_.empty()) {
    v.applicable = false;
    v.note = "no stage autoscales";
    return v;
  }
  for (const auto& [index, s] : stages_) {
    v.checked += s.decisions.size();
    if (s.worst_reversals > s.flapping.max_reversals) {
      v.violate("stage " + s.name + " reversed its scaling direction " + std::to_string(s.worst_reversals) +
                " times within " + seconds(s.flapping.window) + " (by " + seconds(s.worst_at) + "; at most " +
                std::to_string(s.flapping.max_reversals) + " allowed): its replica count flaps");
      if (v.explanations.empty()) v.explanations.push_back(explain_flapping(s));
    }
  }
  if (!v.explanations.empty()) v.explanation = v.explanations.front();
  return v;
}

// The decisions of the worst window, each reversal marked, and a reversal
// pair in the why: the lull that scaled in and the burst that scaled out again.
Explanation ScalingRecord::explain_flapping(const StageScaling& s) {
  Explanation out;
  out.at = s.worst_at;
  const std::string part = "stage '" + s.name + "'";
  const Decision* previous = nullptr;
  const Decision* turn_from = nullptr;
  const Decision* turn_to = nullptr;
  for (const Decision& d : s.decisions) {
    const bool reverses = previous && (previous->to > previous->from) != (d.to > d.from);
    if (d.at > s.worst_at - s.flapping.window && d.at <= s.worst_at) {
      out.steps.push_back({d.at, "", part, "scaled", "",
                           "scales " + direction(d.from, d.to) + " " + std::to_string(d.from) + " -> " +
                               std::to_string(d.to) + " replicas on " + d.reason + (reverses ? ": a reversal" : "")});
      if (reverses && !turn_to) {
        turn_from = previous;
        turn_to = &d;
      }
    }
    previous = &d;
  }
  out.why = "The replica count of " + part + " flapped: its autoscaler reversed direction " +
            std::to_string(s.worst_reversals) + " times within " + human_duration(s.flapping.window) + " (up to " +
            human_time(s.worst_at) + "; at most " + std::to_string(s.flapping.max_reversals) + " allowed)";
  if (turn_from && turn_to) {
    out.why += ", e.g. " + std::to_string(turn_from->from) + " -> " + std::to_string(turn_from->to) + " at " +
               human_time(turn_from->at) + " on " + turn_from->reason + ", then " + std::to_string(turn_to->from) +
               " -> " + std::to_string(turn_to->to) + " at " + human_time(turn_to->at) + " on " + turn_to->reason;
  }
  out.why += (s.flapping.damping.empty() ? "" : "; " + s.flapping.damping) + ".";
  return out;
}

Verdict ScalingRecord::latency_slo() const {
  Verdict v;
  if (!has_slo_) {
    v.applicable = false;
    v.note = "the scenario sets no slo";
    return v;
  }
  v.checked = after_settle_.count();
  const Nanos p99 = after_settle_.quantile(0.99);
  if (v.checked > 0 && p99 > slo_.p99) {
    v.violate("p99 latency after " + seconds(slo_.settle) + " is " + seconds(p99) + ", above the slo's " +
              seconds(slo_.p99) + " (" + std::to_string(v.checked) + " effects)");
  }
  return v;
}

nlohmann::json ScalingRecord::summary_json() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [index, s] : stages_) {
    nlohmann::json decisions = nlohmann::json::array();
    for (const Decision& d : s.decisions) {
      decisions.push_back({{"at_ns", d.at}, {"from", d.from}, {"to", d.to}, {"reason", d.reason}});
    }
    out[s.name] = {{"decisions", std::move(decisions)},
                   {"ready_min", s.ready_min},
                   {"ready_max", s.ready_max},
                   {"reversals", s.reversals.size()},
                   {"capped_by_partitions", s.idle_slots_wanted}};
  }
  return out;
}

nlohmann::json ScalingRecord::series_json() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [index, s] : stages_) {
    nlohmann::json series = s.ready_series.to_json();
    nlohmann::json marks = nlohmann::json::array();
    for (const Decision& d : s.decisions) marks.push_back({{"at_ns", d.at}, {"from", d.from}, {"to", d.to}});
    series["decisions"] = std::move(marks);
    out[s.name] = std::move(series);
  }
  return out;
}

}  // namespace sluice
