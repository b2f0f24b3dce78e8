// The run's history: every observable thing the pipeline does (a core
// record, core/model/records.h) and every fault, heal, alert change and
// perturbation of the world (sim/world/world_records.h) arrives here exactly
// once, at its virtual time, and is dispatched to the subscribers: the trace
// hash, the trace and Perfetto writers, the metrics, each checker, the causal
// log, coverage, and the drain and progress watches that stop the run.
//
// The history itself holds only the freeze guard, the ordered list of its
// subscribers (each_subscriber) and the dispatch: one std::visit that calls
// each subscriber's overload for the record (sim/run/subscriber.h). The
// accessors below hand the runner, the judge and the visualizer what the
// subscribers found.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "core/model/observer.h"
#include "core/runtime/runtime.h"
#include "sim/watch/latency_window_records.h"
#include "sim/watch/bounded_queues_check.h"
#include "sim/watch/checker_context.h"
#include "sim/watch/delivery_check.h"
#include "sim/watch/drain_causes.h"
#include "sim/watch/drain_watch.h"
#include "sim/watch/duplicate_effects_check.h"
#include "sim/check/explain/causal_log.h"
#include "sim/watch/causal_records.h"
#include "sim/check/explain/explainers.h"
#include "sim/check/explain/explanation_book.h"
#include "sim/watch/flow_check.h"
#include "sim/watch/order_check.h"
#include "sim/watch/part_names.h"
#include "sim/watch/pending_places.h"
#include "sim/watch/progress_watch.h"
#include "sim/check/recent_history.h"
#include "sim/watch/recent_records.h"
#include "sim/watch/redeliveries.h"
#include "sim/watch/state_check.h"
#include "sim/check/verdict.h"
#include "sim/coverage/coverage_records.h"
#include "sim/metrics/failover_record.h"
#include "sim/run/failover_records.h"
#include "sim/run/fault_log.h"
#include "sim/run/metrics_recorder.h"
#include "sim/run/perfetto_records.h"
#include "sim/run/perfetto_writer.h"
#include "sim/run/record_hash.h"
#include "sim/run/record_tap.h"
#include "sim/run/scaling_records.h"
#include "sim/run/subscriber.h"
#include "sim/run/trace_records.h"
#include "sim/run/trace_writer.h"
#include "sim/world/world_records.h"

namespace sluice {

class History final : public Observer {
 public:
  // `trace` may be null (no --trace).
  History(Runtime& runtime, PartNames names, TraceWriter* trace);

  // The core's records and the world's: after a budget froze the run,
  // nothing is recorded (shutdown unwinding is not history); otherwise every
  // subscriber sees the record, in the order of each_subscriber.
  void on(const PipelineRecord& record) override { dispatch(record); }
  void on(const WorldRecord& record) { dispatch(record); }

  // Also stream to trace.perfetto.json (null: no --perfetto). `nodes` names
  // the fault tracks.
  void set_perfetto(PerfettoWriter* perfetto, std::vector<std::string> nodes);
  const nlohmann::json& faults_json() const { return faults_.json(); }

  // The progress invariant's bounds (run.stall_after, run.livelock_attempts,
  // and when the faults are over), and what to do when it breaks: the run
  // stops at once, as it would otherwise spin until a budget ends it.
  void set_progress_bounds(ProgressBounds bounds) { progress_.set_bounds(bounds); }
  void on_stalled(std::function<void()> callback) { progress_.on_stalled(std::move(callback)); }
  // `can_move`: false when the simulation had no timer left when it ended.
  Verdict progress(Nanos end, bool can_move) { return progress_.checker().verdict(end, can_move); }
  std::uint64_t pending() const { return progress_.checker().pending(); }
  // Judges the stall rule now, for stretches with no history at all.
  void check_progress() { progress_.check(); }
  bool stalled() const { return progress_.stalled(); }
  // The pending events that waited longest, described (budget messages).
  std::vector<std::string> stuck_events(std::size_t most) const { return progress_.checker().stuck(most); }

