// The perturbation sites of the core (Runtime::buggify), after FoundationDB's
// BUGGIFY (flow/Buggify.h): named places where a rarely-taken but legal
// behaviour is forced. Each run enables a random subset of the sites and an
// enabled site fires with a small probability each time it is reached, so rare
// paths become common without any run doing something the real component
// could not. This table is the one list: the runtime, the loader, the summary,
// the schema test and the README table all read it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice {

enum class PerturbSite : std::uint8_t {
  rpc_spurious_timeout,
  heartbeat_delayed,
  fetch_short,
  commit_ack_slow,
  barrier_during_rebalance,
  produce_ack_lost,
  fsync_slow_once,
};

struct PerturbSiteInfo {
  PerturbSite site;
  std::string_view name;       // as scenario files and summary.json spell it
  std::string_view component;  // where the site sits
  std::string_view forces;     // what happens when it fires
  std::string_view legal;      // why a real component may do exactly this
  std::uint32_t fires_max;     // 0: no limit; 1: "exactly once" per run
  // The site fires with fire_probability times this, where reached: below 1
  // for a site reached on every message whose firing costs a whole timeout
  // (FoundationDB's BUGGIFY_WITH_PROB for hot paths), so a run sees the rare
  // path often without the firings adding up to a slower pipeline than any
  // real network would make.
  double fire_scale = 1.0;
};

inline constexpr std::array<PerturbSiteInfo, 7> kPerturbSites = {{
    {PerturbSite::rpc_spurious_timeout, "rpc_spurious_timeout", "core/runtime/rpc.cc (every rpc with a timeout)",
     "the reply arrives, but the caller waits out its timeout and reports one",
     "a reply can always be delayed past the caller's deadline; callers must treat a timeout as unknown outcome", 0,
     // At the full probability (0.05) a serial writer with a 1 s rpc timeout
     // lost a second on one write in twenty: 415 firings and a drain 4x
     // slower in scenarios/bench/sweep.json, whose every seed with the site
     // enabled broke drains_after_heal. At a tenth none did (seeds 1..40).
     0.1},
    {PerturbSite::heartbeat_delayed, "heartbeat_delayed", "core/topic/group_member.cc (keep-alive)",
     "a member's next heartbeat is sent 0.5x to 1.1x a session timeout late",
     "a paused or slow member does exactly this; within the session nothing changes, just past it the group rebalances",
     0},
    {PerturbSite::fetch_short, "fetch_short", "core/topic/topic.cc (fetch)",
     "a fetch returns one record although more were asked for and available",
     "a fetch's max_records is an upper bound; brokers return fewer (size limits, segment ends)", 0},
    {PerturbSite::commit_ack_slow, "commit_ack_slow", "core/topic/group_member.cc (offset commit)",
     "an offset commit that landed is acknowledged to the member half an rpc timeout late",
     "the ack crosses the network like any message and may be slow; the commit itself is unchanged", 0},
    {PerturbSite::barrier_during_rebalance, "barrier_during_rebalance",
     "core/checkpoint/checkpoint_coordinator.cc (barrier injection)",
     "a checkpoint's barriers are held back until the group rebalances (at most a session timeout), then sent",
     "barriers are messages and may be delayed; a rebalance during a checkpoint aborts it, as it would anyway", 0},
    {PerturbSite::produce_ack_lost, "produce_ack_lost", "core/topic/topic_producer.cc (produce)",
     "a produce that was appended is reported to the producer as timed out, so it is retried",
     "a lost ack is the classic cause of a retried write; idempotence or dedup must absorb the retry", 0},
    {PerturbSite::fsync_slow_once, "fsync_slow_once", "sim/world/disk.cc (fsync, behind DurableLog/KvStore)",
     "one fsync in the run takes 20x its drawn latency (at least 20 ms)",
     "a device stall (garbage collection, a flush storm) makes one fsync slow; durability is unchanged", 1},
}};

inline constexpr std::size_t kPerturbSiteCount = kPerturbSites.size();

// The table is indexed by the enum: a row out of place is a compile error.
constexpr bool perturb_sites_in_enum_order() {
  for (std::size_t i = 0; i < kPerturbSiteCount; ++i) {
    if (static_cast<std::size_t>(kPerturbSites[i].site) != i) return false;
  }
  return true;
}
static_assert(perturb_sites_in_enum_order(), "kPerturbSites must list the sites in PerturbSite order");

inline const PerturbSiteInfo& perturb_site_info(PerturbSite site) { return kPerturbSites[static_cast<std::size_t>(site)]; }
inline std::string_view perturb_site_name(PerturbSite site) { return perturb_site_info(site).name; }

// How often an enabled site fires, in words (the README's table): "p" is
// the run's fire_probability.
inline std::string perturb_site_rate(const PerturbSiteInfo& info) {
  std::string rate = info.fire_scale == 1.0 ? "p" : "p/" + std::to_string(static_cast<int>(1.0 / info.fire_scale + 0.5));
  if (info.fires_max == 1) rate += ", once per run";
  else if (info.fires_max > 1) rate += ", at most " + std::to_string(info.fires_max) + " per run";
  return rate;
}

inline std::optional<PerturbSite> find_perturb_site(std::string_view name) {
  for (const PerturbSiteInfo& info : kPerturbSites) {
    if (info.name == name) return info.site;
  }
  return std::nullopt;
}

}  // namespace sluice
