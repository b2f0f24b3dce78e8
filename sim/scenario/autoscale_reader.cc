#include "sim/scenario/autoscale_reader.h"

#include <string>
#include <vector>

#include "sim/scenario/distribution_reader.h"
#include "sim/scenario/identifier_reader.h"

namespace sluice {
namespace {

// "scale_up": {"select": "max", "stabilization": "0s", "policies": [{"type": "pods", "value": 4, "period": "15s"}]}
ScalingRules read_rules(const JsonReader& reader, ScalingRules rules) {
  const ObjectReader object = reader.object();
  object.allow({"select", "stabilization", "policies"});
  object.finish();
  if (auto r = object.maybe("select")) {
    rules.select = r->enumeration<SelectPolicy>(
        {{"max", SelectPolicy::max}, {"min", SelectPolicy::min}, {"disabled", SelectPolicy::disabled}});
  }
  rules.stabilization = object.duration_or("stabilization", rules.stabilization, 0, 3600 * kNanosPerSecond);
  if (auto r = object.maybe("policies")) {
    rules.policies.clear();
    for (const JsonReader& item : r->array(1)) {
      const ObjectReader p = item.object();
      p.allow({"type", "value", "period"});
      p.finish();
      ScalingPolicy policy;
      policy.kind = p.at("type").enumeration<ScalingPolicy::Kind>(
          {{"pods", ScalingPolicy::Kind::pods}, {"percent", ScalingPolicy::Kind::percent}});
      policy.value = static_cast<std::uint32_t>(p.at("value").integer(1, 100'000));
      // The HPA's API bounds periodSeconds to (0, 1800].
      policy.period = p.duration_or("period", policy.period, 1, 1800 * kNanosPerSecond);
      rules.policies.push_back(policy);
    }
  }
  return rules;
}

void read_behavior(const JsonReader& reader, AutoscaleConfig& config) {
  const ObjectReader object = reader.object();
  object.allow({"scale_up", "scale_down"});
  object.finish();
  if (auto r = object.maybe("scale_up")) config.up = read_rules(*r, config.up);
  if (auto r = object.maybe("scale_down")) config.down = read_rules(*r, config.down);
}

// Fields that belong to one algorithm only: a field another algorithm
// ignores is an error, not a silent default.
void reject_foreign(const ObjectReader& object, ScalingAlgorithm algorithm) {
  struct Owned {
    std::string_view field;
    ScalingAlgorithm owner;
  };
  static const Owned owned[] = {{"metric", ScalingAlgorithm::hpa},
                                {"target", ScalingAlgorithm::hpa},
                                {"lag_threshold", ScalingAlgorithm::keda_lag},
                                {"activation_lag_threshold", ScalingAlgorithm::keda_lag},
                                {"allow_idle_consumers", ScalingAlgorithm::keda_lag},
                                {"cooldown", ScalingAlgorithm::keda_lag},
                                {"target_utilization", ScalingAlgorithm::rate}};
  static const char* names[] = {"hpa", "keda_lag", "rate"};
  for (const Owned& o : owned) {
    if (o.owner != algorithm && object.has(o.field)) {
      object.at(o.field).fail("applies to \"algorithm\": \"" + std::string(names[static_cast<int>(o.owner)]) +
                              "\" only, not \"" + names[static_cast<int>(algorithm)] + "\"");
    }
  }
}

void read_algorithm_fields(const ObjectReader& object, AutoscaleConfig& c) {
  switch (c.algorithm) {
    case ScalingAlgorithm::hpa:
      c.metric = object.at("metric").enumeration<ScalingMetric>({{"utilization", ScalingMetric::utilization},
                                                                 {"queue_depth", ScalingMetric::queue_depth},
                                                                 {"lag", ScalingMetric::lag},
                                                                 {"arrival_rate", ScalingMetric::arrival_rate}});
      c.target = c.metric == ScalingMetric::utilization ? object.at("target").number(0.01, 1)
                                                        : object.at("target").number(1e-6, 1e12);
      break;
    case ScalingAlgorithm::keda_lag:
      c.lag_threshold = object.number_or("lag_threshold", 10, 1e-6, 1e12);
      c.activation_lag_threshold = object.number_or("activation_lag_threshold", 0, 0, 1e12);
      c.allow_idle_consumers = object.boolean_or("allow_idle_consumers", false);
      c.cooldown = object.duration_or("cooldown", 300 * kNanosPerSecond, 0);
      break;
    case ScalingAlgorithm::rate:
      c.target_utilization = object.number_or("target_utilization", 1.0, 0.01, 1);
      break;
  }
}

}  // namespace

void read_autoscale(const JsonReader& reader, StageSpec& stage) {
  const ObjectReader object = reader.object();
  object.allow({"algorithm", "min", "max", "pool", "metric", "target", "tolerance", "period", "behavior",
                "lag_threshold", "activation_lag_threshold", "allow_idle_consumers", "cooldown",
                "target_utilization", "startup", "flapping"});
  object.finish();
  AutoscaleConfig c;
  c.algorithm = object.at("algorithm").enumeration<ScalingAlgorithm>(
      {{"hpa", ScalingAlgorithm::hpa}, {"keda_lag", ScalingAlgorithm::keda_lag}, {"rate", ScalingAlgorithm::rate}});
  reject_foreign(object, c.algorithm);
  const auto initial = static_cast<std::uint32_t>(stage.workers.size());
  // Only KEDA scales to zero (the HPA keeps at least one replica).
  const std::int64_t lowest = c.algorithm == ScalingAlgorithm::keda_lag ? 0 : 1;
  c.min_replicas = static_cast<std::uint32_t>(object.at("min").integer(lowest, 1024));
  c.max_replicas = static_cast<std::uint32_t>(object.at("max").integer(1, 1024));
  c.initial_replicas = initial;
  if (c.min_replicas > initial) object.at("min").fail("is above the stage's " + std::to_string(initial) + " workers (its start)");
  if (c.max_replicas < initial) object.at("max").fail("is below the stage's " + std::to_string(initial) + " workers (its start)");
  c.tolerance = object.number_or("tolerance", 0.1, 0, 10);
  const Nanos default_period = c.algorithm == ScalingAlgorithm::keda_lag ? 30 * kNanosPerSecond : 15 * kNanosPerSecond;
  c.period = object.duration_or("period", default_period, kNanosPerMilli);
  if (auto r = object.maybe("behavior")) {
    if (c.algorithm == ScalingAlgorithm::rate) r->fail("the rate (DS2) autoscaler has no HPA behaviour policies");
    read_behavior(*r, c);
  }
  read_algorithm_fields(object, c);
  if (auto r = object.maybe("startup")) c.startup_ns = read_time_distribution(*r);
  if (auto r = object.maybe("flapping")) {
    const ObjectReader f = r->object();
    f.allow({"window", "max_reversals"});
    f.finish();
    c.flapping_window = f.duration_or("window", c.flapping_window, 1);
    c.max_reversals = static_cast<std::uint32_t>(f.integer_or("max_reversals", c.max_reversals, 0, 1'000'000));
  }
  std::vector<std::string> pool;
  if (auto r = object.maybe("pool")) {
    for (const JsonReader& item : r->array(1)) pool.push_back(read_id(item));
  }
  if (c.max_replicas > initial && pool.empty()) {
    object.reader().fail("\"max\" is above the stage's workers: a \"pool\" of nodes for the extra replicas is required");
  }
  for (std::size_t i = 0; stage.workers.size() < c.max_replicas; ++i) stage.workers.push_back(pool[i % pool.size()]);
  stage.autoscale = c;
}

AdaptiveCheckpointConfig read_adaptive_checkpoints(const std::optional<JsonReader>& reader) {
  AdaptiveCheckpointConfig c;
  if (!reader) return c;
  const ObjectReader object = reader->object();
  object.allow({"min", "max", "alignment_target", "replay_target"});
  object.finish();
  c.min = object.duration_or("min", c.min, kNanosPerMilli);
  c.max = object.duration_or("max", c.max, kNanosPerMilli);
  if (c.max < c.min) object.at("max").fail("is below \"min\"");
  c.alignment_target = object.duration_or("alignment_target", c.alignment_target, 1);
  c.replay_target = static_cast<std::uint64_t>(object.integer_or("replay_target", static_cast<std::int64_t>(c.replay_target), 1, 1'000'000'000));
  return c;
}

LatencySlo read_slo(const JsonReader& reader) {
  const ObjectReader object = reader.object();
  object.allow({"p99", "after"});
  object.finish();
  return LatencySlo{.p99 = object.at("p99").duration(1), .settle = object.duration_or("after", 0)};
}

}  // namespace sluice
