// Virtual time: an integer count of nanoseconds since the start of a simulation.
// Nothing in core/ or sim/ reads a wall clock; `Nanos` is the only notion of time.
#pragma once

#include <cstdint>
#include <limits>

namespace sluice {

using Nanos = std::int64_t;

inline constexpr Nanos kNanosPerMicro = 1'000;
inline constexpr Nanos kNanosPerMilli = 1'000'000;
inline constexpr Nanos kNanosPerSecond = 1'000'000'000;
inline constexpr Nanos kNever = std::numeric_limits<Nanos>::max();

// The longest duration a scenario may name, and the clamp for sampled delays:
// 10^18 ns, about 31.7 years. A time plus such a duration cannot overflow
// until virtual time itself passes 8 * 10^18 ns.
inline constexpr Nanos kMaxDuration = 1'000'000'000'000'000'000;

// A sampled duration in nanoseconds as Nanos, clamped to +-kMaxDuration (a
// heavy-tailed sample or a slowdown factor can leave the range of Nanos, and
// converting such a double is undefined behaviour); NaN becomes 0.
constexpr Nanos nanos_from_double(double ns) {
  if (ns != ns) return 0;
  if (ns >= static_cast<double>(kMaxDuration)) return kMaxDuration;
  if (ns <= -static_cast<double>(kMaxDuration)) return -kMaxDuration;
  return static_cast<Nanos>(ns);
}

// `at` + `delay` for a delay >= 0, or kNever when the sum would pass it.
constexpr Nanos saturating_add(Nanos at, Nanos delay) { return delay >= kNever - at ? kNever : at + delay; }

constexpr double to_seconds(Nanos t) { return static_cast<double>(t) / kNanosPerSecond; }
constexpr Nanos from_seconds(double s) { return static_cast<Nanos>(s * kNanosPerSecond); }

}  // namespace sluice
