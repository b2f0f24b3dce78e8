// The one list of every subcommand and every option it takes, with the text
// `sluice help`, `sluice CMD --help` and the README's CLI reference show.
// Args refuses (as a programming error) to read an option that is not listed
// here, so a new flag cannot ship without its line of help.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice {

struct OptionHelp {
  std::string flag;  // "--seed N"
  std::string text;  // one or more sentences
};

struct CommandHelp {
  std::string name;                   // "run"
  std::vector<std::string> synopsis;  // "sluice run SCENARIO.json [options]"
  std::string summary;                // what the command does
  std::vector<OptionHelp> options;
  std::string notes;                  // outputs, exit status
};

const std::vector<CommandHelp>& command_helps();
// Null when there is no such command.
const CommandHelp* find_command_help(std::string_view name);
// True when `flag` ("--seed") is one of the command's options.
bool describes_option(const CommandHelp& help, std::string_view flag);

std::string render_command_help(const CommandHelp& help);
// `sluice help`: every command's synopsis and summary, and where to read more.
std::string render_overview();
// The usage lines a usage error prints.
std::string render_usage(const CommandHelp& help);

}  // namespace sluice
