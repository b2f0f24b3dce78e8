#include "sim/scenario/identifier_reader.h"

#include <algorithm>

namespace sluice {

// Names. Ids and node names end up in messages, file names and reports, so
// they are restricted to characters that are safe everywhere; the scenario
// name is lowercase as well because it names the run directory.

bool is_name_char(char c, bool allow_upper) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
         (allow_upper && c >= 'A' && c <= 'Z');
}

std::string describe_char(char c) {
  if (c == ' ') return "a space";
  if (c > ' ' && c < 0x7F) return "'" + std::string(1, c) + "'";
  return "a control or non-ASCII character";
}

std::string read_identifier(const JsonReader& reader, bool allow_upper) {
  std::string text = reader.string();
  if (text.empty()) reader.fail("must not be empty");
  if (text.size() > kMaxIdLength) {
    reader.fail("must be at most " + std::to_string(kMaxIdLength) + " characters, got " +
                std::to_string(text.size()));
  }
  const auto bad =
      std::find_if(text.begin(), text.end(), [&](char c) { return !is_name_char(c, allow_upper); });
  if (bad != text.end()) {
    reader.fail(std::string("may contain only ") + (allow_upper ? "A-Z, " : "") +
                "a-z, 0-9, '.', '_' and '-'; found " + describe_char(*bad));
  }
  return text;
}

// Component ids, references to them, and node names.
std::string read_id(const JsonReader& reader) { return read_identifier(reader, true); }

}  // namespace sluice
