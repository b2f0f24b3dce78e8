#include "sim/scenario/units.h"

#include <limits>
#include <utility>

namespace sluice {
namespace {

struct Unit {
  std::string_view name;
  std::uint64_t scale;
};

constexpr Unit kDurationUnits[] = {
    {"h", 3'600'000'000'000}, {"m", 60'000'000'000}, {"s", 1'000'000'000},
    {"ms", 1'000'000},        {"us", 1'000},         {"ns", 1},
};
constexpr std::string_view kDurationUnitList = "ns, us, ms, s, m, h";

constexpr Unit kByteUnits[] = {
    {"B", 1},           {"KB", 1'000},       {"MB", 1'000'000},   {"GB", 1'000'000'000},
    {"KiB", 1ULL << 10}, {"MiB", 1ULL << 20}, {"GiB", 1ULL << 30},
};
constexpr std::string_view kByteUnitList = "B, KB, MB, GB, KiB, MiB, GiB";

constexpr std::uint64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

bool fail(std::string* why, std::string reason) {
  if (why != nullptr) *why = std::move(reason);
  return false;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool starts_with_word(std::string_view text, std::string_view word) {
  if (text.size() < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = text[i];
    const char lowered = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lowered != word[i]) return false;
  }
  return true;
}

// A decimal number split from its unit: "1.5ms" -> digits "15", one fraction
// digit, unit "ms". Keeping the digits as text makes the scaling exact.
struct Quantity {
  std::string digits;
  std::size_t fraction_digits = 0;
  std::string_view unit;
};

// Rejects what cannot start a quantity, with a reason aimed at the usual
// mistake behind each form. `example` is a valid value of the right kind.
bool check_start(std::string_view text, std::string_view example, std::string* why) {
  const std::string hint = std::string(", e.g. ") + std::string(example);
  if (text.empty()) return fail(why, "empty; expected a number with a unit" + hint);
  constexpr std::string_view kSpaces = " \t\n\r\f\v";
  if (text.find_first_not_of(kSpaces) == std::string_view::npos) {
    return fail(why, "blank; expected a number with a unit" + hint);
  }
  if (text.find_first_of(kSpaces) != std::string_view::npos) {
    return fail(why, "whitespace is not allowed; write the number and unit together" + hint);
  }
  if (text[0] == '-') return fail(why, "cannot be negative");
  if (text[0] == '+') return fail(why, "a leading '+' is not allowed" + hint);
  if (starts_with_word(text, "nan") || starts_with_word(text, "inf")) {
    return fail(why, "not a finite number; expected a number with a unit" + hint);
  }
  if (text[0] == '.') return fail(why, "write a digit before the decimal point, e.g. 0.5");
  if (!is_digit(text[0])) return fail(why, "expected a number followed by a unit" + hint);
  return true;
}

std::optional<Quantity> split_quantity(std::string_view text, std::string_view example,
                                       std::string* why) {
  if (!check_start(text, example, why)) return std::nullopt;
  Quantity quantity;
  std::size_t i = 0;
  while (i < text.size() && is_digit(text[i])) quantity.digits += text[i++];
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) {
      quantity.digits += text[i++];
      ++quantity.fraction_digits;
    }
    if (quantity.fraction_digits == 0) {
      fail(why, "expected digits after the decimal point");
      return std::nullopt;
    }
  }
  const bool exponent = i + 1 < text.size() && (text[i] == 'e' || text[i] == 'E') &&
                        (is_digit(text[i + 1]) || text[i + 1] == '-' || text[i + 1] == '+');
  if (exponent) {
    fail(why, "exponents (like 1e3) are not allowed; write the number out in full");
    return std::nullopt;
  }
  quantity.unit = text.substr(i);
  return quantity;
}

// Names the unit in the message only when it is short, printable ASCII, so a
// hostile value cannot smuggle control characters or megabytes into a message.
std::string unknown_unit(std::string_view unit, std::string_view valid) {
  bool printable = unit.size() <= 8;
  for (char c : unit) printable = printable && c > ' ' && c < 0x7f && c != '\'';
  const std::string named = printable ? " '" + std::string(unit) + "'" : "";
  return "unknown unit" + named + "; valid units: " + std::string(valid);
}

// digits * factor as decimal text, most significant digit first. Each step
// stays below 10 * factor, which fits in 64 bits for every unit we have.
std::string multiply(std::string_view digits, std::uint64_t factor) {
  std::string product(digits.size() + 20, '0');
  std::size_t position = product.size();
  std::uint64_t carry = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    const std::uint64_t step = static_cast<std::uint64_t>(*it - '0') * factor + carry;
    product[--position] = static_cast<char>('0' + step % 10);
    carry = step / 10;
  }
  for (; carry != 0; carry /= 10) product[--position] = static_cast<char>('0' + carry % 10);
  return product;
}

