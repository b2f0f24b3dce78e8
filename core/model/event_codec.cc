#include "core/model/event_codec.h"

#include "core/runtime/le_bytes.h"

#include <cstdint>

namespace sluice {
std::string encode_event(const Event& event) {
  std::string out;
  out.reserve(kEncodedEventBytes);
  put_le(out, event.id, 8);
  put_le(out, event.key, 8);
  put_le(out, static_cast<std::uint64_t>(event.emitted_at), 8);
  put_le(out, event.size_bytes, 4);
  put_le(out, event.priority, 1);
  return out;
}

std::optional<Event> decode_event(std::string_view bytes) {
  if (bytes.size() != kEncodedEventBytes) return std::nullopt;
  std::size_t at = 0;
  Event event;
  event.id = get_le(bytes, at, 8);
  event.key = get_le(bytes, at, 8);
  event.emitted_at = static_cast<Nanos>(get_le(bytes, at, 8));
  event.size_bytes = static_cast<std::uint32_t>(get_le(bytes, at, 4));
  event.priority = static_cast<std::uint8_t>(get_le(bytes, at, 1));
  return event;
}

}  // namespace sluice
