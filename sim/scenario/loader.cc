#include "sim/scenario/loader.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/scenario/distribution_reader.h"
#include "sim/scenario/fault_reader.h"
#include "sim/scenario/identifier_reader.h"
#include "sim/scenario/alert_reader.h"
#include "sim/scenario/autoscale_reader.h"
#include "sim/scenario/perturb_reader.h"
#include "sim/scenario/stage_policy_reader.h"
#include "sim/scenario/json_reader.h"
#include "sim/scenario/message_text.h"
#include "sim/scenario/suggest.h"
#include "sim/scenario/topic_reader.h"
#include "sim/scenario/world_reader.h"

namespace sluice {
namespace {

// Limits on what one scenario may ask for, so that a typo ("capacity":
// 1e15) is an error rather than an out-of-memory crash minutes later.
constexpr std::int64_t kMaxExactInteger = std::int64_t{1} << 53;  // counts and seeds stay exact doubles
constexpr std::int64_t kMaxCapacity = 1'000'000'000;
constexpr std::size_t kMaxWorkers = 1024;
constexpr std::size_t kMaxFanOut = 16;
constexpr std::int64_t kMaxInFlight = 1024;  // a source's sender fibers
constexpr std::int64_t kMaxSizeBytes = 4'294'967'295;  // an event's size is 32 bits
constexpr std::int64_t kMaxPriority = 255;
constexpr double kDefaultSizeBytes = 100;


// ---------------------------------------------------------------------------
// Sections, one function each.

// Upper bounds on the budgets a scenario may set (a typo of a few digits
// should not make a run unbounded in practice).
constexpr std::int64_t kMaxRunEvents = 1'000'000'000'000;
constexpr std::int64_t kMaxWallMs = 7LL * 24 * 3600 * 1000;
constexpr std::int64_t kMaxLivelockAttempts = 1'000'000'000;

RunSpec read_run(const std::optional<JsonReader>& reader) {
  RunSpec run;
  if (!reader) return run;
  const ObjectReader object = reader->object();
  object.allow({"until", "faults_end", "drain_within", "max_virtual_time", "max_events", "max_wall_ms", "stall_after",
                "livelock_attempts"});
  object.finish();
  run.until = object.duration_or("until", kNever, 1);
  run.faults_end = object.duration_or("faults_end", kNever, 1);
  run.drain_within = object.duration_or("drain_within", kNever, 0);
  if (auto r = object.maybe("max_virtual_time")) run.max_virtual_time = r->duration(1);
  if (auto r = object.maybe("max_events")) run.max_events = static_cast<std::uint64_t>(r->integer(1, kMaxRunEvents));
  if (auto r = object.maybe("max_wall_ms")) run.max_wall_ms = r->integer(1, kMaxWallMs);
  if (auto r = object.maybe("stall_after")) run.stall_after = r->duration(1);
  if (auto r = object.maybe("livelock_attempts")) {
    run.livelock_attempts = static_cast<std::uint32_t>(r->integer(1, kMaxLivelockAttempts));
  }
  return run;
}

// "keys": {"count": N, "dist": "uniform" | "zipf", "s": S}; keys are 0..N-1.
void read_keys(const std::optional<JsonReader>& reader, SourceSpec& source) {
  if (!reader) return;  // one key, 0
  const ObjectReader keys = reader->object();
  keys.allow({"count", "dist"});
  const std::optional<JsonReader> dist = keys.maybe("dist");
  const bool zipf = dist && dist->enumeration<bool>({{"uniform", false}, {"zipf", true}});
  if (zipf) {
    keys.allow({"s"});
  } else if (keys.has("s")) {
    keys.reader().fail_at("s", "only a zipf key distribution takes 's'");
  }
  keys.finish();
  const std::int64_t count = keys.at("count").integer(1, kMaxExactInteger);
  if (!zipf) {
    const auto last = static_cast<double>(count - 1);
    source.key = count == 1 ? Distribution::constant(0) : Distribution::uniform_int(0, last);
    return;
  }
  const JsonReader s = keys.at("s");
  const double exponent = s.number(std::numeric_limits<double>::lowest(), std::numeric_limits<double>::max());
  if (!(exponent > 0)) s.fail("must be greater than 0, got " + s.value().dump());
  source.key = Distribution::zipf(static_cast<double>(count), exponent);
  source.key_offset = -1;
}

// A bare whole number in [0, max], or any NUMBER_DIST (whose samples the
// source clamps to the same range).
Distribution read_quantity(const std::optional<JsonReader>& reader, double fallback, std::int64_t max) {
  if (!reader) return Distribution::constant(fallback);
  if (reader->is_number()) return Distribution::constant(static_cast<double>(reader->integer(0, max)));
  return read_number_distribution(*reader);
}

// A source's optional producer policies: rate_limit, max_in_flight, retry
// (with "budget"), on_reject.
void read_producer(const ObjectReader& object, SourceSpec& source) {
  if (const std::optional<JsonReader> r = object.maybe("rate_limit")) source.rate_limit = read_rate_limit(*r);
  source.max_in_flight = static_cast<std::uint32_t>(object.integer_or("max_in_flight", 1, 1, kMaxInFlight));
  if (const std::optional<JsonReader> r = object.maybe("retry")) source.retry = read_retry(*r, &source.retry_budget_ratio);
  if (const std::optional<JsonReader> r = object.maybe("on_reject")) {
    source.on_reject = r->enumeration<OnReject>(
        {{"retry", OnReject::retry}, {"drop", OnReject::drop}, {"spill", OnReject::spill}});
  }
}

SourceSpec read_source(const JsonReader& reader) {
  const ObjectReader object = reader.object();
  object.allow({"id", "node", "count", "arrival", "keys", "size_bytes", "priority", "to", "bursts", "rate_limit",
                "max_in_flight", "retry", "on_reject", "idempotent"});
  object.finish();
  SourceSpec source;
  source.id = read_id(object.at("id"));
  source.node = read_id(object.at("node"));
  source.count = static_cast<std::uint64_t>(object.at("count").integer(1, kMaxExactInteger));
  source.interarrival_ns = read_time_distribution(object.at("arrival"));
  read_keys(object.maybe("keys"), source);
  source.size_bytes = read_quantity(object.maybe("size_bytes"), kDefaultSizeBytes, kMaxSizeBytes);
  source.priority = read_quantity(object.maybe("priority"), 0, kMaxPriority);
  source.to = read_id(object.at("to"));
  if (const std::optional<JsonReader> bursts = object.maybe("bursts")) source.bursts = read_bursts(*bursts);
  read_producer(object, source);
  source.idempotent = object.boolean_or("idempotent", false);
  return source;
}

BufferSpec read_buffer(const JsonReader& reader) {
  const ObjectReader object = reader.object();
  object.allow({"id", "node", "capacity", "policy"});
  object.finish();
  BufferSpec buffer;
  buffer.id = read_id(object.at("id"));
  buffer.node = read_id(object.at("node"));
  buffer.capacity = static_cast<std::uint64_t>(object.at("capacity").integer(1, kMaxCapacity));
  if (const std::optional<JsonReader> policy = object.maybe("policy")) {
    using P = OverflowPolicy;
    buffer.policy = policy->enumeration<P>({{"block", P::block},
                                            {"drop_newest", P::drop_newest},
                                            {"drop_oldest", P::drop_oldest},
                                            {"shed_by_priority", P::shed_by_priority}});
  }
  return buffer;
}

std::vector<std::string> read_workers(const JsonReader& reader) {
  const ArrayReader items = reader.array(1);
  if (items.size() > kMaxWorkers) {
    reader.fail("must have at most " + std::to_string(kMaxWorkers) + " items, got " +
                std::to_string(items.size()));
  }
  std::vector<std::string> workers;
  workers.reserve(items.size());
  for (const JsonReader& item : items) workers.push_back(read_id(item));
  return workers;
}

// "to": "db", or a fan-out "to": ["db", "audit"]: every event goes to each.
void read_stage_outputs(const JsonReader& reader, StageSpec& stage) {
  if (!reader.is_array()) {
    stage.to = read_id(reader);
    return;
  }
  const ArrayReader items = reader.array(1);
  if (items.size() > kMaxFanOut) reader.fail("must have at most " + std::to_string(kMaxFanOut) + " outputs");
  stage.to = read_id(items[0]);
  for (std::size_t i = 1; i < items.size(); ++i) {
    std::string id = read_id(items[i]);
    if (id == stage.to || std::find(stage.fan_out.begin(), stage.fan_out.end(), id) != stage.fan_out.end()) {
      items[i].fail("'" + id + "' is listed twice");
    }
    stage.fan_out.push_back(std::move(id));
  }
}

StageSpec read_stage(const JsonReader& reader) {
  const ObjectReader object = reader.object();
  object.allow({"id", "from", "workers", "service_time", "to", "group", "operator", "checkpoint", "autoscale"});
  for (std::string_view field : stage_policy_fields()) object.allow({field});
  object.finish();
  StageSpec stage;
  stage.id = read_id(object.at("id"));
  stage.from = read_id(object.at("from"));
  stage.workers = read_workers(object.at("workers"));
  if (const std::optional<JsonReader> autoscale = object.maybe("autoscale")) read_autoscale(*autoscale, stage);
  stage.service_ns = read_time_distribution(object.at("service_time"));
  read_stage_outputs(object.at("to"), stage);
  stage.policies = read_stage_policies(object);
  if (const std::optional<JsonReader> group = object.maybe("group")) stage.group = read_group(*group);
  if (const std::optional<JsonReader> op = object.maybe("operator")) stage.op = read_operator(*op);
  if (const std::optional<JsonReader> checkpoint = object.maybe("checkpoint")) stage.checkpoint = read_checkpoint(*checkpoint);
  if (stage.policies.concurrency > 0 && stage.policies.concurrency > stage.workers.size()) {
    object.at("concurrency").fail("a concurrency limit above the number of workers (" +
                                  std::to_string(stage.workers.size()) + ") never applies");
  }
  return stage;
}

// "dedup": {"window": N, "ttl": "10s"}: the last N ids, each for at most ttl.
void read_dedup(const JsonReader& reader, SinkDedupConfig& dedup) {
  const ObjectReader object = reader.object();
  object.allow({"window", "ttl"});
  object.finish();
  dedup.window = static_cast<std::uint64_t>(object.at("window").integer(1, kMaxCapacity));
  dedup.ttl = object.duration_or("ttl", kNever, 1);
}

SinkSpec read_sink(const JsonReader& reader) {
  const ObjectReader object = reader.object();
  object.allow({"id", "node", "mode", "outages", "rpc_timeout", "dedup"});
  object.finish();
  SinkSpec sink;
  sink.id = read_id(object.at("id"));
  sink.node = read_id(object.at("node"));
  sink.rpc_timeout = object.duration_or("rpc_timeout", sink.rpc_timeout, 1);
  enum class Mode { plain, dead_letter, idempotent, transactional };
  Mode mode = Mode::plain;
  if (const std::optional<JsonReader> m = object.maybe("mode")) {
    mode = m->enumeration<Mode>({{"plain", Mode::plain},
                                 {"dead_letter", Mode::dead_letter},
                                 {"idempotent", Mode::idempotent},
                                 {"transactional", Mode::transactional}});
  }
  sink.dead_letter = mode == Mode::dead_letter;
  sink.transactional = mode == Mode::transactional;
  sink.dedup.idempotent = mode == Mode::idempotent;
  if (const std::optional<JsonReader> dedup = object.maybe("dedup")) {
    if (mode != Mode::plain) dedup->fail("a deduplication window applies only to a plain sink (an idempotent one is exact)");
    read_dedup(*dedup, sink.dedup);
  }
  if (const std::optional<JsonReader> outages = object.maybe("outages")) sink.outages = read_outages(*outages);
  return sink;
}

template <class Spec>
std::vector<Spec> read_list(const ObjectReader& root, std::string_view key, bool required,
                            Spec (*read_one)(const JsonReader&)) {
  std::vector<Spec> specs;
  const std::optional<JsonReader> list = required ? root.at(key) : root.maybe(key);
  if (!list) return specs;
  for (const JsonReader& item : list->array(required ? 1 : 0)) specs.push_back(read_one(item));
  return specs;
}

// ---------------------------------------------------------------------------
// Expectations

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

struct Listed {
  std::string name;
  std::string pointer;
};

std::string read_invariant_name(const JsonReader& item) {
  const std::string name = item.string();
  const std::vector<std::string>& valid = invariant_names();
  if (std::find(valid.begin(), valid.end(), name) != valid.end()) return name;
  // Only a plausible name is echoed, so that junk cannot reach the message.
  const bool plain = !name.empty() && name.size() <= kMaxIdLength &&
                     std::all_of(name.begin(), name.end(), [](char c) { return is_name_char(c, true); });
  std::string message = "unknown invariant" + (plain ? " '" + name + "'" : std::string());
  if (const std::optional<std::string> near = nearest_name(name, valid)) {
    message += " (did you mean '" + *near + "'?)";
  }
  item.fail(message + "; valid names: " + join(valid));
}

// Valid invariant names, each at most once.
std::vector<Listed> read_invariant_list(const JsonReader& reader) {
  std::vector<Listed> listed;
  for (const JsonReader& item : reader.array()) {
    std::string name = read_invariant_name(item);
    for (const Listed& earlier : listed) {
      if (earlier.name == name) {
        item.fail("'" + name + "' is listed twice (first at " + earlier.pointer + ")");
      }
    }
    listed.push_back({std::move(name), item.pointer()});
  }
  return listed;
}

const Listed* find_listed(const std::vector<Listed>& listed, const std::string& name) {
  for (const Listed& entry : listed) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

void check_disjoint(const JsonReader& expect, const std::vector<Listed>& hold,
                    const std::vector<Listed>& violate) {
  for (const Listed& entry : violate) {
    if (const Listed* both = find_listed(hold, entry.name)) {
      throw ScenarioError(
          expect.file(), entry.pointer,
          "'" + entry.name + "' cannot both hold and be violated (also at " + both->pointer + ")");
    }
  }
}

// Without "hold", every invariant not expected to be violated must hold.
ExpectSpec read_expect(const std::optional<JsonReader>& reader) {
  std::optional<std::vector<Listed>> hold;
  std::vector<Listed> violate;
  std::vector<AlertExpectation> alerts;
  if (reader) {
    const ObjectReader object = reader->object();
    object.allow({"hold", "violate", "alerts"});
    object.finish();
    if (const std::optional<JsonReader> list = object.maybe("alerts")) alerts = read_alert_expectations(*list);
    if (const std::optional<JsonReader> list = object.maybe("hold")) hold = read_invariant_list(*list);
    if (const std::optional<JsonReader> list = object.maybe("violate")) violate = read_invariant_list(*list);
    if (hold) check_disjoint(*reader, *hold, violate);
  }
  ExpectSpec expect;
  expect.alerts = std::move(alerts);
  for (const Listed& entry : violate) expect.violate.push_back(entry.name);
  if (hold) {
    for (const Listed& entry : *hold) expect.hold.push_back(entry.name);
    expect.hold_listed = true;
    return expect;
  }
  for (const std::string& name : invariant_names()) {
    if (find_listed(violate, name) == nullptr) expect.hold.push_back(name);
  }
  return expect;
}

// ---------------------------------------------------------------------------
// The topology: ids, references and the shape of the graph.

enum class Kind { source, buffer, topic, stage, sink };

const char* singular(Kind kind) {
  switch (kind) {
    case Kind::source: return "source";
    case Kind::buffer: return "buffer";
    case Kind::topic: return "topic";
    case Kind::stage: return "stage";
    case Kind::sink: return "sink";
  }
  return "?";
}

const char* section(Kind kind) {
  switch (kind) {
    case Kind::source: return "sources";
    case Kind::buffer: return "buffers";
    case Kind::topic: return "topics";
    case Kind::stage: return "stages";
    case Kind::sink: return "sinks";
  }
  return "?";
}

std::string pointer_to(Kind kind, std::size_t index, std::string_view field) {
  return "/" + std::string(section(kind)) + "/" + std::to_string(index) + "/" + std::string(field);
}

struct Component {
  std::string id;
  Kind kind;
  std::size_t index;
};

// Sources, buffers, stages and sinks share one namespace of ids.
class Registry {
 public:
  explicit Registry(const Scenario& scenario) : file_(scenario.file) {
    for (std::size_t i = 0; i < scenario.sources.size(); ++i) add(scenario.sources[i].id, Kind::source, i);
    for (std::size_t i = 0; i < scenario.buffers.size(); ++i) add(scenario.buffers[i].id, Kind::buffer, i);
    for (std::size_t i = 0; i < scenario.topics.size(); ++i) add(scenario.topics[i].id, Kind::topic, i);
    for (std::size_t i = 0; i < scenario.stages.size(); ++i) add(scenario.stages[i].id, Kind::stage, i);
    for (std::size_t i = 0; i < scenario.sinks.size(); ++i) add(scenario.sinks[i].id, Kind::sink, i);
  }

  // Fails unless `name` is the id of a component of one of the `accepted`
  // kinds; `role` says what the referring field is for.
  const Component& resolve(const std::string& name, std::initializer_list<Kind> accepted,
                           const std::string& pointer, std::string_view role) const {
    const auto found = by_id_.find(name);
    const auto is_accepted = [&](Kind kind) {
      return std::find(accepted.begin(), accepted.end(), kind) != accepted.end();
    };
    if (found == by_id_.end()) throw ScenarioError(file_, pointer, not_found(name, accepted));
    const Component& component = components_[found->second];
    if (!is_accepted(component.kind)) {
      throw ScenarioError(file_, pointer,
                          in_quotes(name, '\'') + " is a " + singular(component.kind) + "; " + std::string(role));
    }
    return component;
  }

 private:
  void add(const std::string& id, Kind kind, std::size_t index) {
    const auto [slot, inserted] = by_id_.emplace(id, components_.size());
    if (!inserted) {
      const Component& first = components_[slot->second];
      throw ScenarioError(
          file_, pointer_to(kind, index, "id"),
          "duplicate id '" + id + "' (first used at " + pointer_to(first.kind, first.index, "id") + ")");
    }
    components_.push_back({id, kind, index});
  }

  std::string not_found(const std::string& name, std::initializer_list<Kind> accepted) const {
    std::string kinds;
    std::vector<std::string> candidates;
    for (Kind kind : accepted) {
      kinds += (kinds.empty() ? "" : " or ") + std::string(singular(kind));
      for (const Component& component : components_) {
        if (component.kind == kind) candidates.push_back(component.id);
      }
    }
    std::string message = "no " + kinds + " named " + in_quotes(name, '\'');
    if (const std::optional<std::string> near = nearest_name(name, candidates)) {
      message += " (did you mean '" + *near + "'?)";
    }
    return message;
  }

  std::string file_;
  std::vector<Component> components_;  // in file order, for deterministic suggestions
  std::map<std::string, std::size_t> by_id_;
};

void check_dead_letter(const Scenario& scenario, const std::string& id, const Registry& registry, std::size_t stage) {
  std::string pointer = pointer_to(Kind::stage, stage, "dead_letter");
  const Component& sink = registry.resolve(id, {Kind::sink}, pointer,
                                           "a stage's dead letters go to a sink with \"mode\": \"dead_letter\"");
  if (!scenario.sinks[sink.index].dead_letter) {
    throw ScenarioError(scenario.file, pointer,
                        "sink '" + id + "' is not a dead-letter sink (give it \"mode\": \"dead_letter\")");
  }
}

// Operators keep state per partition; checkpoints and transactional outputs
// make exactly_once, and each needs the others. An exactly-once stage's
// outputs are transactional sinks or topics (written in transactions, read
// read_committed downstream), so chains, fan-out and fan-in of such stages
// stay exactly-once; a buffer or a plain sink cannot take part in a
// transaction, so it cannot be an exactly-once stage's output.
void check_delivery(const Scenario& scenario, std::size_t i, bool reads_topic, bool to_transactional, bool to_topic) {
  const StageSpec& stage = scenario.stages[i];
  const bool exactly_once = scenario.delivery == DeliveryMode::exactly_once && reads_topic;
  const auto fail = [&](std::string_view field, const std::string& what) {
    throw ScenarioError(scenario.file, pointer_to(Kind::stage, i, field), what);
  };
  if (stage.op.kind != OperatorKind::none && !reads_topic) {
    fail("operator", "a stateful operator keeps its state per partition: the stage must read a topic");
  }
  if (uses_changelog(stage.op.backend) && !exactly_once) {
    fail("operator/state", "a changelog is written inside the checkpoint's transaction: \"state\": \"" +
                               std::string(state_backend_name(stage.op.backend)) + "\" needs \"delivery\": \"exactly_once\"");
  }
  if (stage.op.backend == StateBackend::standby) {
    std::vector<std::string> nodes = stage.workers;
    std::sort(nodes.begin(), nodes.end());
    const auto distinct = static_cast<std::size_t>(std::unique(nodes.begin(), nodes.end()) - nodes.begin());
    if (stage.op.standbys + 1 > distinct) {
      fail("operator/standbys", std::to_string(stage.op.standbys) + " standby replica(s) per partition need " +
                                    std::to_string(stage.op.standbys + 1) + " worker nodes (each on a node other than "
                                    "the active worker's), but the stage has " + std::to_string(distinct));
    }
  }
  if (stage.checkpoint && !exactly_once) {
    fail("checkpoint", "checkpoints apply to a stage that reads a topic with \"delivery\": \"exactly_once\"");
  }
  if (exactly_once && !to_transactional && !to_topic) {
    fail(stage.fan_out.empty() ? "to" : "to/0",
         "with \"delivery\": \"exactly_once\" a stage that reads a topic writes to a sink with \"mode\": "
         "\"transactional\" or to a topic (in transactions); a buffer or a plain sink cannot take part in a transaction");
  }
  if (!exactly_once && to_transactional) {
    fail("to", "a transactional sink takes effects only from exactly-once stages that read topics");
  }
}

void check_references(const Scenario& scenario, const Registry& registry) {
  for (std::size_t i = 0; i < scenario.sources.size(); ++i) {
    const Component& to = registry.resolve(scenario.sources[i].to, {Kind::buffer, Kind::topic, Kind::sink},
                                           pointer_to(Kind::source, i, "to"), "a source sends to a buffer, a topic or a sink");
    if (scenario.sources[i].idempotent && to.kind != Kind::topic) {
      throw ScenarioError(scenario.file, pointer_to(Kind::source, i, "idempotent"),
                          "an idempotent producer needs a topic to remember its appends; '" + to.id + "' is a " +
                              singular(to.kind));
    }
    if (to.kind == Kind::sink && scenario.sinks[to.index].transactional) {
      throw ScenarioError(scenario.file, pointer_to(Kind::source, i, "to"),
                          "a transactional sink takes effects only from exactly-once stages that read topics");
    }
  }
  for (std::size_t i = 0; i < scenario.stages.size(); ++i) {
    const StageSpec& stage = scenario.stages[i];
    const Component& from = registry.resolve(stage.from, {Kind::buffer, Kind::topic}, pointer_to(Kind::stage, i, "from"),
                                             "a stage reads from a buffer or a topic");
    if (from.kind != Kind::topic && stage.group) {
      throw ScenarioError(scenario.file, pointer_to(Kind::stage, i, "group"),
                          "consumer-group settings apply only to a stage that reads a topic");
    }
    const bool fans_out = !stage.fan_out.empty();
    const Component& to = registry.resolve(stage.to, {Kind::buffer, Kind::topic, Kind::sink},
                                           pointer_to(Kind::stage, i, fans_out ? "to/0" : "to"),
                                           "a stage sends to a buffer, a topic or a sink");
    if (!stage.policies.dead_letter.empty()) check_dead_letter(scenario, stage.policies.dead_letter, registry, i);
    check_delivery(scenario, i, from.kind == Kind::topic, to.kind == Kind::sink && scenario.sinks[to.index].transactional,
                   to.kind == Kind::topic);
    for (std::size_t k = 0; k < stage.fan_out.size(); ++k) {
      const std::string field = "to/" + std::to_string(k + 1);
      const Component& more = registry.resolve(stage.fan_out[k], {Kind::buffer, Kind::topic, Kind::sink},
                                               pointer_to(Kind::stage, i, field), "a stage sends to a buffer, a topic or a sink");
      const bool transactional_output =
          more.kind == Kind::topic || (more.kind == Kind::sink && scenario.sinks[more.index].transactional);
      if (scenario.delivery == DeliveryMode::exactly_once && from.kind == Kind::topic && !transactional_output) {
        throw ScenarioError(scenario.file, pointer_to(Kind::stage, i, field),
                            "an exactly-once stage fans out only to transactional sinks and topics; '" + more.id +
                                "' is a " + singular(more.kind) + " that cannot take part in a transaction");
      }
      const bool exactly_once = scenario.delivery == DeliveryMode::exactly_once && from.kind == Kind::topic;
      if (!exactly_once && more.kind == Kind::sink && scenario.sinks[more.index].transactional) {
        throw ScenarioError(scenario.file, pointer_to(Kind::stage, i, field),
                            "a transactional sink takes effects only from exactly-once stages that read topics");
      }
    }
  }
}

// Whether an exactly-once stage that reads a topic writes a topic (in transactions).
bool writes_topic_in_transactions(const Scenario& scenario) {
  if (scenario.delivery != DeliveryMode::exactly_once) return false;
  const auto is_topic = [&](const std::string& id) {
    return std::any_of(scenario.topics.begin(), scenario.topics.end(), [&](const TopicSpec& t) { return t.id == id; });
  };
  for (const StageSpec& stage : scenario.stages) {
    if (!is_topic(stage.from)) continue;
    if (is_topic(stage.to) || std::any_of(stage.fan_out.begin(), stage.fan_out.end(), is_topic)) return true;
  }
  return false;
}

// The graph with references resolved to indices. Built only after
// check_references, so every lookup succeeds.
// Where a stage sends: its "to" and then its fan-out.
std::vector<std::string> outputs_of(const StageSpec& stage) {
  std::vector<std::string> out{stage.to};
  out.insert(out.end(), stage.fan_out.begin(), stage.fan_out.end());
  return out;
}

// Channels are the buffers, then the topics: what stages read from.
struct Graph {
  explicit Graph(const Scenario& scenario)
      : readers(scenario.buffers.size() + scenario.topics.size()), edges(readers.size()) {
    for (const BufferSpec& buffer : scenario.buffers) add_channel(buffer.id, "/buffers/" + std::to_string(ids.size()), "buffer");
    for (std::size_t i = 0; i < scenario.topics.size(); ++i) {
      add_channel(scenario.topics[i].id, "/topics/" + std::to_string(i), "topic");
    }
    for (std::size_t i = 0; i < scenario.sinks.size(); ++i) sink_of[scenario.sinks[i].id] = i;
    for (std::size_t i = 0; i < scenario.stages.size(); ++i) {
      const std::size_t from = buffer_of.at(scenario.stages[i].from);
      readers[from].push_back(i);
      for (const std::string& to : outputs_of(scenario.stages[i])) {
        if (std::optional<std::size_t> channel = buffer(to)) edges[from].emplace_back(i, *channel);
      }
    }
  }

  void add_channel(const std::string& id, std::string pointer, const char* kind) {
    buffer_of[id] = ids.size();
    ids.push_back(id);
    pointers.push_back(std::move(pointer));
    kinds.push_back(kind);
  }

  std::optional<std::size_t> buffer(const std::string& id) const {
    const auto found = buffer_of.find(id);
    return found == buffer_of.end() ? std::nullopt : std::optional<std::size_t>(found->second);
  }

  std::vector<std::string> ids;       // per channel
  std::vector<std::string> pointers;  // per channel: where it is defined
  std::vector<const char*> kinds;     // per channel: "buffer" or "topic"
  std::map<std::string, std::size_t> buffer_of;  // channel index by id
  std::map<std::string, std::size_t> sink_of;
  std::vector<std::vector<std::size_t>> readers;         // per buffer: the stages reading it, in file order
  // Per channel: (stage reading it, channel that stage feeds), in file order.
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> edges;
};

void check_drained(const Scenario& scenario, const Graph& graph) {
  for (std::size_t i = 0; i < graph.ids.size(); ++i) {
    if (graph.readers[i].empty()) {
      throw ScenarioError(scenario.file, graph.pointers[i],
                          std::string("nothing drains ") + graph.kinds[i] + " '" + graph.ids[i] + "': no stage reads from it");
    }
    // One consumer group per topic: its records stay until that group commits.
    if (std::string_view(graph.kinds[i]) == "topic" && graph.readers[i].size() > 1) {
      const std::size_t second = graph.readers[i][1];
      throw ScenarioError(scenario.file, pointer_to(Kind::stage, second, "from"),
                          "topic '" + graph.ids[i] + "' is already read by stage '" +
                              scenario.stages[graph.readers[i][0]].id + "'; a topic has one consumer group");
    }
  }
}

// A depth-first walk over buffers, following the stages that read each one.
// Iterative, so a long chain cannot exhaust the stack.
struct Frame {
  std::size_t buffer;
  std::size_t next_reader;
  std::size_t via_stage;  // the stage that led here; unused for the root
};

[[noreturn]] void fail_cycle(const Scenario& scenario, const std::vector<Frame>& path,
                             std::size_t closing_stage, std::size_t back_to) {
  std::size_t start = 0;
  while (path[start].buffer != back_to) ++start;
  const std::vector<std::string>& ids = Graph(scenario).ids;
  std::string cycle = ids[back_to];
  for (std::size_t i = start + 1; i < path.size(); ++i) {
    cycle += " -> " + scenario.stages[path[i].via_stage].id + " -> " + ids[path[i].buffer];
  }
  cycle += " -> " + scenario.stages[closing_stage].id + " -> " + ids[back_to];
  throw ScenarioError(scenario.file, pointer_to(Kind::stage, closing_stage, "to"),
                      "stage '" + scenario.stages[closing_stage].id + "' closes a cycle: " + cycle +
                          "; events must flow from sources to sinks without coming back");
}

void check_acyclic(const Scenario& scenario, const Graph& graph) {
  enum class Mark { unvisited, on_path, done };
  std::vector<Mark> mark(graph.ids.size(), Mark::unvisited);
  for (std::size_t root = 0; root < graph.ids.size(); ++root) {
    if (mark[root] != Mark::unvisited) continue;
    std::vector<Frame> path{{root, 0, 0}};
    mark[root] = Mark::on_path;
    while (!path.empty()) {
      const std::size_t buffer = path.back().buffer;
      if (path.back().next_reader == graph.edges[buffer].size()) {
        mark[buffer] = Mark::done;
        path.pop_back();
        continue;
      }
      const auto [stage, next] = graph.edges[buffer][path.back().next_reader++];
      if (mark[next] == Mark::done) continue;
      if (mark[next] == Mark::on_path) fail_cycle(scenario, path, stage, next);
      mark[next] = Mark::on_path;
      path.push_back({next, 0, stage});
    }
  }
}

void check_reachable(const Scenario& scenario, const Graph& graph) {
  std::vector<bool> buffer_seen(graph.ids.size(), false), sink_seen(scenario.sinks.size(), false);
  std::vector<std::size_t> pending;
  const auto reach = [&](const std::string& id) {
    if (const std::optional<std::size_t> buffer = graph.buffer(id)) {
      if (!buffer_seen[*buffer]) pending.push_back(*buffer);
      buffer_seen[*buffer] = true;
    } else {
      sink_seen[graph.sink_of.at(id)] = true;
    }
  };
  for (const SourceSpec& source : scenario.sources) reach(source.to);
  while (!pending.empty()) {
    const std::size_t buffer = pending.back();
    pending.pop_back();
    for (std::size_t stage : graph.readers[buffer]) {
      for (const std::string& to : outputs_of(scenario.stages[stage])) reach(to);
      if (!scenario.stages[stage].policies.dead_letter.empty()) reach(scenario.stages[stage].policies.dead_letter);
    }
  }
  for (std::size_t i = 0; i < scenario.sinks.size(); ++i) {
    if (!sink_seen[i]) {
      throw ScenarioError(
          scenario.file, "/sinks/" + std::to_string(i),
          "sink '" + scenario.sinks[i].id + "' is unreachable: no source's events lead to it");
    }
  }
}

// Every part reachable from `id` (itself included): channels through the
// stages reading them, and sinks. Dead-letter sinks are not followed: a
// parked event is accounted for, not an effect.
std::set<std::string> reachable_from(const Scenario& scenario, const Graph& graph, const std::string& id) {
  std::set<std::string> seen{id};
  std::vector<std::string> pending{id};
  while (!pending.empty()) {
    const std::optional<std::size_t> channel = graph.buffer(pending.back());
    pending.pop_back();
    if (!channel) continue;
    for (std::size_t stage : graph.readers[*channel]) {
      for (const std::string& to : outputs_of(scenario.stages[stage])) {
        if (seen.insert(to).second) pending.push_back(to);
      }
    }
  }
  return seen;
}

// A diamond: two branches of one fan-out meet again downstream. Every event
// would then reach the meeting point twice and take effect twice at its
// sinks, which no delivery guarantee can call anything but a duplicate, so
// it is rejected here rather than given a per-path effect identity.
void check_no_diamonds(const Scenario& scenario, const Graph& graph) {
  for (std::size_t i = 0; i < scenario.stages.size(); ++i) {
    const std::vector<std::string> outputs = outputs_of(scenario.stages[i]);
    std::map<std::string, std::string> branch_of;  // part -> the output that leads to it
    for (const std::string& output : outputs) {
      for (const std::string& part : reachable_from(scenario, graph, output)) {
        const auto [it, fresh] = branch_of.emplace(part, output);
        if (fresh) continue;
        throw ScenarioError(scenario.file, pointer_to(Kind::stage, i, "to"),
                            "stage '" + scenario.stages[i].id + "' fans out to '" + it->second + "' and '" + output +
                                "', whose paths meet again at '" + part +
                                "' (a diamond): every event would take effect there twice; "
                                "give each branch its own sinks");
      }
    }
  }
}

void check_topology(const Scenario& scenario) {
  check_references(scenario, Registry(scenario));
  const Graph graph(scenario);
  check_drained(scenario, graph);
  check_acyclic(scenario, graph);
  check_reachable(scenario, graph);
  check_no_diamonds(scenario, graph);
}

// ---------------------------------------------------------------------------

Scenario read_scenario(const JsonReader& document) {
  const ObjectReader root = document.object();
  root.allow({"$schema", "name", "description", "seed", "strategy", "run", "sources", "buffers", "topics", "stages",
              "sinks", "faults", "swarm", "defects", "expect"});
  root.allow({"network", "disks", "delivery", "key_order", "slo", "alerts", "perturb"});
  root.finish();
  Scenario scenario;
  scenario.file = document.file();
  if (const std::optional<JsonReader> schema = root.maybe("$schema")) schema->string();  // for editors only
  scenario.name = read_identifier(root.at("name"), false);
  scenario.description = root.string_or("description", "");
  scenario.seed = static_cast<std::uint64_t>(root.integer_or("seed", 1, 0, kMaxExactInteger));
  if (const std::optional<JsonReader> strategy = root.maybe("strategy")) {
    const std::string text = strategy->string();
    // A bare name must be one of these; choose() suggests the nearest on a typo.
    if (text.find(':') == std::string::npos) {
      strategy->enumeration<StrategyKind>(
          {{"fifo", StrategyKind::fifo}, {"random", StrategyKind::random}, {"pct", StrategyKind::pct}});
    }
    std::string why;
    if (!parse_strategy(text, &scenario.strategy, &why)) strategy->fail(why);
  }
  scenario.run = read_run(root.maybe("run"));
  if (const std::optional<JsonReader> perturb = root.maybe("perturb")) scenario.perturb = read_perturb(*perturb);
  if (const std::optional<JsonReader> delivery = root.maybe("delivery")) {
    using D = DeliveryMode;
    scenario.delivery = delivery->enumeration<D>(
        {{"at_most_once", D::at_most_once}, {"at_least_once", D::at_least_once}, {"exactly_once", D::exactly_once}});
  }
  if (const std::optional<JsonReader> order = root.maybe("key_order")) {
    scenario.total_key_order = order->enumeration<bool>({{"per_source", false}, {"total", true}});
  }
  scenario.sources = read_list(root, "sources", true, &read_source);
  scenario.buffers = read_list(root, "buffers", false, &read_buffer);
  scenario.topics = read_list(root, "topics", false, &read_topic);
  scenario.stages = read_list(root, "stages", false, &read_stage);
  scenario.sinks = read_list(root, "sinks", true, &read_sink);
  if (const std::optional<JsonReader> faults = root.maybe("faults")) scenario.faults = read_faults(*faults);
  if (const std::optional<JsonReader> swarm = root.maybe("swarm")) {
    scenario.swarm = read_swarm(*swarm);
    if (scenario.run.faults_end == kNever) {
      swarm->fail("swarm faults need \"run\": {\"faults_end\": ...}, after which the world is quiet");
    }
  }
  if (const std::optional<JsonReader> network = root.maybe("network")) scenario.network = read_network(*network);
  if (const std::optional<JsonReader> disks = root.maybe("disks")) scenario.disks = read_disks(*disks);
  if (const std::optional<JsonReader> defects = root.maybe("defects")) scenario.defects = read_defects(*defects);
  if (const std::optional<JsonReader> slo = root.maybe("slo")) scenario.slo = read_slo(*slo);
  if (const std::optional<JsonReader> alerts = root.maybe("alerts")) scenario.alerts = read_alerts(*alerts);
  scenario.expect = read_expect(root.maybe("expect"));
  check_topology(scenario);
  // Swarm crashes at the transaction coordinator's and the scale-in drain's
  // points only where there are ones.
  if (scenario.swarm) {
    scenario.swarm->transaction_points = writes_topic_in_transactions(scenario);
    scenario.swarm->scale_in_points = std::any_of(scenario.stages.begin(), scenario.stages.end(),
                                                  [](const StageSpec& s) { return s.autoscale.has_value(); });
  }
  check_world_nodes(document, scenario.network, scenario.disks, scenario.nodes());
  check_fault_targets(document, scenario.faults, scenario.swarm ? &*scenario.swarm : nullptr, scenario.nodes());
  check_alerts(scenario);
  return scenario;
}

}  // namespace

Scenario load_scenario_json(const nlohmann::json& document, const std::string& file_label) {
  return read_scenario(JsonReader(document, file_label));
}

Scenario load_scenario_text(std::string_view text, const std::string& file_label) {
  return load_scenario_json(parse_json_text(text, file_label), file_label);
}

Scenario load_scenario_file(const std::string& path) {
  return load_scenario_json(parse_json_file(path), path);
}

}  // namespace sluice
