// SHA-256 (FIPS 180-4), written here to name a scenario file in every output
// without a new dependency. Streamed: feed bytes with update(), read hex().
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  // The digest as 64 lowercase hex digits. Call once, after the last update().
  std::string hex();

 private:
  void block(const unsigned char* data);

  std::array<std::uint32_t, 8> state_;
  std::array<unsigned char, 64> pending_{};
  std::size_t pending_size_ = 0;
  std::uint64_t total_bytes_ = 0;
};

std::string sha256_hex(std::string_view bytes);
// The file's digest; throws std::runtime_error naming it when it cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace sluice
