#include "reports/series_view.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "reports/json_access.h"
#include "reports/number_format.h"
#include "sim/catalog/fault_kind_catalog.h"

namespace sluice::reports {
namespace {

double at(const nlohmann::json& array, std::size_t i) {
  return i < array.size() && array[i].is_number() ? array[i].get<double>() : 0.0;
}

// Bucket spans [t0, t1) from "t" and "width_ns", the last clipped to the run's end.
std::vector<Bucket> spans(const nlohmann::json& series, double end_ns) {
  std::vector<Bucket> out;
  const nlohmann::json& t = member(series, "t");
  double width = number_or(series, "width_ns", 0);
  if (!t.is_array()) return out;
  out.reserve(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    double t0 = at(t, i);
    double t1 = width > 0 ? t0 + width : (i + 1 < t.size() ? at(t, i + 1) : end_ns);
    if (end_ns > t0) t1 = std::min(t1, end_ns);
    Bucket b;
    b.t0_ns = t0;
    b.t1_ns = std::max(t1, t0);
    out.push_back(b);
  }
  return out;
}

}  // namespace

std::vector<Bucket> gauge_buckets(const nlohmann::json& series, double end_ns) {
  std::vector<Bucket> out = spans(series, end_ns);
  const nlohmann::json &min = member(series, "min"), &max = member(series, "max"), &mean = member(series, "mean");
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].min = at(min, i);
    out[i].max = std::max(at(max, i), out[i].min);
    out[i].mean = std::clamp(at(mean, i), out[i].min, out[i].max);
  }
  return out;
}

std::vector<Bucket> rate_buckets(const nlohmann::json& series, double end_ns) {
  std::vector<Bucket> out = spans(series, end_ns);
  const nlohmann::json& count = member(series, "count");
  for (std::size_t i = 0; i < out.size(); ++i) {
    double seconds = (out[i].t1_ns - out[i].t0_ns) / 1e9;
    double rate = seconds > 0 ? at(count, i) / seconds : 0.0;
    out[i].min = out[i].max = out[i].mean = rate;
    out[i].has_data = seconds > 0;
  }
  return out;
}

std::vector<Bucket> quantile_buckets(const nlohmann::json& series, const std::string& key, double end_ns,
                                     double unit_ns) {
  std::vector<Bucket> out = spans(series, end_ns);
  const nlohmann::json &count = member(series, "count"), &values = member(series, key);
  for (std::size_t i = 0; i < out.size(); ++i) {
    double value = at(values, i) / unit_ns;
    out[i].min = out[i].max = out[i].mean = value;
    out[i].has_data = at(count, i) > 0;
  }
  return out;
}

double total_count(const nlohmann::json& series) {
  double total = 0;
  const nlohmann::json& count = member(series, "count");
  if (count.is_array()) {
    for (const auto& c : count) total += c.is_number() ? c.get<double>() : 0.0;
  }
  return total;
}

std::vector<FaultSpan> fault_spans(const nlohmann::json& faults) {
  std::vector<FaultSpan> out;
  if (!faults.is_array()) return out;
  for (const auto& f : faults) {
    FaultSpan s;
    s.at_ns = number_or(f, "at_ns", 0);
    s.end_ns = s.at_ns;
    if (has_number(f, "end_ns")) s.end_ns = number_or(f, "end_ns", 0);
    else if (has_number(f, "duration_ns")) s.end_ns = s.at_ns + number_or(f, "duration_ns", 0);
    else if (has_number(f, "restart_after_ns")) s.end_ns = s.at_ns + number_or(f, "restart_after_ns", 0);
    s.end_ns = std::max(s.end_ns, s.at_ns);
    s.kind = string_or(f, "kind", "fault");
    s.target = string_or(f, "target");
    if (s.target.empty() && member(f, "groups").is_array()) s.target = member(f, "groups").dump();
    // Kinds that look alike share a class (a one-way partition is drawn as a partition).
    const FaultKindInfo* info = find_fault_kind(s.kind);
    s.css = info == nullptr ? "f-other" : "f-" + std::string(fault_display_name(info->display));
    s.description = s.kind + (s.target.empty() ? "" : " " + s.target) + " at " + format_duration_ns(s.at_ns);
    if (s.end_ns > s.at_ns) s.description += " for " + format_duration_ns(s.end_ns - s.at_ns);
    if (has_number(f, "factor")) s.description += ", factor " + format_number(number_or(f, "factor", 0));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace sluice::reports
