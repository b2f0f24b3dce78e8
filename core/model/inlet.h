// Where a component hands an event downstream: a buffer, a topic or a sink.
#pragma once

#include "core/model/event.h"

namespace sluice {

enum class OfferResult {
  accepted,  // the downstream now owns the event
  shed,      // dropped by a configured overflow policy (already reported)
  refused,   // the downstream is failing (an outage): the caller still owns it, may retry
  // A remote downstream did not answer in time: the caller still owns the
  // event and may retry, but the effect may have been applied already (a lost
  // reply), so a retry can apply it twice.
  timed_out,
};

class Inlet {
 public:
  virtual ~Inlet() = default;
  // May block in virtual time (backpressure), depending on the inlet's policy.
  virtual OfferResult offer(Event event) = 0;
};

}  // namespace sluice
