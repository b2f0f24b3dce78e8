#include "sim/run/runner.h"

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <map>
#include <memory>

#include "core/topic/topic.h"
#include "core/topic/topic_producer.h"
#include "core/check.h"
#include "core/pipeline/buffer.h"
#include "core/pipeline/transactional_sink.h"
#include "core/pipeline/remote_sink.h"
#include "core/pipeline/sink.h"
#include "core/pipeline/source.h"
#include "core/pipeline/stage.h"
#include "core/scaling/controller.h"
#include "sim/run/alert_monitor.h"
#include "sim/run/expectations.h"
#include "sim/run/history.h"
#include "sim/run/judge.h"
#include "sim/run/part_places.h"
#include "sim/run/perturbation_summary.h"
#include "sim/scenario/defect_injection.h"
#include "sim/coverage/node_roles.h"
#include "sim/run/trace_writer.h"
#include "sim/world/fault_injector.h"
#include "sim/world/world.h"

namespace sluice {

// The pipeline built from a scenario. Parts refer to each other by pointer;
// ids were validated by the loader.
class Pipeline {
 public:
  Pipeline(const Scenario& scenario, Simulation& sim, History& history) {
    for (std::size_t i = 0; i < scenario.sinks.size(); ++i) {
      const SinkSpec& spec = scenario.sinks[i];
      SinkDedupConfig dedup = spec.dedup;
      dedup.skip = scenario.defects.skip_dedup;
      dedup.evict_by_clock = scenario.defects.dedup_evicts_by_wall_clock;
      dedup.forget_gaps = scenario.defects.idempotent_sink_forgets_gaps;
      sinks_.push_back(std::make_unique<Sink>(sim, history, static_cast<SinkIndex>(i), spec.id, spec.outages, dedup));
      inlets_[spec.id] = sinks_.back().get();
      sink_by_id_[spec.id] = i;
      if (spec.transactional) {
        txn_sinks_[spec.id] = std::make_unique<TransactionalSink>(sim, history, static_cast<SinkIndex>(i), spec.id,
                                                                  *sim.find_node(spec.node), !scenario.defects.no_fencing);
        txn_sinks_[spec.id]->install();
      }
    }
    remote_sinks_.resize(sinks_.size());
    sink_servers_.resize(sinks_.size());
    for (std::size_t i = 0; i < scenario.buffers.size(); ++i) {
      const BufferSpec& spec = scenario.buffers[i];
      buffers_.push_back(std::make_unique<Buffer>(sim, history, static_cast<QueueIndex>(i),
                                                  *sim.find_node(spec.node), spec.capacity, spec.policy,
                                                  spec.id.c_str(), scenario.defects.unbounded_buffer));
      inlets_[spec.id] = buffers_.back().get();
      buffer_by_id_[spec.id] = buffers_.back().get();
    }
    auto first_queue = static_cast<QueueIndex>(scenario.buffers.size());
    for (std::size_t i = 0; i < scenario.topics.size(); ++i) {
      const TopicSpec& spec = scenario.topics[i];
      TopicConfig config = spec.config;
      config.name = spec.id;
      config.node = *sim.find_node(spec.node);
      config.first_queue = first_queue;
      config.defects = scenario.defects;
      config.group = group_of(scenario, spec.id);
      config.checkpoint = checkpoint_plan(scenario, config.group.stage, sim);
      config.transactional = written_exactly_once(scenario, spec.id);
      first_queue += config.partitions;
      topics_.push_back(std::make_unique<Topic>(sim, history, std::move(config), static_cast<std::uint32_t>(i)));
      topics_.back()->install();
      topic_by_id_[spec.id] = topics_.back().get();
      producers_.push_back(std::make_unique<TopicProducer>(sim, *topics_.back()));
      inlets_[spec.id] = producers_.back().get();
    }
    for (std::size_t i = 0; i < scenario.stages.size(); ++i) {
      const StageSpec& spec = scenario.stages[i];
      Inlet& output = stage_output(scenario, spec, sim);
      if (auto topic = topic_by_id_.find(spec.from); topic != topic_by_id_.end()) {
        stages_.push_back(std::make_unique<Stage>(sim, history, stage_config(scenario, i, sim), *topic->second, output));
      } else {
        stages_.push_back(
            std::make_unique<Stage>(sim, history, stage_config(scenario, i, sim), *buffer_by_id_.at(spec.from), output));
      }
      stages_.back()->install();
      if (spec.autoscale) {
        // The control plane never crashes: its loop runs on the world's node.
        controllers_.push_back(std::make_unique<ScalingController>(sim, history, static_cast<StageIndex>(i), *stages_.back(),
                                                                   *spec.autoscale, !scenario.defects.no_stabilization));
        controllers_.back()->start(kWorldNode);
      }
    }
    for (std::size_t i = 0; i < scenario.sources.size(); ++i) {
      const SourceSpec& spec = scenario.sources[i];
      SourceConfig config{.index = static_cast<SourceIndex>(i),
                          .name = spec.id,
                          .node = *sim.find_node(spec.node),
                          .count = spec.count,
                          .interarrival_ns = spec.interarrival_ns,
                          .key = spec.key,
                          .key_offset = spec.key_offset,
                          .size_bytes = spec.size_bytes,
                          .priority = spec.priority,
                          .bursts = spec.bursts,
                          .rate_limit = spec.rate_limit,
                          .max_in_flight = spec.max_in_flight,
                          .retry = spec.retry,
                          .retry_budget_ratio = spec.retry_budget_ratio,
                          .on_reject = spec.on_reject};
      sources_.push_back(std::make_unique<Source>(sim, history, std::move(config), source_output(scenario, spec, sim)));
      sources_.back()->install();
    }
    if (!scenario.alerts.empty()) {
      // Monitoring is not under test either: its loops run on the world's node.
      alerts_ = std::make_unique<AlertMonitor>(sim, history, scenario.alerts);
      alerts_->start(kWorldNode);
    }
  }
  // The scenario's alert rules, or null when it has none.
  const AlertMonitor* alerts() const { return alerts_.get(); }

