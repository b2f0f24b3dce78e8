// The simulated disks: durability across crashes, latencies, and the disk
// faults (fsync spikes, torn writes, bit flips), each detected by checksum.
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "core/runtime/storage.h"
#include "tests/sim/world_test_support.h"

namespace sluice {
namespace {

using testing::TestWorld;
using testing::within_binomial;

constexpr Nanos kMs = kNanosPerMilli;

DiskSpec disks_with(DiskFaults faults, Nanos write = 0, Nanos fsync = 0) {
  DiskSpec spec;
  spec.defaults.write_ns = Distribution::constant(static_cast<double>(write));
  spec.defaults.fsync_ns = Distribution::constant(static_cast<double>(fsync));
  spec.defaults.faults = faults;
  return spec;
}

// Runs `body` in a fiber spawned on node a at virtual time `at` (so that an
// earlier crash of a does not take it down).
void on_a(TestWorld& w, Nanos at, std::function<void()> body) {
  w.sim.call_at(at, [&w, body = std::move(body)] { w.sim.spawn(w.a, "disk-user", body); });
}

TEST(Disk, UnsyncedLogRecordsVanishInACrashAndSyncedOnesSurvive) {
  TestWorld w;
  on_a(w, 0, [&] {
    DurableLog& log = w.sim.log("wal");
    EXPECT_EQ(log.append("one"), 0u);
    EXPECT_EQ(log.append("two"), 1u);
    log.fsync();
    EXPECT_EQ(log.append("three"), 2u);
    EXPECT_EQ(log.size(), 3u);
    EXPECT_EQ(log.durable_size(), 2u);
    EXPECT_EQ(log.read(2).bytes, "three");  // readable before it is durable
  });
  w.sim.call_at(10, [&] { w.sim.crash(w.a); });
  w.sim.call_at(20, [&] { w.sim.restart(w.a); });
  std::vector<std::string> after;
  ReadResult past_end;
  on_a(w, 30, [&] {
    DurableLog& log = w.sim.log("wal");
    for (std::uint64_t i = 0; i < log.size(); ++i) after.push_back(log.read(i).bytes);
    past_end = log.read(2);
  });
  w.sim.run();
  EXPECT_EQ(after, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(past_end.status, ReadStatus::missing);
  EXPECT_EQ(w.disks().stats().records_lost, 1u);
}

TEST(Disk, UnsyncedKvPutsAreRevertedByACrash) {
  TestWorld w;
  on_a(w, 0, [&] {
    KvStore& kv = w.sim.kv("meta");
    kv.put("term", "1");
    kv.put("offset", "10");
    kv.fsync();
    kv.put("term", "2");
    kv.put("leader", "b");
    EXPECT_EQ(kv.get("term").bytes, "2");
  });
  w.sim.call_at(10, [&] { w.sim.crash(w.a); });
  w.sim.call_at(20, [&] { w.sim.restart(w.a); });
  ReadResult term, offset, leader;
  on_a(w, 30, [&] {
    KvStore& kv = w.sim.kv("meta");
    term = kv.get("term");
    offset = kv.get("offset");
    leader = kv.get("leader");
  });
  w.sim.run();
  EXPECT_EQ(term.bytes, "1");
  EXPECT_EQ(offset.bytes, "10");
  EXPECT_EQ(leader.status, ReadStatus::missing);
  EXPECT_EQ(w.disks().stats().puts_lost, 2u);
}

TEST(Disk, ACrashDuringAnFsyncMakesNothingDurable) {
  TestWorld w(1, {}, disks_with({}, 0, 5 * kMs));
  bool fsync_returned = false;
  on_a(w, 0, [&] {
    DurableLog& log = w.sim.log("wal");
    log.append("x");
    log.fsync();
    fsync_returned = true;
  });
  w.sim.call_at(2 * kMs, [&] { w.sim.crash(w.a); });
  w.sim.run();
  EXPECT_FALSE(fsync_returned);
  EXPECT_EQ(w.disks().stats().records_lost, 1u);
}

TEST(Disk, FsyncCoversOnlyWritesIssuedBeforeIt) {
  TestWorld w(1, {}, disks_with({}, 0, 5 * kMs));
  std::uint64_t durable_after_fsync = 0;
  on_a(w, 0, [&] {
    DurableLog& log = w.sim.log("wal");
    log.append("before");
    log.fsync();  // another fiber appends during it
    durable_after_fsync = log.durable_size();
  });
  on_a(w, 1 * kMs, [&] { w.sim.log("wal").append("during"); });
  w.sim.run();
  EXPECT_EQ(durable_after_fsync, 1u);
}

TEST(Disk, LatenciesBlockTheCallerAndScaleWithTheSlowdown) {
  TestWorld w(1, {}, disks_with({}, 1 * kMs, 4 * kMs));
  std::vector<Nanos> marks;
  on_a(w, 0, [&] {
    DurableLog& log = w.sim.log("wal");
    log.append("a");
    marks.push_back(w.sim.now());
    log.fsync();
    marks.push_back(w.sim.now());
  });
  w.sim.call_at(10 * kMs, [&] { w.sim.set_slowdown(w.a, 3); });
  on_a(w, 20 * kMs, [&] {
    KvStore& kv = w.sim.kv("meta");
    kv.put("k", "v");
    marks.push_back(w.sim.now());
    kv.fsync();
    marks.push_back(w.sim.now());
  });
  w.sim.run();
  EXPECT_EQ(marks, (std::vector<Nanos>{1 * kMs, 5 * kMs, 23 * kMs, 35 * kMs}));
}

TEST(Disk, PerNodeSettingsOverrideTheDefaults) {
  DiskSpec spec = disks_with({}, 1 * kMs, 0);
  DiskParams slow = spec.defaults;
  slow.write_ns = Distribution::constant(7 * kMs);
  spec.nodes.emplace("b", slow);
  TestWorld w(1, {}, spec);
  Nanos a_done = -1, b_done = -1;
  on_a(w, 0, [&] {
    w.sim.log("wal").append("x");
    a_done = w.sim.now();
  });
  w.sim.spawn(w.b, "b", [&] {
    w.sim.log("wal").append("x");
    b_done = w.sim.now();
  });
  w.sim.run();
  EXPECT_EQ(a_done, 1 * kMs);
  EXPECT_EQ(b_done, 7 * kMs);
}

TEST(Disk, FsyncSpikesMultiplyTheLatencyAtTheirRate) {
  DiskFaults faults;
  faults.fsync_spike = 0.1;
  faults.fsync_spike_factor = 10;
  TestWorld w(9, {}, disks_with(faults, 0, 1 * kMs));
  constexpr int kN = 2000;
  on_a(w, 0, [&] {
    DurableLog& log = w.sim.log("wal");
    for (int i = 0; i < kN; ++i) log.fsync();
  });
  w.sim.run();
  const std::uint64_t spikes = w.disks().stats().fsync_spikes;
  EXPECT_TRUE(within_binomial(spikes, kN, 0.1)) << spikes;
  EXPECT_EQ(w.sim.now(), static_cast<Nanos>(kN - spikes) * kMs + static_cast<Nanos>(spikes) * 10 * kMs);
}

TEST(Disk, ATornWriteIsDetectedAsCorruptNeverReturnedAsData) {
  DiskFaults faults;
  faults.torn_write = 1.0;
  TestWorld w(1, {}, disks_with(faults));
  on_a(w, 0, [&] {
    DurableLog& log = w.sim.log("wal");
    log.append("synced");
    log.fsync();
    log.append(std::string(100, 'x'));  // being written at the crash: torn
    log.append("lost");
  });
  w.sim.call_at(10, [&] { w.sim.crash(w.a); });
  w.sim.call_at(20, [&] { w.sim.restart(w.a); });
  std::uint64_t size = 0, durable = 0;
  ReadResult good, torn;
  on_a(w, 30, [&] {
    DurableLog& log = w.sim.log("wal");
    size = log.size();
    durable = log.durable_size();
    good = log.read(0);
    torn = log.read(1);
    log.truncate(1);  // recovery cuts the corrupt tail
  });
  w.sim.run();
  EXPECT_EQ(size, 2u);
  EXPECT_EQ(durable, 2u);
  EXPECT_TRUE(good.ok());
  EXPECT_EQ(good.bytes, "synced");
  EXPECT_EQ(torn.status, ReadStatus::corrupt);
  EXPECT_TRUE(torn.bytes.empty());
  EXPECT_EQ(w.disks().stats().torn_writes, 1u);
  EXPECT_EQ(w.disks().stats().records_lost, 1u);
  EXPECT_EQ(w.disks().stats().corrupt_reads, 1u);
}

TEST(Disk, TornWritesHappenAtTheirRateAndOnlyWithAnUnsyncedTail) {
  DiskFaults faults;
  faults.torn_write = 0.3;
  constexpr int kCrashes = 400;
  TestWorld w(12, {}, disks_with(faults));
  for (int i = 0; i < kCrashes; ++i) {
    const Nanos t = i * 100;
    on_a(w, t + 1, [&] { w.sim.log("wal").append("tail"); });
    w.sim.call_at(t + 50, [&] { w.sim.crash(w.a); });
    w.sim.call_at(t + 60, [&] { w.sim.restart(w.a); });
  }
  w.sim.call_at(kCrashes * 100 + 1, [&] { w.sim.crash(w.a); });  // nothing unsynced: nothing to tear
  w.sim.run();
  const DiskStats& stats = w.disks().stats();
  EXPECT_TRUE(within_binomial(stats.torn_writes, kCrashes, 0.3)) << stats.torn_writes;
  EXPECT_EQ(stats.torn_writes + stats.records_lost, static_cast<std::uint64_t>(kCrashes));
}

TEST(Disk, BitFlipsAreDetectedByChecksum) {
  DiskFaults faults;
  faults.bit_flip = 0.2;
  TestWorld w(13, {}, disks_with(faults));
  constexpr int kN = 2000;
  int ok = 0, corrupt = 0, kv_corrupt = 0;
  on_a(w, 0, [&] {
    DurableLog& log = w.sim.log("wal");
    for (int i = 0; i < kN; ++i) log.append("record-" + std::to_string(i));
    for (int i = 0; i < kN; ++i) {
      ReadResult r = log.read(static_cast<std::uint64_t>(i));
      if (r.ok()) {
        EXPECT_EQ(r.bytes, "record-" + std::to_string(i));  // intact data is exactly what was written
        ++ok;
      } else {
        EXPECT_EQ(r.status, ReadStatus::corrupt);
        EXPECT_TRUE(r.bytes.empty());
        ++corrupt;
      }
    }
    KvStore& kv = w.sim.kv("meta");
    for (int i = 0; i < 200; ++i) kv.put("k" + std::to_string(i), "");  // empty values too
    for (int i = 0; i < 200; ++i) kv_corrupt += kv.get("k" + std::to_string(i)).status == ReadStatus::corrupt;
  });
  w.sim.run();
  EXPECT_EQ(ok + corrupt, kN);
  EXPECT_TRUE(within_binomial(static_cast<std::uint64_t>(corrupt), kN, 0.2)) << corrupt;
  EXPECT_GT(kv_corrupt, 0);
  EXPECT_EQ(w.disks().stats().bit_flips, static_cast<std::uint64_t>(corrupt + kv_corrupt));
}

TEST(Disk, WithoutFaultsEveryReadIsIntact) {
  TestWorld w;
  int ok = 0;
  on_a(w, 0, [&] {
    DurableLog& log = w.sim.log("wal");
    for (int i = 0; i < 100; ++i) log.append(std::string(static_cast<std::size_t>(i), 'z'));
    for (std::uint64_t i = 0; i < 100; ++i) ok += log.read(i).ok();
  });
  w.sim.run();
  EXPECT_EQ(ok, 100);
  EXPECT_EQ(w.disks().stats().corrupt_reads, 0u);
}

TEST(Disk, StorageBelongsToItsNodeAndSurvivesRestarts) {
  TestWorld w;
  DurableLog* first = nullptr;
  DurableLog* second = nullptr;
  DurableLog* on_b = nullptr;
  on_a(w, 0, [&] { first = &w.sim.log("wal"); });
  w.sim.spawn(w.b, "b", [&] { on_b = &w.sim.log("wal"); });
  w.sim.call_at(10, [&] { w.sim.crash(w.a); });
  w.sim.call_at(20, [&] { w.sim.restart(w.a); });
  on_a(w, 30, [&] { second = &w.sim.log("wal"); });
  w.sim.run();
  EXPECT_EQ(first, second);
  EXPECT_NE(first, on_b);
}

TEST(Disk, SameSeedSameTraceHashWithDiskFaults) {
  auto run = [](std::uint64_t seed) {
    DiskFaults faults{.fsync_spike = 0.05, .fsync_spike_factor = 20, .torn_write = 0.5, .bit_flip = 0.01};
    DiskSpec spec = disks_with(faults);
    spec.defaults.write_ns = Distribution::exponential(1.0 / (50 * kNanosPerMicro));
    spec.defaults.fsync_ns = Distribution::lognormal(2.0 * kMs, 0.5);
    TestWorld w(seed, {}, spec);
    w.sim.on_node_start(w.a, [&w] {
      w.sim.spawn(w.a, "writer", [&w] {
        DurableLog& log = w.sim.log("wal");
        for (int i = 0; i < 100; ++i) {
          log.append("entry");
          if (i % 5 == 4) log.fsync();
          log.read(log.size() - 1);
        }
      });
    });
    w.sim.call_at(30 * kMs, [&] { w.sim.crash(w.a); });
    w.sim.call_at(40 * kMs, [&] { w.sim.restart(w.a); });
    w.sim.run();
    return w.sim.trace_hash();
  };
  std::set<std::uint64_t> hashes;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    EXPECT_EQ(run(seed), run(seed)) << "seed " << seed;
    hashes.insert(run(seed));
  }
  EXPECT_EQ(hashes.size(), 30u);
}

}  // namespace
}  // namespace sluice
