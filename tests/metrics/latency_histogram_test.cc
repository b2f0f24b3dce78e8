#include "sim/metrics/latency_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <memory>
#include <vector>

namespace sluice {
namespace {

static_assert(LatencyHistogram::kRelativeError == 1.0 / 128);

// A tiny local generator: the test must not depend on std distributions.
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

// Values spread over every power of two up to 2^63, like latencies of any scale.
std::vector<std::int64_t> log_spread_sample(std::uint64_t seed, std::size_t n) {
  SplitMix64 rng{seed};
  std::vector<std::int64_t> values;
  values.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t shift = rng.next() % 64;
    values.push_back(static_cast<std::int64_t>((rng.next() >> 1) >> shift));
  }
  return values;
}

// The exact quantile of a sorted sample, by the histogram's rank rule.
std::int64_t exact_quantile(const std::vector<std::int64_t>& sorted, double q) {
  const double rank = std::ceil(q * static_cast<double>(sorted.size()));
  const auto r = static_cast<std::size_t>(std::clamp(rank, 1.0, static_cast<double>(sorted.size())));
  return sorted[r - 1];
}

void expect_within(std::int64_t got, std::int64_t truth, double relative_error) {
  const double error = std::abs(static_cast<double>(got) - static_cast<double>(truth));
  EXPECT_LE(error, static_cast<double>(truth) * relative_error) << "got " << got << ", true " << truth;
}

std::vector<double> quantiles_to_check() {
  std::vector<double> qs;
  for (int i = 0; i <= 1000; ++i) qs.push_back(i / 1000.0);
  for (double q : {0.9995, 0.9999, 0.99999, 1e-6}) qs.push_back(q);
  return qs;
}

TEST(LatencyHistogram, EmptyReportsZeros) {
  auto h = std::make_unique<LatencyHistogram>();
  EXPECT_EQ(h->count(), 0u);
  EXPECT_EQ(h->mean(), 0.0);
  EXPECT_EQ(h->min(), 0);
  EXPECT_EQ(h->max(), 0);
  EXPECT_EQ(h->quantile(0.0), 0);
  EXPECT_EQ(h->quantile(0.5), 0);
  EXPECT_EQ(h->quantile(1.0), 0);
}

TEST(LatencyHistogram, MinMaxMeanAreExact) {
  auto h = std::make_unique<LatencyHistogram>();
  for (std::int64_t v : std::initializer_list<std::int64_t>{1'000'003, 5, 123'456'789'012, 7}) {
    h->record(v);
  }
  EXPECT_EQ(h->count(), 4u);
  EXPECT_EQ(h->min(), 5);
  EXPECT_EQ(h->max(), 123'456'789'012);
  EXPECT_DOUBLE_EQ(h->mean(), (1'000'003.0 + 5 + 123'456'789'012.0 + 7) / 4);
  EXPECT_EQ(h->quantile(0.0), 5);
  EXPECT_EQ(h->quantile(1.0), 123'456'789'012);
}

TEST(LatencyHistogram, MeanIsExactWhenTheSumOverflowsSixtyFourBits) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  auto h = std::make_unique<LatencyHistogram>();
  for (int i = 0; i < 4; ++i) h->record(kMax);
  h->record(4);
  // (4 * (2^63 - 1) + 4) / 5 = 4 * 2^63 / 5, exactly.
  EXPECT_DOUBLE_EQ(h->mean(), std::ldexp(4.0, 63) / 5);
  EXPECT_EQ(h->max(), kMax);
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  auto h = std::make_unique<LatencyHistogram>();
  for (std::int64_t v = 0; v < 256; ++v) h->record(v);
  for (int rank = 1; rank <= 256; ++rank) {
    EXPECT_EQ(h->quantile(rank / 256.0), rank - 1) << "rank " << rank;
  }
}

TEST(LatencyHistogram, QuantilesOfOneToAMillionAreWithinTheBound) {
  auto h = std::make_unique<LatencyHistogram>();
  std::vector<std::int64_t> sorted;
  for (std::int64_t v = 1; v <= 1'000'000; ++v) {
    h->record(v);
    sorted.push_back(v);
  }
  for (double q : quantiles_to_check()) {
    // The midpoint makes the worst case half the documented bound; check that too.
    expect_within(h->quantile(q), exact_quantile(sorted, q), LatencyHistogram::kRelativeError / 2);
  }
  EXPECT_EQ(h->quantile(0.0), 1);
  EXPECT_EQ(h->quantile(1.0), 1'000'000);
  EXPECT_DOUBLE_EQ(h->mean(), 500'000.5);
}

TEST(LatencyHistogram, QuantilesOfASeededSampleMatchTheSortedSample) {
  for (std::uint64_t seed : {1u, 42u, 1234u}) {
    std::vector<std::int64_t> sample = log_spread_sample(seed, 100'000);
    auto h = std::make_unique<LatencyHistogram>();
    for (std::int64_t v : sample) h->record(v);
    std::sort(sample.begin(), sample.end());
    for (double q : quantiles_to_check()) {
      expect_within(h->quantile(q), exact_quantile(sample, q), LatencyHistogram::kRelativeError);
    }
    EXPECT_EQ(h->min(), sample.front());
    EXPECT_EQ(h->max(), sample.back());
  }
}

void expect_same(const LatencyHistogram& a, const LatencyHistogram& b) {
  EXPECT_EQ(a.count(), b.count());
  EXPECT_EQ(a.mean(), b.mean());
  EXPECT_EQ(a.min(), b.min());
  EXPECT_EQ(a.max(), b.max());
  for (double q : quantiles_to_check()) EXPECT_EQ(a.quantile(q), b.quantile(q)) << "q " << q;
}

TEST(LatencyHistogram, MergeEqualsRecordingBoth) {
  const std::vector<std::int64_t> first = log_spread_sample(7, 50'000);
  const std::vector<std::int64_t> second = log_spread_sample(8, 30'000);
  auto a = std::make_unique<LatencyHistogram>();
  auto b = std::make_unique<LatencyHistogram>();
  auto both = std::make_unique<LatencyHistogram>();
  for (std::int64_t v : first) a->record(v), both->record(v);
  for (std::int64_t v : second) b->record(v), both->record(v);
  a->merge(*b);
  expect_same(*a, *both);
}

TEST(LatencyHistogram, MergeWithEmptyKeepsMinAndMax) {
  auto empty = std::make_unique<LatencyHistogram>();
  auto h = std::make_unique<LatencyHistogram>();
  h->record(500);
  h->record(900);
  auto copy = std::make_unique<LatencyHistogram>(*h);
  h->merge(*empty);
  expect_same(*h, *copy);
  empty->merge(*h);
  expect_same(*empty, *copy);
  EXPECT_EQ(empty->min(), 500);
}

#ifndef NDEBUG
TEST(LatencyHistogramDeathTest, NegativeValueIsAProgrammingError) {
  auto h = std::make_unique<LatencyHistogram>();
  EXPECT_DEATH(h->record(-1), "non-negative");
}
#endif

}  // namespace
}  // namespace sluice