 private:
  // The group settings of the stage reading the topic (the loader made sure there is one).
  static GroupConfig group_of(const Scenario& scenario, const std::string& topic) {
    for (std::size_t i = 0; i < scenario.stages.size(); ++i) {
      if (scenario.stages[i].from != topic) continue;
      GroupConfig group = scenario.stages[i].group.value_or(GroupConfig{});
      group.stage = static_cast<StageIndex>(i);
      group.delivery = scenario.delivery;
      return group;
    }
    return GroupConfig{};
  }

  // exactly_once: what the topic's checkpoint coordinator needs of its stage.
  std::optional<CheckpointPlan> checkpoint_plan(const Scenario& scenario, StageIndex stage, Simulation& sim) const {
    if (scenario.delivery != DeliveryMode::exactly_once || stage >= scenario.stages.size()) return std::nullopt;
    const StageSpec& spec = scenario.stages[stage];
    const std::vector<std::pair<NodeId, Port>> sinks = participants(scenario, spec, sim);
    CheckpointPlan plan{.config = spec.checkpoint.value_or(CheckpointConfig{}), .stage = stage, .workers = {},
                        .sink_node = sinks[0].first, .sink_port = sinks[0].second,
                        .more_sinks = {sinks.begin() + 1, sinks.end()}};
    for (const std::string& worker : spec.workers) plan.workers.push_back(*sim.find_node(worker));
    plan.backend = spec.op.backend;
    plan.standbys = spec.op.standbys;
    return plan;
  }

  // Operator state and, under exactly_once, the checkpoint protocol's ends.
  std::optional<WorkerCheckpointConfig> worker_checkpoints(const Scenario& scenario, const StageSpec& spec, StageIndex index,
                                                           Simulation& sim) {
    auto topic = topic_by_id_.find(spec.from);
    if (topic == topic_by_id_.end()) return std::nullopt;
    const bool exactly_once = scenario.delivery == DeliveryMode::exactly_once;
    if (!exactly_once && spec.op.kind == OperatorKind::none) return std::nullopt;
    const TopicConfig& t = topic->second->config();
    WorkerCheckpointConfig config{.stage = index,
                                  .worker = 0,
                                  .op = spec.op,
                                  .exactly_once = exactly_once,
                                  .checkpoint = spec.checkpoint.value_or(CheckpointConfig{}),
                                  .coordinator_node = t.node,
                                  .coordinator_port = topic->second->port(),
                                  .sink_node = 0,
                                  .sink_port = 0,
                                  .first_queue = t.first_queue,
                                  .rpc_timeout = t.group.rpc_timeout};
    if (exactly_once) {
      const std::vector<std::pair<NodeId, Port>> sinks = participants(scenario, spec, sim);
      config.sink_node = sinks[0].first;
      config.sink_port = sinks[0].second;
      config.more_sinks.assign(sinks.begin() + 1, sinks.end());
    }
    return config;
  }

  // An exactly-once stage that reads a topic writes to `topic` (its "to" or a fan-out).
  static bool written_exactly_once(const Scenario& scenario, const std::string& topic) {
    if (scenario.delivery != DeliveryMode::exactly_once) return false;
    for (const StageSpec& stage : scenario.stages) {
      const bool from_topic = std::any_of(scenario.topics.begin(), scenario.topics.end(),
                                          [&](const TopicSpec& t) { return t.id == stage.from; });
      if (!from_topic) continue;
      if (stage.to == topic) return true;
      if (std::find(stage.fan_out.begin(), stage.fan_out.end(), topic) != stage.fan_out.end()) return true;
    }
    return false;
  }

