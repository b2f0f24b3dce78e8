#include "sim/scenario/json_reader.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <system_error>

#include "sim/scenario/message_text.h"
#include "sim/scenario/suggest.h"
#include "sim/scenario/units.h"

namespace sluice {
namespace {

using nlohmann::json;

constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string format_number(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string format_integer(std::int64_t value) { return std::to_string(value); }

// "array", "string \"x\"", "number 1.5": enough to see what was written.
std::string describe(const json& value) {
  switch (value.type()) {
    case json::value_t::string:
      return "string " + in_quotes(value.get_ref<const std::string&>());
    case json::value_t::boolean:
      return value.get<bool>() ? "boolean true" : "boolean false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "number " + value.dump();
    default:
      return value.type_name();
  }
}

std::string range_message(const std::string& min, bool has_min, const std::string& max,
                          bool has_max, const std::string& got) {
  if (has_min && has_max) return "must be between " + min + " and " + max + ", got " + got;
  if (has_min) return "must be at least " + min + ", got " + got;
  return "must be at most " + max + ", got " + got;
}

}  // namespace

std::string append_pointer(std::string_view pointer, std::string_view token) {
  std::string out(pointer);
  out += '/';
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

Nanos window_end(const JsonReader& length_reader, Nanos start, Nanos length) {
  if (length > kMaxDuration - start) {
    length_reader.fail("the window from " + format_duration(start) + " lasting " + format_duration(length) +
                       " ends past " + format_duration(kMaxDuration) + ", the latest time a scenario may name");
  }
  return start + length;
}

// ---------------------------------------------------------------------------
// JsonReader

JsonReader::JsonReader(const json& value, std::string file, std::string pointer) : value_(&value) {
  auto root = std::make_shared<JsonPath>();
  root->text = std::move(file);
  root->root_pointer = std::move(pointer);
  path_ = std::move(root);
}

const std::string& JsonReader::file() const {
  const JsonPath* node = path_.get();
  while (node->parent != nullptr) node = node->parent.get();
  return node->text;
}

std::string JsonReader::pointer() const {
  // Depth is at most kMaxJsonDepth for a parsed file, so the walk is short.
  std::vector<const JsonPath*> chain;
  for (const JsonPath* node = path_.get(); node->parent != nullptr; node = node->parent.get()) chain.push_back(node);
  const JsonPath* root = chain.empty() ? path_.get() : chain.back()->parent.get();
  std::string out = root->root_pointer;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const JsonPath& node = **it;
    out = node.is_index ? out + '/' + std::to_string(node.index) : append_pointer(out, node.text);
  }
  return out;
}

JsonReader JsonReader::member(std::string_view key) const {
  auto node = std::make_shared<JsonPath>();
  node->parent = path_;
  node->text = std::string(key);
  return JsonReader(value_->find(key).value(), std::move(node));
}

JsonReader JsonReader::element(std::size_t index) const {
  auto node = std::make_shared<JsonPath>();
  node->parent = path_;
  node->index = index;
  node->is_index = true;
  return JsonReader((*value_)[index], std::move(node));
}

void JsonReader::fail(const std::string& message) const { throw ScenarioError(file(), pointer(), message); }

void JsonReader::fail_at(std::string_view key, const std::string& message) const {
  throw ScenarioError(file(), append_pointer(pointer(), key), message);
}

void JsonReader::fail_expected(std::string_view expected) const {
  fail("expected " + std::string(expected) + ", got " + describe(*value_));
}

ObjectReader JsonReader::object() const {
  if (!is_object()) fail_expected("an object");
  return ObjectReader(*this);
}

ArrayReader JsonReader::array(std::size_t min_items) const {
  if (!is_array()) fail_expected("an array");
  if (value_->size() < min_items) {
    fail("must have at least " + std::to_string(min_items) + (min_items == 1 ? " item" : " items") +
         ", got " + std::to_string(value_->size()));
  }
  return ArrayReader(*this);
}

std::string JsonReader::string() const {
  if (!is_string()) fail_expected("a string");
  return value_->get<std::string>();
}

bool JsonReader::boolean() const {
  if (!is_boolean()) fail_expected("true or false");
  return value_->get<bool>();
}

double JsonReader::number(double min, double max) const {
  if (!is_number()) fail_expected("a number");
  const double value = value_->get<double>();
  // NaN compares false with everything, so it is caught here too (it can only
  // come from a document built in code; JSON text cannot spell it).
  if (!(value >= min && value <= max)) {
    const bool has_min = min > std::numeric_limits<double>::lowest();
    const bool has_max = max < std::numeric_limits<double>::max();
    fail(range_message(format_number(min), has_min, format_number(max), has_max, format_number(value)));
  }
  return value;
}

std::int64_t JsonReader::whole_number(std::string_view expected, std::int64_t min, std::int64_t max,
                                      std::string (*show)(std::int64_t)) const {
  const json& v = *value_;
  // JSON has one number type, and JSON Schema's "integer" accepts 3.0 and 1e6;
  // so does this, as long as the value is whole.
  const double as_double = v.is_number() ? v.get<double>() : 0.0;
  const bool whole_float = v.is_number_float() && std::isfinite(as_double) && std::floor(as_double) == as_double;
  if (!v.is_number_integer() && !whole_float) fail_expected(expected);
  std::optional<std::int64_t> exact;
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(kInt64Max)) exact = static_cast<std::int64_t>(u);
  } else if (v.is_number_integer()) {
    exact = v.get<std::int64_t>();
  } else if (as_double >= -9223372036854775808.0 && as_double < 9223372036854775808.0) {
    exact = static_cast<std::int64_t>(as_double);
  }
  if (!exact || *exact < min || *exact > max) {
    const std::string got = exact ? show(*exact) : v.dump();
    fail(range_message(show(min), min != kInt64Min, show(max), max != kInt64Max, got));
  }
  return *exact;
}