  // Draining (sim/check/drain_watch.h): the runner stops the simulation when
  // the pipeline has drained once the faults are over.
  void set_quiet_after(Nanos t) { drain_.set_quiet_after(t); }
  Nanos quiet_after() const { return drain_.quiet_after(); }
  bool all_sources_finished() const { return drain_.all_sources_finished(); }
  std::uint64_t backlog() const { return drain_.backlog(); }
  Nanos last_source_finished_at() const { return drain_.last_source_finished_at(); }
  Nanos drained_at() const { return drain_.drained_at(); }
  const DrainWatch& drain() const { return drain_; }
  // What judge_drain needs: the watch's facts and what held the drain back.
  DrainFacts drain_facts(Nanos end, Nanos drain_within) const {
    DrainFacts facts = drain_.facts(end, drain_within);
    facts.causes = drain_causes_.phrases();
    return facts;
  }
  void on_drained(std::function<void()> callback) { on_drained_ = std::move(callback); }
  void check_drained() { drain_.check(); }

  // A consumer outside sim/run (the live visualizer) that sees every record
  // after the subscribers (record_tap.h); null: none, and no cost but a branch.
  void set_tap(RecordTap* tap) { tap_ = tap; }

  // Stops recording (a budget ended the run; what follows is unwinding).
  void freeze() { frozen_ = true; }
  // Ends the run's bookkeeping: closes series, writes the trace's "end" record.
  void finish(Nanos end);

  const PartNames& names() const { return names_; }
  PipelineMetrics& metrics() { return metrics_.metrics(); }
  const PipelineMetrics& metrics() const { return metrics_.metrics(); }
  DeliveryChecker& delivery() { return delivery_.checker(); }
  Verdict per_key_order() const { return order_.verdict(); }
  Verdict bounded_queues() const { return bounded_.verdict(); }
  Verdict flow_control() const { return flow_.verdict(); }
  Verdict no_duplicate_effects() const { return duplicates_.verdict(); }
  Verdict checkpoint_consistency() const { return states_.verdict(); }
  // Elastic scaling (sim/scaling/scaling_record.h) and failover times.
  ScalingRecord& scaling() { return scaling_.record(); }
  const ScalingRecord& scaling() const { return scaling_.record(); }
  const FailoverRecord& failover() const { return failover_; }
  // Alerts (sim/alerts/): recent effect latencies for p99 rules.
  WindowedLatency& window_latency() { return window_.window(); }
  const WindowedLatency& window_latency() const { return window_.window(); }

  // Explain the first `n` violations of each invariant, not only the first (--explain N).
  void set_explain_count(std::uint64_t n) { explanations_.set_count(n); }
  // Gives every violated verdict the causal explanation of its first violations.
  void attach_explanations(std::vector<std::pair<std::string, Verdict>>& verdicts) const;
  const CausalLog& causal() const { return causal_log_; }
  // The situations the run reached (sim/explore/coverage_kinds.h).
  CoverageTracker& coverage() { return coverage_.tracker(); }
  const CoverageTracker& coverage() const { return coverage_.tracker(); }
  PrecursorCoverage& precursors() { return coverage_.precursors(); }

 private:
  template <typename Variant>
  void dispatch(const Variant& record) {
    if (frozen_) return;  // the run is over: shutdown unwinding is not history
    std::visit(
        [this](const auto& rec) {
          each_subscriber([&rec](auto& subscriber) {
            static_assert(Subscriber<std::remove_cvref_t<decltype(subscriber)>>);
            subscriber.on(rec);
          });
        },
        record);
    if (tap_ != nullptr) tap_->on(record);  // after each_subscriber's last: see record_tap.h
  }