  // Where an exactly-once stage's transactions go: for each output, the
  // transactional sink or the topic's transaction coordinator (the loader
  // made sure each output is one of the two). Topics may not be built yet,
  // so a coordinator's address comes from the scenario.
  std::vector<std::pair<NodeId, Port>> participants(const Scenario& scenario, const StageSpec& spec, Simulation& sim) const {
    std::vector<std::pair<NodeId, Port>> out;
    std::vector<std::string> outputs{spec.to};
    outputs.insert(outputs.end(), spec.fan_out.begin(), spec.fan_out.end());
    for (const std::string& id : outputs) {
      if (auto sink = txn_sinks_.find(id); sink != txn_sinks_.end()) {
        out.emplace_back(sink->second->node(), sink->second->port());
        continue;
      }
      for (std::size_t t = 0; t < scenario.topics.size(); ++t) {
        if (scenario.topics[t].id != id) continue;
        out.emplace_back(*sim.find_node(scenario.topics[t].node), static_cast<Port>(kTxnCoordinatorPortBase + t));
      }
    }
    SLUICE_CHECK(!out.empty(), "an exactly-once stage without a transactional output passed the loader");
    return out;
  }

  StageConfig stage_config(const Scenario& scenario, std::size_t i, Simulation& sim) {
    const StageSpec& spec = scenario.stages[i];
    const StagePolicies& p = spec.policies;
    StageConfig config;
    config.index = static_cast<StageIndex>(i);
    config.name = spec.id;
    for (const std::string& worker : spec.workers) config.worker_nodes.push_back(*sim.find_node(worker));
    config.service_ns = spec.service_ns;
    config.prefetch = p.prefetch;
    config.key_ordered = p.key_ordered;
    config.rate_limit = p.rate_limit;
    config.concurrency = p.concurrency;
    config.timeout = p.timeout;
    config.retry = p.retry;
    config.failure_probability = p.failure_probability;
    config.poison_fraction = p.poison_fraction;
    config.breaker = p.breaker;
    // Like any sink: across the network from workers on other nodes.
    config.dead_letter = p.dead_letter.empty() ? nullptr : &output_to(scenario, p.dead_letter, spec.workers, sim);
    config.defects = scenario.defects;
    config.checkpoints = worker_checkpoints(scenario, spec, config.index, sim);
    config.at_most_once = scenario.delivery == DeliveryMode::at_most_once;
    for (const std::string& more : spec.fan_out) config.fan_out.push_back(&output_to(scenario, more, spec.workers, sim));
    if (spec.autoscale) {
      config.initial_workers = spec.autoscale->initial_replicas;
      config.startup_ns = spec.autoscale->startup_ns;
    }
    return config;
  }

  // A stage with a worker off its sink's node reaches the sink over the
  // network: through the sink's RemoteSink, served by a SinkServer on the
  // sink's node (both made on first use). Workers on the sink's node still
  // call it directly; a stage whose workers all are gets the sink itself.
  Inlet& stage_output(const Scenario& scenario, const StageSpec& stage, Simulation& sim) {
    return output_to(scenario, stage.to, stage.workers, sim);
  }

  // A source is a client like a worker: a sink on another node is across the network.
  // An idempotent producer has a TopicProducer of its own (the loader made
  // sure it sends to a topic).
  Inlet& source_output(const Scenario& scenario, const SourceSpec& source, Simulation& sim) {
    if (source.idempotent) {
      idempotent_producers_.push_back(std::make_unique<TopicProducer>(sim, *topic_by_id_.at(source.to), true));
      return *idempotent_producers_.back();
    }
    return output_to(scenario, source.to, {source.node}, sim);
  }

  // What callers on `nodes` offer to for `to`.
  Inlet& output_to(const Scenario& scenario, const std::string& to, const std::vector<std::string>& nodes,
                   Simulation& sim) {
    auto sink = sink_by_id_.find(to);
    if (sink == sink_by_id_.end()) return *inlets_.at(to);
    const std::size_t i = sink->second;
    const SinkSpec& spec = scenario.sinks[i];
    const NodeId node = *sim.find_node(spec.node);
    bool remote = false;
    for (const std::string& caller : nodes) remote = remote || *sim.find_node(caller) != node;
    if (!remote) return *sinks_[i];
    if (!remote_sinks_[i]) {
      const auto index = static_cast<SinkIndex>(i);
      remote_sinks_[i] = std::make_unique<RemoteSink>(sim, *sinks_[i], node, index, spec.rpc_timeout);
      sink_servers_[i] = std::make_unique<SinkServer>(sim, *sinks_[i], node, index);
      sink_servers_[i]->install();
    }
    return *remote_sinks_[i];
  }

