#include "visualizer/time_view.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace sluice::viz {

void TimeView::set_extent(Nanos extent) {
  const bool was_fitted = fitted();
  extent_ = std::max(extent, kMinSpan);
  if (was_fitted) {
    fit();
  } else {
    show(begin_, end_);
  }
}

void TimeView::show(Nanos begin, Nanos end) {
  if (end < begin) std::swap(begin, end);
  Nanos span = std::clamp(end - begin, kMinSpan, extent_);
  begin = std::clamp(begin, Nanos{0}, extent_ - span);
  begin_ = begin;
  end_ = begin + span;
}

void TimeView::zoom(double factor, Nanos anchor) {
  anchor = std::clamp(anchor, begin_, end_);
  const double old_span = static_cast<double>(end_ - begin_);
  const double new_span = std::clamp(old_span * factor, static_cast<double>(kMinSpan), static_cast<double>(extent_));
  const double left_share = old_span > 0 ? static_cast<double>(anchor - begin_) / old_span : 0.5;
  const auto begin = static_cast<Nanos>(static_cast<double>(anchor) - left_share * new_span);
  show(begin, begin + static_cast<Nanos>(new_span));
}

void TimeView::pan(Nanos delta) {
  const Nanos span = end_ - begin_;
  show(begin_ + delta, begin_ + delta + span);
}

void TimeView::reveal(Nanos t) {
  const Nanos span = end_ - begin_;
  const Nanos margin = span / 20;
  if (t < begin_ + margin) {
    pan(t - margin - begin_);
  } else if (t > end_ - margin) {
    pan(t + margin - end_);
  }
}

double TimeView::to_x(Nanos t, double x0, double width) const {
  return x0 + static_cast<double>(t - begin_) / static_cast<double>(end_ - begin_) * width;
}

Nanos TimeView::to_time(double x, double x0, double width) const {
  if (width <= 0) return begin_;
  const double share = (x - x0) / width;
  return begin_ + static_cast<Nanos>(std::llround(share * static_cast<double>(end_ - begin_)));
}

Ticks time_ticks(Nanos begin, Nanos end, int max_ticks) {
  static const std::array<Nanos, 10> kLongSteps = {
      15 * kNanosPerSecond, 30 * kNanosPerSecond, 60 * kNanosPerSecond, 300 * kNanosPerSecond,
      900 * kNanosPerSecond, 1800 * kNanosPerSecond, 3600 * kNanosPerSecond, 3 * 3600 * kNanosPerSecond,
      6 * 3600 * kNanosPerSecond, 86400 * kNanosPerSecond};
  Ticks ticks;
  if (end <= begin || max_ticks < 1) return ticks;
  const Nanos span = end - begin;
  Nanos step = 0;
  for (Nanos decade = 1; decade <= kNanosPerSecond && step == 0; decade *= 10) {
    for (Nanos m : {Nanos{1}, Nanos{2}, Nanos{5}}) {
      if (span / (m * decade) <= max_ticks) {
        step = m * decade;
        break;
      }
    }
  }
  for (std::size_t i = 0; i < kLongSteps.size() && step == 0; ++i) {
    if (span / kLongSteps[i] <= max_ticks) step = kLongSteps[i];
  }
  if (step == 0) {
    // Beyond days: whole multiples of a day, as few as needed.
    const Nanos day = 86400 * kNanosPerSecond;
    step = day * (span / day / max_ticks + 1);
  }
  ticks.step = step;
  for (Nanos t = (begin + step - 1) / step * step; t <= end; t += step) ticks.at.push_back(t);
  return ticks;
}

namespace {

int decimals_for(Nanos resolution) {
  int decimals = 0;
  for (Nanos r = kNanosPerSecond; r > std::max<Nanos>(resolution, 1) && decimals < 9; r /= 10) ++decimals;
  return decimals;
}

// Seconds with the given decimals, zero-padded to two integer digits if `pad`.
std::string seconds_text(Nanos ns_in_minute, int decimals, bool pad) {
  const double s = static_cast<double>(ns_in_minute) / kNanosPerSecond;
  char text[48];
  const int width = pad ? (decimals > 0 ? 3 + decimals : 2) : 0;
  std::snprintf(text, sizeof(text), "%0*.*f", width, decimals, s);
  return text;
}

}  // namespace

