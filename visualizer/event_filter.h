// The event log's filters and the lazily computed list of matching lines.
// With no filter the log is the trace itself (row n = line n); with one, a
// background scan collects matching line numbers in chunks that never move,
// so the UI can show results while the scan goes on.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "visualizer/log_rows.h"
#include "visualizer/trace_index.h"
#include "visualizer/trace_line.h"

namespace sluice::viz {

struct EventFilter {
  static constexpr std::uint32_t kAllKinds = (1u << kTraceKinds) - 1;
  std::uint32_t kinds = kAllKinds;  // bit i: TraceKind i is shown
  std::optional<std::int64_t> key;
  // Exact event id ("0:17"), or a prefix when it ends in '*' ("0:*": every
  // event of source 0).
  std::string id;
  // A record matches if its part's name contains `part` (case-insensitive) or
  // is one of `part_names` (the parts living on a node the user named).
  std::string part;
  std::vector<std::string> part_names;
  // Exact ids, any of which matches: the events a violation's explanation involves.
  std::vector<std::string> ids;

  bool empty() const { return kinds == kAllKinds && !key && id.empty() && part.empty() && ids.empty(); }
  bool matches(const TraceRecord& record) const;
  bool operator==(const EventFilter&) const = default;
};

class FilteredLog : public LogRows {
 public:
  explicit FilteredLog(const TraceIndex& index) : index_(index) {}
  ~FilteredLog() override { stop(); }
  FilteredLog(const FilteredLog&) = delete;
  FilteredLog& operator=(const FilteredLog&) = delete;

  // Restarts the scan for a new filter (a no-op if it is unchanged).
  // REQUIRES: the index is ready.
  void set_filter(const EventFilter& filter) override;
  // Scans on the calling thread (tests, screenshots).
  void wait();
  const EventFilter& filter() const override { return filter_; }

  bool scanning() const override { return !done_.load(std::memory_order_acquire); }
  double progress() const override;
  // Rows found so far.
  std::uint64_t size() const override;
  std::uint64_t line_of(std::uint64_t row) const override;
  // The first row whose line is >= `line` (size() if none found yet).
  std::uint64_t row_at_or_after_line(std::uint64_t line) const;

  std::string_view text(std::uint64_t line) const override { return index_.line(line); }
  std::uint64_t row_at_time(Nanos t) const override { return row_at_or_after_line(index_.first_line_at_or_after(t)); }
  std::uint64_t lines() const override { return index_.lines(); }
  const std::array<std::uint64_t, kTraceKinds>& kind_counts() const override { return index_.kind_counts(); }

 private:
  static constexpr std::uint64_t kChunk = 1 << 16;
  void stop();
  void scan();

  const TraceIndex& index_;
  EventFilter filter_;
  bool identity_ = true;
  bool applied_ = false;
  std::vector<std::unique_ptr<std::uint64_t[]>> chunks_;  // sized up front: never reallocates
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> scanned_lines_{0};
  std::atomic<bool> done_{true};
  std::atomic<bool> cancel_{false};
  std::thread thread_;
};

}  // namespace sluice::viz
