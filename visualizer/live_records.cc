#include "visualizer/live_records.h"

#include <nlohmann/json.hpp>
#include <type_traits>

#include "sim/run/fault_log.h"

namespace sluice::viz {

LiveRecords::LiveRecords(const Runtime& runtime, const PartNames& names, const PipelineMetrics& metrics,
                         std::size_t log_capacity)
    : runtime_(runtime), names_(names), log_(runtime, names, metrics, log_capacity), depths_(names.queues.size(), 0) {}

void LiveRecords::on(const PipelineRecord& record) {
  std::visit(
      [this](const auto& r) {
        using R = std::remove_cvref_t<decltype(r)>;
        // Every record that moves a queue's depth carries the depth it left.
        if constexpr (requires { r.depth; r.queue; }) {
          depths_[r.queue] = r.depth;
        } else if constexpr (requires { r.depth; r.partition; }) {
          depths_[r.partition] = r.depth;
        } else if constexpr (std::is_same_v<R, ReplicaChanged>) {
          replicas_.push_back(ReplicaRecord{runtime_.now(), names_.stages[r.stage], r.worker, r.state});
        }
      },
      record);
  if (log_enabled_) log_.keep(record);
}

void LiveRecords::on(const WorldRecord& record) {
  if (const FaultBegan* began = std::get_if<FaultBegan>(&record)) {
    // Through the fault log's own JSON, so live and recorded faults read alike.
    const std::vector<Fault> read = faults_from_json(nlohmann::json::array({fault_json(began->fault, runtime_.now())}));
    faults_.insert(faults_.end(), read.begin(), read.end());
  }
  if (log_enabled_) log_.keep(record);
}

}  // namespace sluice::viz
