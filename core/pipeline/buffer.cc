#include "core/pipeline/buffer.h"

#include <cstdint>
#include <utility>

#include "core/check.h"

namespace sluice {

const char* overflow_policy_name(OverflowPolicy policy) {
  switch (policy) {
    case OverflowPolicy::block: return "block";
    case OverflowPolicy::drop_newest: return "drop_newest";
    case OverflowPolicy::drop_oldest: return "drop_oldest";
    case OverflowPolicy::shed_by_priority: return "shed_by_priority";
  }
  return "?";
}

const char* shed_reason_name(ShedReason reason) {
  switch (reason) {
    case ShedReason::drop_newest: return "drop_newest";
    case ShedReason::drop_oldest: return "drop_oldest";
    case ShedReason::priority: return "priority";
  }
  return "?";
}

Buffer::Buffer(Runtime& runtime, Observer& observer, QueueIndex index, NodeId node, std::size_t capacity,
               OverflowPolicy policy, const char* label, bool unbounded)
    : runtime_(runtime),
      observer_(observer),
      index_(index),
      capacity_(capacity),
      limit_(unbounded ? SIZE_MAX : capacity),
      policy_(policy),
      not_full_(label) {
  SLUICE_CHECK(capacity >= 1, "a buffer needs room for one event");
  runtime_.on_node_crash(node, [this] { drop_all_in_crash(); });
}

void Buffer::drop_all_in_crash() {
  while (!items_.empty()) {
    Entry entry = std::move(items_.front());
    items_.pop_front();
    observer_.on(LostInCrash{index_, entry.event, items_.size(), runtime_.now() - entry.enqueued_at});
  }
  runtime_.notify_all(not_full_);
}

OfferResult Buffer::offer(Event event) {
  runtime_.check_alive();
  if (items_.size() >= limit_) {
    if (policy_ == OverflowPolicy::block) {
      while (items_.size() >= limit_) runtime_.wait(not_full_);
    } else {
      bool arriving_shed = false;
      make_room_or_shed(event, &arriving_shed);
      if (arriving_shed) return OfferResult::shed;
    }
  }
  push(std::move(event));
  return OfferResult::accepted;
}

void Buffer::make_room_or_shed(Event& arriving, bool* arriving_shed) {
  switch (policy_) {
    case OverflowPolicy::block:
      SLUICE_CHECK(false, "a blocking buffer never sheds");
      return;
    case OverflowPolicy::drop_newest:
      observer_.on(Shed{index_, arriving, ShedReason::drop_newest, items_.size(), kShedOnArrival});
      *arriving_shed = true;
      return;
    case OverflowPolicy::drop_oldest: {
      Entry victim = items_.front();
      items_.pop_front();
      observer_.on(Shed{index_, victim.event, ShedReason::drop_oldest, items_.size(), runtime_.now() - victim.enqueued_at});
      return;
    }
    case OverflowPolicy::shed_by_priority: {
      // The lowest priority, newest among equals (it has waited least).
      auto victim = items_.end();
      for (auto it = items_.begin(); it != items_.end(); ++it) {
        if (victim == items_.end() || it->event.priority <= victim->event.priority) victim = it;
      }
      if (arriving.priority <= victim->event.priority) {
        observer_.on(Shed{index_, arriving, ShedReason::priority, items_.size(), kShedOnArrival});
        *arriving_shed = true;
        return;
      }
      Entry shed = *victim;
      items_.erase(victim);
      observer_.on(Shed{index_, shed.event, ShedReason::priority, items_.size(), runtime_.now() - shed.enqueued_at});
      return;
    }
  }
}

void Buffer::push(Event&& event) {
  SLUICE_CHECK(items_.size() < limit_, "a buffer must never exceed its capacity");
  items_.push_back(Entry{event, runtime_.now()});
  observer_.on(Enqueued{index_, items_.back().event, items_.size()});
  if (on_push_) on_push_();
}

void Buffer::take(Event& out) {
  SLUICE_CHECK(!items_.empty(), "take from an empty buffer");
  Entry entry = std::move(items_.front());
  items_.pop_front();
  out = entry.event;
  observer_.on(Dequeued{index_, out, items_.size(), runtime_.now() - entry.enqueued_at});
  runtime_.notify_one(not_full_);
}

}  // namespace sluice
