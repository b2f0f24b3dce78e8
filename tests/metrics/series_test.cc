#include "sim/metrics/series.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "sim/metrics/time_weighted.h"

namespace sluice {
namespace {

struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::int64_t below(std::int64_t n) { return static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(n)); }
};

bool is_power_of_two_multiple(Nanos width, Nanos initial) {
  if (width % initial != 0) return false;
  const Nanos ratio = width / initial;
  return (ratio & (ratio - 1)) == 0;
}

// ---- CounterSeries ----

TEST(CounterSeries, MergesPairsAndDoublesWidthWhenFull) {
  CounterSeries c(10, 4);
  c.add(0);
  c.add(39);
  EXPECT_EQ(c.size(), 4u);
  EXPECT_EQ(c.width(), 10);
  c.add(40);  // a fifth bucket would exceed the max
  EXPECT_EQ(c.width(), 20);
  ASSERT_EQ(c.size(), 3u);
  const std::vector<CounterSeries::Bucket> b = c.buckets();
  EXPECT_EQ(b[0].start, 0);
  EXPECT_EQ(b[0].count, 1u);
  EXPECT_EQ(b[1].start, 20);
  EXPECT_EQ(b[1].count, 1u);
  EXPECT_EQ(b[2].start, 40);
  EXPECT_EQ(b[2].count, 1u);
}

