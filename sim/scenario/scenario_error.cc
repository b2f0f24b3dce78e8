#include "sim/scenario/scenario_error.h"

#include "sim/scenario/message_text.h"

namespace sluice {
namespace {

// Generous for anything the loader writes; they only stop hostile input
// (a 2 MB key, a folder path of thousands of characters) from making a
// message megabytes long.
constexpr std::size_t kMaxFileBytes = 160;
constexpr std::size_t kMaxPointerBytes = 160;
constexpr std::size_t kMaxMessageBytes = 600;

}  // namespace

std::string ScenarioError::compose(const std::string& file, const std::string& pointer,
                                   const std::string& message) {
  const std::string shown_pointer = pointer.empty() ? std::string("/") : escape_text(pointer, 0, kMaxPointerBytes);
  return escape_tail(file, kMaxFileBytes) + ": " + shown_pointer + ": " + escape_text(message, 0, kMaxMessageBytes);
}

}  // namespace sluice
