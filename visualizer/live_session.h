// A scenario running live inside the visualizer. The simulation runs on
// Boost.Fiber on the calling thread, so everything here is called from the
// GUI thread between frames: each frame advances the run in small slices of
// timers until the virtual target is reached or the frame's wall-time budget
// is spent. No OS thread ever touches the simulation.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/check.h"
#include "core/time.h"
#include "sim/run/record_tap.h"
#include "sim/run/runner.h"
#include "sim/scenario/scenario.h"
#include "visualizer/live_log.h"
#include "visualizer/live_records.h"
#include "visualizer/run_model.h"

namespace sluice::viz {

class LiveSession {
 public:
  // `log_capacity`: how many of the newest records the event log keeps;
  // `live_log`: whether it keeps any (the switch costs and saves run speed).
  LiveSession(Scenario scenario, std::uint64_t seed, std::size_t log_capacity = LiveLog::kDefaultCapacity,
              bool live_log = true);
  ~LiveSession();
  LiveSession(const LiveSession&) = delete;
  LiveSession& operator=(const LiveSession&) = delete;

  // --- controls --------------------------------------------------------------
  bool playing() const { return playing_ && !over(); }
  void set_playing(bool playing);
  // Virtual seconds per wall second while playing.
  double speed() const { return speed_; }
  void set_speed(double virtual_seconds_per_wall_second);
  // Fires exactly one timer event (pauses first).
  void step();
  // Runs at full speed, frame by frame, until virtual time `t`, then pauses.
  void run_to(Nanos t);
  std::optional<Nanos> run_to_target() const { return target_; }
  // Advances to `t` right now, whatever it costs (screenshots, tests).
  void advance_now(Nanos t);

  // Called once per frame: advances as the controls say, spending at most
  // `budget_seconds` of wall time, then refreshes the model if anything moved.
  void update(double wall_dt_seconds, double budget_seconds);

  // --- state -------------------------------------------------------------------
  Nanos now() const { return run_->now(); }
  bool over() const { return finished_; }
  // The last update ran out of its budget before reaching its virtual target:
  // the run cannot keep up with the requested speed.
  bool behind() const { return behind_; }
  std::uint64_t events() const;
  const RunModel& model() const { return model_; }
  // Crashed when the simulated node is down, else up; kNodeUp for unknown names.
  unsigned node_condition(const std::string& node) const;
  const Scenario& scenario() const { return *scenario_; }
  // The newest records, each row written as a recorded run's trace.jsonl has it.
  LiveLog& log() { return records_->log(); }
  const LiveLog& log() const { return records_->log(); }
  // The live log switch (toolbar, --no-live-log): off, the log keeps no new rows.
  bool live_log() const { return records_->log_enabled(); }
  void set_live_log(bool on) { records_->set_log_enabled(on); }

 private:
  // Advances towards `target` in slices until reached or `budget_seconds` spent.
  void advance_for(Nanos target, double budget_seconds);
  void refresh_model();
  // Replicas (the ready series from the run's scaling record, each replica's
  // states from its records) and alerts so far (the run's alert monitor).
  void refresh_scaling();
  void finish();

  // The run's record tap (sim/run/record_tap.h), handing each record to
  // records_: the run must be built with the tap, and records_ with the run.
  struct Forward final : RecordTap {
    LiveRecords* to = nullptr;
    void on(const PipelineRecord& record) override {
      SLUICE_CHECK(to != nullptr, "a record was dispatched while the live session was being built");
      to->on(record);
    }
    void on(const WorldRecord& record) override {
      SLUICE_CHECK(to != nullptr, "a record was dispatched while the live session was being built");
      to->on(record);
    }
  };

  std::unique_ptr<Scenario> scenario_;  // ScenarioRun keeps a reference: it must outlive run_
  Forward tap_;                         // the run holds its address: declared before run_
  nlohmann::json topology_;             // summary.json's "topology" for this scenario
  std::unique_ptr<ScenarioRun> run_;
  std::unique_ptr<LiveRecords> records_;  // reads run_'s names and metrics
  RunModel model_;
  bool playing_ = false;
  double speed_ = 1.0;
  std::optional<Nanos> target_;
  bool behind_ = false;
  bool finished_ = false;
  std::uint64_t refreshed_at_events_ = ~std::uint64_t{0};
  Nanos refreshed_at_time_ = -1;
};

}  // namespace sluice::viz