std::int64_t JsonReader::integer(std::int64_t min, std::int64_t max) const {
  return whole_number("an integer", min, max, &format_integer);
}

Nanos JsonReader::duration(Nanos min, Nanos max) const {
  if (is_number()) fail("durations are strings with a unit, e.g. \"250ms\"");
  if (!is_string()) fail_expected("a duration such as \"250ms\"");
  const std::string& text = value_->get_ref<const std::string&>();
  std::string why;
  const std::optional<Nanos> parsed = parse_duration(text, &why);
  if (!parsed) fail("invalid duration " + in_quotes(text) + ": " + why);
  if (*parsed < min || *parsed > max) {
    // The default upper bound is named only to a value that passes it.
    const bool has_max = max != kNever && (max != kMaxDuration || *parsed > max);
    fail(range_message(format_duration(min), min > 0, format_duration(max), has_max, format_duration(*parsed)));
  }
  return *parsed;
}

std::int64_t JsonReader::bytes(std::int64_t min, std::int64_t max) const {
  if (!is_string()) {
    return whole_number("a size such as \"64MiB\" or a whole number of bytes", min, max, &format_bytes);
  }
  const std::string& text = value_->get_ref<const std::string&>();
  std::string why;
  const std::optional<std::int64_t> parsed = parse_bytes(text, &why);
  if (!parsed) fail("invalid size " + in_quotes(text) + ": " + why);
  if (*parsed < min || *parsed > max) {
    fail(range_message(format_bytes(min), min != kInt64Min, format_bytes(max), max != kInt64Max,
                       format_bytes(*parsed)));
  }
  return *parsed;
}

double JsonReader::probability() const { return number(0.0, 1.0); }

std::size_t JsonReader::choose(const std::vector<std::string_view>& names) const {
  const std::vector<std::string> spellings(names.begin(), names.end());
  if (!is_string()) fail_expected("one of: " + join(spellings));
  const std::string& text = value_->get_ref<const std::string&>();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == text) return i;
  }
  std::string message = "must be one of: " + join(spellings) + "; got " + in_quotes(text);
  if (const std::optional<std::string> near = nearest_name(text, spellings)) {
    message += " (did you mean " + in_quotes(*near) + "?)";
  }
  fail(message);
}

// ---------------------------------------------------------------------------
// ObjectReader

void ObjectReader::declare(std::string_view key) const {
  if (std::find(declared_.begin(), declared_.end(), key) == declared_.end()) {
    declared_.emplace_back(key);
  }
}

bool ObjectReader::has(std::string_view key) const {
  declare(key);
  return object_.value().contains(key);
}

std::optional<JsonReader> ObjectReader::maybe(std::string_view key) const {
  declare(key);
  if (!object_.value().contains(key)) return std::nullopt;
  return object_.member(key);
}

