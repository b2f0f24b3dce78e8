#include "visualizer/theme.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "visualizer/faults.h"

namespace sluice::viz {

namespace {

// Latin-1 plus the punctuation, arrows and shapes the panels use (en dash, middle dot, bullet).
const ImWchar kGlyphRanges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x21FF, 0x25A0, 0x25FF, 0};

ImFont* try_font(const char* path, float size) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return nullptr;
  return ImGui::GetIO().Fonts->AddFontFromFileTTF(path, size, nullptr, kGlyphRanges);
}

ImU32 lerp(ImU32 a, ImU32 b, double t) {
  t = std::clamp(t, 0.0, 1.0);
  auto channel = [&](int shift) {
    const double x = ((a >> shift) & 0xff) * (1 - t) + ((b >> shift) & 0xff) * t;
    return static_cast<ImU32>(x + 0.5) << shift;
  };
  return channel(IM_COL32_R_SHIFT) | channel(IM_COL32_G_SHIFT) | channel(IM_COL32_B_SHIFT) |
         channel(IM_COL32_A_SHIFT);
}

ImU32 with_alpha(ImU32 color, int alpha) {
  return (color & ~IM_COL32_A_MASK) | (static_cast<ImU32>(std::clamp(alpha, 0, 255)) << IM_COL32_A_SHIFT);
}

void apply_style(float scale) {
  ImGui::StyleColorsDark();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 0;
  style.WindowBorderSize = 1;
  style.FrameRounding = 3;
  style.GrabRounding = 3;
  style.TabRounding = 3;
  style.ScrollbarRounding = 3;
  style.WindowPadding = ImVec2(10, 8);
  style.FramePadding = ImVec2(7, 4);
  style.ItemSpacing = ImVec2(8, 6);
  style.CellPadding = ImVec2(6, 3);
  style.WindowTitleAlign = ImVec2(0.0f, 0.5f);
  // Anti-aliased fill adds a fringe of triangles to every filled shape: with
  // software rendering, triangles cost more than the softer edges are worth.
  style.AntiAliasedFill = false;
  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = to_vec4(colors::kPanelBg);
  c[ImGuiCol_ChildBg] = to_vec4(colors::kPanelBg);
  c[ImGuiCol_PopupBg] = ImVec4(0.12f, 0.13f, 0.16f, 0.98f);
  c[ImGuiCol_Border] = ImVec4(0.22f, 0.25f, 0.30f, 1.0f);
  c[ImGuiCol_TitleBg] = ImVec4(0.10f, 0.11f, 0.14f, 1.0f);
  c[ImGuiCol_TitleBgActive] = ImVec4(0.13f, 0.15f, 0.19f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(0.16f, 0.18f, 0.22f, 1.0f);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.21f, 0.24f, 0.30f, 1.0f);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.25f, 0.29f, 0.36f, 1.0f);
  c[ImGuiCol_Button] = ImVec4(0.20f, 0.25f, 0.33f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.26f, 0.34f, 0.46f, 1.0f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.30f, 0.42f, 0.58f, 1.0f);
  c[ImGuiCol_Header] = ImVec4(0.20f, 0.25f, 0.33f, 1.0f);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.26f, 0.34f, 0.46f, 0.8f);
  c[ImGuiCol_HeaderActive] = ImVec4(0.30f, 0.42f, 0.58f, 1.0f);
  c[ImGuiCol_TableHeaderBg] = ImVec4(0.14f, 0.16f, 0.20f, 1.0f);
  c[ImGuiCol_TableRowBgAlt] = ImVec4(1, 1, 1, 0.025f);
  c[ImGuiCol_SliderGrab] = ImVec4(0.45f, 0.60f, 0.85f, 1.0f);
  c[ImGuiCol_CheckMark] = ImVec4(0.55f, 0.75f, 1.0f, 1.0f);
  c[ImGuiCol_Tab] = ImVec4(0.16f, 0.18f, 0.22f, 1.0f);
  c[ImGuiCol_TabActive] = ImVec4(0.26f, 0.34f, 0.46f, 1.0f);
  c[ImGuiCol_TabHovered] = ImVec4(0.30f, 0.42f, 0.58f, 1.0f);
  style.ScaleAllSizes(scale);
}

}  // namespace

