#include "sim/scenario/alert_reader.h"

#include <string>

#include "sim/scenario/identifier_reader.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/scenario_error.h"

namespace sluice {
namespace {

// Durations for the metrics measured in seconds (latency, a stall), numbers for the rest.
double read_threshold(const JsonReader& value, AlertMetric metric) {
  if (metric == AlertMetric::p99_latency) return to_seconds(value.duration(0));
  if (metric == AlertMetric::error_rate) return value.number(0, 1);
  return value.number(0, 1e15);
}

AlertRule read_rule(const JsonReader& item) {
  const ObjectReader object = item.object();
  object.allow({"name", "metric", "of", "above", "below", "window", "for", "interval"});
  object.finish();
  AlertRule rule;
  rule.name = read_id(object.at("name"));
  rule.metric = object.at("metric").enumeration<AlertMetric>({{"queue_depth", AlertMetric::queue_depth},
                                                             {"consumer_lag", AlertMetric::consumer_lag},
                                                             {"p99_latency", AlertMetric::p99_latency},
                                                             {"error_rate", AlertMetric::error_rate},
                                                             {"retry_rate", AlertMetric::retry_rate},
                                                             {"throughput", AlertMetric::throughput},
                                                             {"stalled", AlertMetric::stalled}});
  rule.of = object.string_or("of", "");
  const bool needs_target = rule.metric == AlertMetric::queue_depth || rule.metric == AlertMetric::consumer_lag;
  if (needs_target && rule.of.empty()) object.reader().fail("a queue metric needs \"of\": a buffer, topic or stage");
  if (rule.metric == AlertMetric::p99_latency && !rule.of.empty()) {
    object.at("of").fail("p99_latency is measured source to effect, over the whole pipeline: it takes no \"of\"");
  }
  if (rule.metric == AlertMetric::stalled) {
    if (object.has("above") || object.has("below")) object.reader().fail("\"stalled\" takes no threshold: it fires when nothing finished for \"window\" while events wait");
    rule.threshold = 0.5;
  } else if (object.has("above") == object.has("below")) {
    object.reader().fail("exactly one of \"above\" and \"below\" is required");
  } else if (object.has("above")) {
    rule.threshold = read_threshold(object.at("above"), rule.metric);
  } else {
    rule.above = false;
    rule.threshold = read_threshold(object.at("below"), rule.metric);
  }
  rule.window = object.duration_or("window", rule.window, kNanosPerSecond);
  rule.hold_for = object.duration_or("for", 0, 0);
  // Prometheus' default evaluation_interval is 1m; 15s suits runs of minutes.
  rule.interval = object.duration_or("interval", rule.interval, kNanosPerMilli);
  return rule;
}

}  // namespace

std::vector<AlertRule> read_alerts(const JsonReader& reader) {
  std::vector<AlertRule> rules;
  const ArrayReader items = reader.array(1);
  for (std::size_t i = 0; i < items.size(); ++i) {
    rules.push_back(read_rule(items[i]));
    for (std::size_t j = 0; j < i; ++j) {
      if (rules[j].name == rules[i].name) items[i].object().at("name").fail("a second alert named '" + rules[i].name + "'");
    }
  }
  return rules;
}

// {"alert": "lag-high", "fires_within": "30s", "after_fault": 0}
// {"alert": "lag-high", "fires_within": "30s", "after": "60s"}   (a degradation's start)
// {"alert": "lag-high", "resolves_within": "1m", "after_heal": 0}
// {"alert": "p99-slow", "never_fires": true}
std::vector<AlertExpectation> read_alert_expectations(const JsonReader& reader) {
  std::vector<AlertExpectation> out;
  for (const JsonReader& item : reader.array()) {
    const ObjectReader object = item.object();
    object.allow({"alert", "fires_within", "resolves_within", "never_fires", "after", "after_fault", "after_heal"});
    object.finish();
    AlertExpectation e;
    e.pointer = item.pointer();
    e.alert = read_id(object.at("alert"));
    const int kinds = (object.has("fires_within") ? 1 : 0) + (object.has("resolves_within") ? 1 : 0) +
                      (object.has("never_fires") ? 1 : 0);
    if (kinds != 1) object.reader().fail("exactly one of \"fires_within\", \"resolves_within\" and \"never_fires\" is required");
    if (object.has("never_fires")) {
      if (!object.at("never_fires").boolean()) object.at("never_fires").fail("only true is meaningful");
      if (object.has("after") || object.has("after_fault") || object.has("after_heal")) {
        object.reader().fail("\"never_fires\" takes no \"after\"");
      }
      e.kind = AlertExpectation::Kind::never_fires;
    } else if (object.has("fires_within")) {
      e.kind = AlertExpectation::Kind::fires_within;
      e.within = object.at("fires_within").duration(0);
      if (object.has("after_heal")) object.at("after_heal").fail("a firing is timed from a fault's start: use \"after_fault\" or \"after\"");
      if (object.has("after") == object.has("after_fault")) object.reader().fail("exactly one of \"after\" and \"after_fault\" is required");
      if (object.has("after")) e.at = object.at("after").duration(0);
      if (object.has("after_fault")) e.fault = static_cast<std::size_t>(object.at("after_fault").integer(0, 100000));
    } else {
      e.kind = AlertExpectation::Kind::resolves_within;
      e.within = object.at("resolves_within").duration(0);
      if (object.has("after_fault")) object.at("after_fault").fail("a resolution is timed from a heal: use \"after_heal\" or \"after\"");
      if (object.has("after") == object.has("after_heal")) object.reader().fail("exactly one of \"after\" and \"after_heal\" is required");
      if (object.has("after")) e.at = object.at("after").duration(0);
      if (object.has("after_heal")) e.fault = static_cast<std::size_t>(object.at("after_heal").integer(0, 100000));
    }
    out.push_back(std::move(e));
  }
  return out;
}

void check_alerts(const Scenario& scenario) {
  for (std::size_t i = 0; i < scenario.alerts.size(); ++i) {
    const std::string& of = scenario.alerts[i].of;
    if (of.empty()) continue;
    bool known = false;
    for (const BufferSpec& b : scenario.buffers) known = known || b.id == of;
    for (const TopicSpec& t : scenario.topics) known = known || t.id == of;
    for (const StageSpec& s : scenario.stages) known = known || s.id == of;
    if (!known) {
      throw ScenarioError(scenario.file, "/alerts/" + std::to_string(i) + "/of",
                          "'" + of + "' is not a buffer, topic or stage of this scenario");
    }
  }
  for (const AlertExpectation& e : scenario.expect.alerts) {
    bool known = false;
    for (const AlertRule& rule : scenario.alerts) known = known || rule.name == e.alert;
    if (!known) throw ScenarioError(scenario.file, e.pointer + "/alert", "'" + e.alert + "' is not an alert of this scenario");
    if (e.fault && *e.fault >= scenario.faults.size()) {
      throw ScenarioError(scenario.file, e.pointer, "fault " + std::to_string(*e.fault) + " does not exist (the scenario has " +
                                                        std::to_string(scenario.faults.size()) + " explicit faults)");
    }
  }
}

}  // namespace sluice
