#include "core/checkpoint/standby_replicas.h"

#include <algorithm>
#include <any>
#include <string>

#include "core/check.h"
#include "core/runtime/le_bytes.h"
#include "core/runtime/rpc.h"

namespace sluice {

KvStore& state_store(Runtime& runtime, StageIndex stage, std::uint32_t worker) {
  return runtime.kv("state/" + std::to_string(stage) + "/" + std::to_string(worker));
}

std::uint64_t write_to_state_store(KvStore& store, std::uint32_t partition, const std::vector<ChangelogRecord>& records,
                                   std::uint64_t from) {
  std::uint64_t written = 0;
  for (const ChangelogRecord& r : records) {
    if (r.offset < from) continue;
    store.put(std::to_string(partition) + "/" + std::to_string(r.key) + "/" + std::to_string(r.window),
              encode_changelog_record(partition, r));
    ++written;
  }
  return written;
}

void StandbyReplicas::start(NodeId node) {
  runtime_.spawn(node, "standbys of stage " + std::to_string(config_.stage) + " worker " + std::to_string(config_.worker),
                 [this] { poll_loop(); }, SpawnOptions{.daemon = true});
  runtime_.spawn(node, "standby hand-over of stage " + std::to_string(config_.stage) + " worker " +
                           std::to_string(config_.worker),
                 [this] { serve(); }, SpawnOptions{.daemon = true});
}

std::vector<std::pair<std::uint32_t, std::uint64_t>> StandbyReplicas::positions() const {
  std::vector<std::pair<std::uint32_t, std::uint64_t>> out;
  for (const auto& [partition, replica] : replicas_) out.emplace_back(partition, replica.position);
  return out;
}

std::optional<StandbyReplicas::Replica> StandbyReplicas::take(std::uint32_t partition) {
  auto it = replicas_.find(partition);
  if (it == replicas_.end()) return std::nullopt;
  Replica out = std::move(it->second);
  replicas_.erase(it);
  return out;
}

void StandbyReplicas::poll_loop() {
  for (;;) {
    runtime_.sleep_for(config_.poll_interval);
    const StandbyPoll poll{config_.worker, positions()};
    std::optional<StandbyUpdate> update = call_for<StandbyUpdate>(
        runtime_, config_.coordinator_node, config_.coordinator_port,
        Message{.size_bytes = kRequestEnvelopeBytes, .body = poll}, config_.rpc_timeout);
    if (!update) continue;
    // Partitions it no longer stands by for are dropped.
    for (auto it = replicas_.begin(); it != replicas_.end();) {
      bool kept = false;
      for (const StandbyFeed& feed : update->partitions) kept = kept || feed.partition == it->first;
      it = kept ? std::next(it) : replicas_.erase(it);
    }
    for (const StandbyFeed& feed : update->partitions) apply(feed);
  }
}

// The store writes first (they take time, and a promotion may take the
// replica meanwhile), then the records at once.
void StandbyReplicas::apply(const StandbyFeed& feed) {
  auto it = replicas_.find(feed.partition);
  const std::uint64_t position = feed.restart || it == replicas_.end() ? 0 : it->second.position;
  write_to_state_store(state_store(runtime_, config_.stage, config_.worker), feed.partition, feed.records, position);
  it = replicas_.find(feed.partition);
  if (feed.restart || it == replicas_.end()) {
    if (!feed.restart && position != 0) return;  // promoted meanwhile
    it = replicas_.insert_or_assign(feed.partition, Replica{KeyedState(config_.op), 0}).first;
  }
  if (it->second.position != position) return;  // moved meanwhile: the next poll starts from where it is
  std::vector<ChangelogRecord> records;
  for (const ChangelogRecord& r : feed.records) {
    if (r.offset >= position) records.push_back(r);
  }
  if (!records.empty()) {
    SLUICE_CHECK(it->second.state.apply_snapshot(records_as_delta(records, 0)), "changelog records do not decode");
  }
  it->second.position = std::max(position, feed.end);
}

void StandbyReplicas::serve() {
  Message request;
  while (runtime_.receive(standby_port(config_.stage, config_.worker), request)) {
    const auto* ask = std::any_cast<StandbyHandOver>(&request.body);
    SLUICE_CHECK(ask != nullptr, "a standby port got something other than a hand-over");
    StandbyState answer;
    auto it = replicas_.find(ask->partition);
    if (it != replicas_.end()) answer = StandbyState{true, it->second.position, it->second.state.encode_full()};
    reply(runtime_, request, Message{.size_bytes = wire_bytes(kRequestEnvelopeBytes + answer.state.size()),
                                     .body = std::move(answer)});
  }
}

}  // namespace sluice