Fonts load_fonts_and_style(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  Fonts fonts;
  const char* dir = "/usr/share/fonts/truetype/dejavu/";
  const std::string sans = std::string(dir) + "DejaVuSans.ttf";
  const std::string bold = std::string(dir) + "DejaVuSans-Bold.ttf";
  const std::string mono = std::string(dir) + "DejaVuSansMono.ttf";
  fonts.regular = try_font(sans.c_str(), 15.0f * scale);
  if (fonts.regular != nullptr) {
    fonts.bold = try_font(bold.c_str(), 15.0f * scale);
    fonts.mono = try_font(mono.c_str(), 14.0f * scale);
    fonts.small = try_font(sans.c_str(), 12.5f * scale);
  } else {
    ImFontConfig config;
    config.SizePixels = 13.0f * scale;
    fonts.regular = io.Fonts->AddFontDefault(&config);
  }
  if (fonts.bold == nullptr) fonts.bold = fonts.regular;
  if (fonts.mono == nullptr) fonts.mono = fonts.regular;
  if (fonts.small == nullptr) fonts.small = fonts.regular;
  io.FontDefault = fonts.regular;
  apply_style(scale);
  return fonts;
}

ImVec4 to_vec4(ImU32 color) { return ImGui::ColorConvertU32ToFloat4(color); }

ImU32 series_color(int index, int alpha) {
  static const ImU32 kPalette[] = {IM_COL32(79, 195, 247, 255), IM_COL32(255, 183, 77, 255),
                                   IM_COL32(174, 213, 129, 255), IM_COL32(240, 98, 146, 255),
                                   IM_COL32(149, 117, 205, 255), IM_COL32(77, 208, 225, 255),
                                   IM_COL32(255, 241, 118, 255), IM_COL32(161, 136, 127, 255)};
  const int n = static_cast<int>(sizeof(kPalette) / sizeof(kPalette[0]));
  return with_alpha(kPalette[((index % n) + n) % n], alpha);
}

ImU32 fill_color(double fraction, int alpha) {
  const ImU32 green = IM_COL32(102, 187, 106, 255), amber = IM_COL32(255, 179, 0, 255),
              red = IM_COL32(239, 83, 80, 255);
  const ImU32 c = fraction < 0.6 ? lerp(green, amber, fraction / 0.6) : lerp(amber, red, (fraction - 0.6) / 0.4);
  return with_alpha(c, alpha);
}

ImU32 condition_color(unsigned condition) {
  if (condition & kNodeCrashed) return colors::kFail;
  if (condition & kNodePartitioned) return IM_COL32(186, 104, 200, 255);
  if (condition & kNodePaused) return IM_COL32(144, 164, 174, 255);
  if (condition & kNodeSlow) return colors::kWarn;
  if (condition & kNodeClockSkewed) return IM_COL32(77, 182, 172, 255);
  if (condition & kNodeOtherFault) return IM_COL32(255, 112, 67, 255);
  return colors::kOk;
}

ImU32 fault_color(const char* kind, int alpha) {
  return with_alpha(condition_color(condition_of_kind(kind)), alpha);
}

ImU32 kind_color(TraceKind kind) {
  switch (kind) {
    case TraceKind::produce: return IM_COL32(100, 170, 255, 255);
    case TraceKind::ack: return IM_COL32(77, 182, 172, 255);
    case TraceKind::enqueue: return IM_COL32(129, 199, 132, 255);
    case TraceKind::dequeue: return IM_COL32(197, 225, 165, 255);
    case TraceKind::shed: return colors::kFail;
    case TraceKind::deliver: return IM_COL32(179, 157, 219, 255);
    case TraceKind::processed: return IM_COL32(149, 117, 205, 255);
    case TraceKind::aborted: return colors::kWarn;
    case TraceKind::effect: return IM_COL32(77, 208, 225, 255);
    case TraceKind::fault: return colors::kFail;
    case TraceKind::heal: return colors::kOk;
    case TraceKind::commit:
    case TraceKind::checkpoint:
    case TraceKind::restore: return colors::kWarn;
    case TraceKind::scaled:
    case TraceKind::replica: return colors::kStage;
    case TraceKind::alert: return colors::kFail;
    default: return colors::kDimText;
  }
}

}  // namespace sluice::viz
