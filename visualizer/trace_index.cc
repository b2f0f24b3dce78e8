#include "visualizer/trace_index.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace sluice::viz {

std::string_view line_at(std::string_view data, std::uint64_t offset, std::uint64_t& next) {
  if (offset >= data.size()) {
    next = data.size();
    return {};
  }
  const char* begin = data.data() + offset;
  const void* newline = std::memchr(begin, '\n', data.size() - offset);
  const std::uint64_t end =
      newline != nullptr ? static_cast<std::uint64_t>(static_cast<const char*>(newline) - data.data()) : data.size();
  next = newline != nullptr ? end + 1 : end;
  return data.substr(offset, end - offset);
}

TraceIndex::TraceIndex(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    ::close(fd_);
    throw std::runtime_error(path + ": cannot stat: " + std::strerror(errno));
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
  if (size_ > 0) {
    void* map = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (map == MAP_FAILED) {
      ::close(fd_);
      throw std::runtime_error(path + ": cannot map: " + std::strerror(errno));
    }
    data_ = static_cast<const char*>(map);
  }
}

TraceIndex::~TraceIndex() {
  cancel_.store(true);
  if (thread_.joinable()) thread_.join();
  if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  if (fd_ >= 0) ::close(fd_);
}

void TraceIndex::build() {
  if (thread_.joinable()) {
    thread_.join();  // a background build is under way: wait for it
  } else if (!ready()) {
    run_build();
  }
}

void TraceIndex::build_in_background() {
  if (ready() || thread_.joinable()) return;
  thread_ = std::thread([this] { run_build(); });
}

double TraceIndex::progress() const {
  if (ready()) return 1.0;
  return size_ == 0 ? 0.0 : static_cast<double>(scanned_.load(std::memory_order_relaxed)) / static_cast<double>(size_);
}

void TraceIndex::run_build() {
  if (data_ != nullptr) ::madvise(const_cast<char*>(data_), size_, MADV_SEQUENTIAL);
  const std::string_view all = data();
  std::uint64_t offset = 0;
  std::uint64_t n = 0;
  Nanos running_max = 0;
  TraceRecord record;
  while (offset < size_) {
    if ((n & 0xffff) == 0) {
      if (cancel_.load(std::memory_order_relaxed)) return;
      scanned_.store(offset, std::memory_order_relaxed);
    }
    std::uint64_t next = 0;
    const std::string_view text = line_at(all, offset, next);
    if (text.empty() || (text.size() == 1 && text[0] == '\r')) {  // blank lines are not records
      offset = next;
      continue;
    }
    if (n % kLinesPerBlock == 0) blocks_.push_back({offset, running_max});
    if (parse_trace_line(text, record)) {
      running_max = std::max(running_max, record.t);
      if (n % kLinesPerBlock == 0) blocks_.back().max_time = running_max;
      ++kind_counts_[static_cast<std::size_t>(record.kind)];
      ReplicaRecord replica;
      if (record.kind == TraceKind::replica && parse_replica_record(text, replica)) replica_records_.push_back(replica);
    } else {
      ++unreadable_;
    }
    ++n;
    offset = next;
  }
  lines_ = n;
  last_time_ = running_max;
  if (data_ != nullptr) ::madvise(const_cast<char*>(data_), size_, MADV_RANDOM);
  ready_.store(true, std::memory_order_release);
}

std::uint64_t TraceIndex::offset_of(std::uint64_t n) const {
  if (n >= lines_) return size_;
  std::uint64_t offset = blocks_[n / kLinesPerBlock].offset;
  const std::string_view all = data();
  for (std::uint64_t skip = n % kLinesPerBlock; skip > 0;) {
    std::uint64_t next = 0;
    const std::string_view text = line_at(all, offset, next);
    // Blank lines were not counted when indexing; skip them the same way.
    if (!(text.empty() || (text.size() == 1 && text[0] == '\r'))) --skip;
    offset = next;
  }
  for (;;) {  // land on a non-blank line
    std::uint64_t next = 0;
    const std::string_view text = line_at(all, offset, next);
    if (!(text.empty() || (text.size() == 1 && text[0] == '\r')) || next >= size_) break;
    offset = next;
  }
  return offset;
}

std::string_view TraceIndex::line(std::uint64_t n) const {
  if (n >= lines_) return {};
  std::uint64_t next = 0;
  return line_at(data(), offset_of(n), next);
}

std::uint64_t TraceIndex::first_line_at_or_after(Nanos t) const {
  if (lines_ == 0) return 0;
  // The first block whose first line's running max is >= t; the answer is
  // within the block before it (or at its start).
  auto it = std::lower_bound(blocks_.begin(), blocks_.end(), t,
                             [](const Block& b, Nanos value) { return b.max_time < value; });
  std::uint64_t block = static_cast<std::uint64_t>(it - blocks_.begin());
  std::uint64_t n = block == 0 ? 0 : (block - 1) * kLinesPerBlock;
  Nanos running = block == 0 ? 0 : blocks_[block - 1].max_time;
  std::uint64_t offset = offset_of(n);
  const std::string_view all = data();
  while (n < lines_) {
    std::uint64_t next = 0;
    const std::string_view text = line_at(all, offset, next);
    offset = next;
    if (text.empty() || (text.size() == 1 && text[0] == '\r')) continue;
    Nanos line_time = 0;
    if (trace_line_time(text, line_time)) running = std::max(running, line_time);
    if (running >= t) return n;
    ++n;
  }
  return lines_;
}

}  // namespace sluice::viz
