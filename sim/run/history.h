// The run's history: every observable thing the pipeline does is recorded
// here exactly once, at its virtual time, and fanned out to the metrics, the
// online checkers, the trace hash and (with --trace) the streamed trace.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/runtime/perturbation_sites.h"
#include "core/model/observer.h"
#include "core/runtime/runtime.h"
#include "sim/check/bounded_queues_checker.h"
#include "sim/check/delivery_checker.h"
#include "sim/check/event_id_map.h"
#include "sim/check/explain/causal_log.h"
#include "sim/check/flow_checker.h"
#include "sim/check/order_checker.h"
#include "sim/check/explain/explainers.h"
#include "sim/check/progress_checker.h"
#include "sim/check/recent_history.h"
#include "sim/check/state_checker.h"
#include "sim/check/txn_checker.h"
#include "sim/check/verdict.h"
#include "sim/run/part_names.h"
#include "sim/coverage/coverage_tracker.h"
#include "sim/run/pipeline_metrics.h"
#include "sim/run/trace_records.h"
#include "sim/run/record_hash.h"
#include "sim/run/perfetto_records.h"
#include "sim/run/perfetto_writer.h"
#include "sim/run/trace_writer.h"
#include "sim/alerts/windowed_latency.h"
#include "sim/metrics/failover_record.h"
#include "sim/scaling/scaling_record.h"
#include "sim/world/fault_spec.h"

namespace sluice {

class History final : public Observer {
 public:
  // `trace` may be null (no --trace).
  History(Runtime& runtime, PartNames names, TraceWriter* trace);

  // The one entry point of the core's records: after a budget froze the run,
  // nothing is recorded (shutdown unwinding is not history); otherwise the
  // record goes to its handler below.
  void on(const PipelineRecord& record) override;

  // Also stream to trace.perfetto.json (null: no --perfetto). `nodes` names
  // the fault tracks.
  void set_perfetto(PerfettoWriter* perfetto, std::vector<std::string> nodes) {
    perfetto_ = perfetto;
    node_names_ = std::move(nodes);
  }
  // A fault or a heal from the world ("fault" / "heal").
  void fault_event(const char* what, const FaultSpec& fault);
  const nlohmann::json& faults_json() const { return faults_; }
  // The progress invariant's bounds (run.stall_after, run.livelock_attempts,
  // and when the faults are over), and what to do when it breaks: the run
  // stops at once, as it would otherwise spin until a budget ends it.
  void set_progress_bounds(ProgressBounds bounds) { progress_.set_bounds(bounds); }
  void on_stalled(std::function<void()> callback) { on_stalled_ = std::move(callback); }
  // `can_move`: false when the simulation had no timer left when it ended.
  Verdict progress(Nanos end, bool can_move) { return progress_.verdict(end, can_move); }
  std::uint64_t pending() const { return progress_.pending(); }
  // Judges the stall rule now, for stretches with no history at all (a
  // member cut off from its broker retries in silence).
  void check_progress() {
    progress_.check(runtime_.now());
    after_progress();
  }
  bool stalled() const { return stalled_; }
  // Liveness is judged from here: the later of the last source finishing and
  // the last fault healing.
  void set_quiet_after(Nanos t) { quiet_after_ = t; }
  Nanos quiet_after() const { return quiet_after_; }
  // A perturbation site fired on `node` (Simulation::on_perturbed): a causal mark, so an
  // explanation can name it; the trace hash has it already.
  void perturbed(PerturbSite site, const std::string& node);
  Verdict checkpoint_consistency() const { return states_.verdict(); }
  // Elastic scaling: forwarded to scaling_ (sim/scaling/scaling_record.h).
  ScalingRecord& scaling() { return scaling_; }
  const FailoverRecord& failover() const { return failover_; }
  const ScalingRecord& scaling() const { return scaling_; }
  // Alerts (sim/alerts/): recent effect latencies for p99 rules, and state changes.
  WindowedLatency& window_latency() { return window_latency_; }
  const WindowedLatency& window_latency() const { return window_latency_; }
  void alert_changed(const std::string& alert, const char* state, double value);

  bool all_sources_finished() const { return sources_finished_ == names_.sources.size(); }
  // Events waiting in queues or in service.
  std::uint64_t backlog() const { return queued_ + in_service_; }
  Nanos last_source_finished_at() const { return last_source_finished_at_; }
  // When every source has finished and no backlog is left, the pipeline has
  // drained; the runner stops the simulation then (once faults are over).
  void on_drained(std::function<void()> callback) { on_drained_ = std::move(callback); }

