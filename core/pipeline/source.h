// A producer: emits a workload of events into one inlet as a serious client
// would. An emitter fiber draws each arrival gap and creates the events in
// sequence; `max_in_flight` sender fibers on the same node take them in
// emission order and offer them downstream, each under the rate limit and,
// when the downstream rejects one, the on_reject policy (retry with backoff,
// jitter and a retry budget; drop; or spill to a durable local backlog that a
// replay fiber drains). The emitter waits for a free sender before it draws
// the next gap, so with max_in_flight 1 the next arrival is drawn after the
// previous offer settles (a closed-loop client), and with every sender busy
// the emitter blocks: backpressure.
//
// Per-key order is guaranteed only with max_in_flight 1 (like a Kafka
// producer without idempotence: with several requests in flight, a retried
// event lands after later ones). A spill keeps it: while the backlog is not
// empty, new events join its tail instead of overtaking it.
//
// A crash of the source's node loses the events in its memory (produced, not
// yet acknowledged: no loss) and the retry budget; the spill backlog survives
// (what was fsync'd), the emitter continues with the next sequence number and
// the replay fiber resumes at the durable cursor.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "core/model/inlet.h"
#include "core/model/observer.h"
#include "core/pipeline/retry_budget.h"
#include "core/pipeline/retry_policy.h"
#include "core/pipeline/spill_log.h"
#include "core/pipeline/token_bucket.h"
#include "core/random/distribution.h"
#include "core/runtime/runtime.h"

namespace sluice {

// For [start, end) arrivals come `factor` times faster (a 10x burst).
struct Burst {
  Nanos start;
  Nanos end;
  double factor;
};

// What a source does with an event the downstream refused or did not answer.
enum class OnReject {
  retry,  // back off and offer again, up to retry.max_attempts and the retry budget; then drop
  drop,   // give up on it at once (counted, like a shed)
  spill,  // append it to the durable spill backlog, replayed when the downstream takes events again
};
const char* on_reject_name(OnReject policy);

struct SourceConfig {
  SourceIndex index = 0;
  std::string name;
  NodeId node = 0;
  std::uint64_t count = 0;
  Distribution interarrival_ns = Distribution::constant(0);
  Distribution key = Distribution::constant(0);         // sampled, truncated to an integer
  std::int64_t key_offset = 0;                          // added to each key sample (zipf's 1..n -> 0..n-1)
  Distribution size_bytes = Distribution::constant(0);
  Distribution priority = Distribution::constant(0);     // 0..255
  std::vector<Burst> bursts;
  TokenBucketConfig rate_limit;         // every produce attempt (retries and replays too) takes a token; rate 0: unlimited
  std::uint32_t max_in_flight = 1;      // produce requests outstanding at once (sender fibers)
  RetryPolicy retry;                    // attempts per event under on_reject retry; the backoff of retries and replays
  double retry_budget_ratio = 0;        // see core/pipeline/retry_budget.h; 0: no budget
  OnReject on_reject = OnReject::retry;
};

class Source {
 public:
  // REQUIRES: config.max_in_flight >= 1.
  Source(Runtime& runtime, Observer& observer, SourceConfig config, Inlet& target);
  // Registers the emitter, the senders and (with on_reject spill) the replay
  // fiber with the source's node, and drops what its memory held on a crash.
  void install();
  std::uint64_t emitted() const { return next_sequence_; }
  bool finished() const { return finished_; }

 private:
  void start();
  void forget_in_crash();
  void emit_all();
  void send_all();
  void replay_all();
  // Offers one event under the on_reject policy until it is settled.
  void send(const Event& event);
  // After a rejection under on_reject retry: false when the event is dropped.
  bool may_retry(const Event& event, std::uint32_t attempt);
  void spill(const Event& event);
  OfferResult offer(const Event& event);
  void finish_when_settled();
  Event make_event(std::uint64_t sequence);
  Nanos next_gap();

  Runtime& runtime_;
  Observer& observer_;
  SourceConfig config_;
  Inlet& target_;
  Rng rng_;        // the workload: gaps, keys, sizes, priorities
  Rng retry_rng_;  // backoff jitter, apart so that retries do not change the workload
  TokenBucket rate_limit_;
  RetryBudget budget_;
  std::unique_ptr<SpillLog> spill_;  // with on_reject spill only
  // Survives a crash of the source's node: the workload continues where it
  // stopped, and the events in memory at the crash were never acknowledged.
  std::uint64_t next_sequence_ = 0;
  bool finished_ = false;  // source_finished was reported (once per run)
  // Volatile, on the source's node: events handed from the emitter to the
  // senders, the senders not yet claimed by the emitter, and the events
  // produced and not yet settled (acked, shed, dropped or spilled).
  std::deque<Event> handoff_;
  std::uint32_t free_senders_ = 0;
  std::uint64_t unsettled_ = 0;
  WaitQueue sender_free_;
  WaitQueue work_ready_;
};

}  // namespace sluice