JsonReader ObjectReader::at(std::string_view key) const {
  std::optional<JsonReader> member = maybe(key);
  if (!member) object_.fail("missing required field " + in_quotes(key, '\''));
  return *std::move(member);
}

void ObjectReader::allow(std::initializer_list<std::string_view> keys) const {
  for (std::string_view key : keys) declare(key);
}

void ObjectReader::finish() const {
  for (const auto& member : object_.value().items()) {
    const std::string& key = member.key();
    if (std::find(declared_.begin(), declared_.end(), key) != declared_.end()) continue;
    std::string message = "unknown field " + in_quotes(key, '\'');
    if (const std::optional<std::string> near = nearest_name(key, declared_)) {
      message += " (did you mean " + in_quotes(*near, '\'') + "?)";
    } else if (declared_.empty()) {
      message += "; this object takes no fields";
    } else {
      std::vector<std::string> valid = declared_;
      std::sort(valid.begin(), valid.end());
      message += "; valid fields: " + join(valid);
    }
    object_.fail_at(key, message);
  }
}

std::int64_t ObjectReader::integer_or(std::string_view key, std::int64_t fallback, std::int64_t min,
                                      std::int64_t max) const {
  const std::optional<JsonReader> member = maybe(key);
  return member ? member->integer(min, max) : fallback;
}

double ObjectReader::number_or(std::string_view key, double fallback, double min, double max) const {
  const std::optional<JsonReader> member = maybe(key);
  return member ? member->number(min, max) : fallback;
}

Nanos ObjectReader::duration_or(std::string_view key, Nanos fallback, Nanos min, Nanos max) const {
  const std::optional<JsonReader> member = maybe(key);
  return member ? member->duration(min, max) : fallback;
}

std::int64_t ObjectReader::bytes_or(std::string_view key, std::int64_t fallback, std::int64_t min,
                                    std::int64_t max) const {
  const std::optional<JsonReader> member = maybe(key);
  return member ? member->bytes(min, max) : fallback;
}

std::string ObjectReader::string_or(std::string_view key, std::string fallback) const {
  const std::optional<JsonReader> member = maybe(key);
  return member ? member->string() : fallback;
}

bool ObjectReader::boolean_or(std::string_view key, bool fallback) const {
  const std::optional<JsonReader> member = maybe(key);
  return member ? member->boolean() : fallback;
}

// ---------------------------------------------------------------------------
// Parsing

