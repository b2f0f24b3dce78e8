// A scenario as loaded and validated: the topology, the workload, the run
// bounds and the expectations. Names refer to each other by id; the loader
// has already checked every reference, so the runner may trust them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/broker/topic_config.h"
#include "core/checkpoint/keyed_state.h"
#include "core/pipeline/buffer.h"
#include "core/pipeline/circuit_breaker.h"
#include "core/model/defects.h"
#include "core/pipeline/remote_sink.h"
#include "core/pipeline/retry_policy.h"
#include "core/pipeline/sink.h"
#include "core/pipeline/source.h"
#include "core/pipeline/token_bucket.h"
#include "core/random/distribution.h"
#include "core/scaling/autoscale_config.h"
#include "sim/catalog/invariant_catalog.h"
#include "core/time.h"
#include "sim/runtime/pick_strategy.h"
#include "sim/runtime/perturbation.h"
#include "sim/alerts/alert_rule.h"
#include "sim/scaling/latency_slo.h"
#include "sim/world/fault_spec.h"
#include "sim/world/world_spec.h"

namespace sluice {

struct SourceSpec {
  std::string id;
  std::string node;
  std::uint64_t count = 0;
  Distribution interarrival_ns = Distribution::constant(0);
  Distribution key = Distribution::constant(0);
  // Added to every key sample so that keys are 0..count-1 whatever the
  // distribution: -1 for zipf, whose samples are 1..count.
  std::int64_t key_offset = 0;
  Distribution size_bytes = Distribution::constant(0);
  Distribution priority = Distribution::constant(0);
  std::string to;  // a buffer, a topic or a sink
  std::vector<Burst> bursts{};
  // How it produces (core/pipeline/source.h); the defaults offer each event
  // once, one at a time, without a rate limit.
  TokenBucketConfig rate_limit{};    // rate 0: none
  std::uint32_t max_in_flight = 1;
  RetryPolicy retry{};
  double retry_budget_ratio = 0;     // 0: no budget
  OnReject on_reject = OnReject::retry;
  // Produces to a topic idempotently: the broker drops a retry of a record
  // it appended already (core/broker/idempotence_window.h).
  bool idempotent = false;
};

struct BufferSpec {
  std::string id;
  std::string node;
  std::uint64_t capacity = 0;
  OverflowPolicy policy = OverflowPolicy::block;
};

// A broker topic: partitions on the node's disk, limits, acks and fsyncs.
// `config` holds everything but the name, node and queue numbering, which
// the runner fills in.
struct TopicSpec {
  std::string id;
  std::string node;
  TopicConfig config{};
};

// How a stage's workers take and process events (all optional).
struct StagePolicies {
  std::uint32_t prefetch = 1;       // credits a worker grants at a time
  bool key_ordered = true;          // route each key to one worker
  TokenBucketConfig rate_limit;     // rate 0: none
  std::uint32_t concurrency = 0;    // 0: no limit
  Nanos timeout = kNever;           // per attempt
  RetryPolicy retry;
  double failure_probability = 0;
  double poison_fraction = 0;
  BreakerConfig breaker;
  std::string dead_letter;          // a dead-letter sink id, or empty
  // "on_give_up": "drop": events the retry policy gives up on (with no
  // dead-letter sink) are dropped on purpose and counted as give_up_dropped;
  // without it they are lost, and no_loss says so.
  bool drop_on_give_up = false;
};

struct StageSpec {
  std::string id;
  std::string from;  // a buffer or a topic
  std::vector<std::string> workers;  // node names, one worker each
  Distribution service_ns = Distribution::constant(0);
  std::string to;  // a buffer, a topic or a sink
  std::vector<std::string> fan_out{};  // "to": [a, b, ...]: every event also goes to b, ...
  StagePolicies policies{};
  std::optional<GroupConfig> group{};  // its consumer group's settings, when it reads a topic
  OperatorSpec op{};                   // a stateful operator (state per partition of its topic)
  std::optional<CheckpointConfig> checkpoint{};  // exactly_once: how it checkpoints (defaults when absent)
  // Elastic scaling (sim/scenario/autoscale_reader.h): `workers` then holds
  // every replica slot, up to max; the first initial_replicas start ready.
  std::optional<AutoscaleConfig> autoscale{};
};

struct SinkSpec {
  std::string id;
  std::string node;
  bool dead_letter = false;     // parks events stages gave up on
  bool transactional = false;   // exactly_once: effects in transactions committed with checkpoints
  SinkDedupConfig dedup{};      // mode idempotent, or a "dedup" window (core/pipeline/sink_dedup.h)
  std::vector<Outage> outages{};  // windows in which it refuses every event
  // How long a worker on another node waits for the sink's reply before it
  // retries (the effect may have been applied all the same).
  Nanos rpc_timeout = kDefaultSinkRpcTimeout;
};

struct RunSpec {
  Nanos until = kNever;          // hard bound on virtual time
  Nanos faults_end = kNever;     // swarm faults stop (and heal) by then
  Nanos drain_within = kNever;   // after the last source finishes and the last fault heals
  // Budgets (absent: sim/run/run_bounds.h's defaults); reaching one ends the
  // run with outcome budget_exhausted.
  std::optional<Nanos> max_virtual_time;
  std::optional<std::uint64_t> max_events;     // scheduler events
  std::optional<std::int64_t> max_wall_ms;
  // The progress invariant (absent: derived from the scenario, run_bounds.h).
  std::optional<Nanos> stall_after;
  std::optional<std::uint32_t> livelock_attempts;
};

struct ExpectSpec {
  std::vector<std::string> hold;
  bool hold_listed = false;  // "hold" was written out (else: every invariant not in violate)
  std::vector<std::string> violate;
  std::vector<AlertExpectation> alerts;  // "alerts": when the scenario's alerts fire and resolve
};

struct Scenario {
  std::string file;  // where it was loaded from, for messages
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  StrategySpec strategy{};  // pct's horizon 0: derived from the workload (runner.cc)
  PerturbSpec perturb{};    // BUGGIFY sites ("perturb"); off unless listed
  RunSpec run;
  std::vector<SourceSpec> sources;
  std::vector<BufferSpec> buffers;
  std::vector<TopicSpec> topics;
  std::vector<StageSpec> stages;
  std::vector<SinkSpec> sinks;
  std::vector<FaultSpec> faults;      // the explicit schedule
  std::optional<SwarmSpec> swarm;     // seeded random faults, drawn per seed
  NetworkSpec network;                // default: a perfect network (no latency, no loss)
  DiskSpec disks;                     // default: instant disks without faults
  DeliveryMode delivery = DeliveryMode::at_least_once;  // for stages that read topics
  // per_key_order across sources: false judges each source's events of a key
  // on their own (independent producers define no order between them).
  bool total_key_order = false;
  Defects defects;                    // injected bugs, for proving checkers
  // Defects a command line injected (--defect), not the file: repro lines repeat them.
  std::vector<std::string> injected_defects;
  std::optional<LatencySlo> slo;      // "slo": the latency_slo invariant's bound
  std::vector<AlertRule> alerts;      // "alerts": rules evaluated over the run's metrics (sim/alerts/)
  ExpectSpec expect;

  // Every node named anywhere, in order of first mention.
  std::vector<std::string> nodes() const;
};

}  // namespace sluice
