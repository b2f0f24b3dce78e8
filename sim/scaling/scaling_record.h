// What a run's autoscalers did, and the invariants about it: every decision
// (time, from, to, why), replicas over time per autoscaled stage, and the
// checks no_flapping, scale_in_is_lossless and latency_slo. The history
// forwards the few events these need (sim/run/history.cc); nothing here
// touches the simulation.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/scaling/autoscale_config.h"
#include "core/time.h"
#include "sim/check/verdict.h"
#include "sim/metrics/latency_histogram.h"
#include "sim/metrics/series.h"
#include "sim/scaling/latency_slo.h"

namespace sluice {

// no_flapping's bounds for one stage: at most `max_reversals` changes of
// scaling direction within any `window`.
struct FlappingBounds {
  Nanos window = 600 * kNanosPerSecond;
  std::uint32_t max_reversals = 2;
  std::string damping{};  // what should have held reversals back, for the explanation (damping_words)
};

// What damps a stage's autoscaler, as the flapping explanation says it: its
// stabilization windows, cooldown or decision period, or the defect that
// ignores them.
std::string damping_words(const AutoscaleConfig& config, bool no_stabilization);

class ScalingRecord {
 public:
  // Before the run: the autoscaled stages (by index and name) and their flapping bounds, and the SLO if any.
  void add_stage(std::uint32_t stage, std::string name, std::uint32_t initial, FlappingBounds flapping);
  void set_slo(LatencySlo slo) { slo_ = slo; has_slo_ = true; }

  void decided(Nanos at, std::uint32_t stage, std::uint32_t from, std::uint32_t to, const std::string& reason);
  void replica_changed(Nanos at, std::uint32_t stage, std::uint32_t worker, const char* state);
  // What each worker holds (from its delivery to its release), for scale_in_is_lossless.
  void delivered(std::uint32_t stage, std::uint32_t worker);
  void released(std::uint32_t stage, std::uint32_t worker);
  void worker_lost(std::uint32_t stage, std::uint32_t worker);
  // What `worker` of `stage` holds now (delivered and not released).
  std::int64_t held(std::uint32_t stage, std::uint32_t worker) const {
    auto it = held_.find({stage, worker});
    return it == held_.end() ? 0 : it->second;
  }
  void effect(Nanos at, Nanos emitted_at, std::uint64_t event);
  // An adaptive checkpoint interval changed (recorded for summary.json, not judged).
  void checkpoint_interval(Nanos at, std::string stage, Nanos interval, const std::string& reason);
  // summary.json "checkpoint_intervals": every change, in order (empty: none).
  const nlohmann::json& checkpoint_intervals_json() const { return checkpoint_intervals_; }
  void finish(Nanos end);

  Verdict no_flapping() const;
  Verdict scale_in_is_lossless() const { return lossless_; }
  Verdict latency_slo() const;
  // What latency_slo's explanation needs when it is violated: the slowest
  // effects after settling, and the window with the most effects over the bound.
  struct SlowEffect {
    std::uint64_t event;
    Nanos emitted_at, at;
  };
  struct SloMiss {
    LatencySlo slo;
    Nanos p99 = 0;
    std::uint64_t effects = 0, over = 0;  // after settling; over the bound
    std::vector<SlowEffect> slowest;       // slowest first
    Nanos worst_from = 0, worst_to = 0;    // the window with the most effects over the bound
    std::uint64_t worst_over = 0;
  };
  std::optional<SloMiss> slo_miss() const;
  // summary.json "scaling": per stage, its decisions and replica extremes (null: nothing autoscaled).
  nlohmann::json summary_json() const;
  // series.json "replicas": per stage, ready replicas over time (a gauge series).
  nlohmann::json series_json() const;
  bool any() const { return !stages_.empty(); }

 private:
  struct Decision {
    Nanos at;
    std::uint32_t from, to;
    std::string reason;
  };
  struct StageScaling {
    std::string name;
    FlappingBounds flapping;
    std::vector<Decision> decisions;
    std::uint32_t ready = 0, ready_max = 0, ready_min = 0;
    GaugeSeries ready_series{kNanosPerMilli};
    std::vector<Nanos> reversals;  // when the direction flipped
    std::uint32_t worst_reversals = 0;
    Nanos worst_at = 0;
    std::uint32_t idle_slots_wanted = 0;  // decisions that asked for more than the partitions could feed
  };
  static Explanation explain_flapping(const StageScaling& s);
  std::map<std::uint32_t, StageScaling> stages_;  // ordered: output follows stage order
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::int64_t> held_;
  Verdict lossless_;
  LatencySlo slo_;
  bool has_slo_ = false;
  LatencyHistogram after_settle_;
  static constexpr std::size_t kSlowestKept = 5;
  static constexpr Nanos kOverWindow = 10 * kNanosPerSecond;
  std::vector<SlowEffect> slowest_;                   // slowest first, at most kSlowestKept
  std::map<std::int64_t, std::uint64_t> over_by_window_;  // window index -> effects over the bound
  std::uint64_t over_ = 0;
  nlohmann::json checkpoint_intervals_ = nlohmann::json::array();
};

}  // namespace sluice
