#include "sim/run/sweep_merge.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "sim/run/sweep.h"

namespace sluice {
namespace {

[[noreturn]] void not_a_sweep(const std::string& path, const std::string& why) {
  throw MergeError(path + " is not a sweep result: " + why +
                   " (sweep --merge takes the sweep.json files that `sluice sweep --shard I/N` writes)");
}

bool is_unsigned(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_number_unsigned();
}

// Each seed record has the fields a merge reads back (seed_from_json).
void check_seed(const std::string& path, const nlohmann::json& seed, std::size_t i) {
  std::string where = "/seeds/" + std::to_string(i);
  if (!seed.is_object()) not_a_sweep(path, where + " is not an object");
  if (!is_unsigned(seed, "seed")) not_a_sweep(path, where + "/seed is not a seed number");
  if (!seed.contains("ok") || !seed["ok"].is_boolean()) not_a_sweep(path, where + "/ok is not true or false");
  if (!seed.contains("trace_hash") || !seed["trace_hash"].is_string()) not_a_sweep(path, where + "/trace_hash is missing");
  if (!is_unsigned(seed, "events")) not_a_sweep(path, where + "/events is not a count");
  if (!seed.contains("failed") || !seed["failed"].is_array()) not_a_sweep(path, where + "/failed is not a list");
  for (const nlohmann::json& name : seed["failed"]) {
    if (!name.is_string()) not_a_sweep(path, where + "/failed holds a non-string");
  }
  if (!seed.contains("max_depth") || !seed["max_depth"].is_object()) not_a_sweep(path, where + "/max_depth is missing");
  if (!seed.contains("p99_ns") || !seed["p99_ns"].is_number()) not_a_sweep(path, where + "/p99_ns is not a number");
}

std::string shard_name(const nlohmann::json& sweep) {
  return std::to_string(sweep["shard"]["index"].get<std::uint64_t>()) + "/" +
         std::to_string(sweep["shard"]["count"].get<std::uint64_t>());
}

std::string range_text(const nlohmann::json& sweep) {
  return std::to_string(sweep["range"]["first"].get<std::uint64_t>()) + ".." +
         std::to_string(sweep["range"]["last"].get<std::uint64_t>());
}

// The shard holds exactly its share of the range: every seed of it, in order, once.
void check_shard_seeds(const ShardFile& shard) {
  const nlohmann::json& s = shard.sweep;
  SeedRange range{s["range"]["first"].get<std::uint64_t>(), s["range"]["last"].get<std::uint64_t>(),
                  s["shard"]["index"].get<std::uint64_t>(), s["shard"]["count"].get<std::uint64_t>()};
  if (s.value("interrupted", false)) {
    throw MergeError(shard.path + " (shard " + shard_name(s) + ") was interrupted after " +
                     std::to_string(s["seeds"].size()) + " of " + std::to_string(range.size()) +
                     " seeds: run that shard again");
  }
  const nlohmann::json& seeds = s["seeds"];
  if (seeds.size() != range.size()) {
    throw MergeError(shard.path + " (shard " + shard_name(s) + ") holds " + std::to_string(seeds.size()) +
                     " seeds, but its share of " + range_text(s) + " is " + std::to_string(range.size()));
  }
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    if (seeds[i]["seed"].get<std::uint64_t>() != range.at(i)) {
      throw MergeError(shard.path + " (shard " + shard_name(s) + ") holds seed " +
                       std::to_string(seeds[i]["seed"].get<std::uint64_t>()) + " where its share of " +
                       range_text(s) + " has seed " + std::to_string(range.at(i)));
    }
  }
}

}  // namespace

ShardFile read_sweep_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MergeError("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  ShardFile shard{path, {}};
  try {
    shard.sweep = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    not_a_sweep(path, "it is not JSON (the text stops making sense at byte " + std::to_string(e.byte) + ")");
  }
  const nlohmann::json& s = shard.sweep;
  if (!s.is_object() || !s.contains("seeds") || !s["seeds"].is_array()) not_a_sweep(path, "it has no \"seeds\" list");
  if (!s.contains("scenario") || !s["scenario"].is_string()) not_a_sweep(path, "it names no scenario");
  if (!s.contains("file") || !s["file"].is_string()) not_a_sweep(path, "it names no scenario file");
  if (!is_unsigned(s.value("range", nlohmann::json()), "first") || !is_unsigned(s["range"], "last")) {
    not_a_sweep(path, "it has no seed range (written by an older sluice? run the sweep again)");
  }
  const nlohmann::json shard_info = s.value("shard", nlohmann::json());
  if (!is_unsigned(shard_info, "index") || !is_unsigned(shard_info, "count") || shard_info["count"] == 0 ||
      shard_info["index"] >= shard_info["count"]) {
    not_a_sweep(path, "it has no valid \"shard\" {index, count}");
  }
  for (std::size_t i = 0; i < s["seeds"].size(); ++i) check_seed(path, s["seeds"][i], i);
  return shard;
}

void check_shard_coverage(const std::vector<ShardFile>& shards) {
  if (shards.empty()) throw MergeError("--merge needs the shards' sweep.json files");
  const nlohmann::json& first = shards.front().sweep;
  std::map<std::uint64_t, const ShardFile*> by_index;
  for (const ShardFile& shard : shards) {
    const nlohmann::json& s = shard.sweep;
    if (s["scenario"] != first["scenario"]) {
      throw MergeError(shard.path + " is a sweep of " + s["scenario"].get<std::string>() + ", " +
                       shards.front().path + " of " + first["scenario"].get<std::string>());
    }
    if (s["range"] != first["range"] || s["shard"]["count"] != first["shard"]["count"]) {
      throw MergeError(shard.path + " is shard " + shard_name(s) + " of seeds " + range_text(s) + ", " +
                       shards.front().path + " is shard " + shard_name(first) + " of seeds " + range_text(first) +
                       ": shards of different sweeps");
    }
    auto [it, inserted] = by_index.emplace(s["shard"]["index"].get<std::uint64_t>(), &shard);
    if (!inserted) {
      throw MergeError("shard " + shard_name(s) + " is given twice: " + it->second->path + " and " + shard.path);
    }
    check_shard_seeds(shard);
  }
  std::uint64_t count = first["shard"]["count"];
  for (std::uint64_t i = 0; i < count; ++i) {
    if (by_index.count(i) == 0) {
      throw MergeError("shard " + std::to_string(i) + "/" + std::to_string(count) + " of seeds " + range_text(first) +
                       " is missing: run `sluice sweep " + first["file"].get<std::string>() + " --seeds " +
                       range_text(first) + " --shard " + std::to_string(i) + "/" + std::to_string(count) +
                       "` and merge its sweep.json too");
    }
  }
}

}  // namespace sluice
