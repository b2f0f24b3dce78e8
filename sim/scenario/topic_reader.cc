#include "sim/scenario/topic_reader.h"

#include <limits>

#include "sim/scenario/autoscale_reader.h"
#include "sim/scenario/identifier_reader.h"

namespace sluice {
namespace {

constexpr std::int64_t kMaxPartitions = 4096;
constexpr std::int64_t kMaxIdempotenceWindow = 1 << 20;  // per producer per partition
constexpr std::int64_t kMaxLimit = std::numeric_limits<std::int64_t>::max();

std::uint64_t limit_or(const ObjectReader& object, std::string_view key) {
  const std::optional<JsonReader> value = object.maybe(key);
  return value ? static_cast<std::uint64_t>(value->integer(1, kMaxLimit)) : kNoLimit;
}

std::uint64_t bytes_or(const ObjectReader& object, std::string_view key) {
  const std::optional<JsonReader> value = object.maybe(key);
  return value ? static_cast<std::uint64_t>(value->bytes(1, kMaxLimit)) : kNoLimit;
}

}  // namespace

TopicSpec read_topic(const JsonReader& reader) {
  const ObjectReader object = reader.object();
  object.allow({"id", "node", "partitions", "max_msgs", "max_bytes", "max_msg_size", "max_consumers", "discard", "ack",
                "fsync", "fsync_interval", "produce_timeout", "idempotence_window"});
  object.finish();
  TopicSpec topic;
  topic.id = read_id(object.at("id"));
  topic.node = read_id(object.at("node"));
  TopicConfig& config = topic.config;
  config.partitions = static_cast<std::uint32_t>(object.integer_or("partitions", 1, 1, kMaxPartitions));
  config.max_msgs = limit_or(object, "max_msgs");
  config.max_bytes = bytes_or(object, "max_bytes");
  config.max_msg_size = bytes_or(object, "max_msg_size");
  if (const std::optional<JsonReader> max = object.maybe("max_consumers")) {
    config.max_consumers = static_cast<std::uint32_t>(max->integer(1, 1 << 20));
  }
  if (const std::optional<JsonReader> discard = object.maybe("discard")) {
    config.discard = discard->enumeration<DiscardPolicy>({{"new", DiscardPolicy::reject_new}, {"old", DiscardPolicy::drop_old}});
  }
  if (const std::optional<JsonReader> ack = object.maybe("ack")) {
    config.ack = ack->enumeration<AckPolicy>({{"append", AckPolicy::append}, {"fsync", AckPolicy::fsync}});
  }
  if (const std::optional<JsonReader> fsync = object.maybe("fsync")) {
    config.fsync = fsync->enumeration<FsyncPolicy>(
        {{"every_write", FsyncPolicy::every_write}, {"interval", FsyncPolicy::interval}, {"never", FsyncPolicy::never}});
  }
  config.fsync_interval = object.duration_or("fsync_interval", config.fsync_interval, 1);
  if (object.has("fsync_interval") && config.fsync != FsyncPolicy::interval) {
    object.at("fsync_interval").fail("applies only with \"fsync\": \"interval\"");
  }
  config.produce_timeout = object.duration_or("produce_timeout", config.produce_timeout, 1);
  const auto window_default = static_cast<std::int64_t>(config.idempotence_window);
  config.idempotence_window =
      static_cast<std::uint64_t>(object.integer_or("idempotence_window", window_default, 1, kMaxIdempotenceWindow));
  return topic;
}

// "group": {"assignment": "sticky", "heartbeat_interval": "100ms", "session_timeout": "1s", ...}
GroupConfig read_group(const JsonReader& reader) {
  const ObjectReader object = reader.object();
  object.allow({"assignment", "heartbeat_interval", "session_timeout", "commit_interval", "fetch_max_wait",
                "rpc_timeout", "isolation"});
  object.finish();
  GroupConfig group;
  if (const std::optional<JsonReader> assignment = object.maybe("assignment")) {
    using S = AssignmentStrategy;
    group.strategy = assignment->enumeration<S>({{"range", S::range}, {"round_robin", S::round_robin}, {"sticky", S::sticky}});
  }
  group.heartbeat_interval = object.duration_or("heartbeat_interval", group.heartbeat_interval, 1);
  group.session_timeout = object.duration_or("session_timeout", group.session_timeout, 1);
  group.commit_interval = object.duration_or("commit_interval", group.commit_interval, 1);
  group.fetch_max_wait = object.duration_or("fetch_max_wait", group.fetch_max_wait, 0);
  group.rpc_timeout = object.duration_or("rpc_timeout", group.rpc_timeout, 1);
  if (const std::optional<JsonReader> isolation = object.maybe("isolation")) {
    group.isolation = isolation->enumeration<Isolation>(
        {{"read_committed", Isolation::read_committed}, {"read_uncommitted", Isolation::read_uncommitted}});
  }
  if (group.session_timeout <= group.heartbeat_interval) {
    object.at(object.has("session_timeout") ? "session_timeout" : "heartbeat_interval")
        .fail("the session timeout must be longer than the heartbeat interval, or every member expires");
  }
  return group;
}

OperatorSpec read_operator(const JsonReader& reader) {
  const ObjectReader object = reader.object();
  object.allow({"kind", "window", "state", "standbys"});
  object.finish();
  OperatorSpec op;
  using K = OperatorKind;
  op.kind = object.at("kind").enumeration<K>({{"count_by_key", K::count_by_key},
                                              {"sum_by_key", K::sum_by_key},
                                              {"last_by_key", K::last_by_key},
                                              {"tumbling_count", K::tumbling_count}});
  if (object.has("window") && op.kind != K::tumbling_count) object.at("window").fail("applies only to tumbling_count");
  op.window = object.duration_or("window", op.window, 1);
  if (object.has("state")) {
    op.backend = object.at("state").enumeration<StateBackend>(
        {{"snapshot", StateBackend::snapshot}, {"changelog", StateBackend::changelog}, {"standby", StateBackend::standby}});
  }
  if (object.has("standbys") && op.backend != StateBackend::standby) {
    object.at("standbys").fail("applies only to \"state\": \"standby\"");
  }
  if (op.backend == StateBackend::standby) {
    op.standbys = static_cast<std::uint32_t>(object.integer_or("standbys", 1, 1, 64));
  }
  return op;
}

CheckpointConfig read_checkpoint(const JsonReader& reader) {
  const ObjectReader object = reader.object();
  object.allow({"interval", "timeout", "full_every", "adaptive"});
  object.finish();
  CheckpointConfig config;
  const std::optional<JsonReader> interval = object.maybe("interval");
  if (interval && interval->is_string() && interval->string() == "adaptive") {
    config.adaptive = read_adaptive_checkpoints(object.maybe("adaptive"));
    config.interval = config.adaptive->min;
  } else {
    if (object.has("adaptive")) object.at("adaptive").fail("applies only with \"interval\": \"adaptive\"");
    config.interval = object.duration_or("interval", config.interval, 1);
  }
  config.timeout = object.duration_or("timeout", config.timeout, 1);
  config.full_every = static_cast<std::uint32_t>(object.integer_or("full_every", config.full_every, 1, 1000));
  return config;
}

}  // namespace sluice