namespace {

// "line 3, column 14" for a byte offset. Columns count characters, not bytes,
// so they match what an editor shows on lines with non-ASCII text.
std::string location(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// nlohmann's what() is "[json.exception.parse_error.101] parse error at line
// 1, column 5: syntax error ..."; we compute our own location, so keep only
// the description after the prefixes.
std::string plain_message(std::string_view what) {
  if (const std::size_t bracket = what.find("] "); bracket != std::string_view::npos) {
    what.remove_prefix(bracket + 2);
  }
  if (what.substr(0, 11) == "parse error") {
    if (const std::size_t colon = what.find(": "); colon != std::string_view::npos) {
      what.remove_prefix(colon + 2);
    }
  }
  return escape_text(what, 0, 200);
}

// Where the first container nested deeper than kMaxJsonDepth opens. Only used
// after the parser stopped there, so the text before it is valid JSON and a
// string-aware bracket count is exact.
std::size_t find_too_deep(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return text.size();
}

// Builds the document from nlohmann's SAX events with two checks its DOM
// parser lacks: a nesting limit, so nothing recursive ever meets a deep tree,
// and duplicate keys, which nlohmann would silently resolve to the last one.
// (Its callback parser could check both, but it rescans the parent container
// after every nested object, which is quadratic on a long array of objects.)
// Returning false from an event stops the parse; error() then says why.
class StrictBuilder {
 public:
  StrictBuilder(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  bool null() { return put(nullptr); }
  bool boolean(bool value) { return put(value); }
  bool number_integer(json::number_integer_t value) { return put(value); }
  bool number_unsigned(json::number_unsigned_t value) { return put(value); }
  bool number_float(json::number_float_t value, const json::string_t& /*text*/) { return put(value); }
  bool string(json::string_t& value) { return put(value); }
  bool binary(json::binary_t& /*value*/) { return stop("binary values cannot occur in JSON text"); }
  bool start_object(std::size_t /*size*/) { return open(json::object()); }
  bool start_array(std::size_t /*size*/) { return open(json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(json::string_t& name) {
    Frame& top = frames_.back();
    if (top.container->contains(name)) {
      error_.emplace(file_, pointer_to(name), "duplicate field " + in_quotes(name, '\''));
      return false;
    }
    top.key = name;
    return true;
  }

  bool parse_error(std::size_t position, const std::string& /*token*/, const json::exception& error) {
    // nlohmann reports how many bytes it had read; the culprit is the last one.
    const std::size_t offset = position > 0 ? position - 1 : 0;
    return stop("invalid JSON at " + location(text_, offset) + ": " + plain_message(error.what()));
  }

  json take() { return std::move(root_); }
  ScenarioError error() const {
    return error_ ? *error_ : ScenarioError(file_, "", "invalid JSON");
  }

 private:
  // The container being filled, and for an object the key of the member
  // being read. Pointers stay valid: a container only grows while it is on
  // top of the stack, and nothing below the top moves.
  struct Frame {
    json* container;
    std::string key;
  };

  json* place(json value) {
    if (frames_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    json& parent = *frames_.back().container;
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    json& slot = parent[frames_.back().key];
    slot = std::move(value);
    return &slot;
  }

  bool put(json value) {
    if (!count_value()) return false;
    place(std::move(value));
    return true;
  }

  // Each value costs tens of bytes in the document however short its text,
  // so the count, not the file size, is what bounds the memory.
  bool count_value() {
    if (++values_ <= kMaxJsonValues) return true;
    error_.emplace(file_, container_pointer(),
                   "the file holds more than " + std::to_string(kMaxJsonValues) +
                       " JSON values (numbers, strings, arrays, objects); a scenario needs far fewer");
    return false;
  }

  bool open(json container) {
    if (!count_value()) return false;
    if (frames_.size() >= kMaxJsonDepth) {
      return stop("nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels at " +
                  location(text_, find_too_deep(text_)));
    }
    frames_.push_back(Frame{place(std::move(container)), {}});
    return true;
  }

  bool close() {
    frames_.pop_back();
    return true;
  }

  bool stop(const std::string& message) {
    error_.emplace(file_, "", message);
    return false;
  }

  // The pointer of member `last` of the innermost open object.
  std::string pointer_to(std::string_view last) const { return append_pointer(container_pointer(), last); }

  // The pointer of the innermost open container.
  std::string container_pointer() const {
    std::string pointer;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
      const Frame& frame = frames_[i];
      const bool array = frame.container->is_array();
      pointer = append_pointer(pointer, array ? std::to_string(frame.container->size() - 1) : frame.key);
    }
    return pointer;
  }

  std::string_view text_;
  const std::string& file_;
  json root_;
  std::vector<Frame> frames_;
  std::size_t values_ = 0;
  std::optional<ScenarioError> error_;
};

// Reads at most one buffer past the size limit, so /dev/zero or an endless
// pipe is rejected instead of read forever.
std::string read_file_bounded(const std::string& path) {
  struct Closer {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    throw ScenarioError(path, "", "cannot open the file: " + std::generic_category().message(errno));
  }
  std::string text;
  char buffer[64 * 1024];
  while (text.size() <= kMaxScenarioFileBytes) {
    const std::size_t count = std::fread(buffer, 1, sizeof buffer, file.get());
    text.append(buffer, count);
    if (count < sizeof buffer) break;
  }
  if (std::ferror(file.get())) {
    throw ScenarioError(path, "", "cannot read the file: " + std::generic_category().message(errno));
  }
  return text;
}

}  // namespace

json parse_json_text(std::string_view text, const std::string& file_label) {
  if (text.size() > kMaxScenarioFileBytes) {
    throw ScenarioError(file_label, "", "the file is larger than the 16 MiB limit for scenario files");
  }
  if (text.empty()) throw ScenarioError(file_label, "", "the file is empty");
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw ScenarioError(file_label, "", "the file contains only whitespace");
  }
  StrictBuilder builder(text, file_label);
  if (!json::sax_parse(text.data(), text.data() + text.size(), &builder)) throw builder.error();
  json document = builder.take();
  if (!document.is_object()) {
    throw ScenarioError(file_label, "", "expected the top-level value to be an object, got " + describe(document));
  }
  return document;
}

json parse_json_file(const std::string& path) { return parse_json_text(read_file_bounded(path), path); }

}  // namespace sluice
