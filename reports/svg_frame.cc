#include "reports/svg_frame.h"

#include <cstddef>

#include "reports/svg_path.h"
#include "reports/xml_escape.h"

namespace sluice::reports {
namespace {

constexpr double kCharWidth = 6.2;  // average advance of an 11 px system-ui glyph

struct LegendSlot {
  double x;
  std::size_t row;
};

// Items flow left to right from the plot's left edge, wrapping at its right edge.
std::vector<LegendSlot> legend_layout(const std::vector<LegendItem>& items, double left, double right) {
  std::vector<LegendSlot> slots;
  double x = left;
  std::size_t row = 0;
  for (const LegendItem& item : items) {
    double w = 22 + text_width(item.label) + 14;
    if (x + w > right && x > left) {
      x = left;
      ++row;
    }
    slots.push_back({x, row});
    x += w;
  }
  return slots;
}

std::string legend_svg(const std::vector<LegendItem>& items, double left, double right) {
  std::string out = "<g class=\"legend\">";
  std::vector<LegendSlot> slots = legend_layout(items, left, right);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const LegendItem& item = items[i];
    double x = slots[i].x, y = kTitleBand + 2 + kLegendRow * static_cast<double>(slots[i].row);
    std::string sx = svg_number(x), sy = svg_number(y);
    switch (item.kind) {
      case LegendItem::line:
        out += "<path class=\"line " + item.css + "\" d=\"M" + sx + ' ' + sy + "h16\"/>";
        break;
      case LegendItem::dashed:
        out += "<path class=\"hline " + item.css + "\" d=\"M" + sx + ' ' + sy + "h16\"/>";
        break;
      case LegendItem::marker:
        out += "<path class=\"marker " + item.css + "\" d=\"M" + svg_number(x + 8) + ' ' + svg_number(y - 6) + "v12\"/>";
        break;
      case LegendItem::band:
      case LegendItem::span:
        out += "<rect class=\"" + std::string(item.kind == LegendItem::band ? "band " : "span ") + item.css +
               "\" x=\"" + sx + "\" y=\"" + svg_number(y - 5) + "\" width=\"16\" height=\"10\"/>";
        break;
    }
    out += "<text x=\"" + svg_number(x + 22) + "\" y=\"" + svg_number(y + 4) + "\">" + xml_escape(item.label) +
           "</text>";
  }
  return out + "</g>";
}

}  // namespace

double text_width(const std::string& text) {
  // Count code points, not bytes, so "µs" is two characters wide.
  double n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n * kCharWidth;
}





int legend_rows(const std::vector<LegendItem>& items, double left, double right) {
  return items.empty() ? 0 : static_cast<int>(legend_layout(items, left, right).back().row) + 1;
}


std::string frame_open(const Frame& f) {
  double height = f.bottom + kBottomBand;
  std::string out = "<svg class=\"chart\" viewBox=\"0 0 " + svg_number(f.width) + ' ' + svg_number(height) +
                    "\" role=\"img\" aria-label=\"" + xml_attr(f.title) + "\"" + f.data_attributes + '>';
  out += "<title>" + xml_escape(f.title) + "</title>";
  out += "<text class=\"chart-title\" x=\"" + svg_number(f.left) + "\" y=\"16\">" + xml_escape(f.title) + "</text>";
  if (!f.legend.empty()) out += legend_svg(f.legend, f.left, f.right);
  PathData grid;
  if (f.y_grid) {
    for (const auto& [py, label] : f.y_ticks) {
      grid.move_to(f.left, py);
      grid.horizontal_to(f.right);
    }
  }
  if (f.x_grid) {
    for (const auto& [px, label] : f.x_ticks) {
      grid.move_to(px, f.top);
      grid.vertical_to(f.bottom);
    }
  }
  if (!grid.empty()) out += "<path class=\"grid\" d=\"" + grid.str() + "\"/>";
  return out;
}

std::string frame_close(const Frame& f, const std::string& extra) {
  PathData axis;
  axis.move_to(f.left, f.top);
  axis.vertical_to(f.bottom);
  axis.horizontal_to(f.right);
  for (const auto& [px, label] : f.x_ticks) {
    axis.move_to(px, f.bottom);
    axis.vertical_to(f.bottom + 4);
  }
  for (const auto& [py, label] : f.y_ticks) {
    axis.move_to(f.left - 4, py);
    axis.horizontal_to(f.left);
  }
  std::string out = "<path class=\"axis\" d=\"" + axis.str() + "\"/>";
  out += "<g class=\"tx\">";
  for (const auto& [px, label] : f.x_ticks) {
    out += "<text x=\"" + svg_number(px) + "\" y=\"" + svg_number(f.bottom + 16) + "\">" + xml_escape(label) +
           "</text>";
  }
  out += "</g><g class=\"ty\">";
  for (const auto& [py, label] : f.y_ticks) {
    out += "<text x=\"" + svg_number(f.left - 7) + "\" y=\"" + svg_number(py + 4) + "\">" + xml_escape(label) +
           "</text>";
  }
  out += "</g>";
  out += "<text class=\"axis-label\" x=\"" + svg_number((f.left + f.right) / 2) + "\" y=\"" +
         svg_number(f.bottom + 38) + "\">" + xml_escape(f.x_label) + "</text>";
  out += "<text class=\"axis-label\" transform=\"rotate(-90)\" x=\"" + svg_number(-(f.top + f.bottom) / 2) +
         "\" y=\"13\">" + xml_escape(f.y_label) + "</text>";
  return out + extra + "</svg>";
}

std::vector<std::pair<double, std::string>> placed(const std::vector<Tick>& ticks, const Scale& s, double unit) {
  std::vector<std::pair<double, std::string>> out;
  for (const Tick& t : ticks) out.emplace_back(s(t.value * unit), t.label);
  return out;
}

}  // namespace sluice::reports