  // Stops the run through on_drained if the pipeline has drained (called on
  // every event that can end a backlog, and once when the faults are over).
  void check_drained();
  // Stops recording (a budget ended the run; what follows is unwinding).
  void freeze() { frozen_ = true; }
  // The pending events that waited longest, described (budget messages).
  std::vector<std::string> stuck_events(std::size_t most) const { return progress_.stuck(most); }
  // Ends the run's bookkeeping: closes series, evaluates end-of-run checks.
  void finish(Nanos end);

  const PartNames& names() const { return names_; }
  PipelineMetrics& metrics() { return metrics_; }
  const PipelineMetrics& metrics() const { return metrics_; }
  DeliveryChecker& delivery() { return delivery_; }
  Verdict per_key_order() const { return with_context(order_.verdict(), order_context_); }
  Verdict bounded_queues() const { return with_context(bounded_.verdict(), bounded_context_); }
  Verdict flow_control() const { return with_context(flow_.verdict(), flow_context_); }
  Verdict no_duplicate_effects() const {
    return with_context(merge_duplicates(delivery_.no_duplicate_effects(), txns_.verdict()), duplicate_context_);
  }
  Nanos drained_at() const { return drained_at_; }
  // Explain the first `n` violations of each invariant, not only the first (--explain N).
  void set_explain_count(std::uint64_t n) { explain_count_ = std::max<std::uint64_t>(n, 1); }
  // Gives every violated verdict the causal explanation of its first violations.
  void attach_explanations(std::vector<std::pair<std::string, Verdict>>& verdicts) const;
  const CausalLog& causal() const { return causal_; }
  // The situations the run reached (sim/coverage/coverage_kinds.h).
  CoverageTracker& coverage() { return coverage_; }
  const CoverageTracker& coverage() const { return coverage_; }

 private:
  // One handler per record kind (core/model/records.h), in the order listed there.
  void handle(const Produced& rec);
  void handle(const Acked& rec);
  void handle(const SourceFinished& rec);
  void handle(const Rejected& rec);
  void handle(const SourceDropped& rec);
  void handle(const Spilled& rec);
  void handle(const Replayed& rec);
  void handle(const SpillCorrupt& rec);
  void handle(const Enqueued& rec);
  void handle(const Dequeued& rec);
  void handle(const Shed& rec);
  void handle(const LostInCrash& rec);
  void handle(const ServiceStarted& rec);
  void handle(const ServiceFinished& rec);
  void handle(const ServiceAborted& rec);
  void handle(const CreditRequested& rec);
  void handle(const DeliveredToWorker& rec);
  void handle(const WorkerLost& rec);
  void handle(const LostInTransit& rec);
  void handle(const Released& rec);
  void handle(const AttemptFailed& rec);
  void handle(const GaveUp& rec);
  void handle(const BreakerChanged& rec);
  void handle(const Effect& rec);
  void handle(const DuplicateSuppressed& rec);
  void handle(const Fetched& rec);
  void handle(const Trimmed& rec);
  void handle(const OffsetCommitted& rec);
  void handle(const CommitFenced& rec);
  void handle(const Rebalanced& rec);
  void handle(const CheckpointCompleted& rec);
  void handle(const CheckpointAborted& rec);
  void handle(const CheckpointWork& rec);
  void handle(const StateSnapshotted& rec);
  void handle(const StateRestored& rec);
  void handle(const RestoredBy& rec);
  void handle(const StateRebuilt& rec);
  void handle(const TxnMarkerWritten& rec);
  void handle(const ScalingDecided& rec);
  void handle(const ReplicaChanged& rec);
  void handle(const CheckpointIntervalChanged& rec);
  void depth_changed(QueueIndex queue, std::size_t depth);
  // Captures the context of a checker's first violation, once.
  void capture_first(const Verdict& verdict, std::vector<std::string>& context, const Event& event) {
    if (verdict.violations == 1 && context.empty()) context = recent_.context_for(event);
  }
  // Keeps the explanations of the first explain_count_ violations of
  // `invariant`: `build` runs only when `verdict` has a violation not yet explained.
  // `invariant` is a literal: no string is built unless there is something to explain.
  template <typename Build>
  void explain_first(const char* invariant, const Verdict& verdict, Build build) {
    if (verdict.violations == 0 || verdict.violations > explain_count_) return;
    Explained& e = explanations_[invariant];
    if (verdict.violations <= e.seen) return;
    e.seen = verdict.violations;
    e.list.push_back(build());
  }
  static Verdict with_context(const Verdict& verdict, const std::vector<std::string>& context) {
    Verdict out = verdict;
    out.context = context;
    return out;
  }
  // Counts a queue's shed under its reason (and in the shed total).
  void count_shed(QueueIndex queue, ShedReason reason);
  // Stops the run (once) when progress has just been found violated.
  void after_progress() {
    if (failover_.awaits_catch_up()) failover_.pending_now(runtime_.now(), progress_.pending());
    if (stalled_ || !progress_.violated()) return;
    stalled_ = true;
    if (on_stalled_) on_stalled_();
  }
  // Where a pending event is (its last record in the causal log), for progress violations.
  PendingPlace locate(EventId id) const;
  // Where an event is and what it waits on, for progress violations.
  std::string describe_place(const PendingPlace& place) const;
  std::string describe_worker(StageIndex stage, std::uint32_t worker) const;
  std::string describe_node(const std::string& node) const;
  // The opening of a liveness explanation: how much was stuck, or how late it drained.
  std::string stuck_words() const;
  // The progress checker's stuck events (oldest first) with what each waits on, and its violation in words.
  std::vector<StuckEvent> stuck_list(bool livelock) const;  // livelock: the most attempted event first
  void perfetto_duplicate(SinkIndex sink, const Event& event, Nanos now);
  std::string progress_words(const Verdict& verdict) const;
  // The sink or queue of that name (for context lines), or null.
  const std::string* part_named(std::string_view name) const;
  // Remembers and traces a source's own outcome (`reason` may be null).
  void source_outcome(SourceIndex source, const Event& event, const char* what,
                      const char* reason);
  void mix(std::uint64_t kind, std::uint64_t a, std::uint64_t b = 0) {
    runtime_.trace((kind << 56) ^ a);
    if (b != 0) runtime_.trace(b);
  }

