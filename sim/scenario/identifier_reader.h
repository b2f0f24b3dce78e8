// Names. Ids and node names end up in messages, file names and reports, so
// they are restricted to characters that are safe everywhere; the scenario
// name is lowercase as well because it names the run directory.
#pragma once

#include <cstddef>
#include <string>

#include "sim/scenario/json_reader.h"

namespace sluice {

inline constexpr std::size_t kMaxIdLength = 100;

bool is_name_char(char c, bool allow_upper);
std::string describe_char(char c);
// A name of [a-z0-9._-] (and A-Z when `allow_upper`), 1..kMaxIdLength long.
std::string read_identifier(const JsonReader& reader, bool allow_upper);
// Component ids, references to them, and node names.
std::string read_id(const JsonReader& reader);

}  // namespace sluice
