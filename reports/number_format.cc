#include "reports/number_format.h"

#include <cmath>
#include <cstdio>

namespace sluice::reports {

std::string format_fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  char text[64];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  std::string out = text;
  if (out.find_first_not_of("-0.") == std::string::npos && out[0] == '-') out.erase(0, 1);
  return out;
}

std::string format_count(double value) {
  if (!std::isfinite(value)) return "n/a";
  std::string digits = format_fixed(std::fabs(std::round(value)), 0);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (value <= -0.5 ? "-" : "") + out;
}

std::string format_number(double value) {
  if (!std::isfinite(value)) return "n/a";
  double magnitude = std::fabs(value);
  if (magnitude >= 1000) return format_count(value);
  if (magnitude == 0) return "0";
  // Enough decimals for three significant digits, then trailing zeros dropped.
  int decimals = std::max(0, 2 - static_cast<int>(std::floor(std::log10(magnitude))));
  std::string out = format_fixed(value, decimals);
  if (out.find('.') != std::string::npos) {
    out.erase(out.find_last_not_of('0') + 1);
    if (out.back() == '.') out.pop_back();
  }
  return out;
}

std::string format_duration_ns(double ns) {
  if (!std::isfinite(ns)) return "n/a";
  double magnitude = std::fabs(ns);
  if (magnitude >= 3600e9 * 2) return format_number(ns / 3600e9) + " h";
  if (magnitude >= 60e9 * 2) return format_number(ns / 60e9) + " min";
  if (magnitude >= 1e9) return format_number(ns / 1e9) + " s";
  if (magnitude >= 1e6) return format_number(ns / 1e6) + " ms";
  if (magnitude >= 1e3) return format_number(ns / 1e3) + " \u00b5s";
  return format_number(ns) + " ns";
}

std::string format_percent(double fraction) {
  if (!std::isfinite(fraction)) return "n/a";
  return format_fixed(100.0 * fraction, 1) + "%";
}

std::string format_tick(double value, double step) {
  if (!std::isfinite(value) || !std::isfinite(step) || step <= 0) return "n/a";
  if (std::fabs(value) < step * 1e-9) return "0";
  // The suffix follows the step, so one axis reads "0, 5k, 10k", never "5000, 10k".
  static constexpr struct {
    double scale;
    const char* suffix;
  } kSuffixes[] = {{1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
  for (const auto& s : kSuffixes) {
    if (step >= s.scale) return format_tick(value / s.scale, step / s.scale) + s.suffix;
  }
  int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  // Steps like 0.25 need one more decimal than their magnitude says.
  double scaled = step * std::pow(10.0, decimals);
  if (std::fabs(scaled - std::round(scaled)) > 1e-6) ++decimals;
  return format_fixed(value, std::min(decimals, 9));
}

}  // namespace sluice::reports
