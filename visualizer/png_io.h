// PNG files for screenshots, written and read with zlib alone: 8-bit RGB or
// RGBA, non-interlaced. Reading exists so tests can check what was written.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::viz {

struct Image {
  int width = 0;
  int height = 0;
  int channels = 4;  // 3 (RGB) or 4 (RGBA)
  std::vector<std::uint8_t> pixels;  // rows top to bottom, width * channels bytes each

  std::uint32_t rgb(int x, int y) const;  // 0xRRGGBB
};

// Writes `image` to `path`. Returns false and sets `error` on failure.
bool write_png(const std::string& path, const Image& image, std::string* error);

// Reads an 8-bit RGB/RGBA non-interlaced PNG (what write_png writes, and
// what most tools write). Returns false and sets `error` otherwise.
bool read_png(const std::string& path, Image& image, std::string* error);

}  // namespace sluice::viz
