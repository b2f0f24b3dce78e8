// A test that always skips, so that ctest can show SLUICE_FAIL_ON_SKIP=1
// turns a skip into a failed run (and that without it, the skip is reported
// as a skip). Not part of any suite: see tests/CMakeLists.txt.
#include <gtest/gtest.h>

TEST(PlantedSkip, SkipsAsIfAToolWereMissing) { GTEST_SKIP() << "planted: a tool this test needs is missing"; }
