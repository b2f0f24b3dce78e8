// Output files appear whole or not at all: written to a temporary file in the
// same directory, then renamed over the target. A run that fails halfway
// leaves no half-written output behind.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace sluice {

// Throws std::runtime_error naming the path when the file cannot be written.
void write_file_atomically(const std::string& path, std::string_view content);

// A streamed output (trace.jsonl): appended to a temporary file, which
// commit() renames into place. Destroyed without commit(), it leaves nothing.
class AtomicFileStream {
 public:
  explicit AtomicFileStream(std::string path);
  ~AtomicFileStream();
  AtomicFileStream(const AtomicFileStream&) = delete;
  AtomicFileStream& operator=(const AtomicFileStream&) = delete;

  void write(std::string_view bytes);
  // Hands what was written to the OS, so another reader (or a crash) sees it.
  void flush();
  void commit();
  const std::string& temp_path() const { return temp_path_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
};

}  // namespace sluice
