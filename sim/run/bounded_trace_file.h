// The file under a streamed trace (trace.jsonl, trace.perfetto.json): written
// through a temporary name, bounded in size, and stopped at the first write
// error, which commit() then reports. The writers only format records.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "sim/output/atomic_file.h"

namespace sluice {

class BoundedTraceFile {
 public:
  BoundedTraceFile(const std::string& path, std::uint64_t max_bytes) : stream_(path), max_bytes_(max_bytes) {}

  // Whether `pending` more bytes would reach the size bound.
  bool full_with(std::size_t pending) const { return written_bytes_ + pending >= max_bytes_; }
  std::uint64_t max_bytes() const { return max_bytes_; }
  // True once the writer must stop: past the bound, or after a write error.
  bool stopped() const { return stopped_; }
  void stop() { stopped_ = true; }

  // Writes and clears `buffer`; after a write error, only clears it.
  void write(std::string& buffer) {
    if (error_.empty()) {
      try {
        stream_.write(buffer);
      } catch (const std::runtime_error& e) {
        error_ = e.what();
        stopped_ = true;  // every later write would fail the same way
      }
      written_bytes_ += buffer.size();
    }
    buffer.clear();
  }

  // Renames the file into place, or throws the first write error.
  void commit() {
    if (!error_.empty()) throw std::runtime_error(error_);
    stream_.commit();
  }

 private:
  AtomicFileStream stream_;
  std::uint64_t written_bytes_ = 0;
  std::uint64_t max_bytes_;
  bool stopped_ = false;
  std::string error_;  // the first write error
};

}  // namespace sluice
