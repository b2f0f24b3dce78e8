#include "sim/world/disk.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/check.h"

namespace sluice {
namespace {

// Trace words of disk events (mixed with the node and a count).
constexpr std::uint64_t kTraceLoss = 0xD15C'0000'0000'0000ULL;
constexpr std::uint64_t kTraceTorn = 0xD15C'7000'0000'0000ULL;
constexpr std::uint64_t kTraceFlip = 0xD15C'F000'0000'0000ULL;
constexpr std::uint64_t kTraceCorrupt = 0xD15C'C000'0000'0000ULL;
constexpr std::uint64_t kTraceSpike = 0xD15C'5000'0000'0000ULL;
// perturbation fsync_slow_once: how much slower its one fsync is.
constexpr Nanos kSlowFsyncFactor = 20;
constexpr double kSlowFsyncFloorNs = 20e6;

std::uint64_t word(std::uint64_t kind, NodeId node, std::uint64_t value) {
  return kind ^ (static_cast<std::uint64_t>(node) << 32) ^ value;
}

Nanos scaled(double ns, double factor) {
  const double scaled_ns = ns * factor;
  if (!(scaled_ns > 0)) return 0;
  return scaled_ns >= 1e18 ? Nanos{1'000'000'000'000'000'000} : static_cast<Nanos>(scaled_ns);
}

}  // namespace

// --- SimLog ------------------------------------------------------------------

std::uint64_t SimLog::append(std::string bytes) {
  disks_.enter(node_, "append");
  ++disks_.stats_.appends;
  const std::uint64_t index = size();
  records_.push_back(disks_.store(node_, std::move(bytes)));
  disks_.wait_write(node_);
  return index;
}

void SimLog::fsync() {
  disks_.enter(node_, "fsync");
  const std::uint64_t bound = disks_.disk_of(node_).next_sequence;
  disks_.wait_fsync(node_);
  // Records appended before the call; a truncation meanwhile may have cut some.
  while (durable_ < size() && records_[durable_ - first_].sequence < bound) ++durable_;
}

ReadResult SimLog::read(std::uint64_t index) {
  disks_.enter(node_, "read");
  if (index < first_ || index >= size()) return {};
  const StoredBytes& record = records_[index - first_];
  if (!disks_.intact(node_, record)) return {ReadStatus::corrupt, {}};
  return {ReadStatus::ok, record.bytes};
}

void SimLog::truncate(std::uint64_t size) {
  disks_.enter(node_, "truncate");
  SLUICE_CHECK(size <= this->size(), "truncate beyond the end of a log");
  SLUICE_CHECK(size >= first_, "truncate below the trimmed front of a log");
  records_.resize(size - first_);
  durable_ = std::min(durable_, size);
}

void SimLog::trim_front(std::uint64_t first) {
  disks_.enter(node_, "trim");
  SLUICE_CHECK(first <= durable_, "trimming records that are not durable yet");
  while (first_ < first) {
    records_.pop_front();
    ++first_;
  }
}

void SimLog::lose_unsynced() {
  if (size() == durable_) return;
  Disks::NodeDisk& disk = disks_.disk_of(node_);
  const double torn = disk.params.faults.torn_write;
  if (torn > 0 && disk.fault_rng.bernoulli(torn)) {
    disks_.tear(node_, records_[durable_ - first_]);
    ++durable_;
  }
  const std::uint64_t lost = size() - durable_;
  disks_.stats_.records_lost += lost;
  records_.resize(durable_ - first_);
  disks_.sim_.trace(word(kTraceLoss, node_, lost));
}

// --- SimKv --------------------------------------------------------------------

void SimKv::put(std::string key, std::string value) {
  disks_.enter(node_, "put");
  ++disks_.stats_.puts;
  StoredBytes stored = disks_.store(node_, std::move(value));
  current_.insert_or_assign(key, stored);
  unsynced_.push_back(Put{std::move(key), std::move(stored)});
  disks_.wait_write(node_);
}

ReadResult SimKv::get(std::string_view key) {
  disks_.enter(node_, "get");
  auto found = current_.find(key);
  if (found == current_.end()) return {};
  if (!disks_.intact(node_, found->second)) return {ReadStatus::corrupt, {}};
  return {ReadStatus::ok, found->second.bytes};
}

void SimKv::fsync() {
  disks_.enter(node_, "fsync");
  const std::uint64_t bound = disks_.disk_of(node_).next_sequence;
  disks_.wait_fsync(node_);
  while (!unsynced_.empty() && unsynced_.front().value.sequence < bound) {
    durable_.insert_or_assign(std::move(unsynced_.front().key), std::move(unsynced_.front().value));
    unsynced_.pop_front();
  }
}

void SimKv::lose_unsynced() {
  if (unsynced_.empty()) return;
  disks_.stats_.puts_lost += unsynced_.size();
  disks_.sim_.trace(word(kTraceLoss, node_, unsynced_.size() << 20));
  unsynced_.clear();
  current_ = durable_;
}

// --- Disks ---------------------------------------------------------------------

Disks::Disks(Simulation& sim, const DiskSpec& spec) : sim_(sim), spec_(spec) {
  for (const auto& [name, params] : spec_.nodes) {
    SLUICE_CHECK(sim_.find_node(name).has_value(), "disk settings name a node the loader did not check");
  }
  sim_.set_storage(this);
}

Disks::~Disks() {
  *alive_ = false;
  sim_.set_storage(nullptr);
}

Disks::NodeDisk& Disks::disk_of(NodeId node) {
  SLUICE_CHECK(node < sim_.node_count(), "storage of a node that does not exist");
  if (node >= disks_.size()) disks_.resize(node + 1);
  std::unique_ptr<NodeDisk>& disk = disks_[node];
  if (disk) return *disk;
  disk = std::make_unique<NodeDisk>();
  const std::string& name = sim_.node_name(node);
  disk->params = spec_.params_of(name);
  disk->latency_rng = sim_.stream("disk/" + name + "/latency");
  disk->fault_rng = sim_.stream("disk/" + name + "/faults");
  return *disk;
}

DurableLog& Disks::log(NodeId node, std::string_view name) {
  NodeDisk& disk = disk_of(node);
  auto found = disk.logs.find(name);
  if (found == disk.logs.end()) {
    found = disk.logs.emplace(std::string(name), std::make_unique<SimLog>(*this, node)).first;
  }
  watch_crashes(node, disk);
  return *found->second;
}

KvStore& Disks::kv(NodeId node, std::string_view name) {
  NodeDisk& disk = disk_of(node);
  auto found = disk.kvs.find(name);
  if (found == disk.kvs.end()) {
    found = disk.kvs.emplace(std::string(name), std::make_unique<SimKv>(*this, node)).first;
  }
  watch_crashes(node, disk);
  return *found->second;
}

void Disks::watch_crashes(NodeId node, NodeDisk& disk) {
  if (disk.hooked || node == kWorldNode) return;
  disk.hooked = true;
  sim_.on_node_crash(node, [this, alive = alive_, node] {
    if (*alive) crashed(node);
  });
}

void Disks::enter(NodeId node, const char* operation) {
  sim_.check_alive();
  if (sim_.current_node() != node) {
    throw std::logic_error(std::string(operation) + " on storage of node '" + sim_.node_name(node) +
                           "' from a fiber of node '" + sim_.node_name(sim_.current_node()) + "'");
  }
}

void Disks::wait_write(NodeId node) {
  NodeDisk& disk = disk_of(node);
  sim_.sleep_for(scaled(disk.params.write_ns.sample(disk.latency_rng), sim_.slowdown_of(node)));
}

void Disks::wait_fsync(NodeId node) {
  NodeDisk& disk = disk_of(node);
  ++stats_.fsyncs;
  double factor = sim_.slowdown_of(node);
  const DiskFaults& faults = disk.params.faults;
  if (faults.fsync_spike > 0 && disk.fault_rng.bernoulli(faults.fsync_spike)) {
    ++stats_.fsync_spikes;
    factor *= faults.fsync_spike_factor;
    sim_.trace(word(kTraceSpike, node, stats_.fsync_spikes));
  }
  const Nanos latency = scaled(disk.params.fsync_ns.sample(disk.latency_rng), factor);
  // Perturbation: one fsync of the run stalls (a device hiccup), durability
  // unchanged; on an instant disk the stall still takes the floor's time.
  if (sim_.buggify(PerturbSite::fsync_slow_once)) {
    sim_.sleep_for(std::max(latency * kSlowFsyncFactor, scaled(kSlowFsyncFloorNs, factor)));
    return;
  }
  sim_.sleep_for(latency);
}

StoredBytes Disks::store(NodeId node, std::string bytes) {
  NodeDisk& disk = disk_of(node);
  StoredBytes stored;
  stored.length = bytes.size();
  stored.checksum = stable_hash(bytes);
  stored.bytes = std::move(bytes);
  stored.sequence = disk.next_sequence++;
  const double flip = disk.params.faults.bit_flip;
  if (flip > 0 && disk.fault_rng.bernoulli(flip)) {
    ++stats_.bit_flips;
    if (stored.bytes.empty()) {
      stored.checksum ^= std::uint64_t{1} << disk.fault_rng.uniform_u64(64);
    } else {
      const std::uint64_t bit = disk.fault_rng.uniform_u64(stored.bytes.size() * 8);
      stored.bytes[bit / 8] = static_cast<char>(stored.bytes[bit / 8] ^ (1 << (bit % 8)));
    }
    sim_.trace(word(kTraceFlip, node, stored.sequence));
  }
  return stored;
}

bool Disks::intact(NodeId node, const StoredBytes& stored) {
  if (stored.bytes.size() == stored.length && stable_hash(stored.bytes) == stored.checksum) return true;
  ++stats_.corrupt_reads;
  sim_.trace(word(kTraceCorrupt, node, stored.sequence));
  return false;
}

void Disks::tear(NodeId node, StoredBytes& stored) {
  NodeDisk& disk = disk_of(node);
  ++stats_.torn_writes;
  // Part of the record reached the medium: a strict prefix of its bytes, or,
  // for an empty record, a header whose checksum never got written right.
  if (stored.bytes.empty()) {
    stored.checksum = ~stored.checksum;
  } else {
    stored.bytes.resize(disk.fault_rng.uniform_u64(stored.bytes.size()));
  }
  sim_.trace(word(kTraceTorn, node, stored.sequence));
}

void Disks::crashed(NodeId node) {
  NodeDisk& disk = disk_of(node);
  const std::uint64_t records = stats_.records_lost, puts = stats_.puts_lost;
  for (auto& [name, log] : disk.logs) log->lose_unsynced();
  for (auto& [name, kv] : disk.kvs) kv->lose_unsynced();
  if (on_loss_ && (stats_.records_lost != records || stats_.puts_lost != puts)) {
    on_loss_(node, stats_.records_lost - records, stats_.puts_lost - puts);
  }
}

}  // namespace sluice