  // The subscribers, in the order each record reaches them. The order is
  // the contract between them: a subscriber that reads another's state sees
  // it as the comments say.
  template <typename F>
  void each_subscriber(F&& f) {
    f(hash_);             // the trace hash: every record, first
    f(trace_lines_);      // trace.jsonl: reads queue depths before the metrics move them
    f(perfetto_tracks_);  // trace.perfetto.json: reads service starts before the metrics move them
    f(coverage_);         // reads nothing the others write
    f(bounded_);          // its context and explanation end before the arrival: before recent_ and causal_
    f(delivery_);         // judges outcomes first: progress asks "resolved?", causal "settled?", the rest "first?"
    f(redeliveries_);     // whether a fetch is a redelivery: for progress and the metrics
    f(places_);           // the faults on each node, which a progress violation names
    f(failover_records_); // crashes and effects against the pending count before progress moves it
    f(progress_);         // a violation names each stuck event's place before this record...
    f(recent_records_);   // the context the other checkers quote ends with this record
    f(causal_);           // the explanations below include this record
    f(progress_after_causal_);  // ...except a failed attempt, whose livelock names the attempt's place
    f(flow_);
    f(order_);
    f(duplicates_);
    f(perfetto_duplicates_);  // a repeat's flow arrow, from the causal log's effects
    f(states_);
    f(scaling_);
    f(window_);
    f(metrics_);          // latency on first effects (delivery_), redeliveries (redeliveries_)
    f(faults_);
    f(drain_causes_);     // asks the drain watch whether the quiet point has passed
    f(drain_);            // last: the record that drains the run is fully handled before it stops
    // Then the tap, if any (dispatch above): it reads what all of these wrote.
  }

  // The "no_loss", "latency_slo", "progress" and "drains_after_heal"
  // explanations, built when the verdicts are attached (history_explanations.cc).
  std::string stuck_words() const;
  std::vector<StuckEvent> stuck_list(bool livelock) const;
  std::string progress_words(const Verdict& verdict) const;

  Runtime& runtime_;
  PartNames names_;
  TraceWriter* trace_;
  bool frozen_ = false;
  RecordTap* tap_ = nullptr;
  std::function<void()> on_drained_;

  // State the subscribers share (each written by one subscriber, read by later ones).
  RecentHistory recent_;
  CausalLog causal_log_{names_.places};
  ExplanationBook explanations_;
  FailoverRecord failover_;
  CheckerContext ctx_{runtime_, names_, recent_, causal_log_, explanations_};

  // The subscribers (declared in construction order; each_subscriber gives the dispatch order).
  DeliveryCheck delivery_{ctx_};
  Redeliveries redeliveries_{names_};
  MetricsRecorder metrics_{runtime_, names_, delivery_, redeliveries_};
  RecordHash hash_{runtime_};
  WriterSubscriber<TraceRecords, TraceWriter> trace_lines_{runtime_, names_, metrics_.metrics()};
  WriterSubscriber<PerfettoRecords, PerfettoWriter> perfetto_tracks_{runtime_, names_, metrics_.metrics()};
  WriterSubscriber<PerfettoDuplicates, PerfettoWriter> perfetto_duplicates_{runtime_, names_, delivery_,
                                                                            causal_log_};
  CoverageRecords coverage_{runtime_};
  BoundedQueuesCheck bounded_{ctx_};
  PendingPlaces places_{runtime_, names_, causal_log_};
  ProgressWatch progress_{ctx_, delivery_, redeliveries_, places_, failover_};
  FailoverRecords failover_records_{runtime_, names_, failover_, progress_};
  RecentRecords recent_records_{runtime_, names_, recent_};
  CausalRecords causal_{runtime_, names_, delivery_, causal_log_};
  ProgressAfterCausal progress_after_causal_{progress_};
  FlowCheck flow_{ctx_};
  OrderCheck order_{ctx_, delivery_};
  DuplicateEffectsCheck duplicates_{ctx_, delivery_};
  StateCheck states_{ctx_};
  ScalingRecords scaling_{ctx_};
  LatencyWindowRecords window_{runtime_, names_};
  FaultLog faults_{runtime_};
  DrainWatch drain_{runtime_, names_.sources.size()};
  DrainCauses drain_causes_{names_, drain_};
};

}  // namespace sluice
