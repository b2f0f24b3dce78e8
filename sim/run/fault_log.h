// The faults that began, as summary.json and series.json list them: when,
// which kind, on what, until when, and each kind's own fields.
#pragma once

#include <nlohmann/json.hpp>

#include "core/runtime/runtime.h"
#include "sim/world/world_records.h"

namespace sluice {

// One fault that began at `at`, as the log lists it (the live visualizer
// reads its FaultBegan records through this too).
nlohmann::json fault_json(const FaultSpec& fault, Nanos at);

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
