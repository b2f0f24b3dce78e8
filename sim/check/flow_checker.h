// flow_control: no worker ever receives more events than it requested
// (Reactive Streams rule 1.1), and every request asks for at least one
// (rule 3.9: request(n) with n <= 0 is an error). Memory: one counter per worker.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model/event.h"
#include "sim/check/delivery_checker.h"
#include "sim/check/verdict.h"

namespace sluice {

class FlowChecker {
 public:
  explicit FlowChecker(const std::vector<std::size_t>& workers_per_stage) {
    for (std::size_t workers : workers_per_stage) outstanding_.emplace_back(workers, 0);
    verdict_.applicable = !workers_per_stage.empty();
  }

  // Hot paths (every request and every delivery): the messages are built
  // only for a violation, in the cold functions below, so that these stay
  // small enough to inline into the history's dispatch.
  void requested(StageIndex stage, std::uint32_t worker, std::int64_t n, Nanos now, const std::string& stage_name) {
    ++verdict_.checked;
    if (n <= 0) [[unlikely]] {
      bad_request(worker, n, now, stage_name);
      return;
    }
    outstanding_[stage][worker] += n;
  }

  void delivered(StageIndex stage, std::uint32_t worker, const Event& event, Nanos now,
                 const std::string& stage_name) {
    ++verdict_.checked;
    std::int64_t& credits = outstanding_[stage][worker];
    if (credits <= 0) [[unlikely]] beyond_request(worker, event, now, stage_name, credits);
    --credits;
  }

  // A crashed worker's requests die with it; it asks again when it restarts.
  void worker_lost(StageIndex stage, std::uint32_t worker) { outstanding_[stage][worker] = 0; }

  const Verdict& verdict() const { return verdict_; }

 private:
  [[gnu::cold, gnu::noinline]] void bad_request(std::uint32_t worker, std::int64_t n, Nanos now,
                                                const std::string& stage_name) {
    verdict_.violate("worker " + std::to_string(worker) + " of stage '" + stage_name + "' requested " +
                     std::to_string(n) + " events at t=" + std::to_string(now) +
                     "ns: a request must be for at least one (Reactive Streams rule 3.9)");
  }
  [[gnu::cold, gnu::noinline]] void beyond_request(std::uint32_t worker, const Event& event, Nanos now,
                                                   const std::string& stage_name, std::int64_t credits) {
    verdict_.violate("worker " + std::to_string(worker) + " of stage '" + stage_name + "' received " +
                     describe_event(event) + " at t=" + std::to_string(now) + "ns with no outstanding request (" +
                     std::to_string(credits) + " credits): more than it asked for (Reactive Streams rule 1.1)");
  }
  std::vector<std::vector<std::int64_t>> outstanding_;
  Verdict verdict_;
};

}  // namespace sluice
