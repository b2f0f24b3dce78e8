// Small, strict command-line parsing shared by the sluice subcommands.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sluice {

// A usage error: the CLI prints it with the subcommand's usage and exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  Args(int argc, char** argv, int first) {
    for (int i = first; i < argc; ++i) items_.emplace_back(argv[i]);
  }
  // Removes `--name` if present.
  bool flag(const std::string& name);
  // Removes `--name VALUE` (or `--name=VALUE`) if present.
  std::optional<std::string> option(const std::string& name);
  std::optional<std::uint64_t> unsigned_option(const std::string& name);
  // What is left once every option was taken; an unknown `--x` is an error.
  std::vector<std::string> positionals() const;

 private:
  std::vector<std::string> items_;
};

std::uint64_t parse_unsigned(const std::string& text, const std::string& what);

}  // namespace sluice
