// A processing stage. Its input is a buffer or a topic. From a buffer, its
// router takes events and
// delivers each to one worker, routing every key to the same worker so
// per-key order holds, and only against credits the worker granted
// (Reactive Streams' request(n)). The router is not a fiber: it runs
// whenever an event enters the buffer or a worker grants credit, in that
// fiber, so a hand-off costs no extra context switch. Workers (one fiber each, on
// named nodes) process events under the stage's policies: a rate limit, a
// concurrency limit, a timeout per attempt, retries with backoff, a circuit
// breaker around the downstream, and a dead-letter sink for events that
// keep failing.
//
// From a topic, each worker is a member of the stage's consumer group
// (core/topic/group_member.h): the member fetches the partitions assigned to
// it, never more records than the worker has credits for, and commits the
// offsets the worker has processed. A key maps to one partition, and a
// partition to one member, so per-key order holds there too.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/topic/group_member.h"
#include "core/topic/topic.h"
#include "core/checkpoint/worker_checkpoints.h"
#include "core/pipeline/buffer.h"
#include "core/pipeline/circuit_breaker.h"
#include "core/model/defects.h"
#include "core/model/inlet.h"
#include "core/model/observer.h"
#include "core/pipeline/retry_policy.h"
#include "core/pipeline/token_bucket.h"
#include "core/random/distribution.h"
#include "core/runtime/runtime.h"
#include "core/runtime/semaphore.h"
#include "core/scaling/controller.h"

namespace sluice {

struct StageConfig {
  StageIndex index = 0;
  std::string name;
  std::vector<NodeId> worker_nodes;  // one worker fiber per entry
  Distribution service_ns = Distribution::constant(0);
  std::uint32_t prefetch = 1;        // credits each worker grants at a time
  bool key_ordered = true;           // route each key to one worker
  TokenBucketConfig rate_limit;      // rate 0: unlimited
  std::uint32_t concurrency = 0;     // at most this many events in service at once; 0: no limit
  Nanos timeout = kNever;            // per attempt
  RetryPolicy retry;                 // attempts per event, and backoff
  double failure_probability = 0;    // a transient failure per attempt
  double poison_fraction = 0;        // events that fail every attempt (decided by event id)
  BreakerConfig breaker;             // around the downstream
  Inlet* dead_letter = nullptr;      // where events go after the last failed attempt (over the network
                                     // when on another node); null: dropped
  Defects defects;                   // injected bugs (no_retry_on_timeout, reorder_on_retry, ignore_credits)
  bool at_most_once = false;         // delivery at_most_once: never retry a hand-off that timed out
  std::vector<Inlet*> fan_out;       // every event also goes to each of these, after the main output
  // A stateful operator, and (exactly_once, from a topic) checkpoints and a
  // transactional sink; `worker` is filled in per worker. Absent: stateless.
  std::optional<WorkerCheckpointConfig> checkpoints;
  // Elastic scaling (core/scaling/): the first `initial_workers` slots of
  // worker_nodes start ready, the rest idle until scale_to() wants them; 0:
  // every slot is ready and stays so (a stage without autoscale).
  std::uint32_t initial_workers = 0;
  Distribution startup_ns = Distribution::constant(0);  // from scale_to() to a ready replica
};

class Stage final : private MemberHost, public ScalingTarget {
 public:
  Stage(Runtime& runtime, Observer& observer, StageConfig config, Buffer& input, Inlet& output);
  Stage(Runtime& runtime, Observer& observer, StageConfig config, const Topic& input, Inlet& output);
  ~Stage() override;
  // Hooks the router to the buffer (or the group members to the topic) and
  // registers each worker with its node.
  void install();
  const StageConfig& config() const { return config_; }
  // ScalingTarget (stage_scaling.cc): the autoscaler's view and lever.
  ScalingSample scaling_sample() const override;
  void scale_to(std::uint32_t replicas) override;

