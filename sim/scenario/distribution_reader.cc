#include "sim/scenario/distribution_reader.h"

#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sluice {
namespace {

constexpr double kLowest = std::numeric_limits<double>::lowest();
constexpr double kHighest = std::numeric_limits<double>::max();
constexpr double kNanosPerSecondF = 1e9;

// How a parameter is written in a time distribution: `time` parameters are
// durations, `rate` parameters numbers per second (both become nanosecond
// units), `plain` ones dimensionless numbers. In a number distribution every
// parameter is plain.
enum class Scale { plain, time, rate };

struct Param {
  std::string_view name;  // empty: the kind has no such parameter
  Scale scale = Scale::plain;
};

using Factory = Distribution (*)(double a, double b);

struct KindSpec {
  DistKind kind;
  Param a;
  Param b;
  // Time distributions only: a second spelling of `a` as its reciprocal,
  // because "rate 100/s" and "every 10ms" are both natural to write.
  Param a_reciprocal;
  Factory make;
};

// The parameter names match Distribution's, so its error messages
// ("<kind> <param> must ...") name the field the user wrote.
constexpr KindSpec kKinds[] = {
    {DistKind::constant, {"value", Scale::time}, {}, {"rate", Scale::rate},
     [](double a, double) { return Distribution::constant(a); }},
    {DistKind::uniform, {"min", Scale::time}, {"max", Scale::time}, {},
     [](double a, double b) { return Distribution::uniform(a, b); }},
    {DistKind::uniform_int, {"min"}, {"max"}, {},
     [](double a, double b) { return Distribution::uniform_int(a, b); }},
    {DistKind::exponential, {"rate", Scale::rate}, {}, {"mean", Scale::time},
     [](double a, double) { return Distribution::exponential(a); }},
    {DistKind::normal, {"mean", Scale::time}, {"stddev", Scale::time}, {},
     [](double a, double b) { return Distribution::normal(a, b); }},
    {DistKind::lognormal, {"mean", Scale::time}, {"sigma"}, {},
     [](double a, double b) { return Distribution::lognormal(a, b); }},
    {DistKind::pareto, {"scale", Scale::time}, {"shape"}, {},
     [](double a, double b) { return Distribution::pareto(a, b); }},
    {DistKind::zipf, {"n"}, {"s"}, {}, [](double a, double b) { return Distribution::zipf(a, b); }},
    {DistKind::bernoulli, {"p"}, {}, {}, [](double a, double) { return Distribution::bernoulli(a); }},
};

const KindSpec& spec_of(DistKind kind) {
  for (const KindSpec& spec : kKinds) {
    if (spec.kind == kind) return spec;
  }
  throw std::logic_error("distribution kind missing from kKinds");
}

// A parameter value as read and the place it was read from, so that a
// rejected value can be pointed at.
struct Value {
  double number;
  JsonReader where;
};

void declare(const ObjectReader& object, const Param& param) {
  if (!param.name.empty()) object.allow({param.name});
}

double read_positive(const JsonReader& reader) {
  const double value = reader.number(kLowest, kHighest);
  if (!(value > 0)) reader.fail("must be greater than 0, got " + reader.value().dump());
  return value;
}

// A duration in ns, a rate per ns, or a plain number.
double read_param(const JsonReader& reader, Scale scale) {
  switch (scale) {
    case Scale::time:
      return static_cast<double>(reader.duration());
    case Scale::rate:
      return read_positive(reader) / kNanosPerSecondF;
    case Scale::plain:
      break;
  }
  return reader.number(kLowest, kHighest);
}

Scale scale_in(const Param& param, bool time) { return time ? param.scale : Scale::plain; }

DistKind read_kind_name(const JsonReader& dist, bool time) {
  using K = DistKind;
  if (time) {
    return dist.enumeration<K>({{"constant", K::constant},
                                {"uniform", K::uniform},
                                {"exponential", K::exponential},
                                {"normal", K::normal},
                                {"lognormal", K::lognormal},
                                {"pareto", K::pareto}});
  }
  return dist.enumeration<K>({{"constant", K::constant},
                              {"uniform", K::uniform},
                              {"uniform_int", K::uniform_int},
                              {"exponential", K::exponential},
                              {"normal", K::normal},
                              {"lognormal", K::lognormal},
                              {"pareto", K::pareto},
                              {"zipf", K::zipf},
                              {"bernoulli", K::bernoulli}});
}

// Without "dist" the kind is unknown, so every parameter name of every kind
// is acceptable; that way a misspelled "dist" is reported as the typo it is,
// and anything else as the missing "dist".
const KindSpec& read_kind(const ObjectReader& object, bool time) {
  if (!object.has("dist")) {
    for (const KindSpec& spec : kKinds) {
      declare(object, spec.a);
      declare(object, spec.b);
      declare(object, spec.a_reciprocal);
    }
    object.finish();
  }
  return spec_of(read_kind_name(object.at("dist"), time));
}

// The first parameter, given directly or (time distributions only) as its
// reciprocal; exactly one of the two spellings must be present.
Value read_first(const ObjectReader& object, const KindSpec& spec, bool time) {
  const Param& inverse_param = spec.a_reciprocal;
  if (!time || inverse_param.name.empty()) {
    const JsonReader direct = object.at(spec.a.name);
    return {read_param(direct, scale_in(spec.a, time)), direct};
  }
  const std::optional<JsonReader> direct = object.maybe(spec.a.name);
  const std::optional<JsonReader> inverse = object.maybe(inverse_param.name);
  const std::string either =
      "'" + std::string(spec.a.name) + "' or '" + std::string(inverse_param.name) + "'";
  if (direct && inverse) inverse->fail("give either " + either + ", not both");
  if (direct) return {read_param(*direct, spec.a.scale), *direct};
  if (!inverse) object.reader().fail("missing required field " + either);
  const double x = read_param(*inverse, inverse_param.scale);
  if (!(x > 0)) inverse->fail("must be greater than 0");
  const double a = 1 / x;
  if (!std::isfinite(a)) inverse->fail("is too small: its reciprocal is out of range");
  return {a, *inverse};
}

std::optional<Value> read_second(const ObjectReader& object, const KindSpec& spec, bool time) {
  if (spec.b.name.empty()) return std::nullopt;
  const JsonReader reader = object.at(spec.b.name);
  return Value{read_param(reader, scale_in(spec.b, time)), reader};
}

// Checked here rather than left to Distribution so the message shows the
// values as written ("3ms"), not converted to nanoseconds.
void check_ordered(const KindSpec& spec, const Value& a, const std::optional<Value>& b) {
  const bool ranged = spec.kind == DistKind::uniform || spec.kind == DistKind::uniform_int;
  if (ranged && b && !(a.number <= b->number)) {
    b->where.fail("must not be less than 'min' (" + a.where.value().dump() + ")");
  }
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Distribution's messages start with "<kind> <param> must ..."; the error is
// reported at that parameter, or at the whole object when it names neither.
Distribution construct(const KindSpec& spec, const Value& a, const std::optional<Value>& b,
                       const JsonReader& object) {
  try {
    return spec.make(a.number, b ? b->number : 0.0);
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    const std::string kind(dist_kind_name(spec.kind));
    if (b && starts_with(message, kind + " " + std::string(spec.b.name) + " ")) b->where.fail(message);
    if (starts_with(message, kind + " " + std::string(spec.a.name) + " ")) a.where.fail(message);
    object.fail(message);
  }
}

Distribution read_distribution_object(const JsonReader& reader, bool time) {
  const ObjectReader object = reader.object();
  const KindSpec& spec = read_kind(object, time);
  object.allow({"dist"});
  declare(object, spec.a);
  declare(object, spec.b);
  if (time) declare(object, spec.a_reciprocal);
  object.finish();
  const Value a = read_first(object, spec, time);
  const std::optional<Value> b = read_second(object, spec, time);
  check_ordered(spec, a, b);
  return construct(spec, a, b, reader);
}

}  // namespace

Distribution read_time_distribution(const JsonReader& reader) {
  if (reader.is_string() || reader.is_number()) {
    reader.fail("expected a distribution object, e.g. {\"dist\": \"constant\", \"value\": \"5ms\"}");
  }
  return read_distribution_object(reader, true);
}

Distribution read_number_distribution(const JsonReader& reader) {
  if (reader.is_number()) return Distribution::constant(reader.number(kLowest, kHighest));
  if (!reader.is_object()) {
    reader.fail("expected a number or a distribution object such as {\"dist\": \"uniform\", \"min\": 1, "
                "\"max\": 5}, got " + std::string(reader.value().type_name()));
  }
  return read_distribution_object(reader, false);
}

}  // namespace sluice
