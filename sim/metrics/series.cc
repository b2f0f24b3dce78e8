#include "sim/metrics/series.h"

#include <nlohmann/json.hpp>

namespace sluice {
namespace {

// Every series is written columnar: one array per field keeps series.json small.
template <typename Bucket, typename Field>
nlohmann::json column(const std::vector<Bucket>& buckets, Field field) {
  nlohmann::json values = nlohmann::json::array();
  for (const Bucket& b : buckets) values.push_back(b.*field);
  return values;
}

}  // namespace

std::vector<GaugeSeries::Bucket> GaugeSeries::buckets() const {
  std::vector<Bucket> out;
  out.reserve(buckets_.size());
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    const TimeWeightedGauge& g = buckets_.slots()[i].gauge;
    out.push_back({buckets_.start_of(i), g.min(), g.max(), g.mean(buckets_.end_of(i))});
  }
  return out;
}

nlohmann::json GaugeSeries::to_json() const {
  const std::vector<Bucket> b = buckets();
  return {{"width_ns", width()},
          {"t", column(b, &Bucket::start)},
          {"min", column(b, &Bucket::min)},
          {"max", column(b, &Bucket::max)},
          {"mean", column(b, &Bucket::mean)}};
}

std::vector<CounterSeries::Bucket> CounterSeries::buckets() const {
  std::vector<Bucket> out;
  out.reserve(buckets_.size());
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    out.push_back({buckets_.start_of(i), buckets_.slots()[i].count});
  }
  return out;
}

double CounterSeries::rate_per_s(const Bucket& bucket) const {
  SLUICE_CHECK(bucket.start % width() == 0, "not a bucket of this series' current width");
  const auto index = static_cast<std::size_t>(bucket.start / width());
  SLUICE_CHECK(index < size(), "not a bucket of this series");
  const Nanos span = buckets_.end_of(index) - bucket.start;
  if (span <= 0) return 0.0;
  return static_cast<double>(bucket.count) / to_seconds(span);
}

nlohmann::json CounterSeries::to_json() const {
  const std::vector<Bucket> b = buckets();
  return {{"width_ns", width()},
          {"t", column(b, &Bucket::start)},
          {"count", column(b, &Bucket::count)}};
}

std::vector<QuantileSeries::Bucket> QuantileSeries::buckets() const {
  std::vector<Bucket> out;
  out.reserve(buckets_.size());
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    const Histogram& h = buckets_.slots()[i];
    out.push_back({buckets_.start_of(i), h.count(), h.quantile(0.5), h.quantile(0.9),
                   h.quantile(0.99), h.max()});
  }
  return out;
}

nlohmann::json QuantileSeries::to_json() const {
  const std::vector<Bucket> b = buckets();
  return {{"width_ns", width()},
          {"t", column(b, &Bucket::start)},
          {"count", column(b, &Bucket::count)},
          {"p50", column(b, &Bucket::p50)},
          {"p90", column(b, &Bucket::p90)},
          {"p99", column(b, &Bucket::p99)},
          {"max", column(b, &Bucket::max)}};
}

}  // namespace sluice
