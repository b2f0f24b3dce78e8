// Where the core reports what it does: one call per record, at the current
// virtual time (core/model/records.h says what each record means). The
// simulation implements it (sim/run/history.h); unit tests record lines.
#pragma once

#include "core/model/records.h"

namespace sluice {

class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on(const PipelineRecord& record) = 0;
};

}  // namespace sluice
