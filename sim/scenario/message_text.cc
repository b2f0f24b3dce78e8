#include "sim/scenario/message_text.h"

#include <algorithm>

namespace sluice {
namespace {

// The length of the valid UTF-8 sequence at the start of `s`, or 0.
std::size_t utf8_sequence_length(std::string_view s) {
  const auto lead = static_cast<unsigned char>(s[0]);
  std::size_t length = 0;
  unsigned char second_min = 0x80, second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;  // overlong
    if (lead == 0xED) second_max = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;  // overlong
    if (lead == 0xF4) second_max = 0x8F;  // beyond U+10FFFF
  }
  if (length == 0 || s.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(s[i]);
    const unsigned char low = i == 1 ? second_min : 0x80, high = i == 1 ? second_max : 0xBF;
    if (byte < low || byte > high) return 0;
  }
  return length;
}

std::string hex_byte(unsigned char byte) {
  constexpr char kDigits[] = "0123456789abcdef";
  return {kDigits[byte >> 4], kDigits[byte & 0xF]};
}

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string escape_text(std::string_view text, char quote, std::size_t max_bytes) {
  std::string out;
  std::size_t i = 0;
  // Both limits: escapes make the output up to six times the input.
  while (i < text.size() && i < max_bytes && out.size() < max_bytes) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    const std::size_t sequence = byte >= 0x80 ? utf8_sequence_length(text.substr(i)) : 1;
    if (byte < 0x20 || byte == 0x7F) {
      out += "\\u00" + hex_byte(byte);
    } else if (sequence == 0) {
      out += "\\x" + hex_byte(byte);
    } else {
      if (quote != 0 && (c == quote || c == '\\')) out += '\\';
      out.append(text.substr(i, sequence));
    }
    i += std::max<std::size_t>(sequence, 1);
  }
  if (i < text.size()) out += "...";
  return out;
}

std::string in_quotes(std::string_view text, char quote) {
  return quote + escape_text(text, quote, 60) + quote;
}

std::string escape_tail(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return escape_text(text, 0, max_bytes);
  // Start the tail on a character boundary, so a multi-byte character is not
  // split into bytes that read as invalid UTF-8.
  std::size_t start = text.size() - max_bytes;
  for (int step = 0; step < 3 && start < text.size() && is_continuation(text[start]); ++step) ++start;
  return "..." + escape_text(text.substr(start), 0, max_bytes);
}

}  // namespace sluice
