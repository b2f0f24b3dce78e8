// The faults that began, as summary.json and series.json list them: when,
// which kind, on what, until when, and each kind's own fields.
#pragma once

#include <nlohmann/json.hpp>

#include "core/runtime/runtime.h"
#include "sim/world/world_records.h"

namespace sluice {

class FaultLog {
 public:
  explicit FaultLog(Runtime& runtime) : runtime_(runtime) {}

  void on(const FaultBegan& rec);
  template <typename R>
  void on(const R&) {}

  const nlohmann::json& json() const { return faults_; }

 private:
  Runtime& runtime_;
  nlohmann::json faults_ = nlohmann::json::array();
};

}  // namespace sluice
