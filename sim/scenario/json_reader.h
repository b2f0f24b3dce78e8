// The strict reading layer under the scenario loader. Every read names what it
// expects, and anything else (a wrong type, a value out of range, a field
// nobody declared) becomes a ScenarioError naming the file, the JSON Pointer
// and the problem. A typo must never silently mean "use the default".
//
// Typical use:
//   nlohmann::json doc = parse_json_file(path);
//   ObjectReader root = JsonReader(doc, path).object();
//   for (const JsonReader& stage : root.at("stages").array(1)) {
//     ObjectReader s = stage.object();
//     std::int64_t capacity = s.at("capacity").integer(1, 1'000'000);
//     Nanos interval = s.duration_or("interval", 5 * kNanosPerSecond);
//     s.finish();  // rejects every field that was not read or allowed
//   }
//   root.finish();
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "sim/scenario/scenario_error.h"

namespace sluice {

// Limits that keep hostile or broken input from exhausting memory or stack.
inline constexpr std::size_t kMaxScenarioFileBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxJsonDepth = 64;  // nested arrays/objects, the root included
// Values of any kind in one file. The largest sensible scenario (40 stages of
// 1,024 workers, as many swarm targets) holds about 100,000.
inline constexpr std::size_t kMaxJsonValues = 1'000'000;

// Reads and parses a scenario file. Missing or unreadable files, files over
// kMaxScenarioFileBytes, empty files, syntax errors (with line and column),
// duplicate keys, nesting deeper than kMaxJsonDepth, more than kMaxJsonValues
// values and a top-level value that is not an object all throw ScenarioError.
nlohmann::json parse_json_file(const std::string& path);

// The same checks on text already in memory; `file_label` names it in errors.
nlohmann::json parse_json_text(std::string_view text, const std::string& file_label);

// `pointer` extended by one reference token, escaped as RFC 6901 requires
// ("~" -> "~0", "/" -> "~1"): ("/a", "b/c") -> "/a/b~1c".
std::string append_pointer(std::string_view pointer, std::string_view token);

class ObjectReader;
class ArrayReader;
class JsonReader;

// The end of a window that starts at `start` and lasts `length` (read from
// `length_reader`), failing there when the end is past kMaxDuration: every
// instant a scenario names stays in range, and so does every sum of two.
Nanos window_end(const JsonReader& length_reader, Nanos start, Nanos length);

// Where a reader's value sits: a chain of reference tokens up to the root,
// which holds the file name. Every reader below a node shares it, so a reader
// costs a pointer and a reference count, not a copy of the file name and
// pointer; the pointer text is built only when an error message needs it.
struct JsonPath {
  std::shared_ptr<const JsonPath> parent;  // null at the root
  std::string text;   // the root: the file name; a member: its key, unescaped
  std::string root_pointer;  // the root only: where the root value sits, escaped
  std::size_t index = 0;     // an array element: its index
  bool is_index = false;
};

// A read-only view of one JSON value at a JSON Pointer in a file.
// REQUIRES: the viewed value outlives this reader and every reader made from it.
class JsonReader {
 public:
  JsonReader(const nlohmann::json& value, std::string file, std::string pointer = "");

  const nlohmann::json& value() const { return *value_; }
  const std::string& file() const;
  std::string pointer() const;  // built on each call: for messages, not loops

  // Throw a ScenarioError at this value, or at its member `key`.
  [[noreturn]] void fail(const std::string& message) const;
  [[noreturn]] void fail_at(std::string_view key, const std::string& message) const;

  bool is_null() const { return value_->is_null(); }
  bool is_boolean() const { return value_->is_boolean(); }
  bool is_number() const { return value_->is_number(); }
  bool is_string() const { return value_->is_string(); }
  bool is_array() const { return value_->is_array(); }
  bool is_object() const { return value_->is_object(); }

  // Each reader below fails unless the value has the expected type and range.
  ObjectReader object() const;
  // The elements at pointer/0, /1, ...; each reader is made when it is visited.
  ArrayReader array(std::size_t min_items = 0) const;
  std::string string() const;
  bool boolean() const;
  double number(double min, double max) const;
  // Whole numbers only: 3 and 3.0 pass, 1.5 and "3" do not.
  std::int64_t integer(std::int64_t min, std::int64_t max) const;
  // A duration string such as "250ms" (see parse_duration); never a bare number.
  // At most kMaxDuration by default, so that a time plus a duration from a
  // scenario never overflows.
  Nanos duration(Nanos min = 0, Nanos max = kMaxDuration) const;
  // A size string such as "64MiB" (see parse_bytes) or a whole JSON number.
  std::int64_t bytes(std::int64_t min, std::int64_t max) const;
  double probability() const;  // a number in [0, 1]

