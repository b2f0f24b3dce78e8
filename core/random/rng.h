// The simulation's only source of randomness: xoshiro256** seeded through
// splitmix64, plus the project's stable string hash.
//
// Everything here is specified bit for bit, so a seed means the same stream on
// every platform and standard library. That is why the standard library's
// engines, distributions, random device and hash are not used: their output is
// implementation-defined or not seeded by us.
//
// Each component draws from its own stream, `Rng::fork(name)`, derived from
// the construction seed and the name alone. Adding a component, or drawing
// more from one, therefore never reshuffles the numbers another one sees.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/check.h"

namespace sluice {

// One step of splitmix64 (Steele, Lea, Flood 2014; Vigna's reference code):
// advances `state` by the golden-ratio increment and returns the mixed value.
// Used to expand a 64-bit seed into xoshiro's 256-bit state, as its authors
// recommend, because consecutive outputs are well mixed even for seeds 0, 1, 2.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// THE stable string hash of the project, for key partitioning and stream names:
// 64-bit FNV-1a over the bytes, then the splitmix64 finalizer so that nearby
// strings ("key-1", "key-2") land far apart in every bit. Fixed forever: a
// change would move keys between partitions and reshuffle every forked stream.
std::uint64_t stable_hash(std::string_view s);

// xoshiro256** 1.0 (Blackman and Vigna). Small, fast, 2^256 - 1 period, and
// its reference implementation is public, so tests pin it bit for bit.
// Not for cryptography. Copying an Rng copies its position in the stream.
class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  // The next 64 uniformly random bits.
  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1): the top 53 bits, i.e. every multiple of 2^-53.
  double next_double() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  // Uniform in (0, 1), never 0 and never 1, for logarithms and powers:
  // (k + 0.5) * 2^-52 for a 52-bit k. Both the sum and the product are exact,
  // so the largest value is 1 - 2^-53, which does not round up to 1.
  double next_double_open() { return (static_cast<double>(next_u64() >> 12) + 0.5) * 0x1.0p-52; }

  // Uniform in [0, bound), exactly unbiased. REQUIRES: bound > 0.
  // Lemire's multiply-shift: the high word of x * bound is the answer, and the
  // low word tells us when x fell in the small over-represented slice, which
  // we reject. Expected draws per call: < 2, and ~1 for bounds far below 2^64.
  std::uint64_t uniform_u64(std::uint64_t bound) {
    SLUICE_CHECK(bound > 0, "uniform_u64: bound must be > 0");
    std::uint64_t low = 0;
    std::uint64_t high = mul_64x64(next_u64(), bound, low);
    if (low < bound) {
      // 2^64 mod bound, computed without 128-bit arithmetic.
      const std::uint64_t threshold = (0 - bound) % bound;
      while (low < threshold) high = mul_64x64(next_u64(), bound, low);
    }
    return high;
  }

  // Uniform in [lo, hi], both ends included; any lo <= hi, including the
  // whole int64 range. REQUIRES: lo <= hi.
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi);

  // True with probability p. Always consumes exactly one draw, even for p <= 0
  // or p >= 1, so tuning a probability does not shift the rest of the stream.
  bool bernoulli(double p) {
    SLUICE_CHECK(p == p, "bernoulli: p is NaN");
    return next_double() < p;
  }

  // An independent stream named `name`, derived from the seed this Rng was
  // constructed with and the name only, never from the current state: drawing
  // from the parent does not change its forks. Forks nest as name paths, and
  // fork("a").fork("b") differs from fork("b").fork("a") and from fork("ab").
  Rng fork(std::string_view name) const;

  // The seed this stream was constructed with (for a fork, the derived seed).
  std::uint64_t seed() const { return seed_; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  // Returns the high 64 bits of a * b and stores the low 64 bits in `low`.
  static std::uint64_t mul_64x64(std::uint64_t a, std::uint64_t b, std::uint64_t& low) {
#if defined(__SIZEOF_INT128__)
    __extension__ using Uint128 = unsigned __int128;
    const Uint128 product = static_cast<Uint128>(a) * b;
    low = static_cast<std::uint64_t>(product);
    return static_cast<std::uint64_t>(product >> 64);
#else
    // Schoolbook multiplication on 32-bit halves, for compilers without __int128.
    const std::uint64_t a_lo = a & 0xffffffffULL, a_hi = a >> 32;
    const std::uint64_t b_lo = b & 0xffffffffULL, b_hi = b >> 32;
    const std::uint64_t lo_lo = a_lo * b_lo;
    const std::uint64_t hi_lo = a_hi * b_lo;
    const std::uint64_t lo_hi = a_lo * b_hi;
    const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffULL) + lo_hi;
    low = (cross << 32) | (lo_lo & 0xffffffffULL);
    return a_hi * b_hi + (hi_lo >> 32) + (cross >> 32);
#endif
  }

  std::uint64_t seed_;
  std::array<std::uint64_t, 4> s_;
};

}  // namespace sluice