std::optional<std::uint64_t> to_int64(std::string_view digits) {
  std::uint64_t value = 0;
  for (char c : digits) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (kInt64Max - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

enum class Fraction { kRoundToNearest, kMustBeWhole };

// quantity * scale, exactly. A fraction below one base unit is rounded or
// rejected; `why` says which limit was hit.
std::optional<std::int64_t> scale(const Quantity& quantity, std::uint64_t factor,
                                  Fraction fraction, std::string_view too_large, std::string* why) {
  const std::string product = multiply(quantity.digits, factor);
  const std::size_t split = product.size() - quantity.fraction_digits;
  const std::string_view whole = std::string_view(product).substr(0, split);
  const std::string_view dropped = std::string_view(product).substr(split);
  if (fraction == Fraction::kMustBeWhole && dropped.find_first_not_of('0') != std::string_view::npos) {
    fail(why, "not a whole number of bytes");
    return std::nullopt;
  }
  std::optional<std::uint64_t> value = to_int64(whole);
  const bool round_up = fraction == Fraction::kRoundToNearest && !dropped.empty() && dropped[0] >= '5';
  if (value && round_up) value = *value < kInt64Max ? std::optional(*value + 1) : std::nullopt;
  if (!value) {
    fail(why, std::string(too_large));
    return std::nullopt;
  }
  return static_cast<std::int64_t>(*value);
}

template <std::size_t N>
const Unit* find_unit(const Unit (&units)[N], std::string_view name) {
  for (const Unit& unit : units) {
    if (unit.name == name) return &unit;
  }
  return nullptr;
}

// The largest unit that divides `magnitude` exactly; units run largest first.
template <std::size_t N>
std::string format_exact(std::int64_t value, const Unit (&units)[N]) {
  const std::uint64_t magnitude =
      value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  const std::string sign = value < 0 ? "-" : "";
  for (const Unit& unit : units) {
    if (magnitude % unit.scale == 0) {
      return sign + std::to_string(magnitude / unit.scale) + std::string(unit.name);
    }
  }
  return sign + std::to_string(magnitude);  // unreachable: the last unit is 1
}

constexpr Unit kByteFormatUnits[] = {{"GiB", 1ULL << 30}, {"MiB", 1ULL << 20}, {"KiB", 1ULL << 10}, {"B", 1}};

}  // namespace

std::optional<Nanos> parse_duration(std::string_view text, std::string* why) {
  const std::optional<Quantity> quantity = split_quantity(text, "250ms", why);
  if (!quantity) return std::nullopt;
  if (quantity->unit.empty()) {
    // Zero is the one unit-free duration: it means the same in every unit.
    if (text == "0") return 0;
    fail(why, "durations need a unit: 250ms, 2s, 1m");
    return std::nullopt;
  }
  const Unit* unit = find_unit(kDurationUnits, quantity->unit);
  if (unit == nullptr) {
    fail(why, unknown_unit(quantity->unit, kDurationUnitList));
    return std::nullopt;
  }
  return scale(*quantity, unit->scale, Fraction::kRoundToNearest,
               "too large; the longest duration is 9223372036854775807ns (about 292 years)", why);
}

std::optional<std::int64_t> parse_bytes(std::string_view text, std::string* why) {
  const std::optional<Quantity> quantity = split_quantity(text, "64MiB", why);
  if (!quantity) return std::nullopt;
  std::uint64_t factor = 1;
  if (quantity->unit.empty()) {
    if (quantity->fraction_digits != 0) {
      fail(why, "a bare number of bytes must be a whole number");
      return std::nullopt;
    }
  } else {
    const Unit* unit = find_unit(kByteUnits, quantity->unit);
    if (unit == nullptr) {
      fail(why, unknown_unit(quantity->unit, kByteUnitList));
      return std::nullopt;
    }
    factor = unit->scale;
  }
  return scale(*quantity, factor, Fraction::kMustBeWhole,
               "too large; the largest size is 9223372036854775807 bytes", why);
}

std::string format_duration(Nanos duration) {
  if (duration == 0) return "0";
  return format_exact(duration, kDurationUnits);
}

std::string format_bytes(std::int64_t bytes) {
  if (bytes == 0) return "0B";  // every unit divides zero; the smallest reads best
  return format_exact(bytes, kByteFormatUnits);
}

}  // namespace sluice
