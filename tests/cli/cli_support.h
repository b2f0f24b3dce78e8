// Driving the built `sluice` binary from a test, as a user would.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

namespace sluice {

// Runs a shell command line (stdout and stderr together into *output) and
// returns its exit status, or -1 when it did not exit.
inline int run_command(const std::string& command_line, std::string* output = nullptr) {
  std::FILE* pipe = ::popen((command_line + " 2>&1").c_str(), "r");
  std::string text;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof(buffer), pipe)) text.append(buffer, n);
  int status = ::pclose(pipe);
  if (output) *output = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs `sluice ARGS` (stdout and stderr together into *output) and returns its exit status.
inline int sluice(const std::string& args, std::string* output = nullptr) {
  return run_command(std::string(SLUICE_BIN) + " " + args, output);
}

// Runs a bash script (stdout and stderr together into *output); returns its exit status.
inline int sluice_shell(const std::string& script, std::string* output = nullptr) {
  std::string quoted = "'";
  for (char c : script) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  quoted += "'";
  return run_command("bash -c " + quoted, output);
}

// A file of the source tree (a shipped scenario) by its path from the root.
inline std::string scenario(const std::string& relative) { return std::string(SLUICE_SOURCE_DIR) + "/" + relative; }

// An empty scratch directory for one test: `suite` keeps the test files'
// directories apart, the pid keeps concurrent runs apart.
inline std::filesystem::path fresh_dir(const std::string& suite, const std::string& name) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("sluice-" + suite + "-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

}  // namespace sluice