 private:
  struct Inbox;
  // Delivers events from the buffer's head while their workers have credit.
  void pump();
  std::uint32_t pick_worker(const Event& event);
  void work(std::uint32_t worker);
  enum class Outcome { done, failed, retry_later };
  Outcome process(std::uint32_t worker, const Event& event, std::uint32_t failed_before);
  bool attempt(std::uint32_t worker, const Event& event, const char** failure);
  void hand_downstream(std::uint32_t worker, const Event& event);
  // Offers until the output takes (or sheds) the event, through the breaker
  // and with the retry policy's backoff between refusals and timeouts.
  // Parks a given-up event in the dead-letter sink, retrying while it is down.
  void park(std::uint32_t worker, const Event& event);
  void offer_until_settled(std::uint32_t worker, const Event& event, Inlet& output);
  void grant(std::uint32_t worker, std::int64_t n);
  // MemberHost: how the group members feed the workers.
  std::int64_t credits(std::uint32_t worker) const override;
  WaitQueue& credit_granted(std::uint32_t worker) override;
  void deliver(std::uint32_t worker, const FetchedRecord& record) override;
  void revoke(std::uint32_t worker, const std::vector<std::uint32_t>& partitions) override;
  bool member_active(std::uint32_t worker) const override;
  void member_left(std::uint32_t worker) override;
  bool working_on(std::uint32_t worker, const std::vector<std::uint32_t>& partitions) const override;
  std::optional<std::vector<PartitionOffset>> restore(std::uint32_t worker, const std::vector<std::uint32_t>& partitions,
                                                      std::uint64_t epoch) override;
  bool exactly_once() const { return config_.checkpoints && config_.checkpoints->exactly_once; }
  // Takes barriers and completion notices from the coordinator into the worker's inbox.
  void listen_for_barriers(std::uint32_t worker);
  void handle_barrier(std::uint32_t worker, CheckpointId id);

  Runtime& runtime_;
  Observer& observer_;
  StageConfig config_;
  Buffer* buffer_input_;        // one of these two is the input
  const Topic* topic_input_;
  Inlet& output_;
  std::vector<std::unique_ptr<GroupMember>> members_;  // by worker, when the input is a topic
  std::vector<std::unique_ptr<WorkerCheckpoints>> checkpoints_;  // by worker, with an operator or exactly_once
  Stage(Runtime& runtime, Observer& observer, StageConfig config, Buffer* buffer_input, const Topic* topic_input,
        Inlet& output);

  // Elastic scaling (stage_scaling.cc). A slot is a potential replica:
  // ready slots take events; a draining one finishes (or hands back) what it
  // holds and leaves; idle and starting ones take nothing.
  enum class Slot : std::uint8_t { ready, starting, draining, idle };
  void set_slot(std::uint32_t worker, Slot slot, const char* state);
  void start_replica(std::uint32_t worker);
  void drain_replica(std::uint32_t worker);
  // The worker fiber's side: parks an idle or starting slot until it is ready.
  void await_ready(std::uint32_t worker);
  // A buffer-fed draining worker with nothing left in hand leaves.
  void finish_drain(std::uint32_t worker);
  // Drops what a replica holds (the scale_in_without_drain defect).
  void drop_held(std::uint32_t worker);
  // Buffer input: the ready workers the router delivers to. Key-ordered
  // routing changes only when no worker holds an event (a key's events
  // must not be in two workers' hands at once).
  void recompute_routes();
  bool all_quiet() const;
  std::uint32_t replicas() const;  // ready plus starting
  std::vector<Slot> slots_;
  std::vector<std::uint64_t> slot_epochs_;  // bumped on every change: a start-up that was cancelled sees it
  std::vector<std::uint32_t> routes_;
  bool reroute_pending_ = false;
  std::uint64_t arrived_ = 0;    // events that entered a buffer input
  std::uint64_t processed_ = 0;  // events workers finished
  Nanos busy_ns_ = 0;            // service time, all workers

  std::vector<std::unique_ptr<Inbox>> inboxes_;
  std::uint32_t next_worker_ = 0;
  TokenBucket rate_limit_;
  std::unique_ptr<Semaphore> concurrency_;
  CircuitBreaker breaker_;
};

}  // namespace sluice
