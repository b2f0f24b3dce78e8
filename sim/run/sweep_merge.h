// Checks for `sluice sweep --merge`: each file is a sweep result (not a
// summary.json or a truncated file), and the shards cover their seed range
// exactly once (none missing, none twice, none interrupted). A problem is a
// MergeError with a plain message naming the file or the shard.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sluice {

struct MergeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ShardFile {
  std::string path;
  nlohmann::json sweep;
};

// Reads and checks one sweep.json.
ShardFile read_sweep_file(const std::string& path);
// Checks the shards are of one scenario and seed range and cover it exactly once.
void check_shard_coverage(const std::vector<ShardFile>& shards);

}  // namespace sluice
