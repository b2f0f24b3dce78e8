#include "visualizer/run_model.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/catalog/invariant_catalog.h"

namespace sluice::viz {

const DepthTrack* RunModel::queue(std::string_view name) const {
  for (const DepthTrack& q : queues) {
    if (q.name == name) return &q;
  }
  return nullptr;
}

const CountTrack* RunModel::stage(std::string_view name) const {
  for (const CountTrack& s : stages) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const ReplicaTrack* RunModel::replica_track(std::string_view stage) const {
  for (const ReplicaTrack& r : replicas) {
    if (r.stage == stage) return &r;
  }
  return nullptr;
}

namespace {

using json = nlohmann::json;

template <typename T>
std::vector<T> column(const json& object, const char* name) {
  std::vector<T> out;
  if (!object.is_object() || !object.contains(name)) return out;
  const json& array = object[name];
  if (!array.is_array()) throw RunDirError(std::string("\"") + name + "\" is not an array");
  out.reserve(array.size());
  for (const json& v : array) out.push_back(v.is_number() ? v.get<T>() : T{});
  return out;
}

Nanos width_of(const json& series) {
  const Nanos width = series.is_object() ? series.value("width_ns", Nanos{1}) : Nanos{1};
  return std::max<Nanos>(width, 1);
}

// Trims every column to the shortest, so a truncated file cannot index out of range.
template <typename... Columns>
void trim(std::vector<Nanos>& t, Columns&... columns) {
  std::size_t n = t.size();
  ((n = std::min(n, columns.size())), ...);
  t.resize(n);
  (columns.resize(n), ...);
}

CountTrack count_track(std::string name, const json& series) {
  CountTrack track;
  track.name = std::move(name);
  track.width = width_of(series);
  track.t = column<Nanos>(series, "t");
  track.count = column<double>(series, "count");
  trim(track.t, track.count);
  return track;
}

}  // namespace

DepthTrack depth_track_from_json(std::string name, const json& series, const json& summary_queue) {
  DepthTrack track;
  track.name = std::move(name);
  track.width = width_of(series);
  track.t = column<Nanos>(series, "t");
  track.min = column<double>(series, "min");
  track.max = column<double>(series, "max");
  track.mean = column<double>(series, "mean");
  trim(track.t, track.min, track.max, track.mean);
  if (series.is_object() && series.contains("capacity") && series["capacity"].is_number()) {
    track.capacity = series["capacity"].get<std::uint64_t>();
  } else if (summary_queue.is_object() && summary_queue.contains("capacity")) {
    track.capacity = summary_queue.value("capacity", std::uint64_t{0});
  }
  if (summary_queue.is_object()) {
    track.max_depth = summary_queue.value("max_depth", 0.0);
    track.mean_depth = summary_queue.value("mean_depth", 0.0);
  }
  for (double v : track.max) track.max_depth = std::max(track.max_depth, v);
  return track;
}

namespace {

// summary.json's {"text", "explanation"} form of an invariant's first violation.
void read_first(InvariantRow& row, const json& first) {
  if (first.contains("text") && first["text"].is_string()) row.first = first["text"].get<std::string>();
  const json explanation = first.value("explanation", json::object());
  if (!explanation.is_object()) return;
  row.why = explanation.value("why", std::string());
  if (explanation.contains("events") && explanation["events"].is_array()) {
    for (const json& e : explanation["events"]) {
      if (e.is_string()) row.involved.push_back(e.get<std::string>());
    }
  }
}

void read_invariants(RunModel& model, const json& invariants) {
  if (!invariants.is_object()) return;
  for (const auto& [name, v] : invariants.items()) {
    InvariantRow row;
    row.name = name;
    row.ok = v.value("ok", true);
    row.checked = v.value("checked", std::uint64_t{0});
    row.violations = v.value("violations", std::uint64_t{0});
    if (v.contains("first") && v["first"].is_string()) row.first = v["first"].get<std::string>();
    if (v.contains("first") && v["first"].is_object()) read_first(row, v["first"]);
    if (v.contains("not_applicable") && v["not_applicable"].is_string()) {
      row.applicable = false;
      row.note = v["not_applicable"].get<std::string>();
    }
    row.at = violation_time(row.first);
    // The explanation knows when the violating outcome happened: the marker goes there.
    if (v.contains("first") && v["first"].is_object()) {
      const json at = v["first"].value("explanation", json::object()).value("at_ns", json());
      if (at.is_number_integer()) row.at = at.get<Nanos>();
    }
    row.event_id = violation_event_id(row.first);
    model.invariants.push_back(std::move(row));
  }
  // JSON objects come back sorted by name; the catalog's report order reads
  // better. A name the catalog does not know (an older or newer run) goes last.
  std::stable_sort(model.invariants.begin(), model.invariants.end(), [](const InvariantRow& a, const InvariantRow& b) {
    return invariant_rank(a.name) < invariant_rank(b.name);
  });
}

void read_summary(RunModel& model, const json& summary) {
  model.scenario = summary.value("scenario", std::string("?"));
  model.file = summary.value("file", std::string());
  model.seed = summary.value("seed", std::uint64_t{0});
  model.trace_hash = summary.value("trace_hash", std::string());
  model.outcome = summary.value("outcome", std::string());
  model.repro = summary.value("repro", std::string());
  model.ok = summary.value("ok", true);
  model.virtual_time = summary.value("virtual_time_ns", Nanos{0});
  model.events = summary.value("events", std::uint64_t{0});
  if (summary.contains("counts") && summary["counts"].is_object()) {
    for (const auto& [name, v] : summary["counts"].items()) {
      if (v.is_number()) model.counts.emplace_back(name, v.get<std::uint64_t>());
    }
  }
  if (summary.contains("latency_ns") && summary["latency_ns"].is_object()) {
    for (const char* name : {"count", "mean", "p50", "p90", "p99", "max"}) {
      const json& v = summary["latency_ns"].value(name, json());
      if (v.is_number()) model.latency_summary.emplace_back(name, v.get<double>());
    }
  }
  if (summary.contains("expectations") && summary["expectations"].is_object()) {
    for (const json& f : summary["expectations"].value("failures", json::array())) {
      if (f.is_string()) model.expectation_failures.push_back(f.get<std::string>());
    }
  }
  read_invariants(model, summary.value("invariants", json::object()));
  model.topology = topology_from_json(summary.value("topology", json::object()));
  model.faults = faults_from_json(summary.value("faults", json::array()));
  model.alerts = alert_tracks_from_json(summary.value("alerts", json::object()));
}

void read_series(RunModel& model, const json& series, const json& summary) {
  const json summary_queues = summary.value("queues", json::object());
  const json queues = series.value("queues", json::object());
  // Topology order first (it is the scenario's order), then anything else.
  std::vector<std::string> names;
  for (const Part& part : model.topology.parts) {
    if (part.kind == PartKind::buffer) names.push_back(part.id);
  }
  for (const auto& [name, v] : queues.items()) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  for (const std::string& name : names) {
    const json empty;
    model.queues.push_back(depth_track_from_json(name, queues.contains(name) ? queues[name] : empty,
                                       summary_queues.contains(name) ? summary_queues[name] : empty));
    if (model.queues.back().capacity == 0) {
      const int part = model.topology.find(PartKind::buffer, name);
      if (part >= 0) model.queues.back().capacity = model.topology.parts[part].capacity;
    }
  }
  const json stages = series.value("stages", json::object());
  for (const Part& part : model.topology.parts) {
    if (part.kind == PartKind::stage && stages.contains(part.id)) {
      model.stages.push_back(count_track(part.id, stages[part.id]));
    }
  }
  for (const auto& [name, v] : stages.items()) {
    if (model.stage(name) == nullptr) model.stages.push_back(count_track(name, v));
  }
  model.effects = count_track("effects", series.value("effects", json::object()));
  model.shed = count_track("shed", series.value("shed", json::object()));
  const json latency = series.value("latency_ns", json::object());
  model.latency.width = width_of(latency);
  model.latency.t = column<Nanos>(latency, "t");
  model.latency.count = column<double>(latency, "count");
  model.latency.p50 = column<double>(latency, "p50");
  model.latency.p90 = column<double>(latency, "p90");
  model.latency.p99 = column<double>(latency, "p99");
  model.latency.max = column<double>(latency, "max");
  trim(model.latency.t, model.latency.count, model.latency.p50, model.latency.p90, model.latency.p99,
       model.latency.max);
  if (model.faults.empty()) model.faults = faults_from_json(series.value("faults", json::array()));
  model.replicas = replica_tracks_from_json(summary, series);
  model.virtual_time = std::max(model.virtual_time, series.value("virtual_time_ns", Nanos{0}));
}

json read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RunDirError(path + ": cannot open (is this a run directory written by `sluice run --out`?)");
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return json::parse(text.str());
  } catch (const json::exception& e) {
    throw RunDirError(path + ": not valid JSON: " + e.what());
  }
}

}  // namespace

