// Reading probability distributions from scenario files. Two flavours share
// one table of kinds and parameter names (distribution_reader.cc):
//
// TIME_DIST, for inter-arrival and service times, latencies and the like:
// an object whose time parameters are durations and whose rates are numbers
// per second; samples are nanoseconds.
//   {"dist": "constant", "value": "5ms"}       {"dist": "constant", "rate": 100}
//   {"dist": "exponential", "rate": 1.25}      {"dist": "exponential", "mean": "800ms"}
//   {"dist": "uniform", "min": "1ms", "max": "3ms"}
//   {"dist": "normal", "mean": "10ms", "stddev": "2ms"}
//   {"dist": "lognormal", "mean": "12ms", "sigma": 0.6}
//   {"dist": "pareto", "scale": "1ms", "shape": 2.5}
// ("rate" and "mean" are two spellings of one parameter: exactly one is given.)
//
// NUMBER_DIST, for sizes, priorities and other plain quantities: a bare number
// (a constant) or an object with plain numbers as parameters, of any kind:
//   constant {value}, uniform {min, max}, uniform_int {min, max},
//   exponential {rate}, normal {mean, stddev}, lognormal {mean, sigma},
//   pareto {scale, shape}, zipf {n, s}, bernoulli {p}.
//
// Every parameter of the kind is required and nothing else is allowed. Any
// problem, including a parameter Distribution's constructors reject, throws
// ScenarioError at the pointer of the offending value.
#pragma once

#include "core/random/distribution.h"
#include "sim/scenario/json_reader.h"

namespace sluice {

Distribution read_time_distribution(const JsonReader& reader);
Distribution read_number_distribution(const JsonReader& reader);

}  // namespace sluice
