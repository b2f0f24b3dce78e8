// The live run's event log: the newest records of its trace, in the
// trace.jsonl format (the run's TraceWriter hands each line over as it is
// written), kept in a ring of fixed capacity so a long run holds bounded
// memory. Records are numbered from the run's start (the header is 0); a
// record's number is its line id in the log panel. The filter is applied
// incrementally: each refresh scans only the records pushed since the last.
// Everything here runs on the GUI thread, as the simulation does.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "visualizer/event_filter.h"
#include "visualizer/log_rows.h"
#include "visualizer/scaling_model.h"

namespace sluice::viz {

class LiveLog : public LogRows {
 public:
  static constexpr std::size_t kDefaultCapacity = 10000;
  explicit LiveLog(std::size_t capacity = kDefaultCapacity);

  // One record, without its newline. The oldest is dropped when full.
  void push(std::string_view record);
  std::size_t capacity() const { return slots_.size(); }
  // Records pushed since the start, and the number of the oldest one kept.
  std::uint64_t total() const { return total_; }
  std::uint64_t first_kept() const { return total_ > slots_.size() ? total_ - slots_.size() : 0; }
  // Every "replica" record of the run (kept apart: the topology and the
  // replicas lane need all of them, not only the newest).
  const std::vector<ReplicaRecord>& replica_records() const { return replica_records_; }

  // --- LogRows: the kept records matching the filter ------------------------
  void set_filter(const EventFilter& filter) override;
  const EventFilter& filter() const override { return filter_; }
  bool scanning() const override { return false; }
  double progress() const override { return 1.0; }
  std::uint64_t size() const override;
  std::uint64_t line_of(std::uint64_t row) const override;
  std::string_view text(std::uint64_t line) const override;
  std::uint64_t row_at_time(Nanos t) const override;
  std::uint64_t lines() const override { return total_ - first_kept(); }
  const std::array<std::uint64_t, kTraceKinds>& kind_counts() const override { return kind_counts_; }

 private:
  // Brings the matches up to date: drops those that left the ring, scans the new records.
  void catch_up();
  std::size_t slot(std::uint64_t line) const { return static_cast<std::size_t>(line % slots_.size()); }

  std::vector<std::string> slots_;  // strings keep their capacity: a full ring stops allocating
  std::vector<Nanos> times_;
  std::uint64_t total_ = 0;
  std::array<std::uint64_t, kTraceKinds> kind_counts_{};
  std::vector<ReplicaRecord> replica_records_;
  EventFilter filter_;
  bool identity_ = true;
  std::deque<std::uint64_t> matches_;  // line numbers, ascending
  std::uint64_t scanned_ = 0;          // records before this have been matched
};

}  // namespace sluice::viz
