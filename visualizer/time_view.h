// The visible window of virtual time on a horizontal axis: zoom, pan, the
// mapping between pixels and nanoseconds, "nice" tick positions and the way
// times are written on screen. No ImGui here, so it is unit-tested.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace sluice::viz {

class TimeView {
 public:
  // The narrowest window the view zooms to: below this a bucketed series has
  // nothing left to show.
  static constexpr Nanos kMinSpan = 1'000;

  // The data covers [0, extent]. A view that showed everything keeps showing
  // everything as the extent grows (a live run); a zoomed view stays put.
  void set_extent(Nanos extent);
  Nanos extent() const { return extent_; }

  Nanos begin() const { return begin_; }
  Nanos end() const { return end_; }
  Nanos span() const { return end_ - begin_; }
  bool fitted() const { return begin_ == 0 && end_ == extent_; }

  void fit() { show(0, extent_); }
  // Shows [begin, end], clamped into [0, extent] with at least kMinSpan.
  void show(Nanos begin, Nanos end);
  // factor < 1 zooms in, > 1 out; `anchor` stays at the same pixel.
  void zoom(double factor, Nanos anchor);
  void pan(Nanos delta);
  // Pans just enough that `t` is visible, keeping a margin of 5% of the span.
  void reveal(Nanos t);

  // Pixel <-> time over a plot starting at x0 that is `width` pixels wide.
  double to_x(Nanos t, double x0, double width) const;
  Nanos to_time(double x, double x0, double width) const;

 private:
  Nanos extent_ = kMinSpan;
  Nanos begin_ = 0;
  Nanos end_ = kMinSpan;
};

// Tick positions for [begin, end] at a round step (1/2/5 x 10^k ns up to
// seconds, then 15s, 30s, 1m, 5m, ... 1d) with at most `max_ticks` ticks.
struct Ticks {
  Nanos step = 0;
  std::vector<Nanos> at;
};
Ticks time_ticks(Nanos begin, Nanos end, int max_ticks);

// A virtual time for people: "840ms", "12.345s", "4m 05.3s", "3h 04m 05s",
// "11d 14h 03m 20s". `resolution` is the smallest difference worth showing
// (e.g. a tick step or the width of one pixel) and sets the decimals.
std::string format_time(Nanos t, Nanos resolution);
// A duration with its natural unit: "250us", "1.5s", "2m 30s".
std::string format_span(Nanos span);
// Events per second: "0", "0.31/s", "83.9/s", "12.3k/s".
std::string format_rate(double per_second);
// 11000002 -> "11,000,002".
std::string format_count(std::uint64_t n);

}  // namespace sluice::viz
