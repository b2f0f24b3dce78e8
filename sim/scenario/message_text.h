// Putting text from a scenario file into an error message. Input may hold
// anything (control bytes, broken UTF-8, megabytes in one key); a message must
// stay one short line of valid UTF-8, so that it prints cleanly on a terminal
// and can be embedded in JSON and XML reports.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice {

// Escapes control characters (as \u00XX) and invalid UTF-8 bytes (as \xXX)
// and, when `quote` is not 0, the quote character and backslashes; cuts the
// text after about `max_bytes` bytes of input with "...". Output is printable
// ASCII or valid UTF-8, and escaping it again (with quote 0) changes nothing.
std::string escape_text(std::string_view text, char quote, std::size_t max_bytes);

// `text` escaped and cut to 60 bytes, in the quotes given: field names are
// shown in single quotes, JSON string values in double quotes.
std::string in_quotes(std::string_view text, char quote = '"');

// Like escape_text with quote 0, but a cut keeps the end of the text: the
// tail of a long file path names the file, its head only the folders.
std::string escape_tail(std::string_view text, std::size_t max_bytes);

}  // namespace sluice
