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

std::string_view LiveLog::text(std::uint64_t line) const {
  if (line < first_kept() || line >= total_) return {};
  const std::size_t at = slot(line);
  if (text_of_[at] != line) {
    const Row& row = rows_[at];
    catcher_.into = &texts_[at];
    std::visit(
        [this, &row](const auto& kept) {
          if constexpr (!std::is_same_v<std::remove_cvref_t<decltype(kept)>, std::monostate>) {
            kept.with([this, &row](const auto& record) { lines_.on_at(writer_, row.moment, record); });
          }
        },
        row.record);
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
    if (rows_[slot(line_of(mid))].moment.t < t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

}  // namespace sluice::viz