TEST(CounterSeries, StaysBoundedAndPreservesTotalsOverALongRun) {
  constexpr std::size_t kMax = 64;
  CounterSeries c(1'000, kMax);
  std::uint64_t total = 0;
  Nanos t = 0;
  for (int i = 0; i < 1'000'000; ++i) {
    t += 7'919;
    const std::uint64_t n = 1 + static_cast<std::uint64_t>(i % 3);
    c.add(t, n);
    total += n;
    ASSERT_LE(c.size(), kMax);
  }
  c.finish(t + 1);
  EXPECT_LE(c.size(), kMax);
  EXPECT_GT(c.width(), 1'000);
  EXPECT_TRUE(is_power_of_two_multiple(c.width(), 1'000));
  EXPECT_LT(t / c.width(), static_cast<Nanos>(kMax));
  std::uint64_t counted = 0;
  for (const CounterSeries::Bucket& b : c.buckets()) counted += b.count;
  EXPECT_EQ(counted, total);
}

TEST(CounterSeries, RateIsPerSecondOfCoveredTime) {
  CounterSeries c(kNanosPerMilli);
  for (int i = 0; i < 5; ++i) c.add(i * 100'000);
  for (int i = 0; i < 3; ++i) c.add(2 * kNanosPerMilli + i);
  c.finish(2 * kNanosPerMilli + kNanosPerMilli / 2);
  const std::vector<CounterSeries::Bucket> b = c.buckets();
  ASSERT_EQ(b.size(), 3u);
  EXPECT_DOUBLE_EQ(c.rate_per_s(b[0]), 5'000.0);
  EXPECT_DOUBLE_EQ(c.rate_per_s(b[1]), 0.0);
  EXPECT_DOUBLE_EQ(c.rate_per_s(b[2]), 6'000.0);  // 3 events in half a millisecond
}

TEST(CounterSeries, FinishOnABoundaryOpensNoEmptyBucket) {
  CounterSeries c(100);
  c.add(5);
  c.finish(300);
  const std::vector<CounterSeries::Bucket> b = c.buckets();
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[2].start, 200);
  EXPECT_EQ(b[2].count, 0u);
  EXPECT_DOUBLE_EQ(c.rate_per_s(b[0]), 1.0 / 100e-9);
}

// ---- GaugeSeries ----

TEST(GaugeSeries, CarriesTheValueAcrossQuietBuckets) {
  GaugeSeries g(100);
  g.set(0, 5);
  g.set(1'003, 7);
  g.finish(1'100);
  const std::vector<GaugeSeries::Bucket> b = g.buckets();
  ASSERT_EQ(b.size(), 11u);
  for (std::size_t i = 1; i < 10; ++i) {
    EXPECT_EQ(b[i].min, 5);
    EXPECT_EQ(b[i].max, 5);
    EXPECT_EQ(b[i].mean, 5.0);
  }
  // The last bucket: 5 for 3 ns, then 7 for 97 ns.
  EXPECT_EQ(b[10].min, 5);
  EXPECT_EQ(b[10].max, 7);
  EXPECT_DOUBLE_EQ(b[10].mean, (5.0 * 3 + 7.0 * 97) / 100);
}

TEST(GaugeSeries, OneNanosecondSpikesSurviveAnyNumberOfMerges) {
  GaugeSeries g(1'000, 8);
  constexpr Nanos kHigh = 123'456'789;
  constexpr Nanos kLow = 777'777'777;
  constexpr Nanos kEnd = 1'000'000'000;
  for (Nanos t = 500; t < kEnd; t += 1'000) {
    const std::int64_t base = (t / 1'000) % 5;
    if (t > kHigh && t - 1'000 < kHigh) {
      g.set(kHigh, 1'000);
      g.set(kHigh + 1, base);
    }
    if (t > kLow && t - 1'000 < kLow) {
      g.set(kLow, -1'000);
      g.set(kLow + 1, base);
    }
    g.set(t, base);
  }
  g.finish(kEnd);
  EXPECT_LE(g.size(), 8u);
  EXPECT_GE(g.width(), kEnd / 8);
  const std::vector<GaugeSeries::Bucket> b = g.buckets();
  for (std::size_t i = 0; i < b.size(); ++i) {
    const bool holds_high = b[i].start <= kHigh && kHigh < b[i].start + g.width();
    const bool holds_low = b[i].start <= kLow && kLow < b[i].start + g.width();
    EXPECT_EQ(b[i].max, holds_high ? 1'000 : 4) << "bucket " << i;
    EXPECT_EQ(b[i].min, holds_low ? -1'000 : 0) << "bucket " << i;
  }
}

struct Update {
  Nanos at;
  std::int64_t value;
};

TEST(GaugeSeries, MergedBucketsMatchATimeWeightedGaugeOverTheSameSpan) {
  SplitMix64 rng{99};
  std::vector<Update> updates;
  Nanos t = 0;
  for (int i = 0; i < 20'000; ++i) {
    t += rng.below(300);  // gaps of 0 mean two values at one instant
    updates.push_back({t, rng.below(101) - 50});
  }
  const Nanos end = t + 77;
  GaugeSeries g(100, 16);
  for (const Update& u : updates) g.set(u.at, u.value);
  g.finish(end);
  ASSERT_GT(g.width(), 100);

  const std::vector<GaugeSeries::Bucket> buckets = g.buckets();
  std::size_t next = 0;
  std::int64_t carried = 0;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    const Nanos start = buckets[i].start;
    const Nanos stop = i + 1 < buckets.size() ? start + g.width() : end;
    TimeWeightedGauge reference(start, carried);
    for (; next < updates.size() && updates[next].at < stop; ++next) {
      reference.set(updates[next].at, updates[next].value);
    }
    carried = reference.value();
    EXPECT_EQ(buckets[i].mean, reference.mean(stop)) << "bucket " << i;
    EXPECT_EQ(buckets[i].min, reference.min()) << "bucket " << i;
    EXPECT_EQ(buckets[i].max, reference.max()) << "bucket " << i;
  }
  EXPECT_EQ(next, updates.size());
}

// ---- QuantileSeries ----

void expect_within(std::int64_t got, std::int64_t truth, double relative_error) {
  const double error = std::abs(static_cast<double>(got) - static_cast<double>(truth));
  EXPECT_LE(error, static_cast<double>(truth) * relative_error) << "got " << got << ", true " << truth;
}

std::int64_t exact_quantile(const std::vector<std::int64_t>& sorted, double q) {
  const double rank = std::ceil(q * static_cast<double>(sorted.size()));
  const auto r = static_cast<std::size_t>(std::clamp(rank, 1.0, static_cast<double>(sorted.size())));
  return sorted[r - 1];
}

TEST(QuantileSeries, PerBucketQuantilesAreWithinTheCoarseBound) {
  static_assert(QuantileSeries::kRelativeError == 1.0 / 8);
  SplitMix64 rng{2024};
  std::vector<Update> samples;
  Nanos t = 0;
  for (int i = 0; i < 200'000; ++i) {
    t += rng.below(100);
    const std::int64_t latency = static_cast<std::int64_t>(rng.next() >> (24 + rng.below(40)));
    samples.push_back({t, latency});
  }
  QuantileSeries q(10'000, 16);
  for (const Update& s : samples) q.record(s.at, s.value);
  q.finish(t + 1);
  ASSERT_LE(q.size(), 16u);

  std::size_t next = 0;
  const std::vector<QuantileSeries::Bucket> buckets = q.buckets();
  for (const QuantileSeries::Bucket& b : buckets) {
    std::vector<std::int64_t> in_bucket;
    for (; next < samples.size() && samples[next].at < b.start + q.width(); ++next) {
      in_bucket.push_back(samples[next].value);
    }
    std::sort(in_bucket.begin(), in_bucket.end());
    ASSERT_EQ(b.count, in_bucket.size());
    ASSERT_FALSE(in_bucket.empty());
    expect_within(b.p50, exact_quantile(in_bucket, 0.5), QuantileSeries::kRelativeError);
    expect_within(b.p90, exact_quantile(in_bucket, 0.9), QuantileSeries::kRelativeError);
    expect_within(b.p99, exact_quantile(in_bucket, 0.99), QuantileSeries::kRelativeError);
    EXPECT_EQ(b.max, in_bucket.back());
  }
  EXPECT_EQ(next, samples.size());
}

TEST(QuantileSeries, EmptyBucketsReportZeroCount) {
  QuantileSeries q(100);
  q.record(10, 42);
  q.record(250, 7);
  const std::vector<QuantileSeries::Bucket> b = q.buckets();
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].count, 1u);
  EXPECT_EQ(b[0].p99, 42);
  EXPECT_EQ(b[1].count, 0u);
  EXPECT_EQ(b[1].max, 0);
  EXPECT_EQ(b[2].max, 7);
}

// ---- JSON ----

template <typename Series>
void expect_columns(const nlohmann::json& j, const Series& s, const std::vector<const char*>& columns) {
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j.size(), columns.size() + 2);  // + width_ns and t
  EXPECT_EQ(j.at("width_ns").template get<Nanos>(), s.width());
  ASSERT_TRUE(j.at("t").is_array());
  EXPECT_EQ(j.at("t").size(), s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(j.at("t")[i].template get<Nanos>(), static_cast<Nanos>(i) * s.width());
  }
  for (const char* column : columns) {
    ASSERT_TRUE(j.contains(column)) << column;
    ASSERT_TRUE(j.at(column).is_array()) << column;
    EXPECT_EQ(j.at(column).size(), s.size()) << column;
  }
}

TEST(SeriesJson, IsColumnar) {
  GaugeSeries g(100);
  g.set(30, 3);
  g.set(150, 1);
  g.finish(200);
  const nlohmann::json gj = g.to_json();
  expect_columns(gj, g, {"min", "max", "mean"});
  EXPECT_EQ(gj.at("max")[0], 3);
  EXPECT_DOUBLE_EQ(gj.at("mean")[0].get<double>(), 2.1);
  EXPECT_DOUBLE_EQ(gj.at("mean")[1].get<double>(), 2.0);

  CounterSeries c(100);
  c.add(10, 4);
  c.add(420);
  const nlohmann::json cj = c.to_json();
  expect_columns(cj, c, {"count"});
  EXPECT_EQ(cj.at("count")[0], 4);
  EXPECT_EQ(cj.at("count")[4], 1);

  QuantileSeries q(100);
  q.record(10, 1'000);
  q.record(120, 50);
  const nlohmann::json qj = q.to_json();
  expect_columns(qj, q, {"count", "p50", "p90", "p99", "max"});
  EXPECT_EQ(qj.at("max")[0], 1'000);
  EXPECT_EQ(qj.at("p50")[1], 50);
}

// ---- Memory ----

TEST(Series, TenMillionUpdatesDoNotGrowPastTheMax) {
  constexpr std::size_t kMax = 512;
  GaugeSeries gauge(1'000, kMax);
  CounterSeries counter(1'000, kMax);
  QuantileSeries latency(1'000, kMax);
  std::size_t largest = 0;
  for (std::int64_t i = 0; i < 10'000'000; ++i) {
    const Nanos t = i * 37;
    gauge.set(t, i % 100);
    counter.add(t);
    latency.record(t, i % 4'096);
    largest = std::max({largest, gauge.size(), counter.size(), latency.size()});
  }
  EXPECT_LE(largest, kMax);
  EXPECT_GT(gauge.size(), kMax / 4);
  EXPECT_EQ(gauge.width(), counter.width());
  EXPECT_EQ(gauge.width(), latency.width());
}

}  // namespace
}  // namespace sluice
