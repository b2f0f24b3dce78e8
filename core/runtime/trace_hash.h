// A running 64-bit hash of every scheduling decision and every externally
// visible event. Two runs with the same scenario, seed and binary must end
// with the same value; the first word that differs changes every later one.
#pragma once

#include <cstdint>
#include <string_view>

namespace sluice {

class TraceHash {
 public:
  void mix(std::uint64_t word) {
    // splitmix64's finaliser over (state ^ word): cheap, and every input bit
    // reaches every output bit, so reordering two words changes the result.
    std::uint64_t z = (state_ ^ word) + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    state_ = z ^ (z >> 31);
  }
  void mix(std::string_view text) {
    for (unsigned char c : text) mix(static_cast<std::uint64_t>(c));
  }
  std::uint64_t value() const { return state_; }

 private:
  std::uint64_t state_ = 0x736c75696365ULL;  // "sluice"
};

}  // namespace sluice
