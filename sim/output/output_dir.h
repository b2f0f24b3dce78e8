// Output directories: created on demand, checked writable before a run
// spends time, and cleared of an earlier run's files this run would not
// overwrite (a stale trace.jsonl beside a new summary.json would be paired
// with it by sluice-viz).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace sluice {

// An output that cannot be written: the CLI prints it and exits 2.
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Creates `dir` (and its parents) and checks a file can be created in it.
// Throws OutputError naming the directory and the reason.
void prepare_output_dir(const std::string& dir);

// Removes those of `names` that exist in `dir`; returns the ones removed.
std::vector<std::string> remove_stale_outputs(const std::string& dir, const std::vector<std::string>& names);

}  // namespace sluice
