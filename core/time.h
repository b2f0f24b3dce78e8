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

constexpr double to_seconds(Nanos t) { return static_cast<double>(t) / kNanosPerSecond; }
constexpr Nanos from_seconds(double s) { return static_cast<Nanos>(s * kNanosPerSecond); }

}  // namespace sluice
