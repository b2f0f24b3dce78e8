#include "sim/cli/args.h"

#include <charconv>

#include "sim/cli/help.h"

namespace sluice {

Args::Args(int argc, char** argv, const std::string& command) : command_(command) {
  for (int i = 2; i < argc; ++i) items_.emplace_back(argv[i]);
}

void Args::require_described(const std::string& name) const {
  const CommandHelp* help = find_command_help(command_);
  if (help == nullptr || !describes_option(*help, name)) {
    throw UndescribedOption(name + " is not described in `sluice " + command_ + " --help` (add it in sim/cli/help.cc)");
  }
}

bool Args::flag(const std::string& name) {
  require_described(name);
  for (auto it = items_.begin(); it != items_.end(); ++it) {
    if (*it == name) {
      items_.erase(it);
      return true;
    }
  }
  return false;
}

std::optional<std::string> Args::option(const std::string& name) {
  require_described(name);
  for (auto it = items_.begin(); it != items_.end(); ++it) {
    if (*it == name) {
      if (it + 1 == items_.end()) throw UsageError(name + " needs a value");
      std::string value = *(it + 1);
      items_.erase(it, it + 2);
      return value;
    }
    if (it->rfind(name + "=", 0) == 0) {
      std::string value = it->substr(name.size() + 1);
      items_.erase(it);
      return value;
    }
  }
  return std::nullopt;
}

std::optional<std::uint64_t> Args::unsigned_option(const std::string& name) {
  std::optional<std::string> value = option(name);
  if (!value) return std::nullopt;
  return parse_unsigned(*value, name);
}

std::vector<std::string> Args::positionals() const {
  for (const std::string& item : items_) {
    if (item.size() > 1 && item[0] == '-') throw UsageError("unknown option " + item);
  }
  return items_;
}

std::uint64_t parse_unsigned(const std::string& text, const std::string& what) {
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    throw UsageError(what + " expects a non-negative integer, got '" + text + "'");
  }
  return value;
}

}  // namespace sluice
