#include "core/broker/partition.h"

#include <algorithm>
#include <optional>

#include "core/check.h"
#include "core/model/event_codec.h"
#include "core/runtime/le_bytes.h"

namespace sluice {

Partition::Partition(Runtime& runtime, Observer& observer, const TopicConfig& config, std::uint32_t number)
    : runtime_(runtime),
      observer_(observer),
      config_(config),
      number_(number),
      queue_(config.first_queue + number),
      log_name_("topic/" + config.name + "/" + std::to_string(number)),
      name_(config.name + "/" + std::to_string(number)),
      window_(config.idempotence_window) {
  SLUICE_CHECK(config.max_msgs >= 1, "a partition must be able to hold a record");
}

void Partition::recover() {
  log_ = &runtime_.log(log_name_);
  // A torn write leaves a corrupt last record: cut it, as a storage engine's
  // recovery does. Bit flips elsewhere are found when a record is read.
  if (log_->size() > log_->first_index() && !log_->read(log_->size() - 1).ok()) log_->truncate(log_->size() - 1);
  next_offset_ = log_->size();
  while (!records_.empty() && records_.back().offset >= next_offset_) {
    Retained lost = records_.back();
    records_.pop_back();
    retained_bytes_ -= lost.event.size_bytes;
    observer_.on(LostInCrash{queue_, lost.event, records_.size(), runtime_.now() - lost.appended_at});
  }
  handed_out_end_ = std::min(handed_out_end_, next_offset_);
  rebuild_window();
  markers_ = &runtime_.log(log_name_ + "/markers");
  rebuild_open();
}

void Partition::rebuild_open() {
  open_.clear();
  for (const Retained& record : records_) {
    if (record.state == State::open) open_.try_emplace(record.txn, record.offset);
  }
}

std::uint64_t Partition::last_stable_offset() const {
  std::uint64_t stable = visible_end();
  for (const auto& [key, first] : open_) stable = std::min(stable, first);
  return stable;
}

void Partition::write_marker(const TxnMarker& marker, bool written) {
  SLUICE_CHECK(markers_ != nullptr, "a partition writes markers only after recover()");
  if (written) {
    std::string record(1, marker.commit ? 'C' : 'A');
    put_le(record, marker.key.writer);
    put_le(record, marker.key.txn);
    put_le(record, marker.epoch);
    markers_->append(std::move(record));
  }
  const auto open = open_.find(marker.key);
  if (open == open_.end()) return;  // resolved already (a roll-forward after a crash) or nothing here
  const State resolved = marker.commit || !written ? State::committed : State::aborted;
  std::vector<Event> events;
  std::vector<std::uint64_t> offsets;
  const std::uint64_t front = records_.empty() ? next_offset_ : records_.front().offset;
  for (std::size_t i = open->second > front ? open->second - front : 0; i < records_.size(); ++i) {
    Retained& record = records_[i];
    if (record.txn != marker.key || record.state != State::open) continue;
    record.state = resolved;
    events.push_back(record.event);
    offsets.push_back(record.offset);
  }
  open_.erase(open);
  observer_.on(TxnMarkerWritten{queue_, marker.key.writer, marker.epoch, marker.key.txn, marker.commit, written, events, offsets});
}

void Partition::fsync_markers() {
  if (markers_->durable_size() < markers_->size()) markers_->fsync();
  // Markers matter only until a restart has rebuilt the states: keep a short tail.
  constexpr std::uint64_t kMarkersKept = 256;
  const std::uint64_t keep_from = markers_->durable_size() - std::min<std::uint64_t>(markers_->durable_size(), kMarkersKept);
  if (keep_from > markers_->first_index()) markers_->trim_front(keep_from);
}

// The window is broker memory: what survives a crash is what the durable
// log's tail says was appended (only durable records are left after one).
void Partition::rebuild_window() {
  window_.clear();
  const std::uint64_t end = log_->size();
  const std::uint64_t begin = std::max(log_->first_index(), end - std::min(end, config_.idempotence_window));
  for (std::uint64_t index = begin; index < end; ++index) {
    const ReadResult record = log_->read(index);
    const std::optional<Event> event = record.ok() ? decode_event(record.bytes) : std::nullopt;
    if (!event) {
      ++window_corrupt_records_;
      continue;
    }
    window_.appended(event->id, index);
  }
}

bool Partition::fits(const Event& event) const {
  return records_.size() < config_.max_msgs && retained_bytes_ + event.size_bytes <= config_.max_bytes;
}

ProduceReply Partition::append(const Event& event, bool idempotent, TxnKey txn) {
  SLUICE_CHECK(log_ != nullptr, "a partition appends only after recover()");
  if (idempotent && !config_.defects.skip_dedup) {
    if (const std::optional<std::uint64_t> original = window_.offset_of(event.id)) {
      observer_.on(DuplicateSuppressed{event, name_.c_str()});
      return {ProduceStatus::appended, *original};
    }
  }
  if (event.size_bytes > config_.max_msg_size) return {ProduceStatus::too_large, 0};
  if (!fits(event)) {
    if (config_.discard == DiscardPolicy::reject_new) return {ProduceStatus::full, 0};
    while (!records_.empty() && !fits(event)) discard_oldest();
  }
  const std::uint64_t offset = log_->append(encode_event(event));
  SLUICE_CHECK(offset == next_offset_, "a partition's log and its offsets disagree");
  ++next_offset_;
  if (idempotent) window_.appended(event.id, offset);  // only an idempotent producer's retries look it up
  records_.push_back(Retained{offset, event, runtime_.now(), txn, txn.transactional() ? State::open : State::committed});
  if (txn.transactional()) open_.try_emplace(txn, offset);
  retained_bytes_ += event.size_bytes;
  SLUICE_CHECK(records_.size() <= config_.max_msgs, "a partition retains more records than max_msgs");
  observer_.on(Enqueued{queue_, event, records_.size()});
  return {ProduceStatus::appended, offset};
}

void Partition::discard_oldest() {
  Retained oldest = records_.front();
  records_.pop_front();
  retained_bytes_ -= oldest.event.size_bytes;
  const Nanos waited = runtime_.now() - oldest.appended_at;
  if (oldest.offset >= handed_out_end_) {
    observer_.on(Shed{queue_, oldest.event, ShedReason::drop_oldest, records_.size(), waited});
  } else {
    // A consumer holds a copy: the record leaves the log, the event lives on there.
    observer_.on(Trimmed{queue_, oldest.event, records_.size(), waited});
  }
}

void Partition::fetch(std::uint64_t position, std::uint32_t max_records, std::uint64_t& budget_bytes,
                      std::vector<FetchedRecord>& out, std::vector<PartitionOffset>& resets, Isolation isolation) {
  const std::uint64_t first = records_.empty() ? next_offset_ : records_.front().offset;
  if (position > next_offset_ || position < first) {
    resets.push_back({number_, position > next_offset_ ? next_offset_ : first});
    return;
  }
  const bool committed_only = isolation == Isolation::read_committed;
  const std::uint64_t visible = committed_only ? last_stable_offset() : visible_end();
  SLUICE_CHECK(visible <= next_offset_, "the visible end of a partition is past its log end");
  std::size_t taken = 0;
  std::uint64_t skipped_to = position;
  for (std::size_t i = position - first; i < records_.size() && taken < max_records; ++i) {
    const Retained& record = records_[i];
    if (record.offset >= visible) break;
    // Aborted records are never delivered read_committed. A consumer takes
    // a batch only where it stands, so skipping ends a batch, or, before its
    // first record, moves the consumer past them (a reset).
    if (committed_only && record.state == State::aborted) {
      if (taken > 0) break;
      skipped_to = record.offset + 1;
      continue;
    }
    if (taken > 0 && record.event.size_bytes > budget_bytes) break;
    budget_bytes -= std::min<std::uint64_t>(budget_bytes, record.event.size_bytes);
    out.push_back({number_, record.offset, record.event});
    handed_out_end_ = std::max(handed_out_end_, record.offset + 1);
    SLUICE_CHECK(handed_out_end_ <= next_offset_, "a record past the log end was handed out");
    ++taken;
  }
  if (skipped_to > position) resets.push_back({number_, skipped_to});
}

void Partition::trim(std::uint64_t offset) {
  // A read_committed group never takes an aborted record: a run of them
  // where the group's commit stands goes with what it committed (otherwise
  // one at the tail, with nothing after it to commit past, would stay forever).
  if (config_.group.isolation == Isolation::read_committed && !config_.defects.read_uncommitted_downstream) {
    const std::uint64_t front = records_.empty() ? next_offset_ : records_.front().offset;
    for (std::size_t i = offset > front ? offset - front : 0;
         i < records_.size() && records_[i].offset == offset && records_[i].state == State::aborted; ++i) {
      ++offset;
    }
  }
  while (!records_.empty() && records_.front().offset < offset) {
    Retained done = records_.front();
    records_.pop_front();
    retained_bytes_ -= done.event.size_bytes;
    observer_.on(Trimmed{queue_, done.event, records_.size(), runtime_.now() - done.appended_at});
  }
  // Retention: the disk keeps nothing the group is done with (and only what
  // is durable can go), except the last idempotence_window records, which a
  // restart reads back to rebuild the idempotence window.
  const std::uint64_t window_tail = next_offset_ - std::min(next_offset_, config_.idempotence_window);
  const std::uint64_t droppable = std::min({offset, log_->durable_size(), window_tail});
  if (droppable > log_->first_index()) log_->trim_front(droppable);
}

void Partition::fsync() {
  if (dirty()) log_->fsync();
}

}  // namespace sluice
