// What a consumer reads of a topic exactly-once stages write to (Kafka's
// isolation.level): read_committed never returns a record of an open or
// aborted transaction and stops at the last stable offset (the first record
// of a transaction still open); read_uncommitted returns every record.
#pragma once

#include <cstdint>

namespace sluice {

enum class Isolation : std::uint8_t { read_committed, read_uncommitted };
const char* isolation_name(Isolation isolation);

}  // namespace sluice
