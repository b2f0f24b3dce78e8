// Compact SVG geometry: coordinates rounded to one decimal and path data with
// implicit line-tos, because a long run's report must stay small.
#pragma once

#include <string>

namespace sluice::reports {

// `value` rounded to one decimal, without a trailing ".0": 12.34 -> "12.3", 7.0 -> "7".
std::string svg_number(double value);
void append_svg_number(std::string& out, double value);

// Builds the `d` attribute of one <path>. Consecutive line_to()s after a
// move_to() become implicit line-tos ("M1 2 3 4 5 6"), a third fewer bytes.
class PathData {
 public:
  void move_to(double x, double y);
  void line_to(double x, double y);
  void horizontal_to(double x);
  void vertical_to(double y);
  // A zero-length segment: with round caps it shows as a dot (an isolated point between gaps).
  void dot();
  void close();
  bool empty() const { return d_.empty(); }
  const std::string& str() const { return d_; }

 private:
  void point(double x, double y);
  std::string d_;
  bool in_line_ = false;  // the last command was M or L, so more pairs continue it
};

}  // namespace sluice::reports
