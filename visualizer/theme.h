// Colours, fonts and the ImGui style of sluice-viz, in one place so every
// panel speaks the same visual language (a crashed node is the same red in
// the topology, the timelines and the fault list).
#pragma once

#include <imgui.h>

#include "visualizer/trace_line.h"

namespace sluice::viz {

struct Fonts {
  ImFont* regular = nullptr;
  ImFont* bold = nullptr;
  ImFont* mono = nullptr;
  ImFont* small = nullptr;
};

// Loads DejaVu Sans / Sans Mono when the system has them (fonts-dejavu-core),
// else ImGui's built-in font; sets the dark style. Call before the first frame.
Fonts load_fonts_and_style(float scale);

namespace colors {
inline constexpr ImU32 kPanelBg = IM_COL32(24, 27, 33, 255);
inline constexpr ImU32 kPlotBg = IM_COL32(17, 19, 24, 255);
inline constexpr ImU32 kGrid = IM_COL32(255, 255, 255, 18);
inline constexpr ImU32 kAxisText = IM_COL32(150, 158, 172, 255);
inline constexpr ImU32 kText = IM_COL32(225, 229, 236, 255);
inline constexpr ImU32 kDimText = IM_COL32(135, 143, 157, 255);
inline constexpr ImU32 kCursor = IM_COL32(255, 214, 64, 255);
inline constexpr ImU32 kPerturbed = IM_COL32(214, 150, 60, 255);  // a fired perturbation site
inline constexpr ImU32 kHover = IM_COL32(255, 255, 255, 60);
inline constexpr ImU32 kCapacity = IM_COL32(239, 83, 80, 220);
inline constexpr ImU32 kOk = IM_COL32(102, 187, 106, 255);
inline constexpr ImU32 kFail = IM_COL32(239, 83, 80, 255);
inline constexpr ImU32 kWarn = IM_COL32(255, 167, 38, 255);
inline constexpr ImU32 kNotApplicable = IM_COL32(120, 128, 140, 255);
inline constexpr ImU32 kEdge = IM_COL32(120, 144, 180, 200);
inline constexpr ImU32 kBoxBg = IM_COL32(36, 41, 50, 255);
inline constexpr ImU32 kBoxBorder = IM_COL32(70, 78, 92, 255);
inline constexpr ImU32 kSource = IM_COL32(79, 155, 255, 255);
inline constexpr ImU32 kBuffer = IM_COL32(102, 187, 106, 255);
inline constexpr ImU32 kStage = IM_COL32(171, 130, 255, 255);
inline constexpr ImU32 kSink = IM_COL32(38, 198, 218, 255);
}  // namespace colors

// Lane colours for series, cycling.
ImU32 series_color(int index, int alpha = 255);
// Green -> amber -> red as a queue fills.
ImU32 fill_color(double fraction, int alpha = 255);
// Up is green; a crash red, a partition violet, a pause grey, slowness amber.
ImU32 condition_color(unsigned condition);
ImU32 fault_color(const char* kind, int alpha);
ImU32 kind_color(TraceKind kind);
ImVec4 to_vec4(ImU32 color);

}  // namespace sluice::viz