  // One of a fixed set of names. E cannot be deduced from nested braces, so
  // name it: r.enumeration<Policy>({{"block", Policy::kBlock}, {"drop", Policy::kDrop}}).
  // The index in `names` of this string value; a failure lists the names.
  std::size_t one_of(const std::vector<std::string_view>& names) const { return choose(names); }
  template <class E>
  E enumeration(std::initializer_list<std::pair<std::string_view, E>> names) const {
    std::vector<std::string_view> spellings;
    spellings.reserve(names.size());
    for (const auto& entry : names) spellings.push_back(entry.first);
    return (names.begin() + choose(spellings))->second;
  }

  // The reader of member `key` of this object, or of element `index` of this
  // array. REQUIRES: the member or element exists.
  JsonReader member(std::string_view key) const;
  JsonReader element(std::size_t index) const;

 private:
  JsonReader(const nlohmann::json& value, std::shared_ptr<const JsonPath> path)
      : value_(&value), path_(std::move(path)) {}
  // The index of this string value in `names`, or a failure listing them.
  std::size_t choose(const std::vector<std::string_view>& names) const;
  [[noreturn]] void fail_expected(std::string_view expected) const;
  // The value as an int64 in [min, max]; `show` formats bounds in messages.
  std::int64_t whole_number(std::string_view expected, std::int64_t min, std::int64_t max,
                            std::string (*show)(std::int64_t)) const;

  const nlohmann::json* value_;
  std::shared_ptr<const JsonPath> path_;
};

// The elements of one JSON array, read lazily: a reader is made for an element
// only when the loop reaches it, so a huge array costs nothing before its
// first element is checked.
class ArrayReader {
 public:
  class Iterator {
   public:
    Iterator(const JsonReader& array, std::size_t index) : array_(&array), index_(index) {}
    JsonReader operator*() const { return array_->element(index_); }
    Iterator& operator++() {
      ++index_;
      return *this;
    }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }
    bool operator!=(const Iterator& other) const { return index_ != other.index_; }

   private:
    const JsonReader* array_;
    std::size_t index_;
  };

  std::size_t size() const { return array_.value().size(); }
  bool empty() const { return size() == 0; }
  JsonReader operator[](std::size_t index) const { return array_.element(index); }
  Iterator begin() const { return Iterator(array_, 0); }
  Iterator end() const { return Iterator(array_, size()); }

 private:
  friend class JsonReader;
  explicit ArrayReader(JsonReader array) : array_(std::move(array)) {}

  JsonReader array_;
};

// The members of one JSON object. Every key the loader looks at is declared
// as it is read; finish() then rejects any member nobody declared, suggesting
// the nearest declared name. Objects in scenarios are small, so declared names
// live in a vector. Reads are const because declaring is bookkeeping only.
class ObjectReader {
 public:
  const JsonReader& reader() const { return object_; }  // for fail() on the object itself

  bool has(std::string_view key) const;
  JsonReader at(std::string_view key) const;  // required: fails when the key is missing
  std::optional<JsonReader> maybe(std::string_view key) const;
  void allow(std::initializer_list<std::string_view> keys) const;  // keys read elsewhere
  void finish() const;

  // An optional member read with the matching JsonReader call, or `fallback`
  // when the key is absent. A present but invalid value is still an error.
  std::int64_t integer_or(std::string_view key, std::int64_t fallback, std::int64_t min,
                          std::int64_t max) const;
  double number_or(std::string_view key, double fallback, double min, double max) const;
  Nanos duration_or(std::string_view key, Nanos fallback, Nanos min = 0, Nanos max = kMaxDuration) const;
  std::int64_t bytes_or(std::string_view key, std::int64_t fallback, std::int64_t min,
                        std::int64_t max) const;
  std::string string_or(std::string_view key, std::string fallback) const;
  bool boolean_or(std::string_view key, bool fallback) const;

 private:
  friend class JsonReader;
  explicit ObjectReader(JsonReader object) : object_(std::move(object)) {}
  void declare(std::string_view key) const;

  JsonReader object_;
  mutable std::vector<std::string> declared_;
};

}  // namespace sluice
