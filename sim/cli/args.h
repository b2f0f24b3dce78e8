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

// A programming error: code asked for an option its help does not list.
struct UndescribedOption : std::logic_error {
  using std::logic_error::logic_error;
};

class Args {
 public:
  // The arguments after `sluice COMMAND`. Every option asked for must be
  // listed in the command's help (sim/cli/help.cc): asking for one that is
  // not throws UndescribedOption, so no flag ships undocumented.
  Args(int argc, char** argv, const std::string& command);
  // Removes `--name` if present.
  bool flag(const std::string& name);
  // Removes `--name VALUE` (or `--name=VALUE`) if present.
  std::optional<std::string> option(const std::string& name);
  std::optional<std::uint64_t> unsigned_option(const std::string& name);
  // What is left once every option was taken; an unknown `--x` is an error.
  std::vector<std::string> positionals() const;

 private:
  void require_described(const std::string& name) const;

  std::string command_;
  std::vector<std::string> items_;
};

std::uint64_t parse_unsigned(const std::string& text, const std::string& what);

}  // namespace sluice
