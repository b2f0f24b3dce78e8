// The simulated disks: the Runtime's log() and kv() (core/runtime/storage.h).
//
// Each node has its own disk: its logs and key-value stores by name, its
// latencies and its faults (world_spec.h). Everything written is held twice
// over, as the page cache and the platter would: what the node sees now, and
// the durable prefix that fsync() established. A crash of the node throws
// away the difference (LevelDB's FaultInjectionTestEnv does the same). With
// the torn-write fault, the first unsynced record of a log survives the crash
// partially instead, so recovery finds a corrupt tail, as after a power cut.
//
// Records and values carry a length and a checksum over their bytes, and a
// bit flip or a torn write really alters the stored bytes: reads detect the
// damage by recomputing the checksum, as a real storage engine would.
//
// Randomness: per node, one stream for latencies and one for faults, so one
// node's disk traffic never shifts another's draws.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/random/rng.h"
#include "core/runtime/storage.h"
#include "sim/runtime/simulation.h"
#include "sim/world/world_spec.h"

namespace sluice {

struct DiskStats {
  std::uint64_t appends = 0;
  std::uint64_t puts = 0;
  std::uint64_t fsyncs = 0;
  std::uint64_t fsync_spikes = 0;
  std::uint64_t records_lost = 0;  // unsynced log records a crash threw away
  std::uint64_t puts_lost = 0;     // unsynced puts a crash reverted
  std::uint64_t torn_writes = 0;
  std::uint64_t bit_flips = 0;      // records and values stored damaged
  std::uint64_t corrupt_reads = 0;  // reads that detected damage
};

class Disks;

// A stored record or value: the bytes as on the medium, with the length and
// checksum written when they were good.
struct StoredBytes {
  std::string bytes;
  std::uint64_t length = 0;
  std::uint64_t checksum = 0;
  std::uint64_t sequence = 0;  // the write's number on its disk; fsync covers those before it
};

class SimLog final : public DurableLog {
 public:
  SimLog(Disks& disks, NodeId node) : disks_(disks), node_(node) {}
  std::uint64_t append(std::string bytes) override;
  void fsync() override;
  ReadResult read(std::uint64_t index) override;
  std::uint64_t size() const override { return first_ + records_.size(); }
  std::uint64_t durable_size() const override { return durable_; }
  std::uint64_t first_index() const override { return first_; }
  void trim_front(std::uint64_t first) override;
  void truncate(std::uint64_t size) override;
  // At the node's crash: drop the unsynced tail (or tear its first record).
  void lose_unsynced();

 private:
  Disks& disks_;
  NodeId node_;
  std::deque<StoredBytes> records_;  // records_[i] has index first_ + i
  std::uint64_t first_ = 0;
  std::uint64_t durable_ = 0;        // an index: records before it survive a crash
};

class SimKv final : public KvStore {
 public:
  SimKv(Disks& disks, NodeId node) : disks_(disks), node_(node) {}
  void put(std::string key, std::string value) override;
  ReadResult get(std::string_view key) override;
  void fsync() override;
  // At the node's crash: revert every unsynced put.
  void lose_unsynced();

 private:
  struct Put {
    std::string key;
    StoredBytes value;
  };
  Disks& disks_;
  NodeId node_;
  std::map<std::string, StoredBytes, std::less<>> current_;
  std::map<std::string, StoredBytes, std::less<>> durable_;
  std::deque<Put> unsynced_;  // in sequence order
};

class Disks final : public SimStorage {
 public:
  // Installs itself as `sim`'s storage. Per-node settings name nodes, which
  // must exist in `sim` already.
  Disks(Simulation& sim, const DiskSpec& spec);
  ~Disks() override;
  Disks(const Disks&) = delete;
  Disks& operator=(const Disks&) = delete;

  const DiskStats& stats() const { return stats_; }

  // Called after a node's crash threw away unsynced writes: how many log
  // records and puts it lost (coverage's crash_loss; never called with both 0).
  using LossHook = std::function<void(NodeId node, std::uint64_t records, std::uint64_t puts)>;
  void on_loss(LossHook hook) { on_loss_ = std::move(hook); }

  // --- SimStorage ------------------------------------------------------------
  DurableLog& log(NodeId node, std::string_view name) override;
  KvStore& kv(NodeId node, std::string_view name) override;

 private:
  friend class SimLog;
  friend class SimKv;

  struct NodeDisk {
    DiskParams params;
    Rng latency_rng{0};
    Rng fault_rng{0};
    std::uint64_t next_sequence = 1;
    bool hooked = false;
    // Ordered: a crash walks them, and the order reaches the trace hash.
    std::map<std::string, std::unique_ptr<SimLog>, std::less<>> logs;
    std::map<std::string, std::unique_ptr<SimKv>, std::less<>> kvs;
  };

  NodeDisk& disk_of(NodeId node);
  void watch_crashes(NodeId node, NodeDisk& disk);
  // For the storage objects, on the calling fiber: checks it may touch the
  // node's disk, or blocks it for the node's write or fsync latency.
  void enter(NodeId node, const char* operation);
  void wait_write(NodeId node);
  void wait_fsync(NodeId node);
  StoredBytes store(NodeId node, std::string bytes);
  bool intact(NodeId node, const StoredBytes& stored);
  void tear(NodeId node, StoredBytes& stored);
  void crashed(NodeId node);

  Simulation& sim_;
  DiskSpec spec_;
  std::vector<std::unique_ptr<NodeDisk>> disks_;  // by node id, created on first use
  DiskStats stats_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  LossHook on_loss_;
};

}  // namespace sluice