std::string format_time(Nanos t, Nanos resolution) {
  if (t < 0) return "-" + format_time(-t, resolution);
  const int decimals = decimals_for(resolution);
  char text[96];
  if (t < kNanosPerSecond && resolution < kNanosPerSecond / 10) {
    // Sub-second: milliseconds read better than "0.0042s".
    const int ms_decimals = std::max(0, decimals - 3);
    std::snprintf(text, sizeof(text), "%.*fms", ms_decimals, static_cast<double>(t) / kNanosPerMilli);
    return text;
  }
  const Nanos minute = 60 * kNanosPerSecond, hour = 60 * minute, day = 24 * hour;
  // Round to the shown precision first, so 59.99s at 1 decimal does not print "60.0s".
  Nanos unit = 1;
  for (int i = 0; i < 9 - decimals; ++i) unit *= 10;
  t = (t + unit / 2) / unit * unit;
  if (t < minute) return seconds_text(t, decimals, false) + "s";
  const Nanos days = t / day, hours = t % day / hour, minutes = t % hour / minute, rest = t % minute;
  // Coarse resolutions drop the units they make meaningless: ticks a day
  // apart read "3d", not "3d 00h 00m 00s".
  if (resolution >= day) return std::to_string(days) + "d";
  if (resolution >= hour) {
    if (days > 0) {
      std::snprintf(text, sizeof(text), "%lldd %02lldh", static_cast<long long>(days), static_cast<long long>(hours));
    } else {
      std::snprintf(text, sizeof(text), "%lldh", static_cast<long long>(hours));
    }
    return text;
  }
  if (resolution >= minute) {
    if (days > 0) {
      std::snprintf(text, sizeof(text), "%lldd %02lldh %02lldm", static_cast<long long>(days), static_cast<long long>(hours),
                    static_cast<long long>(minutes));
    } else if (hours > 0) {
      std::snprintf(text, sizeof(text), "%lldh %02lldm", static_cast<long long>(hours), static_cast<long long>(minutes));
    } else {
      std::snprintf(text, sizeof(text), "%lldm", static_cast<long long>(minutes));
    }
    return text;
  }
  std::string out;
  if (days > 0) out += std::to_string(days) + "d ";
  if (days > 0 || hours > 0) {
    std::snprintf(text, sizeof(text), days > 0 ? "%02lldh " : "%lldh ", static_cast<long long>(hours));
    out += text;
  }
  std::snprintf(text, sizeof(text), (days > 0 || hours > 0) ? "%02lldm " : "%lldm ", static_cast<long long>(minutes));
  out += text;
  out += seconds_text(rest, decimals, true) + "s";
  return out;
}

std::string format_span(Nanos span) {
  char text[48];
  if (span < kNanosPerMicro) return std::to_string(span) + "ns";
  if (span < kNanosPerMilli) {
    std::snprintf(text, sizeof(text), "%.3gus", static_cast<double>(span) / kNanosPerMicro);
    return text;
  }
  if (span < kNanosPerSecond) {
    std::snprintf(text, sizeof(text), "%.3gms", static_cast<double>(span) / kNanosPerMilli);
    return text;
  }
  if (span < 60 * kNanosPerSecond) {
    std::snprintf(text, sizeof(text), "%.3gs", static_cast<double>(span) / kNanosPerSecond);
    return text;
  }
  return format_time(span, kNanosPerSecond);
}

std::string format_rate(double per_second) {
  char text[48];
  if (per_second <= 0) return "0/s";
  if (per_second >= 1e6) {
    std::snprintf(text, sizeof(text), "%.3gM/s", per_second / 1e6);
  } else if (per_second >= 1e4) {
    std::snprintf(text, sizeof(text), "%.3gk/s", per_second / 1e3);
  } else if (per_second >= 100) {
    std::snprintf(text, sizeof(text), "%.0f/s", per_second);
  } else {
    std::snprintf(text, sizeof(text), "%.3g/s", per_second);
  }
  return text;
}

std::string format_count(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace sluice::viz
