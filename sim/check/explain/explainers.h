// One explainer per invariant: each turns the causal log, at the moment of
// the first violation (or at the end of the run for no_loss and liveness),
// into an Explanation that names the mechanism behind it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model/event.h"
#include "sim/check/explain/causal_log.h"
#include "sim/check/explanation.h"
#include "sim/check/progress_checker.h"
#include "sim/check/state_checker.h"
#include "sim/scaling/scaling_record.h"

namespace sluice {

// no_duplicate_effects: `event` took effect at `sink` a second time, now.
Explanation explain_duplicate(const CausalLog& log, const Event& event, SinkIndex sink, Nanos now);
// no_loss: `lost` was acknowledged and never took effect (`verdict_text` as a fallback).
Explanation explain_loss(const CausalLog& log, EventId lost, const std::string& verdict_text);
// per_key_order: `late` took effect at `sink` now, after a later-produced event of its key.
Explanation explain_order(const CausalLog& log, const Event& late, SinkIndex sink, Nanos now);
// checkpoint_consistency: a snapshot (restore=false) or restore of `queue`
// disagreed with the fold; `diff` is what the state folded instead, when the
// checker could tell (StateChecker::diff).
Explanation explain_state(const CausalLog& log, QueueIndex queue, std::uint64_t checkpoint, std::uint64_t offset,
                          bool restore, Nanos now, const StateDiff& diff = {});
// bounded_queues: `queue` held `depth` > `capacity` when `event` arrived.
Explanation explain_queue(const CausalLog& log, QueueIndex queue, const Event& event, std::size_t depth,
                          std::uint64_t capacity, Nanos now);
// flow_control: a worker received `event` with no outstanding credit.
Explanation explain_flow(const CausalLog& log, StageIndex stage, std::uint32_t worker, const Event& event, Nanos now);
// drains_after_heal, and the progress invariant's hook: what was still stuck,
// and what it waited on. `what` opens the why ("9 events were still queued ...").
Explanation explain_stuck(const CausalLog& log, const std::string& what);

// Transactions (txn_explainer.cc): a causal record of a transaction marker
// carries the transaction in `detail` (epoch << 32 | txn), the writer's worker
// in place.worker and the partition in place.index.
constexpr std::uint64_t txn_detail(std::uint64_t epoch, std::uint64_t txn) { return epoch << 32 | (txn & 0xffffffffULL); }
// A step per transaction marker that resolved the event (up to `until`).
void add_txn_steps(const CausalLog& log, const std::vector<CausalRecord>& records, Nanos until, Explanation& out);
// no_duplicate_effects inside the pipeline: `event` was committed a second
// time in a partition of `queue`'s topic, now.
Explanation explain_topic_duplicate(const CausalLog& log, const Event& event, QueueIndex queue, Nanos now);

// Elastic scaling (scaling_explainer.cc); the history marks each decision
// ("scaled": part = stage, id = to, offset = from, reason) and each replica
// that drains or leaves ("replica": part = stage, worker, reason = state).
// scale_in_is_lossless: replica `worker` of `stage` left now holding `held` events.
Explanation explain_scale_in(const CausalLog& log, StageIndex stage, std::uint32_t worker, std::int64_t held, Nanos now);
// The clause "worker-3 of 'enrich' on node w4 was scaled in at ... and it did
// not drain first ..." when replica `worker` of `stage` left at `t` (adding
// the decision and the departure as steps), or "" when it did not leave then.
std::string scale_in_words(const CausalLog& log, StageIndex stage, std::uint32_t worker, Nanos t, Explanation& out);

// latency_slo: the p99 over the bound, when the effects over it bunched up,
// the slowest effects, and what the run was doing then: the faults active and
// the autoscalers' decisions in and just before that window.
Explanation explain_latency(const CausalLog& log, const ScalingRecord::SloMiss& miss);

// A pending event the progress checker holds: where it sits, and what it
// waits on in words ("a worker of stage 'work' to take it (workers on ...)").
struct StuckEvent {
  EventId id = 0;
  PendingPlace place;
  std::string waits_on;
  bool looping = false;  // the event a livelock violation is about
};
// progress (and drains_after_heal when events are still pending): each stuck
// event (oldest first), where it sits since when, what it waits on, and the
// fault still hitting that part. Falls back to explain_stuck when none is listed.
Explanation explain_progress(const CausalLog& log, const std::string& what, const std::vector<StuckEvent>& stuck,
                             Nanos now);

}  // namespace sluice
