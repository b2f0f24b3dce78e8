// Random access into a trace.jsonl of any size: the file is memory-mapped and
// indexed by streaming over it once (on a background thread, or synchronously)
// keeping the byte offset and time of every kLinesPerBlock-th line, plus per-kind
// counts. Line n is then found from its block in O(kLinesPerBlock), and the first
// line at or after a virtual time by binary search over the blocks. Nothing of
// the trace is copied: 10^7 lines cost about 3 MB of index.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/time.h"
#include "visualizer/scaling_model.h"
#include "visualizer/trace_line.h"

namespace sluice::viz {

class TraceIndex {
 public:
  static constexpr std::uint64_t kLinesPerBlock = 64;

  // Maps the file. Throws std::runtime_error naming it if it cannot be read.
  explicit TraceIndex(const std::string& path);
  ~TraceIndex();
  TraceIndex(const TraceIndex&) = delete;
  TraceIndex& operator=(const TraceIndex&) = delete;

  // Builds the index on this thread; returns when ready().
  void build();
  // Builds it on a thread of its own; poll ready() / progress().
  void build_in_background();
  bool ready() const { return ready_.load(std::memory_order_acquire); }
  double progress() const;  // 0..1 of the bytes
  const std::string& path() const { return path_; }
  std::uint64_t bytes() const { return size_; }
  // The mapped file, for sequential scans (FilteredLog).
  std::string_view data() const { return {data_, size_}; }

  // --- REQUIRES: ready() ---------------------------------------------------
  std::uint64_t lines() const { return lines_; }
  std::string_view line(std::uint64_t n) const;
  // Byte offset where line n starts (n == lines(): the end of the data).
  std::uint64_t offset_of(std::uint64_t n) const;
  // The first line whose time is >= t (times taken as their running maximum,
  // so a file that is not sorted still gives a monotonic answer); lines() if none.
  std::uint64_t first_line_at_or_after(Nanos t) const;
  const std::array<std::uint64_t, kTraceKinds>& kind_counts() const { return kind_counts_; }
  std::uint64_t unreadable_lines() const { return unreadable_; }
  Nanos last_time() const { return last_time_; }
  // Every "replica" record, in trace order (few: one per replica state change).
  const std::vector<ReplicaRecord>& replica_records() const { return replica_records_; }

 private:
  struct Block {
    std::uint64_t offset;
    Nanos max_time;  // running maximum up to and including the block's first line
  };
  void run_build();

  std::string path_;
  int fd_ = -1;
  const char* data_ = nullptr;
  std::uint64_t size_ = 0;
  std::vector<Block> blocks_;
  std::uint64_t lines_ = 0;
  std::array<std::uint64_t, kTraceKinds> kind_counts_{};
  std::uint64_t unreadable_ = 0;
  Nanos last_time_ = 0;
  std::vector<ReplicaRecord> replica_records_;
  std::atomic<std::uint64_t> scanned_{0};
  std::atomic<bool> ready_{false};
  std::atomic<bool> cancel_{false};
  std::thread thread_;
};

// Finds the line starting at `offset` in `data`: its text without the newline
// and the offset of the next line.
std::string_view line_at(std::string_view data, std::uint64_t offset, std::uint64_t& next);

}  // namespace sluice::viz
