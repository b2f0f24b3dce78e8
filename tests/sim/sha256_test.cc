// The project's SHA-256 against the FIPS 180-4 / NIST test vectors.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "sim/output/sha256.h"

namespace sluice {
namespace {

TEST(Sha256, MatchesTheNistVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                       "mnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, StreamedInPiecesEqualsAtOnce) {
  // Pieces that straddle the 64-byte block and the 56-byte padding boundary.
  std::string text(200, 'x');
  for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>('a' + i % 26);
  for (std::size_t cut : {1u, 55u, 56u, 63u, 64u, 65u, 119u, 120u, 199u}) {
    Sha256 hash;
    hash.update(std::string_view(text).substr(0, cut));
    hash.update(std::string_view(text).substr(cut));
    EXPECT_EQ(hash.hex(), sha256_hex(text)) << cut;
  }
  EXPECT_NE(sha256_hex(text), sha256_hex(text.substr(1)));
}

TEST(Sha256, HashesAFileAndNamesOneItCannotRead) {
  std::filesystem::path path = std::filesystem::temp_directory_path() / ("sluice-sha-" + std::to_string(::getpid()));
  std::ofstream(path) << "abc";
  EXPECT_EQ(sha256_file(path.string()), sha256_hex("abc"));
  std::filesystem::remove(path);
  try {
    sha256_file(path.string());
    FAIL() << "no error for a missing file";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sluice
