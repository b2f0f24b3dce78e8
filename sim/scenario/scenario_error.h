// The one error type of scenario loading. Every problem in a scenario file is
// reported with the file, the JSON Pointer of the offending value and what is
// wrong, because a user fixing a 300-line scenario needs all three to find it.
// what() is one short line of valid UTF-8 whatever the input held: each part
// is escaped and cut (see message_text.h), while the fields keep the raw text.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace sluice {

class ScenarioError : public std::runtime_error {
 public:
  // `pointer` is a JSON Pointer (RFC 6901); "" means the whole document.
  ScenarioError(std::string file_name, std::string json_pointer, std::string what_is_wrong)
      : std::runtime_error(compose(file_name, json_pointer, what_is_wrong)),
        file(std::move(file_name)),
        pointer(std::move(json_pointer)),
        message(std::move(what_is_wrong)) {}

  std::string file;
  std::string pointer;
  std::string message;

 private:
  // The root pointer is shown as "/" so that the middle part is never empty and
  // "<file>: <pointer>: <message>" always splits the same way.
  static std::string compose(const std::string& file, const std::string& pointer,
                             const std::string& message);
};

}  // namespace sluice
