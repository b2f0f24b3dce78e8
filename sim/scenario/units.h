// Durations and sizes as scenario files write them: "250ms", "1.5s", "64MiB".
// Parsing is exact (integer arithmetic on the decimal digits, no doubles), so
// "1h" is exactly 3600 * 10^9 ns and a value survives format -> parse unchanged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace sluice {

// Accepts "0" or a non-negative decimal number immediately followed by one of
// the units ns, us, ms, s, m, h ("250us", "1.5s", "0.25ms"). Fractions are
// rounded to the nearest nanosecond (halves round up). On failure returns
// nullopt and, if `why` is not null, stores a one-line reason in it.
std::optional<Nanos> parse_duration(std::string_view text, std::string* why);

// Accepts a bare whole number of bytes ("100") or a number followed by one of
// B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024). A fraction
// is allowed with a unit when the result is a whole number of bytes ("1.5KiB").
std::optional<std::int64_t> parse_bytes(std::string_view text, std::string* why);

// The shortest exact spelling in the largest unit that divides the value:
// 250000 -> "250us", 1500000000 -> "1500ms", 0 -> "0". parse_duration reads it back.
std::string format_duration(Nanos duration);

// The largest binary unit that divides the value: "64MiB", "1000B", "0B".
std::string format_bytes(std::int64_t bytes);

}  // namespace sluice
