#include "sim/run/perturbation_summary.h"
#include "sim/cli/human_summary.h"

namespace sluice {

std::string format_nanos(double ns) {
  char text[32];
  if (ns >= 60e9) std::snprintf(text, sizeof(text), "%.1fmin", ns / 60e9);
  else if (ns >= 1e9) std::snprintf(text, sizeof(text), "%.3gs", ns / 1e9);
  else if (ns >= 1e6) std::snprintf(text, sizeof(text), "%.3gms", ns / 1e6);
  else if (ns >= 1e3) std::snprintf(text, sizeof(text), "%.3gus", ns / 1e3);
  else std::snprintf(text, sizeof(text), "%.0fns", ns);
  return text;
}

namespace {

void print_counts(std::FILE* out, const nlohmann::json& counts) {
  std::fprintf(out, "counts      produced %llu  acked %llu  shed %llu  effects %llu  lost %llu",
               counts["produced"].get<unsigned long long>(), counts["acked"].get<unsigned long long>(),
               counts["shed"].get<unsigned long long>(), counts["effects"].get<unsigned long long>(),
               counts["lost"].get<unsigned long long>());
  for (const char* extra : {"retries", "dead_lettered", "give_up_dropped", "rejected", "spilled", "replayed", "spill_corrupt"}) {
    if (counts.value(extra, 0ULL) > 0) std::fprintf(out, "  %s %llu", extra, counts[extra].get<unsigned long long>());
  }
  std::fputc('\n', out);
}

void print_queues(std::FILE* out, const nlohmann::json& queues) {
  for (const auto& [name, q] : queues.items()) {
    const std::string capacity = q.contains("capacity") ? std::to_string(q["capacity"].get<unsigned long long>()) : "-";
    std::fprintf(out, "queue       %-16s capacity %-8s max depth %-8lld mean depth %.2f\n", name.c_str(),
                 capacity.c_str(), q["max_depth"].get<long long>(), q["mean_depth"].get<double>());
  }
}

void print_stages(std::FILE* out, const nlohmann::json& stages) {
  for (const auto& [name, s] : stages.items()) {
    std::fprintf(out, "stage       %-16s processed %-9llu busy %5.1f%%  %.2f/s\n", name.c_str(),
                 s["processed"].get<unsigned long long>(), 100.0 * s["busy_fraction"].get<double>(),
                 s["throughput_per_s"].get<double>());
  }
}

void print_latency(std::FILE* out, const nlohmann::json& latency) {
  if (latency["count"].get<unsigned long long>() == 0) return;
  std::fprintf(out, "latency     mean %s  p50 %s  p90 %s  p99 %s  max %s\n",
               format_nanos(latency["mean"].get<double>()).c_str(), format_nanos(latency["p50"].get<double>()).c_str(),
               format_nanos(latency["p90"].get<double>()).c_str(), format_nanos(latency["p99"].get<double>()).c_str(),
               format_nanos(latency["max"].get<double>()).c_str());
}

// The first violation's explanation: the why, then its steps (at most
// kStepsShown; summary.json has them all). Without one, the raw context.
void print_explanation(std::FILE* out, const Verdict& verdict) {
  constexpr std::size_t kStepsShown = 12;
  if (verdict.explanation.empty()) {
    if (!verdict.context.empty()) std::fprintf(out, "\n       before it, on the same key:");
    for (const std::string& line : verdict.context) std::fprintf(out, "\n         %s", line.c_str());
    return;
  }
  std::fprintf(out, "\n       why: %s", verdict.explanation.why.c_str());
  std::vector<std::string> lines = step_lines(verdict.explanation);
  const std::size_t skipped = lines.size() > kStepsShown ? lines.size() - kStepsShown : 0;
  if (skipped > 0) std::fprintf(out, "\n         (%zu earlier steps in summary.json)", skipped);
  for (std::size_t i = skipped; i < lines.size(); ++i) std::fprintf(out, "\n         %s", lines[i].c_str());
  // --explain N: the later violations' whys (their steps are in summary.json).
  for (std::size_t i = 1; i < verdict.explanations.size(); ++i) {
    std::fprintf(out, "\n       why (violation %zu): %s", i + 1, verdict.explanations[i].why.c_str());
  }
}

void print_invariants(std::FILE* out, const RunReport& report) {
  for (const auto& [name, verdict] : report.invariants) {
    const char* mark = verdict.vacuous ? "VAC " : !verdict.applicable ? "n/a " : verdict.ok() ? "PASS" : "FAIL";
    std::fprintf(out, "  %s %-22s checked %llu", mark, name.c_str(), static_cast<unsigned long long>(verdict.checked));
    if (verdict.vacuous) std::fprintf(out, " (vacuous: expected to hold, it checked nothing)");
    if (verdict.violations > 0) {
      std::fprintf(out, ", %llu violation(s)\n       first: %s", static_cast<unsigned long long>(verdict.violations),
                   verdict.first.c_str());
      if (!verdict.explanation.empty()) {
        print_explanation(out, verdict);
      } else {
        if (!verdict.context.empty()) {
          std::fprintf(out, name == "progress" ? "\n       stuck, oldest first:" : "\n       before it, on the same key:");
        }
        for (const std::string& line : verdict.context) std::fprintf(out, "\n         %s", line.c_str());
      }
    }
    std::fputc('\n', out);
  }
}

}  // namespace

void print_human_summary(std::FILE* out, const RunReport& report, const std::string& out_dir) {
  const nlohmann::json& s = report.summary;
  std::fprintf(out, "scenario    %s  seed %llu  strategy %s  outcome %s\n", report.scenario.c_str(),
               static_cast<unsigned long long>(report.seed), s["strategy"].get<std::string>().c_str(),
               s["outcome"].get<std::string>().c_str());
  std::fprintf(out, "time        virtual %s  scheduler events %llu  wall %.0f ms\n",
               format_nanos(static_cast<double>(report.virtual_time)).c_str(),
               static_cast<unsigned long long>(report.events), s.value("wall_ms", 0.0));
  if (report.outcome == RunOutcome::budget_exhausted || report.outcome == RunOutcome::stopped) {
    if (s.contains("outcome_message")) std::fprintf(out, "outcome     %s\n", s["outcome_message"].get<std::string>().c_str());
  }
  if (s.contains("perturbation")) std::fprintf(out, "%s\n", perturbation_line(s["perturbation"]).c_str());
  print_counts(out, s["counts"]);
  print_queues(out, s["queues"]);
  print_stages(out, s["stages"]);
  print_latency(out, s["latency_ns"]);
  std::fprintf(out, "invariants\n");
  print_invariants(out, report);
  std::fprintf(out, "trace_hash  %s\n", hex64(report.trace_hash).c_str());
  std::fprintf(out, "output      %s/\n", out_dir.c_str());
  if (report.ok) {
    std::fprintf(out, "verdict     OK: every expectation held\n");
  } else {
    std::fprintf(out, "verdict     FAILED:\n");
    for (const std::string& failure : report.expectation_failures) std::fprintf(out, "  - %s\n", failure.c_str());
    std::fprintf(out, "repro       %s\n", s["repro"].get<std::string>().c_str());
  }
}

}  // namespace sluice
