#include "sim/output/atomic_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace sluice {
namespace {

std::string temp_name(const std::string& path) {
  return path + ".tmp." + std::to_string(::getpid());
}

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error("cannot " + what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content) {
  AtomicFileStream stream(path);
  stream.write(content);
  stream.commit();
}

AtomicFileStream::AtomicFileStream(std::string path) : path_(std::move(path)), temp_path_(temp_name(path_)) {
  file_ = std::fopen(temp_path_.c_str(), "wb");
  if (file_ == nullptr) fail("create", temp_path_);
  // Large writes go straight out; small ones are batched by stdio.
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
}

AtomicFileStream::~AtomicFileStream() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::remove(temp_path_.c_str());
  }
}

void AtomicFileStream::write(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) fail("write", temp_path_);
}

void AtomicFileStream::flush() {
  if (std::fflush(file_) != 0) fail("write", temp_path_);
}

void AtomicFileStream::commit() {
  if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0) fail("flush", temp_path_);
  std::FILE* file = file_;
  file_ = nullptr;
  if (std::fclose(file) != 0) fail("close", temp_path_);
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    std::remove(temp_path_.c_str());
    fail("rename into", path_);
  }
}

}  // namespace sluice