RunModel model_from_json(const json& summary, const json& series) {
  if (!summary.is_object()) throw RunDirError("summary is not a JSON object");
  RunModel model;
  try {
    read_summary(model, summary);
    if (series.is_object()) read_series(model, series, summary);
    model.perturbation = perturbation_from_json(summary, series);
  } catch (const json::exception& e) {
    throw RunDirError(std::string("unexpected shape: ") + e.what());
  }
  model.finished = true;
  return model;
}

RunModel load_run_dir(const std::string& dir) {
  const json summary = read_json_file(dir + "/summary.json");
  const json series = read_json_file(dir + "/series.json");
  try {
    return model_from_json(summary, series);
  } catch (const RunDirError& e) {
    throw RunDirError(dir + ": " + e.what());
  }
}

namespace {

// The first and the last non-blank line of `data`.
std::pair<std::string_view, std::string_view> first_and_last_lines(std::string_view data) {
  std::size_t end = data.find('\n');
  std::string_view first = data.substr(0, end);
  std::size_t stop = data.find_last_not_of("\r\n");
  if (stop == std::string_view::npos) return {first, {}};
  std::size_t start = data.rfind('\n', stop);
  start = start == std::string_view::npos ? 0 : start + 1;
  return {first, data.substr(start, stop + 1 - start)};
}

json parse_or_null(std::string_view line) {
  json out = json::parse(line.begin(), line.end(), nullptr, false);
  return out.is_discarded() || !out.is_object() ? json() : out;
}

}  // namespace

