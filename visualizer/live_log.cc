#include "visualizer/live_log.h"

#include <algorithm>
#include <stdexcept>

namespace sluice::viz {

LiveLog::LiveLog(std::size_t capacity) : slots_(std::max<std::size_t>(capacity, 1)), times_(slots_.size(), 0) {}

namespace {

// The record's kind without parsing the whole line: the writer puts
// "kind" second, right after "t". Every record passes through here, and a
// full parse of each would slow a live run by a third.
TraceKind kind_of(std::string_view record) {
  constexpr std::string_view kKey = "\"kind\":\"";
  const std::size_t at = record.find(kKey);
  if (at == std::string_view::npos) return TraceKind::other;
  const std::size_t begin = at + kKey.size();
  const std::size_t end = record.find('"', begin);
  return end == std::string_view::npos ? TraceKind::other : kind_from_name(record.substr(begin, end - begin));
}

}  // namespace

void LiveLog::push(std::string_view record) {
  Nanos t = 0;
  const bool timed = trace_line_time(record, t);
  const std::size_t at = slot(total_);
  slots_[at].assign(record.data(), record.size());
  // A line without a time (none is written) sorts with the one before it.
  times_[at] = timed ? t : (total_ > 0 ? times_[slot(total_ - 1)] : 0);
  const TraceKind kind = kind_of(record);
  ++kind_counts_[static_cast<std::size_t>(kind)];
  ReplicaRecord replica;
  if (kind == TraceKind::replica && parse_replica_record(record, replica)) replica_records_.push_back(std::move(replica));
  ++total_;
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
    if (parse_trace_line(slots_[slot(line)], record) && filter_.matches(record)) matches_.push_back(line);
  }
  scanned_ = total_;
}

std::uint64_t LiveLog::size() const { return identity_ ? lines() : matches_.size(); }

std::uint64_t LiveLog::line_of(std::uint64_t row) const {
  return identity_ ? first_kept() + row : matches_.at(static_cast<std::size_t>(row));
}

std::string_view LiveLog::text(std::uint64_t line) const {
  if (line < first_kept() || line >= total_) return {};
  return slots_[slot(line)];
}

std::uint64_t LiveLog::row_at_time(Nanos t) const {
  // Trace records come in time order, so rows are sorted by time.
  std::uint64_t lo = 0, hi = size();
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (times_[slot(line_of(mid))] < t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

}  // namespace sluice::viz
