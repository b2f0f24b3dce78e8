#include "visualizer/scaling_model.h"

#include <algorithm>
#include <charconv>
#include <map>

#include <nlohmann/json.hpp>

#include "visualizer/run_model.h"
#include "visualizer/trace_line.h"

namespace sluice::viz {

namespace {

using json = nlohmann::json;

std::uint32_t count_of(const json& object, const char* name) {
  if (!object.is_object() || !object.contains(name) || !object[name].is_number_unsigned()) return 0;
  return object[name].get<std::uint32_t>();
}

std::vector<ScalingDecision> decisions_of(const json& list) {
  std::vector<ScalingDecision> out;
  if (!list.is_array()) return out;
  for (const json& d : list) {
    if (!d.is_object()) continue;
    out.push_back({d.value("at_ns", Nanos{0}), count_of(d, "from"), count_of(d, "to"), d.value("reason", std::string())});
  }
  return out;
}

// The bounds the topology gives an autoscaled stage ({"autoscale": {min, max, initial}}).
void read_bounds(ReplicaTrack& track, const json& topology) {
  if (!topology.is_object() || !topology.contains("stages") || !topology["stages"].is_array()) return;
  for (const json& stage : topology["stages"]) {
    if (!stage.is_object() || stage.value("id", std::string()) != track.stage) continue;
    const json autoscale = stage.value("autoscale", json::object());
    track.min_replicas = count_of(autoscale, "min");
    track.max_replicas = count_of(autoscale, "max");
    track.initial = count_of(autoscale, "initial");
  }
}

std::string rule_text(const json& a) {
  const std::string metric = a.value("metric", std::string());
  const std::string of = a.value("of", std::string());
  std::string text = metric + (of.empty() ? "" : " of " + of);
  if (metric != "stalled" && a.contains("threshold") && a["threshold"].is_number()) {
    const json threshold = a["threshold"];
    text += " " + a.value("op", std::string()) + " " + threshold.dump();
  }
  const Nanos hold = a.value("for_ns", Nanos{0});
  if (hold > 0) text += ", for " + std::to_string(hold / kNanosPerSecond) + "s";
  return text;
}

}  // namespace

std::vector<ReplicaTrack> replica_tracks_from_json(const json& summary, const json& series) {
  std::vector<ReplicaTrack> out;
  const json scaling = summary.is_object() ? summary.value("scaling", json::object()) : json::object();
  if (!scaling.is_object()) return out;
  const json replicas = series.is_object() ? series.value("replicas", json::object()) : json::object();
  const json topology = summary.value("topology", json::object());
  for (const auto& [name, stage] : scaling.items()) {
    ReplicaTrack track;
    track.stage = name;
    const json gauge = replicas.is_object() && replicas.contains(name) ? replicas[name] : json();
    track.ready = depth_track_from_json(name, gauge, json());
    track.decisions = decisions_of(stage.value("decisions", json::array()));
    track.ready_min = count_of(stage, "ready_min");
    track.ready_max = count_of(stage, "ready_max");
    track.reversals = count_of(stage, "reversals");
    read_bounds(track, topology);
    out.push_back(std::move(track));
  }
  return out;
}

std::vector<AlertSpan> alert_spans(const json& transitions) {
  std::vector<AlertSpan> out;
  if (!transitions.is_array()) return out;
  for (const json& t : transitions) {
    if (!t.is_object()) continue;
    const Nanos at = t.value("at_ns", Nanos{0});
    const std::string state = t.value("state", std::string());
    if (!out.empty() && out.back().to == kNever) out.back().to = at;  // the previous state ends here
    if (state == "pending" || state == "firing") out.push_back({at, kNever, state == "firing"});
  }
  return out;
}

std::vector<AlertTrack> alert_tracks_from_json(const json& alerts) {
  std::vector<AlertTrack> out;
  if (!alerts.is_object()) return out;
  for (const auto& [name, a] : alerts.items()) {
    if (!a.is_object()) continue;
    AlertTrack track;
    track.name = name;
    track.rule = rule_text(a);
    track.fired = a.value("fired", std::uint64_t{0});
    track.spans = alert_spans(a.value("transitions", json::array()));
    out.push_back(std::move(track));
  }
  return out;
}

void set_replica_steps(ReplicaTrack& track, const std::vector<ReplicaRecord>& records) {
  track.steps.clear();
  ReplicaCounts counts;
  // The initial replicas have no records: ready from the start.
  counts.ready = track.initial > 0 ? track.initial
                                   : (track.ready.max.empty() ? 0 : static_cast<std::uint32_t>(track.ready.max[0]));
  track.steps.push_back({0, counts});
  std::map<std::uint32_t, std::string> state;  // per worker slot, as its last record said
  for (const ReplicaRecord& r : records) {
    if (r.stage != track.stage) continue;
    const std::string before = state.count(r.worker) != 0 ? state[r.worker] : std::string();
    if (before == "starting") --counts.starting;
    if (before == "draining") --counts.draining;
    if (r.state == "starting") ++counts.starting;
    if (r.state == "draining") ++counts.draining;
    // As ScalingRecord counts ready replicas: a draining one no longer takes work.
    if (r.state == "ready") ++counts.ready;
    if (r.state == "draining" && counts.ready > 0) --counts.ready;
    state[r.worker] = r.state;
    if (track.steps.back().at == r.at) {
      track.steps.back().counts = counts;
    } else {
      track.steps.push_back({r.at, counts});
    }
  }
}

ReplicaCounts replicas_at(const ReplicaTrack& track, Nanos at, Nanos run_end) {
  if (!track.steps.empty()) {
    auto it = std::upper_bound(track.steps.begin(), track.steps.end(), at,
                               [](Nanos t, const ReplicaStep& s) { return t < s.at; });
    return it == track.steps.begin() ? track.steps.front().counts : std::prev(it)->counts;
  }
  ReplicaCounts counts;
  const DepthAt ready = depth_at(track.ready, at, run_end);
  if (ready.valid) counts.ready = static_cast<std::uint32_t>(ready.max);
  return counts;
}

const ScalingDecision* decision_near(const ReplicaTrack& track, Nanos at, Nanos tolerance) {
  const ScalingDecision* best = nullptr;
  for (const ScalingDecision& d : track.decisions) {
    const Nanos distance = d.at > at ? d.at - at : at - d.at;
    if (distance <= tolerance && (best == nullptr || distance < (best->at > at ? best->at - at : at - best->at))) {
      best = &d;
    }
  }
  return best;
}

bool parse_replica_record(std::string_view line, ReplicaRecord& out) {
  TraceRecord record;
  if (!parse_trace_line(line, record) || record.kind != TraceKind::replica || record.part_kind != "stage") return false;
  out.at = record.t;
  out.stage = std::string(record.part);
  out.state.clear();
  bool have_worker = false;
  for (std::size_t i = 0; i < record.extra_count; ++i) {
    const TraceField& f = record.extra[i];
    if (f.name == "worker") {
      have_worker = std::from_chars(f.value.data(), f.value.data() + f.value.size(), out.worker).ec == std::errc();
    } else if (f.name == "state") {
      out.state = std::string(f.value);
    }
  }
  return have_worker && !out.state.empty();
}

}  // namespace sluice::viz
