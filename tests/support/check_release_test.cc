// SLUICE_CHECK stays on where assert() would be gone: this file is compiled
// with NDEBUG and -O2 (tests/CMakeLists.txt), as in a Release build, and a
// failed check still stops the process, naming the seed and virtual time.
#ifndef NDEBUG
#error "check_release_test must be compiled as in Release, with NDEBUG defined"
#endif

#include <gtest/gtest.h>

#include "core/check.h"
#include "core/random/rng.h"

namespace sluice {
namespace {

void fail_a_check_in_a_run() {
  static const Nanos now = 1234567;
  static const CheckContext context{.seed = 42, .now = &now};
  set_check_context(&context);
  SLUICE_CHECK(now < 0, "planted: virtual time is negative");
}

TEST(CheckReleaseDeathTest, ACheckFiresUnderNdebugWithSeedAndVirtualTime) {
  EXPECT_DEATH(fail_a_check_in_a_run(),
               "invariant violated at .*check_release_test.cc:[0-9]+: planted: virtual time is negative"
               ".*seed 42, virtual time 1234567 ns");
}

// A check inside a core header (it was an assert() before) is compiled here
// under NDEBUG too, and still fires.
TEST(CheckReleaseDeathTest, ACoreHeaderCheckFiresUnderNdebug) {
  Rng rng(7);
  EXPECT_DEATH(rng.uniform_u64(0), "uniform_u64: bound must be > 0");
}

TEST(CheckReleaseTest, AHoldingCheckDoesNothing) {
  Rng rng(7);
  EXPECT_LT(rng.uniform_u64(10), 10u);
}

}  // namespace
}  // namespace sluice
