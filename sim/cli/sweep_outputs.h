// A sweep's outputs, written as seeds finish so an interrupt keeps them:
// each seed's record is appended to sweep.json (a temporary file, flushed
// per seed) and its testcases to the JUnit file's body; finish() appends the
// totals, renames sweep.json into place, and writes sweep.html and the JUnit
// file. Memory is bounded whatever the number of seeds: failure groups are
// capped, and sweep.html draws the first kReportSeeds seeds (and failing
// seeds up to kReportFailing more), saying how many it left out.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/junit.h"
#include "sim/output/atomic_file.h"
#include "sim/run/sweep.h"

namespace sluice {

class SweepOutputs {
 public:
  static constexpr std::size_t kReportSeeds = 5000;
  static constexpr std::size_t kReportFailing = 500;

  // `head`: {"scenario", "file", "invariants", "range", "shard", "provenance"}.
  SweepOutputs(const std::filesystem::path& dir, const std::optional<std::string>& junit, nlohmann::json head);
  ~SweepOutputs();

  // One finished seed, in seed order.
  void add(const SeedResult& result);
  // Writes everything; returns sweep.json without its seeds (for the terminal).
  nlohmann::json finish(bool interrupted);
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  nlohmann::json head_;
  std::string run_command_;  // "sluice run FILE [--strategy S]", for repro commands
  AtomicFileStream sweep_;
  std::optional<std::string> junit_path_;
  std::unique_ptr<AtomicFileStream> junit_cases_;  // the testcases, copied into the JUnit file at the end
  std::vector<std::string> invariants_;
  JunitCounts junit_counts_;
  std::uint64_t seeds_ = 0, failures_ = 0;
  FailureGroups groups_;
  FaultCoverage coverage_;
  nlohmann::json report_seeds_ = nlohmann::json::array();
  std::uint64_t report_failing_ = 0;
};

}  // namespace sluice