std::string trace_mismatch(const RunModel& run, std::string_view trace_data) {
  auto [first, last] = first_and_last_lines(trace_data);
  json header = parse_or_null(first);
  if (header.is_null() || header.value("kind", std::string()) != "header") {
    return "its first line is not a trace header (a trace written by an older sluice?); record it again with "
           "`sluice run ... --trace`";
  }
  std::string scenario = header.value("scenario", std::string());
  if (scenario != run.scenario) return "it is a trace of scenario '" + scenario + "', the run is of '" + run.scenario + "'";
  const json seed = header.value("seed", json());
  if (!seed.is_number_unsigned() || seed.get<std::uint64_t>() != run.seed) {
    return "it is a trace of seed " + seed.dump() + ", the run is of seed " + std::to_string(run.seed);
  }
  json footer = parse_or_null(last);
  if (footer.is_null() || footer.value("kind", std::string()) != "footer") {
    return "it has no footer line: the run that wrote it did not finish";
  }
  std::string hash = footer.value("trace_hash", std::string());
  if (!run.trace_hash.empty() && hash != run.trace_hash) {
    return "its trace_hash " + hash + " is not the run's " + run.trace_hash + ": it is another run's trace";
  }
  return "";
}

std::size_t bucket_at(const std::vector<Nanos>& starts, Nanos at) {
  auto it = std::upper_bound(starts.begin(), starts.end(), at);
  if (it == starts.begin()) return kNoBucket;
  return static_cast<std::size_t>(it - starts.begin()) - 1;
}

DepthAt depth_at(const DepthTrack& track, Nanos at, Nanos run_end) {
  DepthAt out;
  if (track.current && (track.t.empty() || at >= run_end)) {
    out.valid = true;
    out.min = out.mean = out.max = static_cast<double>(*track.current);
    return out;
  }
  const std::size_t i = bucket_at(track.t, at);
  if (i == kNoBucket || at > std::max(run_end, track.t[i] + track.width)) return out;
  out.valid = true;
  out.min = track.min[i];
  out.mean = track.mean[i];
  out.max = track.max[i];
  return out;
}

namespace {
double bucket_rate(const CountTrack& track, std::size_t i, Nanos run_end) {
  Nanos end = track.t[i] + track.width;
  if (i + 1 == track.t.size()) end = std::min(end, std::max(run_end, track.t[i]));
  const Nanos span = end - track.t[i];
  return span > 0 ? track.count[i] / to_seconds(span) : 0.0;
}
}  // namespace

double rate_at(const CountTrack& track, Nanos at, Nanos run_end) {
  const std::size_t i = bucket_at(track.t, at);
  if (i == kNoBucket) return 0.0;
  return bucket_rate(track, i, run_end);
}

double peak_rate(const CountTrack& track, Nanos run_end) {
  double peak = 0;
  for (std::size_t i = 0; i < track.t.size(); ++i) {
    // A sliver of a last bucket would exaggerate; only count it if it spans a quarter bucket.
    if (i + 1 == track.t.size() && run_end - track.t[i] < track.width / 4 && i > 0) continue;
    peak = std::max(peak, bucket_rate(track, i, run_end));
  }
  return peak;
}

double arrival_rate_at(const DepthTrack& queue, double departures_per_s, double shed_per_s, Nanos at) {
  const std::size_t n = queue.t.size();
  const std::size_t i = bucket_at(queue.t, at);
  double growth_per_s = 0;
  if (i != kNoBucket && n >= 2) {
    const std::size_t before = i > 0 ? i - 1 : i, after = i + 1 < n ? i + 1 : i;
    const Nanos dt = queue.t[after] - queue.t[before];
    if (dt > 0) growth_per_s = (queue.mean[after] - queue.mean[before]) / to_seconds(dt);
  }
  return std::max(0.0, departures_per_s + shed_per_s + growth_per_s);
}

}  // namespace sluice::viz
