#include "sim/scenario/units.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace sluice {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

// The reason parse_duration gives for `text`, or "" if it was accepted.
std::string duration_why(const std::string& text) {
  std::string why;
  return parse_duration(text, &why) ? "" : why;
}

std::string bytes_why(const std::string& text) {
  std::string why;
  return parse_bytes(text, &why) ? "" : why;
}

// Tiny, fully specified generator so the fuzz loop is the same everywhere.
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

TEST(ParseDuration, AcceptsEveryUnit) {
  const std::vector<std::pair<std::string, Nanos>> cases = {
      {"0", 0},
      {"0ns", 0},
      {"250ns", 250},
      {"250us", 250'000},
      {"5ms", 5'000'000},
      {"2s", 2'000'000'000},
      {"1m", 60'000'000'000},
      {"1h", 3'600'000'000'000},
      {"1.5s", 1'500'000'000},
      {"0.25ms", 250'000},
      {"007ms", 7'000'000},
      {"10m", 600'000'000'000},
      {"36h", 36 * 3'600'000'000'000},
  };
  for (const auto& [text, expected] : cases) {
    std::string why;
    const std::optional<Nanos> parsed = parse_duration(text, &why);
    ASSERT_TRUE(parsed.has_value()) << text << ": " << why;
    EXPECT_EQ(*parsed, expected) << text;
  }
}

TEST(ParseDuration, IntegerInputsAreExact) {
  EXPECT_EQ(parse_duration("1h", nullptr), 3600 * kNanosPerSecond);
  EXPECT_EQ(parse_duration("2562047h", nullptr), Nanos{2562047} * 3600 * kNanosPerSecond);
  EXPECT_EQ(parse_duration("153722867m", nullptr), Nanos{153722867} * 60 * kNanosPerSecond);
  EXPECT_EQ(parse_duration("9223372036854775807ns", nullptr), kNever);
  EXPECT_EQ(parse_duration("9223372036854ms", nullptr), 9223372036854 * kNanosPerMilli);
  EXPECT_FALSE(parse_duration("9223372036855ms", nullptr).has_value());
}

TEST(ParseDuration, FractionsRoundToTheNearestNanosecond) {
  EXPECT_EQ(parse_duration("0.4ns", nullptr), 0);
  EXPECT_EQ(parse_duration("0.5ns", nullptr), 1);  // halves round up
  EXPECT_EQ(parse_duration("1.0000000004s", nullptr), 1'000'000'000);
  EXPECT_EQ(parse_duration("1.0000000005s", nullptr), 1'000'000'001);
  EXPECT_EQ(parse_duration("0.1h", nullptr), 360'000'000'000);
  EXPECT_EQ(parse_duration("0.333333333333333333333333h", nullptr), 1'200'000'000'000);
  EXPECT_EQ(parse_duration("1.5us", nullptr), 1'500);
  EXPECT_EQ(parse_duration("0.0000000000000000000001s", nullptr), 0);
}

TEST(ParseDuration, RejectsWithAReason) {
  EXPECT_EQ(duration_why("5"), "durations need a unit: 250ms, 2s, 1m");
  EXPECT_EQ(duration_why("1.5"), "durations need a unit: 250ms, 2s, 1m");
  EXPECT_EQ(duration_why("00"), "durations need a unit: 250ms, 2s, 1m");
  EXPECT_EQ(duration_why("-5ms"), "cannot be negative");
  EXPECT_EQ(duration_why("-0"), "cannot be negative");
  EXPECT_EQ(duration_why("5xs"), "unknown unit 'xs'; valid units: ns, us, ms, s, m, h");
  EXPECT_EQ(duration_why("5MS"), "unknown unit 'MS'; valid units: ns, us, ms, s, m, h");
  EXPECT_EQ(duration_why("5d"), "unknown unit 'd'; valid units: ns, us, ms, s, m, h");
  EXPECT_EQ(duration_why("1e3s"), "exponents (like 1e3) are not allowed; write the number out in full");
  EXPECT_EQ(duration_why("1E-3s"), "exponents (like 1e3) are not allowed; write the number out in full");
  EXPECT_EQ(duration_why(""), "empty; expected a number with a unit, e.g. 250ms");
  EXPECT_EQ(duration_why("   "), "blank; expected a number with a unit, e.g. 250ms");
  EXPECT_EQ(duration_why("\t\n"), "blank; expected a number with a unit, e.g. 250ms");
  EXPECT_EQ(duration_why("5 ms"),
            "whitespace is not allowed; write the number and unit together, e.g. 250ms");
  EXPECT_EQ(duration_why(" 5ms"),
            "whitespace is not allowed; write the number and unit together, e.g. 250ms");
  EXPECT_EQ(duration_why("5ms "),
            "whitespace is not allowed; write the number and unit together, e.g. 250ms");
  EXPECT_EQ(duration_why("+5ms"), "a leading '+' is not allowed, e.g. 250ms");
  EXPECT_EQ(duration_why(".5s"), "write a digit before the decimal point, e.g. 0.5");
  EXPECT_EQ(duration_why("5.s"), "expected digits after the decimal point");
  EXPECT_EQ(duration_why("ms"), "expected a number followed by a unit, e.g. 250ms");
  for (const char* text : {"nan", "NaN", "nans", "inf", "Infinity", "infs", "INF"}) {
    EXPECT_EQ(duration_why(text), "not a finite number; expected a number with a unit, e.g. 250ms")
        << text;
  }
  EXPECT_EQ(duration_why("-inf"), "cannot be negative");
}

TEST(ParseDuration, RejectsOverflow) {
  const std::string too_large = "too large; the longest duration is 9223372036854775807ns (about 292 years)";
  EXPECT_EQ(duration_why("9223372036854775808ns"), too_large);
  EXPECT_EQ(duration_why("2562048h"), too_large);
  EXPECT_EQ(duration_why("153722868m"), too_large);
  EXPECT_EQ(duration_why("99999999999999999999999999999999s"), too_large);
  EXPECT_EQ(duration_why("9223372036854775807.5ns"), too_large);  // rounding up overflows
  EXPECT_EQ(parse_duration("9223372036854775807.4ns", nullptr), kNever);
}

TEST(ParseDuration, HidesUnprintableUnits) {
  EXPECT_EQ(duration_why("5\x01"), "unknown unit; valid units: ns, us, ms, s, m, h");
  EXPECT_EQ(duration_why("5" + std::string(100, 'x')), "unknown unit; valid units: ns, us, ms, s, m, h");
  EXPECT_EQ(duration_why(std::string("5\0s", 3)), "unknown unit; valid units: ns, us, ms, s, m, h");
}

TEST(ParseDuration, NullWhyIsAllowed) {
  EXPECT_FALSE(parse_duration("bogus", nullptr).has_value());
  EXPECT_FALSE(parse_bytes("bogus", nullptr).has_value());
}

TEST(FormatDuration, ShortestExactForm) {
  EXPECT_EQ(format_duration(0), "0");
  EXPECT_EQ(format_duration(1), "1ns");
  EXPECT_EQ(format_duration(250'000), "250us");
  EXPECT_EQ(format_duration(2 * kNanosPerSecond), "2s");
  EXPECT_EQ(format_duration(60 * kNanosPerSecond), "1m");
  EXPECT_EQ(format_duration(90 * kNanosPerSecond), "90s");
  EXPECT_EQ(format_duration(3600 * kNanosPerSecond), "1h");
  EXPECT_EQ(format_duration(1'500'000'000), "1500ms");
  EXPECT_EQ(format_duration(1'000'001), "1000001ns");
  EXPECT_EQ(format_duration(kNever), "9223372036854775807ns");
  EXPECT_EQ(format_duration(-250'000), "-250us");
  EXPECT_EQ(format_duration(std::numeric_limits<Nanos>::min()), "-9223372036854775808ns");
}

TEST(FormatDuration, RoundTripsThroughParse) {
  SplitMix64 rng{42};
  for (int i = 0; i < 20'000; ++i) {
    // Mix magnitudes so every unit gets exercised, not just nanoseconds.
    const Nanos scales[] = {1, 1'000, 1'000'000, 1'000'000'000, 60'000'000'000, 3'600'000'000'000};
    const Nanos unit = scales[rng.below(6)];
    const auto value = static_cast<Nanos>(rng.next() % static_cast<std::uint64_t>(kNever / unit)) * unit;
    const std::string text = format_duration(value);
    ASSERT_EQ(parse_duration(text, nullptr), value) << text;
  }
}

TEST(ParseBytes, AcceptsEveryUnit) {
  const std::vector<std::pair<std::string, std::int64_t>> cases = {
      {"0", 0},
      {"100", 100},
      {"512B", 512},
      {"4KiB", 4096},
      {"64MiB", 64LL << 20},
      {"1GiB", 1LL << 30},
      {"1KB", 1000},
      {"1MB", 1'000'000},
      {"1GB", 1'000'000'000},
      {"1.5KiB", 1536},
      {"0.5MiB", 512 * 1024},
      {"2.5KB", 2500},
      {"8589934591GiB", 8589934591LL << 30},
      {"9223372036854775807", kInt64Max},
  };
  for (const auto& [text, expected] : cases) {
    std::string why;
    const std::optional<std::int64_t> parsed = parse_bytes(text, &why);
    ASSERT_TRUE(parsed.has_value()) << text << ": " << why;
    EXPECT_EQ(*parsed, expected) << text;
  }
}

TEST(ParseBytes, RejectsWithAReason) {
  EXPECT_EQ(bytes_why("1.5"), "a bare number of bytes must be a whole number");
  EXPECT_EQ(bytes_why("1.3KiB"), "not a whole number of bytes");
  EXPECT_EQ(bytes_why("0.5B"), "not a whole number of bytes");
  EXPECT_EQ(bytes_why("-1"), "cannot be negative");
  EXPECT_EQ(bytes_why("1e3"), "exponents (like 1e3) are not allowed; write the number out in full");
  EXPECT_EQ(bytes_why("4kib"), "unknown unit 'kib'; valid units: B, KB, MB, GB, KiB, MiB, GiB");
  EXPECT_EQ(bytes_why("4K"), "unknown unit 'K'; valid units: B, KB, MB, GB, KiB, MiB, GiB");
  EXPECT_EQ(bytes_why(""), "empty; expected a number with a unit, e.g. 64MiB");
  EXPECT_EQ(bytes_why(" "), "blank; expected a number with a unit, e.g. 64MiB");
  EXPECT_EQ(bytes_why("nan"), "not a finite number; expected a number with a unit, e.g. 64MiB");
  const std::string too_large = "too large; the largest size is 9223372036854775807 bytes";
  EXPECT_EQ(bytes_why("9223372036854775808"), too_large);
  EXPECT_EQ(bytes_why("8589934592GiB"), too_large);
}

TEST(FormatBytes, LargestBinaryUnit) {
  EXPECT_EQ(format_bytes(0), "0B");
  EXPECT_EQ(format_bytes(1000), "1000B");
  EXPECT_EQ(format_bytes(1024), "1KiB");
  EXPECT_EQ(format_bytes(1536), "1536B");
  EXPECT_EQ(format_bytes(64LL << 20), "64MiB");
  EXPECT_EQ(format_bytes(1LL << 30), "1GiB");
  EXPECT_EQ(format_bytes(3LL << 40), "3072GiB");
  EXPECT_EQ(parse_bytes(format_bytes(3LL << 40), nullptr), 3LL << 40);
}

// Random strings over the characters the grammar cares about: every input
// must produce a value or a reason, and accepted durations are never negative.
TEST(UnitsFuzz, NeverCrashesAndAlwaysExplains) {
  const std::string alphabet = "0123456789..--+eEnsumhBKMGi x\t";
  SplitMix64 rng{7};
  for (int i = 0; i < 20'000; ++i) {
    std::string text;
    const std::size_t length = rng.below(12);
    for (std::size_t j = 0; j < length; ++j) text += alphabet[rng.below(alphabet.size())];
    std::string why;
    const std::optional<Nanos> duration = parse_duration(text, &why);
    if (duration) {
      EXPECT_GE(*duration, 0) << text;
    } else {
      EXPECT_FALSE(why.empty()) << text;
    }
    why.clear();
    const std::optional<std::int64_t> bytes = parse_bytes(text, &why);
    if (bytes) {
      EXPECT_GE(*bytes, 0) << text;
    } else {
      EXPECT_FALSE(why.empty()) << text;
    }
  }
}

}  // namespace
}  // namespace sluice
