#include "sim/scenario/defect_injection.h"
#include "sim/cli/sweep_outputs.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "reports/html_report.h"
#include "reports/junit.h"

namespace sluice {
namespace {

// Copies the file at `from` into `to`, in blocks: the JUnit body can be large.
void append_file(const std::string& from, AtomicFileStream& to) {
  std::FILE* file = std::fopen(from.c_str(), "rb");
  if (file == nullptr) throw std::runtime_error("cannot read " + from + ": " + std::strerror(errno));
  char buffer[1 << 16];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) to.write({buffer, n});
  std::fclose(file);
}

// " --defect a,b" when the sweep injected defects, for every repro line.
std::string defects_flag(const std::vector<std::string>& defects) {
  return defects.empty() ? "" : " --defect " + defect_list_text(defects);
}

}  // namespace

SweepOutputs::SweepOutputs(const std::filesystem::path& dir, const std::optional<std::string>& junit,
                           nlohmann::json head)
    : dir_(dir),
      head_(std::move(head)),
      run_command_(sweep_run_command(head_.value("file", std::string()),
                                     head_["strategy"].is_string() ? head_["strategy"].get<std::string>() : "",
                                     head_.value("perturb", false)) +
                   defects_flag(head_.value("defects", std::vector<std::string>()))),
      sweep_((dir / "sweep.json").string()),
      junit_path_(junit) {
  invariants_ = head_["invariants"].get<std::vector<std::string>>();
  if (junit_path_) junit_cases_ = std::make_unique<AtomicFileStream>(*junit_path_ + ".cases");
  sweep_.write("{\"seeds\": [");
  sweep_.flush();
}

SweepOutputs::~SweepOutputs() = default;

void SweepOutputs::add(const SeedResult& result) {
  nlohmann::json record = seed_json(result, run_command_);
  sweep_.write((seeds_ == 0 ? "\n" : ",\n") + record.dump());
  sweep_.flush();
  if (junit_cases_) {
    junit_cases_->write(sweep_seed_testcases(head_["scenario"], record, invariants_, junit_counts_));
    junit_cases_->flush();
  }
  ++seeds_;
  failures_ += result.ok ? 0 : 1;
  groups_.add(result);
  coverage_.add(result);
  if (report_seeds_.size() < kReportSeeds) {
    report_seeds_.push_back(std::move(record));
  } else if (!result.ok && report_failing_ < kReportFailing) {
    ++report_failing_;
    report_seeds_.push_back(std::move(record));
  }
}

nlohmann::json SweepOutputs::finish(bool interrupted) {
  nlohmann::json summary = head_;
  summary["seeds_run"] = seeds_;
  summary["failures"] = failures_;
  summary["ok"] = failures_ == 0 && !interrupted;
  summary["interrupted"] = interrupted;
  summary["groups"] = groups_json(groups_.groups(), run_command_);
  if (groups_.ungrouped() > 0) summary["ungrouped_failures"] = groups_.ungrouped();
  summary["fault_coverage"] = coverage_.json();
  std::string tail = summary.dump(2);
  sweep_.write("\n],\n" + tail.substr(2) + "\n");  // the summary's members follow the seeds
  sweep_.commit();

  nlohmann::json page = summary;
  page["seeds"] = std::move(report_seeds_);
  page["seeds_omitted"] = seeds_ - page["seeds"].size();
  AtomicFileStream html((dir_ / "sweep.html").string());
  html.write(render_sweep_report(page));
  html.commit();

  if (junit_path_) {
    AtomicFileStream junit(*junit_path_);
    junit.write(sweep_junit_head(summary, junit_counts_));
    junit_cases_->flush();
    append_file(junit_cases_->temp_path(), junit);
    junit.write(sweep_junit_tail());
    junit.commit();
    junit_cases_.reset();  // removes the body's temporary file
  }
  return summary;
}

}  // namespace sluice
