#include "core/pipeline/event_codec.h"

#include <cstdint>

namespace sluice {
namespace {

void put(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

std::uint64_t get(std::string_view in, std::size_t& at, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[at++])) << (8 * i);
  return value;
}

}  // namespace

std::string encode_event(const Event& event) {
  std::string out;
  out.reserve(kEncodedEventBytes);
  put(out, event.id, 8);
  put(out, event.key, 8);
  put(out, static_cast<std::uint64_t>(event.emitted_at), 8);
  put(out, event.size_bytes, 4);
  put(out, event.priority, 1);
  return out;
}

std::optional<Event> decode_event(std::string_view bytes) {
  if (bytes.size() != kEncodedEventBytes) return std::nullopt;
  std::size_t at = 0;
  Event event;
  event.id = get(bytes, at, 8);
  event.key = get(bytes, at, 8);
  event.emitted_at = static_cast<Nanos>(get(bytes, at, 8));
  event.size_bytes = static_cast<std::uint32_t>(get(bytes, at, 4));
  event.priority = static_cast<std::uint8_t>(get(bytes, at, 1));
  return event;
}

}  // namespace sluice
