// A producer's handle on a topic: an Inlet whose offer sends the event to
// the partition its key hashes to (a stable hash, the same in every build)
// and waits for the broker's answer.
//
//   accepted   the broker appended it (and, under ack=fsync, made it durable)
//   refused    the partition is full (discard=new) or the record too large
//   timed_out  no answer in time: the append may have happened, so a retry
//              may store the event twice (at-least-once), unless the
//              producer is idempotent and the partition still remembers it
#pragma once

#include "core/model/inlet.h"
#include "core/runtime/runtime.h"
#include "core/topic/topic.h"

namespace sluice {

class TopicProducer final : public Inlet {
 public:
  TopicProducer(Runtime& runtime, const Topic& topic, bool idempotent = false)
      : runtime_(runtime), topic_(topic), idempotent_(idempotent) {}
  OfferResult offer(Event event) override;

 private:
  Runtime& runtime_;
  const Topic& topic_;
  bool idempotent_;
};

}  // namespace sluice
