#include "visualizer/live_log.h"

#include <algorithm>
#include <type_traits>

namespace sluice::viz {

LiveLog::LiveLog(const Runtime& runtime, const PartNames& names, const PipelineMetrics& metrics,
                 std::size_t capacity)
    : lines_(runtime, names, metrics),
      names_(names),
      rows_(std::max<std::size_t>(capacity, 1)),
      texts_(rows_.size()),
      text_of_(rows_.size(), ~std::uint64_t{0}) {}

std::optional<TraceKind> LiveLog::kind_of(const PipelineRecord& record) const {
  return std::visit(
      [this](const auto& r) -> std::optional<TraceKind> {
        using R = std::remove_cvref_t<decltype(r)>;
        // Bookkeeping TraceRecords writes no line for.
        if constexpr (std::is_same_v<R, Released> || std::is_same_v<R, CheckpointWork> ||
                      std::is_same_v<R, StateSnapshotted> || std::is_same_v<R, RestoredBy> ||
                      std::is_same_v<R, StateRebuilt>) {
          return std::nullopt;
        } else if constexpr (std::is_same_v<R, Produced>) {
          return TraceKind::produce;
        } else if constexpr (std::is_same_v<R, Acked>) {
          return TraceKind::ack;
        } else if constexpr (std::is_same_v<R, SourceFinished>) {
          return TraceKind::source_finished;
        } else if constexpr (std::is_same_v<R, Enqueued>) {
          return TraceKind::enqueue;
        } else if constexpr (std::is_same_v<R, Dequeued>) {
          return TraceKind::dequeue;
        } else if constexpr (std::is_same_v<R, Shed>) {
          return TraceKind::shed;
        } else if constexpr (std::is_same_v<R, ServiceStarted>) {
          return TraceKind::deliver;
        } else if constexpr (std::is_same_v<R, ServiceFinished>) {
          return TraceKind::processed;
        } else if constexpr (std::is_same_v<R, ServiceAborted>) {
          return TraceKind::aborted;
        } else if constexpr (std::is_same_v<R, Effect>) {
          // A dead-letter sink's line is "parked", not an effect.
          return names_.sink_is_dead_letter[r.sink] ? TraceKind::other : TraceKind::effect;
        } else if constexpr (std::is_same_v<R, OffsetCommitted>) {
          return TraceKind::commit;
        } else if constexpr (std::is_same_v<R, CheckpointCompleted>) {
          return TraceKind::checkpoint;
        } else if constexpr (std::is_same_v<R, StateRestored>) {
          return TraceKind::restore;
        } else if constexpr (std::is_same_v<R, ScalingDecided>) {
          return TraceKind::scaled;
        } else if constexpr (std::is_same_v<R, ReplicaChanged>) {
          return TraceKind::replica;
        } else {
          return TraceKind::other;
        }
      },
      record);
}

std::optional<TraceKind> LiveLog::kind_of(const WorldRecord& record) const {
  return std::visit(
      [](const auto& r) -> std::optional<TraceKind> {
        using R = std::remove_cvref_t<decltype(r)>;
        if constexpr (std::is_same_v<R, FaultBegan>) {
          return TraceKind::fault;
        } else if constexpr (std::is_same_v<R, FaultHealed>) {
          return TraceKind::heal;
        } else if constexpr (std::is_same_v<R, AlertChanged>) {
          return TraceKind::alert;
        } else {
          return std::nullopt;  // a perturbation has no line (the hash and coverage have it)
        }
      },
      record);
}

void LiveLog::push(TraceKind kind, TraceRecords::Moment moment, KeptRecord record) {
  const std::size_t at = slot(total_);
  rows_[at].emplace(Row{moment, std::move(record)});
  text_of_[at] = ~std::uint64_t{0};
  ++kind_counts_[static_cast<std::size_t>(kind)];
  ++total_;
}

std::string_view LiveLog::text(std::uint64_t line) const {
  if (line < first_kept() || line >= total_) return {};
  const std::size_t at = slot(line);
  if (text_of_[at] != line) {
    const Row& row = *rows_[at];
    catcher_.into = &texts_[at];
    std::visit([this, &row](const auto& kept) {
      kept.with([this, &row](const auto& record) { lines_.on_at(writer_, row.moment, record); });
    }, row.record);
    catcher_.into = nullptr;
    text_of_[at] = line;
  }
  return texts_[at];
}

void LiveLog::set_filter(const EventFilter& filter) {
  if (!(filter == filter_)) {
    filter_ = filter;
    identity_ = filter.empty();
    matches_.clear();
    scanned_ = first_kept();
  }
  catch_up();
}

void LiveLog::catch_up() {
  if (identity_) return;
  const std::uint64_t first = first_kept();
  while (!matches_.empty() && matches_.front() < first) matches_.pop_front();
  TraceRecord record;
  for (std::uint64_t line = std::max(scanned_, first); line < total_; ++line) {
    if (parse_trace_line(text(line), record) && filter_.matches(record)) matches_.push_back(line);
  }
  scanned_ = total_;
}

std::uint64_t LiveLog::size() const { return identity_ ? lines() : matches_.size(); }

std::uint64_t LiveLog::line_of(std::uint64_t row) const {
  return identity_ ? first_kept() + row : matches_.at(static_cast<std::size_t>(row));
}

std::uint64_t LiveLog::row_at_time(Nanos t) const {
  // Records come in time order, so rows are sorted by time.
  std::uint64_t lo = 0, hi = size();
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (rows_[slot(line_of(mid))]->moment.t < t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

}  // namespace sluice::viz
