#include "core/checkpoint/checkpoint_changelogs.h"

#include <algorithm>

#include "core/check.h"

namespace sluice {
namespace {

// A standby that has not polled for this many poll intervals is taken for
// dead: it is not promoted, and compaction stops waiting for it.
constexpr Nanos kStandbyLiveIntervals = 3;

}  // namespace

CheckpointChangelogs::CheckpointChangelogs(Runtime& runtime, const TopicConfig& topic, const GroupCoordinator& group,
                                           const CheckpointPlan& plan)
    : runtime_(runtime), topic_(topic), group_(group), plan_(plan) {}

void CheckpointChangelogs::start(CheckpointId committed) {
  disk_ = &runtime_.log("changelog/" + topic_.name);
  logs_.assign(topic_.partitions, Changelog{});
  previous_end_.assign(topic_.partitions, 0);
  seen_.clear();
  committed_ = committed;
  // Records past the committed checkpoint (a crash between their fsync and
  // the checkpoint record's), or a damaged tail, are cut off for good.
  for (std::uint64_t i = disk_->first_index(); i < disk_->size(); ++i) {
    const ReadResult read = disk_->read(i);
    std::uint32_t partition = 0;
    ChangelogRecord record;
    if (!read.ok() || !decode_changelog_record(read.bytes, partition, record) || record.checkpoint > committed ||
        partition >= topic_.partitions) {
      disk_->truncate(i);
      break;
    }
    logs_[partition].append(record);
  }
  for (std::uint32_t p = 0; p < topic_.partitions; ++p) compact(p);
}

void CheckpointChangelogs::append(CheckpointId id, const std::map<std::uint32_t, PartitionSnapshot>& snapshots) {
  for (const auto& [partition, snapshot] : snapshots) {
    Changelog& log = logs_[partition];
    const std::uint64_t before = log.end();
    std::vector<ChangelogRecord> appended;
    SLUICE_CHECK(log.append_snapshot(snapshot.bytes, id, appended), "a checkpoint's snapshot does not decode");
    for (const ChangelogRecord& record : appended) disk_->append(encode_changelog_record(partition, record));
    // The defect: the changelog is trimmed like an input topic, at the
    // previous checkpoint's end, though a restore replays it from the start.
    if (topic_.defects.changelog_trimmed_early) log.trim_front(previous_end_[partition]);
    previous_end_[partition] = before;
    compact(partition);
  }
  disk_->fsync();
}

bool CheckpointChangelogs::live(const Seen& seen) const {
  return runtime_.now() - seen.at <= kStandbyLiveIntervals * plan_.config.interval;
}

// Superseded records go at once (every reader converges without them);
// tombstones wait for the slowest live standby.
void CheckpointChangelogs::compact(std::uint32_t partition) {
  std::uint64_t horizon = logs_[partition].end();
  auto seen = seen_.find(partition);
  if (seen != seen_.end()) {
    for (const auto& [worker, s] : seen->second) {
      if (live(s)) horizon = std::min(horizon, s.position);
    }
  }
  logs_[partition].compact(horizon);
}

std::vector<ChangelogRecord> CheckpointChangelogs::committed_from(std::uint32_t partition, std::uint64_t from) const {
  std::vector<ChangelogRecord> out = logs_[partition].records_from(from);
  auto uncommitted = std::find_if(out.begin(), out.end(), [&](const ChangelogRecord& r) { return r.checkpoint > committed_; });
  out.erase(uncommitted, out.end());
  return out;
}

ChangelogRestore CheckpointChangelogs::restore(std::uint32_t partition, const RestoreRequest& request) const {
  const Changelog& log = logs_[partition];
  ChangelogRestore out{.records = {}, .from = 0, .local_replica = false, .standby = std::nullopt, .standby_node = 0,
                       .trimmed_to = log.trimmed_to(), .live_trimmed = log.live_trimmed()};
  if (plan_.backend == StateBackend::standby) {
    // The most caught-up replica: the requester's own first (no transfer),
    // else the live standby furthest along. Both must be past any dropped
    // tombstone.
    std::uint64_t best = 0;
    for (const auto& [p, position] : request.replicas) {
      if (p == partition && position >= log.restart_below() && position > 0) {
        best = position;
        out.local_replica = true;
      }
    }
    auto seen = seen_.find(partition);
    for (const auto& [worker, s] : seen == seen_.end() ? std::map<std::uint32_t, Seen>{} : seen->second) {
      if (worker == request.worker || !live(s) || s.position < log.restart_below() || s.position <= best) continue;
      best = s.position;
      out.local_replica = false;
      out.standby = worker;
      out.standby_node = plan_.workers[worker];
    }
    out.from = best;
  }
  out.records = committed_from(partition, out.from);
  return out;
}

// The next `standbys` workers after the partition's owner, each on a node of
// its own other than the owner's (the owner unknown mid-rebalance: counted
// from the partition's index).
std::vector<std::uint32_t> CheckpointChangelogs::standbys_of(std::uint32_t partition) const {
  const auto workers = static_cast<std::uint32_t>(plan_.workers.size());
  std::uint32_t owner = partition % workers;
  for (std::uint32_t w = 0; w < workers; ++w) {
    if (group_.consuming(w, partition)) owner = w;
  }
  std::vector<std::uint32_t> out;
  std::vector<NodeId> taken{plan_.workers[owner]};
  for (std::uint32_t i = 1; i < workers && out.size() < plan_.standbys; ++i) {
    const std::uint32_t w = (owner + i) % workers;
    if (std::find(taken.begin(), taken.end(), plan_.workers[w]) != taken.end()) continue;
    taken.push_back(plan_.workers[w]);
    out.push_back(w);
  }
  return out;
}

StandbyUpdate CheckpointChangelogs::on_poll(const StandbyPoll& poll) {
  StandbyUpdate update;
  for (std::uint32_t p = 0; p < topic_.partitions; ++p) {
    const std::vector<std::uint32_t> standbys = standbys_of(p);
    if (std::find(standbys.begin(), standbys.end(), poll.worker) == standbys.end()) {
      if (seen_.count(p) != 0) seen_[p].erase(poll.worker);
      continue;
    }
    std::uint64_t position = 0;
    for (const auto& [partition, at] : poll.positions) {
      if (partition == p) position = at;
    }
    StandbyFeed feed{.partition = p, .restart = position < logs_[p].restart_below() || position > logs_[p].end(),
                     .records = {}, .end = 0};
    if (feed.restart) position = 0;
    feed.records = committed_from(p, position);
    feed.end = feed.records.empty() ? position : feed.records.back().offset + 1;
    seen_[p][poll.worker] = Seen{position, runtime_.now()};
    update.partitions.push_back(std::move(feed));
  }
  return update;
}

}  // namespace sluice
