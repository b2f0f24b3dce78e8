// What the event log panel reads, whichever way the records arrived: a
// recorded trace.jsonl (FilteredLog over a TraceIndex) or the newest records
// of a live run (LiveLog). Rows are the records matching the filter, in trace
// order; a row's line id stays the same while the record is shown.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/time.h"
#include "visualizer/trace_line.h"

namespace sluice::viz {

struct EventFilter;

class LogRows {
 public:
  virtual ~LogRows() = default;
  // Applies a filter (a no-op if it is unchanged).
  virtual void set_filter(const EventFilter& filter) = 0;
  virtual const EventFilter& filter() const = 0;
  // True while matches are still being collected (then size() grows).
  virtual bool scanning() const = 0;
  virtual double progress() const = 0;
  virtual std::uint64_t size() const = 0;
  virtual std::uint64_t line_of(std::uint64_t row) const = 0;
  virtual std::string_view text(std::uint64_t line) const = 0;
  // The first row at or after virtual time `t`; size() if none.
  virtual std::uint64_t row_at_time(Nanos t) const = 0;
  // Every record there is to filter, and how many of each kind.
  virtual std::uint64_t lines() const = 0;
  virtual const std::array<std::uint64_t, kTraceKinds>& kind_counts() const = 0;
};

}  // namespace sluice::viz
