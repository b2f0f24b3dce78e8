// Appending JSON number text fast, for the streamed writers (trace.jsonl,
// trace.perfetto.json): no locale, no allocation beyond the output string.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>

namespace sluice {

template <class Integer>
void append_integer(std::string& out, Integer value) {
  char digits[24];
  auto result = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, result.ptr);
}

}  // namespace sluice
