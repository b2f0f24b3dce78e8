#include "reports/svg_path.h"

#include <cmath>
#include <cstdio>

namespace sluice::reports {

void append_svg_number(std::string& out, double value) {
  if (!std::isfinite(value)) value = 0;
  long long tenths = std::llround(value * 10);
  if (tenths < 0) {
    out += '-';
    tenths = -tenths;
  }
  char text[32];
  int n = tenths % 10 == 0 ? std::snprintf(text, sizeof(text), "%lld", tenths / 10)
                           : std::snprintf(text, sizeof(text), "%lld.%lld", tenths / 10, tenths % 10);
  out.append(text, static_cast<std::size_t>(n));
}

std::string svg_number(double value) {
  std::string out;
  append_svg_number(out, value);
  return out;
}

void PathData::point(double x, double y) {
  append_svg_number(d_, x);
  d_ += ' ';
  append_svg_number(d_, y);
}

void PathData::move_to(double x, double y) {
  d_ += 'M';
  point(x, y);
  in_line_ = true;
}

void PathData::line_to(double x, double y) {
  d_ += in_line_ ? ' ' : 'L';
  point(x, y);
  in_line_ = true;
}

void PathData::horizontal_to(double x) {
  d_ += 'H';
  append_svg_number(d_, x);
  in_line_ = false;
}

void PathData::vertical_to(double y) {
  d_ += 'V';
  append_svg_number(d_, y);
  in_line_ = false;
}

void PathData::dot() {
  d_ += "h0";
  in_line_ = false;
}

void PathData::close() {
  d_ += 'Z';
  in_line_ = false;
}

}  // namespace sluice::reports
