#include "core/random/rng.h"

#include <limits>

namespace sluice {
namespace {

constexpr std::uint64_t kFnvOffsetBasis = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

// The splitmix64 output function without the state increment: a bijection
// with full avalanche, so every input bit affects every output bit.
std::uint64_t avalanche(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The seed of the fork `name_hash` of a stream seeded with `parent_seed`.
// The parent seed is mixed before the name is folded in, so the combination is
// not symmetric: fork("a").fork("b") and fork("b").fork("a") differ.
std::uint64_t derive_seed(std::uint64_t parent_seed, std::uint64_t name_hash) {
  std::uint64_t state = parent_seed;
  state = splitmix64(state) ^ name_hash;
  return splitmix64(state);
}

}  // namespace

std::uint64_t stable_hash(std::string_view s) {
  std::uint64_t h = kFnvOffsetBasis;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnvPrime;
  }
  return avalanche(h);
}

Rng::Rng(std::uint64_t seed) : seed_(seed) {
  // Four consecutive splitmix64 outputs come from four distinct splitmix
  // states and its output function is a bijection, so at most one of them is
  // zero: the all-zero state, xoshiro's only fixed point, cannot occur.
  std::uint64_t state = seed;
  for (std::uint64_t& word : s_) word = splitmix64(state);
}

std::int64_t Rng::uniform_int(std::int64_t lo, std::int64_t hi) {
  SLUICE_CHECK(lo <= hi, "uniform_int: lo must be <= hi");
  // Work in unsigned arithmetic, where wrap-around is defined: hi - lo fits in
  // a uint64 even for the whole int64 range, and C++20 defines the conversion
  // back to int64 as modular.
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span == std::numeric_limits<std::uint64_t>::max()) {
    return static_cast<std::int64_t>(next_u64());  // every int64 is possible
  }
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + uniform_u64(span + 1));
}

Rng Rng::fork(std::string_view name) const { return Rng(derive_seed(seed_, stable_hash(name))); }

}  // namespace sluice
