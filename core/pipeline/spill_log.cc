#include "core/pipeline/spill_log.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>

#include "core/check.h"
#include "core/model/event_codec.h"

namespace sluice {
namespace {

constexpr const char* kCursorKey = "cursor";

}  // namespace

SpillLog::SpillLog(Runtime& runtime, std::string name)
    : runtime_(runtime), name_(std::move(name)), writer_(runtime, 1, "spill writer"), record_ready_("spill backlog") {}

void SpillLog::open() {
  if (open_) return;
  open_ = true;
  if (log_ == nullptr) {
    log_ = &runtime_.log(name_);
    kv_ = &runtime_.kv(name_);
  }
  writers_ = 0;
  ready_ = log_->size();
  // A missing cursor is a fresh backlog; a corrupt one cannot be trusted, so
  // every record still kept is replayed again (at-least-once rather than a silent loss).
  cursor_ = 0;
  ReadResult stored = kv_->get(kCursorKey);
  if (stored.ok()) {
    std::uint64_t value = 0;
    const char* end = stored.bytes.data() + stored.bytes.size();
    if (std::from_chars(stored.bytes.data(), end, value).ptr == end) cursor_ = std::min(value, ready_);
  }
  cursor_ = std::max(cursor_, log_->first_index());
}

std::uint64_t SpillLog::append(const Event& event) {
  SLUICE_CHECK(open_, "a spill log is used before open()");
  ++writers_;
  writer_.acquire();
  // Released on every path, also when a crash unwinds the writer.
  struct Release {
    Semaphore& semaphore;
    ~Release() { semaphore.release(); }
  } release{writer_};
  std::uint64_t index = log_->append(encode_event(event));
  log_->fsync();
  // Only one writer at a time: the record is the next one to become ready.
  SLUICE_CHECK(index == ready_, "spill records must become ready in order");
  ready_ = index + 1;
  --writers_;
  runtime_.notify_all(record_ready_);
  return index;
}

SpillLog::Peek SpillLog::peek(Event& out) {
  SLUICE_CHECK(pending() > 0, "peek into an empty spill backlog");
  ReadResult record = log_->read(cursor_);
  std::optional<Event> event = record.ok() ? decode_event(record.bytes) : std::nullopt;
  if (!event) return Peek::corrupt;
  out = *event;
  return Peek::ok;
}

void SpillLog::advance() {
  SLUICE_CHECK(pending() > 0, "advance past the end of the spill backlog");
  ++cursor_;
  store_cursor();
}

void SpillLog::store_cursor() {
  kv_->put(kCursorKey, std::to_string(cursor_));
  kv_->fsync();
  // Only once the cursor is durable: a restart never looks before it again.
  log_->trim_front(cursor_);
}

}  // namespace sluice
