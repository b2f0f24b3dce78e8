#include "sim/output/output_dir.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace sluice {

void prepare_output_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw OutputError("cannot create output directory " + dir + ": " + ec.message());
  if (!std::filesystem::is_directory(dir, ec)) throw OutputError("output directory " + dir + " is not a directory");
  // A probe file: permissions, a read-only mount and a full inode table all show here.
  std::string probe = dir + "/.sluice-write-check." + std::to_string(::getpid());
  std::FILE* file = std::fopen(probe.c_str(), "wb");
  if (file == nullptr) throw OutputError("cannot write to output directory " + dir + ": " + std::strerror(errno));
  std::fclose(file);
  std::remove(probe.c_str());
}

std::vector<std::string> remove_stale_outputs(const std::string& dir, const std::vector<std::string>& names) {
  std::vector<std::string> removed;
  for (const std::string& name : names) {
    std::filesystem::path path = std::filesystem::path(dir) / name;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) continue;
    if (!std::filesystem::remove(path, ec) || ec) {
      throw OutputError("cannot remove " + path.string() + " left by an earlier run: " + ec.message());
    }
    removed.push_back(name);
  }
  return removed;
}

}  // namespace sluice
