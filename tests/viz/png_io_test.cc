#include "visualizer/png_io.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace sluice::viz {
namespace {

TEST(Png, RoundTripsRgbAndRgba) {
  const std::string path = (std::filesystem::temp_directory_path() / "viz_png_io_test.png").string();
  for (int channels : {3, 4}) {
    Image image;
    image.width = 37;
    image.height = 23;
    image.channels = channels;
    for (int y = 0; y < image.height; ++y) {
      for (int x = 0; x < image.width; ++x) {
        for (int c = 0; c < channels; ++c) image.pixels.push_back(static_cast<std::uint8_t>(x * 7 + y * 13 + c * 50));
      }
    }
    std::string error;
    ASSERT_TRUE(write_png(path, image, &error)) << error;
    Image back;
    ASSERT_TRUE(read_png(path, back, &error)) << error;
    EXPECT_EQ(back.width, image.width);
    EXPECT_EQ(back.height, image.height);
    EXPECT_EQ(back.channels, channels);
    EXPECT_EQ(back.pixels, image.pixels);
    EXPECT_EQ(back.rgb(1, 0), image.rgb(1, 0));
  }
  std::filesystem::remove(path);
}

TEST(Png, RejectsWhatItCannotRead) {
  const std::string path = (std::filesystem::temp_directory_path() / "viz_png_io_bad.png").string();
  std::ofstream(path) << "not a png";
  Image image;
  std::string error;
  EXPECT_FALSE(read_png(path, image, &error));
  EXPECT_NE(error.find("not a PNG"), std::string::npos);
  std::filesystem::remove(path);
  EXPECT_FALSE(write_png(path, Image{}, &error));
}

}  // namespace
}  // namespace sluice::viz
