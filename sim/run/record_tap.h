// A consumer outside sim/run (the live visualizer) subscribing to the
// history's dispatch (sim/run/history.h) without becoming one of its fixed
// subscribers. The history holds at most one tap, by pointer, and hands it
// every record it dispatches, after every subscriber has handled the record
// (so the metrics, the scaling record and the fault log it may read already
// include it), and nothing once the run is frozen. A record lives only for
// the call (core/model/records.h): copy what must outlive it.
//
// It is the core's Observer (core/model/observer.h) plus the world's records.
#pragma once

#include "core/model/observer.h"
#include "sim/world/world_records.h"

namespace sluice {

class RecordTap : public Observer {
 public:
  using Observer::on;
  virtual void on(const WorldRecord& record) = 0;
};

}  // namespace sluice
