// Fixed-width little-endian integers in byte strings: how the core lays out
// what it writes to durable storage, the same on every machine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

inline void put_le(std::string& out, std::uint64_t value, int bytes = 8) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// Reads `bytes` bytes at `at` and moves `at` past them; bytes beyond the
// end read as zero (callers that must reject short input check fits() first).
inline std::uint64_t get_le(std::string_view in, std::size_t& at, int bytes = 8) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i, ++at) {
    if (at < in.size()) value |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[at])) << (8 * i);
  }
  return value;
}

inline bool fits(std::string_view in, std::size_t at, int bytes = 8) { return at + static_cast<std::size_t>(bytes) <= in.size(); }

}  // namespace sluice
