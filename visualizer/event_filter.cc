#include "visualizer/event_filter.h"

#include <algorithm>
#include <cctype>

namespace sluice::viz {

namespace {
bool contains_ignoring_case(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != haystack.end();
}
}  // namespace

bool EventFilter::matches(const TraceRecord& record) const {
  if ((kinds & (1u << static_cast<unsigned>(record.kind))) == 0) return false;
  if (key && (!record.has_key || record.key != *key)) return false;
  if (!id.empty()) {
    if (id.back() == '*') {
      const std::string_view prefix(id.data(), id.size() - 1);
      if (record.id.substr(0, prefix.size()) != prefix) return false;
    } else if (record.id != id) {
      return false;
    }
  }
  if (!ids.empty() && std::find(ids.begin(), ids.end(), record.id) == ids.end()) return false;
  if (!part.empty()) {
    bool named = std::find(part_names.begin(), part_names.end(), record.part) != part_names.end();
    if (!named && !contains_ignoring_case(record.part, part)) return false;
  }
  return true;
}

void FilteredLog::stop() {
  cancel_.store(true);
  if (thread_.joinable()) thread_.join();
  cancel_.store(false);
}

void FilteredLog::set_filter(const EventFilter& filter) {
  if (applied_ && filter == filter_) return;
  applied_ = true;
  stop();
  filter_ = filter;
  identity_ = filter.empty();
  chunks_.clear();
  count_.store(0);
  scanned_lines_.store(0);
  if (identity_) {
    done_.store(true, std::memory_order_release);
    return;
  }
  chunks_.resize(index_.lines() / kChunk + 1);
  done_.store(false);
  thread_ = std::thread([this] { scan(); });
}

void FilteredLog::wait() {
  if (thread_.joinable()) thread_.join();
}

void FilteredLog::scan() {
  const std::string_view data = index_.data();
  std::uint64_t offset = index_.offset_of(0);
  std::uint64_t n = 0;
  std::uint64_t found = 0;
  TraceRecord record;
  while (n < index_.lines()) {
    if ((n & 0xfff) == 0) {
      if (cancel_.load(std::memory_order_relaxed)) break;
      scanned_lines_.store(n, std::memory_order_relaxed);
    }
    std::uint64_t next = 0;
    const std::string_view text = line_at(data, offset, next);
    offset = next;
    if (text.empty() || (text.size() == 1 && text[0] == '\r')) continue;  // not counted as lines
    if (parse_trace_line(text, record) && filter_.matches(record)) {
      auto& chunk = chunks_[found / kChunk];
      if (!chunk) chunk = std::make_unique<std::uint64_t[]>(kChunk);
      chunk[found % kChunk] = n;
      ++found;
      // Publish in small batches so the UI sees early results.
      if ((found & 0xff) == 0) count_.store(found, std::memory_order_release);
    }
    ++n;
  }
  count_.store(found, std::memory_order_release);
  scanned_lines_.store(n, std::memory_order_relaxed);
  done_.store(true, std::memory_order_release);
}

double FilteredLog::progress() const {
  if (!scanning()) return 1.0;
  const std::uint64_t total = index_.lines();
  return total == 0 ? 1.0 : static_cast<double>(scanned_lines_.load(std::memory_order_relaxed)) / total;
}

std::uint64_t FilteredLog::size() const {
  return identity_ ? index_.lines() : count_.load(std::memory_order_acquire);
}

std::uint64_t FilteredLog::line_of(std::uint64_t row) const {
  if (identity_) return row;
  return chunks_[row / kChunk][row % kChunk];
}

std::uint64_t FilteredLog::row_at_or_after_line(std::uint64_t line) const {
  if (identity_) return std::min(line, index_.lines());
  std::uint64_t lo = 0, hi = size();
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (line_of(mid) < line) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

}  // namespace sluice::viz
