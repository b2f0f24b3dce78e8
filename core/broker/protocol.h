// The messages between producers, consumers and a topic's broker (bodies of
// core/runtime/transport.h's Message). Every request goes through rpc.h's
// call(), so a lost request, a lost reply and a slow broker look the same to
// the caller: a timeout.
#pragma once

#include <cstdint>
#include <vector>

#include "core/model/event.h"
#include "core/runtime/transport.h"
#include "core/model/isolation.h"

namespace sluice {

// A topic's broker listens on the base plus the topic's index.
inline constexpr Port kBrokerPortBase = 0x5200;
inline constexpr std::uint32_t kRequestEnvelopeBytes = 64;

using MemberId = std::uint64_t;  // worker << 32 | incarnation; 0: none
using Generation = std::uint64_t;

struct ProduceRequest {
  std::uint32_t partition = 0;
  Event event;
  // The producer is idempotent: a retry of an event the partition appended
  // already is answered with the original offset and not appended again
  // (core/broker/idempotence_window.h).
  bool idempotent = false;
};
enum class ProduceStatus : std::uint8_t { appended, full, too_large };
struct ProduceReply {
  ProduceStatus status = ProduceStatus::appended;
  std::uint64_t offset = 0;
};

struct PartitionOffset {
  std::uint32_t partition = 0;
  std::uint64_t offset = 0;
};

struct JoinRequest {
  std::uint32_t worker = 0;
};
// The group's view for one member: its generation and partitions, with the
// committed offset of each (where its consumption starts).
struct Assignment {
  MemberId member = 0;
  Generation generation = 0;
  std::vector<PartitionOffset> partitions;
};
enum class GroupStatus : std::uint8_t { ok, unknown_member, full, fenced };
// The answer to a join or a heartbeat: the member's current assignment
// (status full: not admitted; unknown_member: it must rejoin).
struct GroupReply {
  GroupStatus status = GroupStatus::ok;
  Assignment assignment;
};

// A member leaving the group on purpose (scale-in); answered with a GroupReply.
struct LeaveRequest {
  MemberId member = 0;
};

struct HeartbeatRequest {
  MemberId member = 0;
  Generation generation = 0;
};

struct CommitRequest {
  MemberId member = 0;
  Generation generation = 0;
  std::vector<PartitionOffset> offsets;  // the next offset to consume, per partition
};
struct CommitReply {
  GroupStatus status = GroupStatus::ok;  // fenced: a stale generation or a partition not the member's
};

// Fetches are not fenced (only commits are): a zombie may read, never commit.
struct FetchRequest {
  std::vector<PartitionOffset> positions;  // where to read each partition from
  std::uint32_t max_records = 1;
  std::uint64_t max_bytes = 1 << 20;
  Nanos max_wait = 0;  // how long the broker may hold a fetch that finds nothing
  Isolation isolation = Isolation::read_committed;  // what a transactional topic returns (core/broker/partition.h)
};
struct FetchedRecord {
  std::uint32_t partition = 0;
  std::uint64_t offset = 0;
  Event event;
};
struct FetchReply {
  std::vector<FetchedRecord> records;
  // Positions past the end of a partition (its unsynced tail was lost in a
  // crash), or past aborted records a read_committed fetch skipped: the
  // consumer resumes from here.
  std::vector<PartitionOffset> resets;
};

}  // namespace sluice
