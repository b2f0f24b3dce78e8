// Everything the panels show about one run, whichever way it arrived: read
// from a recorded run's summary.json + series.json, or refreshed each frame
// from a live ScenarioRun (live_session.h). Series are the bounded, bucketed
// ones the runner keeps, so drawing costs the same for 10^3 or 10^7 events.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/time.h"
#include "visualizer/faults.h"
#include "visualizer/perturbation_model.h"
#include "visualizer/scaling_model.h"
#include "visualizer/tracks.h"
#include "visualizer/topology.h"

namespace sluice::viz {

struct InvariantRow {
  std::string name;
  bool ok = true;
  bool applicable = true;
  bool pending = false;  // live: only known once the run is over
  std::uint64_t checked = 0;
  std::uint64_t violations = 0;
  std::string first;  // text of the first violation
  std::string note;   // why not applicable
  std::optional<Nanos> at;  // parsed from `first`
  std::optional<std::string> event_id;  // parsed from `first`
  // From the first violation's explanation: when the violating outcome
  // happened (overrides `at`) and every event the explanation involves.
  std::string why;
  std::vector<std::string> involved;
};

struct RunModel {
  std::string scenario;
  std::string file;
  std::uint64_t seed = 0;
  std::string trace_hash;
  std::string outcome;
  std::string repro;
  bool ok = true;
  bool finished = false;  // recorded, or a live run that is over
  Nanos virtual_time = 0;
  std::uint64_t events = 0;
  std::vector<std::pair<std::string, std::uint64_t>> counts;
  std::vector<std::pair<std::string, double>> latency_summary;  // count, mean, p50, ...
  std::vector<std::string> expectation_failures;

  Topology topology;
  std::vector<DepthTrack> queues;  // in topology buffer order when both are known
  std::vector<CountTrack> stages;  // processed per bucket
  CountTrack effects;
  CountTrack shed;
  LatencyTrack latency;
  std::vector<Fault> faults;
  std::vector<InvariantRow> invariants;
  std::vector<ReplicaTrack> replicas;  // autoscaled stages (scaling_model.h)
  std::vector<AlertTrack> alerts;
  PerturbationView perturbation;  // BUGGIFY sites enabled and fired (perturbation_model.h)

  const DepthTrack* queue(std::string_view name) const;
  const CountTrack* stage(std::string_view name) const;
  const ReplicaTrack* replica_track(std::string_view stage) const;
};

class RunDirError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Builds the model from the two documents; series may be null (then only the
// summary's figures are shown). Throws RunDirError on a malformed document.
RunModel model_from_json(const nlohmann::json& summary, const nlohmann::json& series);
// A gauge series ({width_ns, t, min, max, mean[, capacity]}) with the
// summary's figures for it ({max_depth, mean_depth, capacity}; may be null).
DepthTrack depth_track_from_json(std::string name, const nlohmann::json& series, const nlohmann::json& summary_queue);
// Reads RUN_DIR/summary.json and RUN_DIR/series.json. Throws RunDirError
// naming the file and what is wrong.
RunModel load_run_dir(const std::string& dir);

// Why a trace.jsonl is not the recorded run's own, or empty when it is. The
// trace's header (its first line) must name the run's scenario and seed and
// its footer (last line) the run's trace_hash: a trace an earlier run left in
// the directory must not be shown as this run's events.
std::string trace_mismatch(const RunModel& run, std::string_view trace_data);

// Index of the bucket holding `at` in a sorted bucket start list, or npos
// when `at` is before the first bucket or the list is empty.
inline constexpr std::size_t kNoBucket = std::numeric_limits<std::size_t>::max();
std::size_t bucket_at(const std::vector<Nanos>& starts, Nanos at);

struct DepthAt {
  bool valid = false;
  double min = 0, mean = 0, max = 0;
};
// The depth over the bucket holding `at`; with a live `current` and `at` at
// or past the data's end, the exact current depth.
DepthAt depth_at(const DepthTrack& track, Nanos at, Nanos run_end);
// Events per second of virtual time over the bucket holding `at`; the last
// bucket is measured up to `run_end`.
double rate_at(const CountTrack& track, Nanos at, Nanos run_end);
// The highest rate of any bucket (for scaling edges and plots).
double peak_rate(const CountTrack& track, Nanos run_end);
// Events per second entering a queue around `at`, which series.json does not
// record: what left it (`departures_per_s`, `shed_per_s`) plus how fast its
// depth grew (a central difference of the bucket means). Never negative.
double arrival_rate_at(const DepthTrack& queue, double departures_per_s, double shed_per_s, Nanos at);

}  // namespace sluice::viz
