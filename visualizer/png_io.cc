#include "visualizer/png_io.h"

#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

namespace sluice::viz {

std::uint32_t Image::rgb(int x, int y) const {
  const std::size_t i = (static_cast<std::size_t>(y) * width + x) * channels;
  return (std::uint32_t{pixels[i]} << 16) | (std::uint32_t{pixels[i + 1]} << 8) | pixels[i + 2];
}

namespace {

constexpr std::uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

void put32(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v >> 24);
  out += static_cast<char>(v >> 16);
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v);
}

std::uint32_t get32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

void chunk(std::string& out, const char type[4], const std::string& data) {
  put32(out, static_cast<std::uint32_t>(data.size()));
  std::string body(type, 4);
  body += data;
  out += body;
  put32(out, static_cast<std::uint32_t>(
                 crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
}

bool fail(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
  return false;
}

int paeth(int a, int b, int c) {
  const int p = a + b - c;
  const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

}  // namespace

bool write_png(const std::string& path, const Image& image, std::string* error) {
  if (image.width <= 0 || image.height <= 0 || (image.channels != 3 && image.channels != 4)) {
    return fail(error, "bad image shape");
  }
  const std::size_t stride = static_cast<std::size_t>(image.width) * image.channels;
  if (image.pixels.size() < stride * image.height) return fail(error, "too few pixels");
  // Filter "up" on every row: screenshots are mostly flat panels, which it
  // turns into zeros that deflate well.
  std::string raw;
  raw.reserve((stride + 1) * image.height);
  for (int y = 0; y < image.height; ++y) {
    raw += static_cast<char>(y == 0 ? 0 : 2);
    const std::uint8_t* row = image.pixels.data() + y * stride;
    for (std::size_t i = 0; i < stride; ++i) {
      raw += static_cast<char>(y == 0 ? row[i] : static_cast<std::uint8_t>(row[i] - row[i - stride]));
    }
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size, reinterpret_cast<const Bytef*>(raw.data()),
                static_cast<uLong>(raw.size()), 6) != Z_OK) {
    return fail(error, "zlib compression failed");
  }
  packed.resize(packed_size);

  std::string header;
  put32(header, static_cast<std::uint32_t>(image.width));
  put32(header, static_cast<std::uint32_t>(image.height));
  header += static_cast<char>(8);                           // bit depth
  header += static_cast<char>(image.channels == 4 ? 6 : 2);  // colour type RGBA / RGB
  header += std::string(3, '\0');                           // deflate, adaptive filters, no interlace
  std::string file(reinterpret_cast<const char*>(kSignature), sizeof(kSignature));
  chunk(file, "IHDR", header);
  chunk(file, "IDAT", packed);
  chunk(file, "IEND", "");

  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return fail(error, path + ": cannot write");
    out.write(file.data(), static_cast<std::streamsize>(file.size()));
    if (!out.flush()) return fail(error, path + ": write failed");
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) return fail(error, path + ": cannot rename into place");
  return true;
}

bool read_png(const std::string& path, Image& image, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(error, path + ": cannot open");
  const std::vector<std::uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (file.size() < 8 || std::memcmp(file.data(), kSignature, 8) != 0) return fail(error, path + ": not a PNG");
  std::size_t at = 8;
  std::string idat;
  int bit_depth = 0, colour = -1, interlace = 0;
  while (at + 12 <= file.size()) {
    const std::uint32_t length = get32(&file[at]);
    if (at + 12 + length > file.size()) return fail(error, path + ": truncated chunk");
    const std::string type(reinterpret_cast<const char*>(&file[at + 4]), 4);
    const std::uint8_t* data = &file[at + 8];
    if (type == "IHDR" && length >= 13) {
      image.width = static_cast<int>(get32(data));
      image.height = static_cast<int>(get32(data + 4));
      bit_depth = data[8];
      colour = data[9];
      interlace = data[12];
    } else if (type == "IDAT") {
      idat.append(reinterpret_cast<const char*>(data), length);
    } else if (type == "IEND") {
      break;
    }
    at += 12 + length;
  }
  if (bit_depth != 8 || (colour != 2 && colour != 6) || interlace != 0) {
    return fail(error, path + ": only 8-bit non-interlaced RGB/RGBA is supported");
  }
  if (image.width <= 0 || image.height <= 0 || image.width > 1 << 15 || image.height > 1 << 15) {
    return fail(error, path + ": bad size");
  }
  image.channels = colour == 6 ? 4 : 3;
  const std::size_t stride = static_cast<std::size_t>(image.width) * image.channels;
  uLongf raw_size = static_cast<uLongf>((stride + 1) * image.height);
  std::vector<std::uint8_t> raw(raw_size);
  if (uncompress(raw.data(), &raw_size, reinterpret_cast<const Bytef*>(idat.data()), static_cast<uLong>(idat.size())) !=
          Z_OK ||
      raw_size != raw.size()) {
    return fail(error, path + ": bad image data");
  }
  image.pixels.assign(stride * image.height, 0);
  const int bpp = image.channels;
  for (int y = 0; y < image.height; ++y) {
    const std::uint8_t filter = raw[y * (stride + 1)];
    const std::uint8_t* src = &raw[y * (stride + 1) + 1];
    std::uint8_t* row = &image.pixels[y * stride];
    const std::uint8_t* up = y > 0 ? row - stride : nullptr;
    for (std::size_t i = 0; i < stride; ++i) {
      const int a = i >= static_cast<std::size_t>(bpp) ? row[i - bpp] : 0;
      const int b = up != nullptr ? up[i] : 0;
      const int c = (up != nullptr && i >= static_cast<std::size_t>(bpp)) ? up[i - bpp] : 0;
      int predicted = 0;
      switch (filter) {
        case 0: predicted = 0; break;
        case 1: predicted = a; break;
        case 2: predicted = b; break;
        case 3: predicted = (a + b) / 2; break;
        case 4: predicted = paeth(a, b, c); break;
        default: return fail(error, path + ": bad filter type");
      }
      row[i] = static_cast<std::uint8_t>(src[i] + predicted);
    }
  }
  return true;
}

}  // namespace sluice::viz