  Runtime& runtime_;
  RecordHash hash_{runtime_};
  PartNames names_;
  TraceWriter* trace_;
  PerfettoWriter* perfetto_ = nullptr;
  std::vector<std::string> node_names_;
  PipelineMetrics metrics_;
  TraceRecords trace_records_{runtime_, names_, metrics_};
  PerfettoRecords perfetto_records_{runtime_, names_, metrics_};
  DeliveryChecker delivery_;
  OrderChecker order_;
  FlowChecker flow_;
  RecentHistory recent_;
  CausalLog causal_;
  struct Explained {
    std::uint64_t seen = 0;  // violations explained or passed over so far
    std::vector<Explanation> list;
  };
  std::map<std::string, Explained> explanations_;  // by invariant: its first violations'
  std::uint64_t explain_count_ = 1;
  StateChecker states_;
  TxnChecker txns_;  // intermediate transactional topics (sim/check/txn_checker.h)
  BoundedQueuesChecker bounded_;
  std::vector<std::string> order_context_, flow_context_, duplicate_context_, bounded_context_;
  // [topic][source]: events the topic's consumer group took, to count redeliveries.
  std::vector<std::vector<SequenceSet>> fetched_;
  // Topic records: how many copies each event has in partition logs (until
  // trimmed), and which of those lost their fetched copy in a crash. A record
  // still in its log when the run ends is in flight, not lost: the group
  // would hand it out again.
  void partition_dropped(QueueIndex queue, const Event& event);
  EventIdMap<std::uint32_t> retained_;  // looked up only
  EventIdMap<bool> copy_lost_;          // looked up only
  // Events a stage gave up on and is parking: the stage, for the excuse.
  std::map<EventId, StageIndex> parking_;
  ProgressChecker progress_;
  bool stalled_ = false;
  std::function<void()> on_stalled_;
  std::map<std::string, std::vector<std::string>> node_faults_;  // faults in force, by node
  std::size_t sources_finished_ = 0;
  Nanos last_source_finished_at_ = 0;
  Nanos drained_at_ = -1;
  bool frozen_ = false;
  Nanos quiet_after_ = 0;
  std::uint64_t queued_ = 0;
  std::uint64_t in_service_ = 0;
  nlohmann::json faults_ = nlohmann::json::array();
  std::function<void()> on_drained_;
  ScalingRecord scaling_;
  FailoverRecord failover_;  // failover time per crash
  // The partition whose StateRebuilt came just before its StateRestored (none: a snapshot restore).
  static constexpr QueueIndex kNoPartition = ~QueueIndex{0};
  QueueIndex rebuilt_partition_ = kNoPartition;
  WindowedLatency window_latency_;
  CoverageTracker coverage_;
};

}  // namespace sluice
