// Always-on assertions for invariants of the core and the runtime. Unlike
// <cassert> they stay in release builds: a violated assumption must stop the
// run loudly, with the seed and the virtual time needed to reproduce it.
#pragma once

#include <cstdint>

#include "core/time.h"

namespace sluice {

// The simulation running on this thread registers what to print on failure.
struct CheckContext {
  std::uint64_t seed = 0;
  const Nanos* now = nullptr;
};
void set_check_context(const CheckContext* context);

[[noreturn]] void check_failed(const char* file, int line, const char* expression, const char* message);

}  // namespace sluice

#define SLUICE_CHECK(condition, message)                                    \
  do {                                                                      \
    if (!(condition)) [[unlikely]]                                          \
      ::sluice::check_failed(__FILE__, __LINE__, #condition, (message));    \
  } while (false)
