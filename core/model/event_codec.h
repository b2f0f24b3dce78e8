// An Event as bytes, for what the core writes to durable storage (topic
// partitions, a producer's spill backlog). Fixed-width little-endian fields,
// so a record reads back the same on any machine.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/model/event.h"

namespace sluice {

inline constexpr std::size_t kEncodedEventBytes = 29;

std::string encode_event(const Event& event);
// nullopt when `bytes` is not an encoded event (wrong length).
std::optional<Event> decode_event(std::string_view bytes);

}  // namespace sluice
