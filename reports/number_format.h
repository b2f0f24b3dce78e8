// Numbers as a person reads them: "20,000", "12.3 ms", "99.2%", tick labels.
// Deterministic (no locale), so the same run renders the same bytes.
#pragma once

#include <string>

namespace sluice::reports {

// printf-style fixed decimals, with "-0" normalised to "0".
std::string format_fixed(double value, int decimals);
// An integer count with thousands separators: 1234567 -> "1,234,567".
std::string format_count(double value);
// Three significant digits, no exponent: 0.000123 -> "0.000123", 1234 -> "1,234".
std::string format_number(double value);
// Nanoseconds with an adaptive unit: "850 ns", "12.3 µs", "4.57 ms", "201 s", "3.35 min", "27.8 h".
std::string format_duration_ns(double ns);
// A fraction as a percentage: 0.9923 -> "99.2%".
std::string format_percent(double fraction);
// A tick label for `value` on an axis whose ticks are `step` apart: as many
// decimals as the step needs, and k/M/G suffixes from 10,000 up.
std::string format_tick(double value, double step);

}  // namespace sluice::reports