  std::map<std::string, Inlet*> inlets_;
  std::map<std::string, Buffer*> buffer_by_id_;
  std::map<std::string, Topic*> topic_by_id_;
  std::map<std::string, std::unique_ptr<TransactionalSink>> txn_sinks_;
  std::map<std::string, std::size_t> sink_by_id_;
  std::vector<std::unique_ptr<Sink>> sinks_;
  std::vector<std::unique_ptr<RemoteSink>> remote_sinks_;   // by sink index; null: no remote caller
  std::vector<std::unique_ptr<SinkServer>> sink_servers_;  // likewise
  std::vector<std::unique_ptr<Buffer>> buffers_;
  std::vector<std::unique_ptr<Topic>> topics_;
  std::vector<std::unique_ptr<TopicProducer>> producers_;  // by topic
  std::vector<std::unique_ptr<TopicProducer>> idempotent_producers_;  // one per idempotent source
  std::vector<std::unique_ptr<Stage>> stages_;
  std::vector<std::unique_ptr<ScalingController>> controllers_;
  std::unique_ptr<AlertMonitor> alerts_;
  std::vector<std::unique_ptr<Source>> sources_;
};

namespace {

// The sinks a source's events must all reach: every sink down every path
// (a stage that fans out sends each event down each of its outputs).
std::vector<SinkIndex> sinks_reached(const Scenario& scenario, const std::string& from) {
  std::vector<SinkIndex> found;
  std::vector<std::string> pending{from}, seen;
  while (!pending.empty()) {
    const std::string id = pending.back();
    pending.pop_back();
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
    seen.push_back(id);
    for (std::size_t i = 0; i < scenario.sinks.size(); ++i) {
      if (scenario.sinks[i].id == id && std::find(found.begin(), found.end(), i) == found.end()) {
        found.push_back(static_cast<SinkIndex>(i));
      }
    }
    for (const StageSpec& stage : scenario.stages) {
      if (stage.from != id) continue;
      pending.push_back(stage.to);
      pending.insert(pending.end(), stage.fan_out.begin(), stage.fan_out.end());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

// The sinks downstream of a stage: down each of its outputs.
std::vector<SinkIndex> sinks_after(const Scenario& scenario, const StageSpec& stage) {
  std::vector<SinkIndex> found = sinks_reached(scenario, stage.to);
  for (const std::string& more : stage.fan_out) {
    for (SinkIndex sink : sinks_reached(scenario, more)) {
      if (std::find(found.begin(), found.end(), sink) == found.end()) found.push_back(sink);
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

PartNames part_names(const Scenario& scenario) {
  PartNames names;
  names.total_key_order = scenario.total_key_order;
  for (const SourceSpec& s : scenario.sources) names.source_sinks.push_back(sinks_reached(scenario, s.to));
  for (const SourceSpec& s : scenario.sources) names.sources.push_back(s.id);
  for (const BufferSpec& b : scenario.buffers) {
    names.queues.push_back(b.id);
    names.queue_capacities.push_back(b.capacity);
    names.queue_sinks.push_back(sinks_reached(scenario, b.id));
    names.queue_topic.push_back(PartNames::kNotATopic);
  }
  names.buffer_queues = names.queues.size();
  names.queue_operators.resize(names.queues.size());
  // Each partition of a topic is a queue of its own, bounded by max_msgs.
  for (const TopicSpec& t : scenario.topics) {
    OperatorSpec checked;  // checkpointed operator state is checked per partition
    for (const StageSpec& s : scenario.stages) {
      if (s.from == t.id && scenario.delivery == DeliveryMode::exactly_once) checked = s.op;
    }
    for (std::uint32_t p = 0; p < t.config.partitions; ++p) {
      names.queues.push_back(t.id + "/" + std::to_string(p));
      names.queue_capacities.push_back(t.config.max_msgs);
      names.queue_operators.push_back(checked);
      names.queue_sinks.push_back(sinks_reached(scenario, t.id));
      names.queue_topic.push_back(static_cast<std::size_t>(&t - scenario.topics.data()));
    }
  }
  for (const StageSpec& s : scenario.stages) {
    names.stages.push_back(s.id);
    names.stage_workers.push_back(s.workers.size());
    names.stage_sinks.push_back(sinks_after(scenario, s));
    names.stage_drops_on_give_up.push_back(s.policies.drop_on_give_up);
    names.stage_reads_topic.push_back(std::any_of(scenario.topics.begin(), scenario.topics.end(),
                                                  [&](const TopicSpec& t) { return t.id == s.from; }));
    names.stage_worker_nodes.push_back(s.workers);
    names.stage_outputs.push_back(s.to);
  }
  for (const SinkSpec& s : scenario.sinks) {
    names.sinks.push_back(s.id);
    names.sink_is_dead_letter.push_back(s.dead_letter);
  }
  // The stage reading each queue: a buffer by name, a partition by its topic.
  for (const std::string& queue : names.queues) {
    const std::string owner = queue.substr(0, std::min(queue.size(), queue.find('/')));
    std::int64_t consumer = -1;
    for (std::size_t i = 0; i < scenario.stages.size(); ++i) {
      if (scenario.stages[i].from == owner) consumer = static_cast<std::int64_t>(i);
    }
    names.queue_consumers.push_back(consumer);
  }
  names.places = part_places(scenario);
  return names;
}

// The first violation: its text, and why it happened (null when none).
nlohmann::json first_json(const Verdict& verdict) {
  if (verdict.violations == 0) return nullptr;
  nlohmann::json first = {{"text", verdict.first}};
  if (!verdict.explanation.empty()) first["explanation"] = explanation_json(verdict.explanation);
  return first;
}

nlohmann::json invariants_json(const RunReport& report) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, verdict] : report.invariants) {
    nlohmann::json v = {{"ok", verdict.ok()},
                        {"checked", verdict.checked},
                        {"violations", verdict.violations},
                        {"first", first_json(verdict)}};
    if (!verdict.applicable) v["not_applicable"] = verdict.note;
    else if (!verdict.note.empty()) v["note"] = verdict.note;
    if (!verdict.context.empty()) v["context"] = verdict.context;
    if (verdict.vacuous) v["vacuous"] = true;
    if (verdict.explanations.size() > 1) {
      nlohmann::json all = nlohmann::json::array();
      for (const Explanation& e : verdict.explanations) all.push_back(explanation_json(e));
      v["explanations"] = std::move(all);  // --explain N: the first N, the first included
    }
    out[name] = std::move(v);
  }
  return out;
}

}  // namespace

std::string hex64(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(value));
  return text;
}

nlohmann::json topology_json(const Scenario& scenario) {
  nlohmann::json sources = nlohmann::json::array(), buffers = nlohmann::json::array(),
                 stages = nlohmann::json::array(), sinks = nlohmann::json::array();
  for (const SourceSpec& s : scenario.sources) sources.push_back({{"id", s.id}, {"node", s.node}, {"to", s.to}});
  for (const BufferSpec& b : scenario.buffers) {
    buffers.push_back({{"id", b.id}, {"node", b.node}, {"capacity", b.capacity},
                       {"policy", overflow_policy_name(b.policy)}});
  }
  nlohmann::json topics = nlohmann::json::array();
  for (const TopicSpec& t : scenario.topics) {
    nlohmann::json queues = nlohmann::json::array();
    for (std::uint32_t p = 0; p < t.config.partitions; ++p) queues.push_back(t.id + "/" + std::to_string(p));
    nlohmann::json topic = {{"id", t.id},
                            {"node", t.node},
                            {"partitions", t.config.partitions},
                            {"queues", queues},
                            {"discard", discard_policy_name(t.config.discard)},
                            {"ack", ack_policy_name(t.config.ack)},
                            {"fsync", fsync_policy_name(t.config.fsync)}};
    if (t.config.max_msgs != kNoLimit) topic["max_msgs"] = t.config.max_msgs;
    if (t.config.max_bytes != kNoLimit) topic["max_bytes"] = t.config.max_bytes;
    topics.push_back(std::move(topic));
  }
  for (const StageSpec& s : scenario.stages) {
    nlohmann::json to = s.to;
    if (!s.fan_out.empty()) {
      to = nlohmann::json::array({s.to});
      for (const std::string& more : s.fan_out) to.push_back(more);
    }
    nlohmann::json stage = {{"id", s.id}, {"from", s.from}, {"to", to}, {"workers", s.workers}};
    if (s.group) stage["assignment"] = assignment_strategy_name(s.group->strategy);
    // The autoscaler's bounds: the visualizer shows replicas against them.
    if (s.autoscale) stage["autoscale"] = {{"min", s.autoscale->min_replicas},
                                           {"max", s.autoscale->max_replicas},
                                           {"initial", s.autoscale->initial_replicas}};
    stages.push_back(std::move(stage));
  }
  for (const SinkSpec& s : scenario.sinks) sinks.push_back({{"id", s.id}, {"node", s.node}});
  return {{"nodes", scenario.nodes()}, {"sources", sources}, {"buffers", buffers}, {"topics", topics},
          {"stages", stages},          {"sinks", sinks}};
}

std::string repro_command(const Scenario& scenario, std::uint64_t seed, const std::optional<StrategySpec>& strategy,
                          const std::optional<PerturbSpec>& perturb) {
  std::string command = "sluice run " + scenario.file + " --seed " + std::to_string(seed);
  if (strategy && !(*strategy == scenario.strategy)) command += " --strategy " + strategy_text(*strategy);
  if (perturb && !(*perturb == scenario.perturb)) command += " --perturb";
  if (!scenario.injected_defects.empty()) command += " --defect " + defect_list_text(scenario.injected_defects);
  return command;
}

std::uint64_t calibrated_pct_horizon(const Scenario& scenario, std::uint64_t seed,
                                     const std::optional<PerturbSpec>& perturb) {
  RunOptions probe;
  probe.seed = seed;
  probe.perturb = perturb;
  probe.strategy = StrategySpec(StrategyKind::fifo);
  ScenarioRun run(scenario, probe);
  run.advance(kNever);
  std::uint64_t decisions = run.simulation().strategy_stats().decisions;
  run.finish();
  return std::max<std::uint64_t>(decisions, 1);
}

namespace {
nlohmann::json strategy_stats_json(const StrategyStats& stats) {
  nlohmann::json out = {{"decisions", stats.decisions}};
  if (!stats.change_points.empty()) {
    out["change_points"] = stats.change_points;
    out["changes_applied"] = stats.changes_applied;
  }
  return out;
}

SimulationOptions simulation_options(const Scenario& scenario, const RunOptions& options, const RunBounds& bounds,
                                     std::function<void()> on_event_limit) {
  SimulationOptions sim_options;
  sim_options.on_event_limit = std::move(on_event_limit);
  sim_options.seed = options.seed.value_or(scenario.seed);
  sim_options.strategy = options.strategy.value_or(scenario.strategy);
  sim_options.perturb = options.perturb.value_or(scenario.perturb);
  sim_options.max_events = bounds.max_events;
  if (sim_options.strategy.kind == StrategyKind::pct && sim_options.strategy.horizon == 0) {
    sim_options.strategy.horizon = calibrated_pct_horizon(scenario, sim_options.seed, options.perturb);
  }
  return sim_options;
}

// Timers fired between two looks at the wall clock: the wall budget is
// checked between slices, which cannot change what the simulation does.
constexpr std::uint64_t kTimersPerWallCheck = 4096;
constexpr std::size_t kPendingListed = 3;

// The wall budget's clock, the one wall clock read in a run: it only decides
// whether to go on between slices and never reaches the simulation.
std::int64_t wall_now_ns() {
  const auto now = std::chrono::steady_clock::now();  // determinism-ok: the wall budget, outside the simulation
  return std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
}

// trace.jsonl's first record names the run, so a trace is never paired with
// another run's summary: {"t":0,"kind":"header","format":1,"scenario",...}.
std::string trace_header(const Scenario& scenario, std::uint64_t seed, const RunOptions& options) {
  nlohmann::json header = {{"format", 1}, {"scenario", scenario.name}, {"file", scenario.file}, {"seed", seed}};
  if (!options.provenance.is_null()) header["provenance"] = options.provenance;
  std::string text = header.dump();
  return text.substr(1, text.size() - 2);  // the object's body, without its braces
}
// The autoscaled stages and the slo, for the scaling record's invariants.
void configure_scaling(const Scenario& scenario, ScalingRecord& record) {
  for (std::size_t i = 0; i < scenario.stages.size(); ++i) {
    const std::optional<AutoscaleConfig>& a = scenario.stages[i].autoscale;
    if (!a) continue;
    record.add_stage(static_cast<std::uint32_t>(i), scenario.stages[i].id, a->initial_replicas,
                     FlappingBounds{.window = a->flapping_window,
                                    .max_reversals = a->max_reversals,
                                    .damping = damping_words(*a, scenario.defects.no_stabilization)});
  }
  if (scenario.slo) record.set_slo(*scenario.slo);
}

}  // namespace

ScenarioRun::ScenarioRun(const Scenario& scenario, const RunOptions& options)
    : scenario_(scenario),
      bounds_(run_bounds(scenario, options.budgets)),
      strict_(options.strict),
      sim_options_(simulation_options(scenario, options, bounds_, [this] { history_->freeze(); })),
      sim_(sim_options_),
      strategy_override_(options.strategy),
      perturb_override_(options.perturb) {
  for (const std::string& node : scenario.nodes()) sim_.add_node(node);
  world_ = std::make_unique<World>(sim_, scenario.network, scenario.disks);
  if (!options.trace_path.empty()) {
    trace_ = std::make_unique<TraceWriter>(options.trace_path, trace_header(scenario, sim_options_.seed, options),
                                           options.trace_max_bytes);
  }
  PartNames names = part_names(scenario);
  if (!options.perfetto_path.empty()) {
    perfetto_ = std::make_unique<PerfettoWriter>(options.perfetto_path, names.queues, names.stages,
                                                 names.stage_worker_nodes, names.sinks, scenario.nodes(),
                                                 options.trace_max_bytes);
    // Node ids count from the world node (0), added first; the scenario's nodes follow in order.
    world_->network().set_tap(
        [writer = perfetto_.get()](const Message& m, Nanos sent, Nanos now, bool delivered, const char* outcome) {
          if (m.from == kWorldNode || m.to == kWorldNode || m.from == m.to) return;
          writer->message(m.from - 1, m.to - 1, m.port, sent, now, delivered, outcome);
        });
  }
  provenance_ = options.provenance;
  history_ = std::make_unique<History>(sim_, std::move(names), trace_.get());
  history_->set_perfetto(perfetto_.get(), scenario.nodes());
  history_->set_explain_count(options.explain);
  history_->set_tap(options.record_tap);
  history_->on_drained([this] { sim_.stop(); });
  sim_.on_perturbed([this](PerturbSite site, NodeId node) { history_->on(Perturbed{site, sim_.node_name(node)}); });
  sim_.on_fault_point([this](std::string_view point) { history_->coverage().fault_point(point); });
  history_->coverage().set_node_roles(node_roles(scenario));
  std::vector<PrecursorCoverage::SinkInfo> sinks;
  for (const SinkSpec& s : scenario.sinks) sinks.push_back({s.id, s.node, s.dedup.window, s.dead_letter});
  history_->precursors().set_sinks(std::move(sinks));
  world_->disks().on_loss([this](NodeId node, std::uint64_t records, std::uint64_t puts) {
    history_->coverage().crash_lost(sim_.node_name(node), records, puts);
  });
  history_->on_stalled([this] { sim_.stop(); });
  configure_scaling(scenario, history_->scaling());
  pipeline_ = std::make_unique<Pipeline>(scenario, sim_, *history_);
  schedule_faults();
}

void ScenarioRun::schedule_faults() {
  std::vector<FaultSpec> faults = scenario_.faults;
  if (scenario_.swarm) {
    std::vector<FaultSpec> drawn = draw_swarm(*scenario_.swarm, scenario_.run.faults_end, scenario_.nodes(),
                                              sim_options_.seed);
    faults.insert(faults.end(), drawn.begin(), drawn.end());
  }
  injector_ = std::make_unique<FaultInjector>(
      sim_, [this](const char* what, const FaultSpec& fault) {
        if (std::string_view(what) == "fault") history_->on(FaultBegan{fault});
        else history_->on(FaultHealed{fault});
      });
  injector_->set_network(&world_->network());
  injector_->schedule(faults);
  history_->set_quiet_after(injector_->quiet_after());
  history_->set_progress_bounds(ProgressBounds{.stall_after = bounds_.stall_after,
                                               .attempts_max = bounds_.livelock_attempts,
                                               .judged_from = progress_judged_from(faults, scenario_)});
  // A pipeline that drained while faults were still pending stops once they heal.
  if (injector_->quiet_after() != kNever && injector_->quiet_after() > 0) {
    sim_.call_at(injector_->quiet_after(), [this] { history_->check_drained(); });
  }
}

ScenarioRun::~ScenarioRun() {
  // Unwind every fiber while the parts they block on still exist.
  sim_.shutdown();
}

bool ScenarioRun::advance(Nanos until, std::uint64_t max_timers) {
  if (over_) return false;
  const Nanos bound = std::min({until, scenario_.run.until, bounds_.max_virtual_time});
  std::uint64_t left = max_timers;
  for (;;) {
    const std::uint64_t slice = max_timers == 0 ? kTimersPerWallCheck : std::min(left, kTimersPerWallCheck);
    const std::int64_t started = wall_now_ns();
    last_ = sim_.run(bound, slice);
    wall_ns_ += wall_now_ns() - started;
    if (budget_reached(bound)) break;
    if (last_.outcome != RunOutcome::paused) break;
    // Between slices, progress is judged even if nothing was recorded. A
    // CLI or sweep run always slices alike, so where it stops is
    // deterministic (a visualizer stepping differently may stop a stalled
    // run at another point).
    history_->check_progress();
    if (history_->stalled()) {
      last_ = RunResult{RunOutcome::stopped, {}};
      break;
    }
    if (max_timers != 0 && (left -= slice) == 0) break;
  }
  bool paused = last_.outcome == RunOutcome::paused ||
                (last_.outcome == RunOutcome::time_limit && until < std::min(scenario_.run.until, bounds_.max_virtual_time));
  over_ = !paused;
  return !over_;
}

bool ScenarioRun::budget_reached(Nanos bound) {
  std::string which;
  if (last_.outcome == RunOutcome::event_limit) {
    which = "run.max_events (" + std::to_string(bounds_.max_events) + " scheduler events)";
  } else if (last_.outcome == RunOutcome::time_limit && bound == bounds_.max_virtual_time &&
             bounds_.max_virtual_time < scenario_.run.until && sim_.now() >= bounds_.max_virtual_time) {
    which = "run.max_virtual_time (" + std::to_string(bounds_.max_virtual_time) + "ns of virtual time)";
  } else if (last_.outcome == RunOutcome::paused && wall_ns_ / 1'000'000 >= bounds_.max_wall_ms) {
    which = "run.max_wall_ms (" + std::to_string(bounds_.max_wall_ms) + "ms of wall time)";
  } else {
    return false;
  }
  last_ = RunResult{RunOutcome::budget_exhausted,
                    "the run reached its budget " + which + " at t=" + std::to_string(sim_.now()) + "ns after " +
                        std::to_string(sim_.events()) + " scheduler events; " + pending_summary()};
  return true;
}

std::string ScenarioRun::pending_summary() const {
  const std::uint64_t pending = history_->pending();
  if (pending == 0) return "no event was pending";
  std::string out = std::to_string(pending) + " event(s) still pending, the oldest:";
  for (const std::string& line : history_->stuck_events(kPendingListed)) out += "\n  " + line;
  return out;
}

RunReport ScenarioRun::finish() {
  over_ = true;
  Nanos end = sim_.now();
  history_->finish(end);
  sim_.shutdown();

  RunReport report;
  report.scenario = scenario_.name;
  report.seed = sim_options_.seed;
  report.trace_hash = sim_.trace_hash();
  report.outcome = last_.outcome;
  report.outcome_message = last_.message;
  report.virtual_time = end;
  report.events = sim_.events();
  const bool can_move = last_.outcome != RunOutcome::quiescent && last_.outcome != RunOutcome::deadlock;
  report.invariants = judge_all(scenario_, *history_, end, can_move);
  history_->attach_explanations(report.invariants);
  mark_vacuous(scenario_.expect, report.invariants);
  report.strict = strict_;
  history_->metrics().counts.lost = history_->delivery().lost();
  report.expectation_failures =
      expectation_failures(scenario_.expect, report.outcome, report.outcome_message, report.invariants, report.strict);
  if (const AlertMonitor* alerts = pipeline_->alerts()) {
    for (std::string& failure : alerts->failures(scenario_.expect.alerts, scenario_.faults, end)) {
      report.expectation_failures.push_back(std::move(failure));
    }
  }
  report.ok = report.expectation_failures.empty();
  if (trace_) trace_->commit(end, hex64(report.trace_hash));
  if (perfetto_) perfetto_->commit();

  const PipelineMetrics& metrics = history_->metrics();
  report.summary = {
      {"scenario", scenario_.name},
      {"file", scenario_.file},
      {"seed", report.seed},
      {"strategy", strategy_text(sim_options_.strategy)},
      {"strategy_stats", strategy_stats_json(sim_.strategy_stats())},
      {"trace_hash", hex64(report.trace_hash)},
      {"ok", report.ok},
      {"outcome", outcome_name(last_.outcome)},
      {"budgets", {{"max_virtual_time_ns", bounds_.max_virtual_time}, {"max_events", bounds_.max_events},
                   {"max_wall_ms", bounds_.max_wall_ms}, {"stall_after_ns", bounds_.stall_after},
                   {"livelock_attempts", bounds_.livelock_attempts}}},
      {"virtual_time_ns", end},
      {"events", report.events},
      {"invariants", invariants_json(report)},
      {"expectations", {{"hold", scenario_.expect.hold}, {"violate", scenario_.expect.violate},
                        {"failures", report.expectation_failures}}},
      {"counts", metrics.counts_json()},
      {"queues", metrics.queues_json(end)},
      {"latency_ns", metrics.latency_json()},
      {"stages", metrics.stages_json(end)},
      {"faults", history_->faults_json()},
      {"world", world_->stats_json()},
      {"topology", topology_json(scenario_)},
      {"repro", repro_command(scenario_, report.seed, strategy_override_, perturb_override_)},
  };
  const Verdict& progress = report.invariants[static_cast<std::size_t>(InvariantId::progress)].second;
  if (last_.outcome == RunOutcome::stopped && history_->drained_at() < 0 && !progress.ok()) {
    last_.message = "stopped when progress broke: " + progress.first;
    report.outcome_message = last_.message;
  }
  if (!last_.message.empty()) report.summary["outcome_message"] = last_.message;
  if (!provenance_.is_null()) report.summary["provenance"] = provenance_;
  if (sim_.perturbation().on()) report.summary["perturbation"] = perturbation_json(sim_.perturbation(), sim_options_.perturb);
  if (trace_ && trace_->truncated()) report.summary["trace_truncated"] = true;
  if (perfetto_ && perfetto_->truncated()) report.summary["perfetto_truncated"] = true;
  report.series = metrics.series_json();
  report.series["virtual_time_ns"] = end;
  report.series["faults"] = history_->faults_json();
  if (const AlertMonitor* alerts = pipeline_->alerts()) {
    report.summary["alerts"] = alerts->summary_json();
    report.series["alerts"] = alerts->series_json(end);
  }
  if (!history_->scaling().checkpoint_intervals_json().empty()) {
    report.summary["checkpoint_intervals"] = history_->scaling().checkpoint_intervals_json();
  }
  report.summary["failover"] = history_->failover().summary_json();
  report.summary["coverage"] = history_->coverage().json();
  if (!scenario_.injected_defects.empty()) report.summary["defects_injected"] = scenario_.injected_defects;
  if (history_->scaling().any()) {
    report.summary["scaling"] = history_->scaling().summary_json();
    report.series["replicas"] = history_->scaling().series_json();
  }
  return report;
}

const AlertMonitor* ScenarioRun::alerts() const { return pipeline_ != nullptr ? pipeline_->alerts() : nullptr; }

RunReport run_scenario(const Scenario& scenario, const RunOptions& options) {
  ScenarioRun run(scenario, options);
  run.advance(kNever);
  return run.finish();
}

}  // namespace sluice
