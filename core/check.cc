#include "core/check.h"

#include <cstdio>
#include <cstdlib>

namespace sluice {
namespace {
thread_local const CheckContext* current_context = nullptr;
}

void set_check_context(const CheckContext* context) { current_context = context; }

void check_failed(const char* file, int line, const char* expression, const char* message) {
  if (current_context != nullptr) {
    std::fprintf(stderr, "sluice: invariant violated at %s:%d: %s (%s)\n  seed %llu, virtual time %lld ns\n",
                 file, line, message, expression, static_cast<unsigned long long>(current_context->seed),
                 static_cast<long long>(current_context->now ? *current_context->now : 0));
  } else {
    std::fprintf(stderr, "sluice: invariant violated at %s:%d: %s (%s)\n", file, line, message, expression);
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace sluice
