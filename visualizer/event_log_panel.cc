// The recorded events (or a live run's newest), filtered, around the cursor.
// The trace may hold 10^7 lines, more than ImGui's float-based scrolling can address row by row, so
// the log scrolls by row number itself: it draws only the rows that fit,
// starting at LogState::top_row, with its own wheel handling and scrollbar.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>

#include "visualizer/app.h"

namespace sluice::viz {

namespace {

EventFilter filter_from_ui(const App& app) {
  const LogState& ui = app.log_ui;
  EventFilter filter;
  filter.kinds = ui.kinds;
  const std::string_view key(ui.key_text);
  std::int64_t key_value = 0;
  if (!key.empty() && std::from_chars(key.data(), key.data() + key.size(), key_value).ec == std::errc()) {
    filter.key = key_value;
  }
  filter.id = ui.id_text;
  filter.ids = ui.involved;
  filter.part = ui.part_text;
  // A node name selects every part that lives on it.
  for (const Part& part : app.model().topology.parts) {
    for (const std::string& node : part.nodes) {
      if (!filter.part.empty() && node == filter.part) filter.part_names.push_back(part.id);
    }
  }
  return filter;
}

void kind_picker(App& app) {
  LogState& ui = app.log_ui;
  int shown = 0;
  for (std::size_t k = 0; k < kTraceKinds; ++k) shown += (ui.kinds >> k) & 1u;
  char label[48];
  std::snprintf(label, sizeof(label), shown == static_cast<int>(kTraceKinds) ? "All kinds" : "%d kinds", shown);
  ImGui::SetNextItemWidth(110);
  if (ImGui::BeginCombo("##kinds", label, ImGuiComboFlags_HeightLarge)) {
    if (ImGui::SmallButton("All")) ui.kinds = EventFilter::kAllKinds;
    ImGui::SameLine();
    if (ImGui::SmallButton("None")) ui.kinds = 0;
    for (std::size_t k = 0; k < kTraceKinds; ++k) {
      bool on = (ui.kinds >> k) & 1u;
      const LogRows* rows = app.log_rows();
      const std::uint64_t count = rows != nullptr ? rows->kind_counts()[k] : 0;
      std::snprintf(label, sizeof(label), "%s  (%s)", kind_name(static_cast<TraceKind>(k)), format_count(count).c_str());
      ImGui::PushStyleColor(ImGuiCol_Text, kind_color(static_cast<TraceKind>(k)));
      if (ImGui::Checkbox(label, &on)) ui.kinds = on ? ui.kinds | (1u << k) : ui.kinds & ~(1u << k);
      ImGui::PopStyleColor();
    }
    ImGui::EndCombo();
  }
}

void filter_row(App& app) {
  LogState& ui = app.log_ui;
  kind_picker(app);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(70);
  ImGui::InputTextWithHint("##key", "key", ui.key_text, sizeof(ui.key_text), ImGuiInputTextFlags_CharsDecimal);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(110);
  ImGui::InputTextWithHint("##id", "event id", ui.id_text, sizeof(ui.id_text));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("An event id (\"0:17\"), or a prefix ending in * (\"0:*\": source 0)");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(130);
  ImGui::InputTextWithHint("##part", "node or part", ui.part_text, sizeof(ui.part_text));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("A part (queue, stage, source, sink) whose name contains this,\nor a node: every part living on it");
  ImGui::SameLine();
  if (ImGui::SmallButton("Clear")) {
    ui.key_text[0] = ui.id_text[0] = ui.part_text[0] = '\0';
    ui.kinds = EventFilter::kAllKinds;
    ui.involved.clear();
  }
  ImGui::SameLine();
  ImGui::Checkbox("Follow cursor", &ui.follow_cursor);
}

// A vertical scrollbar over [0, rows) showing `visible` rows from `top`.
void scrollbar(App& app, ImVec2 min, ImVec2 max, std::uint64_t rows, std::uint64_t visible) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(min, max, IM_COL32(255, 255, 255, 10), 4);
  const float h = max.y - min.y;
  const double share = rows == 0 ? 1.0 : std::min(1.0, static_cast<double>(visible) / rows);
  const float thumb_h = std::max(18.0f, static_cast<float>(h * share));
  const std::uint64_t max_top = rows > visible ? rows - visible : 0;
  const float thumb_y = max_top == 0 ? min.y : min.y + static_cast<float>(static_cast<double>(app.log_ui.top_row) / max_top) * (h - thumb_h);
  ImGui::SetCursorScreenPos(min);
  ImGui::InvisibleButton("##logscroll", ImVec2(std::max(max.x - min.x, 1.0f), std::max(h, 1.0f)));
  const bool active = ImGui::IsItemActive();
  draw->AddRectFilled(ImVec2(min.x + 2, thumb_y), ImVec2(max.x - 2, thumb_y + thumb_h),
                      active ? IM_COL32(160, 180, 210, 220) : IM_COL32(120, 135, 160, 160), 4);
  if (active && max_top > 0) {
    const float y = ImGui::GetIO().MousePos.y - min.y - thumb_h / 2;
    const double at = std::clamp(static_cast<double>(y) / std::max(h - thumb_h, 1.0f), 0.0, 1.0);
    app.log_ui.top_row = static_cast<std::uint64_t>(at * static_cast<double>(max_top));
    app.log_ui.follow_cursor = false;
  }
}

void status_line(App& app) {
  const LogRows& log = *app.log_rows();
  char text[256];
  if (log.scanning()) {
    std::snprintf(text, sizeof(text), "%s matches so far, filtering %.0f%%", format_count(log.size()).c_str(),
                  log.progress() * 100);
  } else if (app.is_live()) {
    std::snprintf(text, sizeof(text), "%s of the newest %s of %s records%s", format_count(log.size()).c_str(),
                  format_count(log.lines()).c_str(), format_count(app.live->log().total()).c_str(),
                  app.live->live_log() ? "" : " (live log off: Log in the toolbar)");
  } else {
    std::snprintf(text, sizeof(text), "%s of %s events", format_count(log.size()).c_str(),
                  format_count(log.lines()).c_str());
  }
  ImGui::SameLine();
  ImGui::TextDisabled("%s", text);
}

void rows(App& app, ImVec2 min, ImVec2 max) {
  LogRows& log = *app.log_rows();
  LogState& ui = app.log_ui;
  const float row_h = ImGui::GetTextLineHeight() + 6;
  const float header_h = row_h + 2;
  const std::uint64_t total = log.size();
  const std::uint64_t visible = static_cast<std::uint64_t>(std::max(1.0f, (max.y - min.y - header_h) / row_h));
  const std::uint64_t max_top = total > visible ? total - visible : 0;

  // Follow the cursor: put the first event at or after it a third of the way down.
  const std::uint64_t cursor_row = log.row_at_time(app.cursor);
  if (ui.follow_cursor && (ui.synced_cursor != app.cursor || log.scanning())) {
    ui.top_row = cursor_row > visible / 3 ? cursor_row - visible / 3 : 0;
    ui.synced_cursor = app.cursor;
  }
  const ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsMouseHoveringRect(min, max) && io.MouseWheel != 0) {
    const std::int64_t delta = static_cast<std::int64_t>(-io.MouseWheel * 3);
    ui.top_row = delta < 0 ? ui.top_row - std::min<std::uint64_t>(ui.top_row, -delta) : ui.top_row + delta;
    ui.follow_cursor = false;
  }
  ui.top_row = std::min(ui.top_row, max_top);

  const float scroll_w = 12;
  const ImVec2 table_max(max.x - scroll_w - 4, max.y);
  ImGui::SetCursorScreenPos(min);
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit |
                                ImGuiTableFlags_NoHostExtendY;
  if (ImGui::BeginTable("##events", 6, flags, ImVec2(table_max.x - min.x, max.y - min.y))) {
    // Wide enough for the run's latest time at microsecond resolution.
    ImGui::PushFont(app.fonts.mono);
    const float time_w = ImGui::CalcTextSize(format_time(app.extent(), kNanosPerMicro).c_str()).x + 12;
    ImGui::PopFont();
    ImGui::TableSetupColumn("time", ImGuiTableColumnFlags_WidthFixed, std::max(110.0f, time_w));
    ImGui::TableSetupColumn("kind", ImGuiTableColumnFlags_WidthFixed, 96);
    ImGui::TableSetupColumn("event", ImGuiTableColumnFlags_WidthFixed, 86);
    ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed, 44);
    ImGui::TableSetupColumn("part", ImGuiTableColumnFlags_WidthFixed, 120);
    ImGui::TableSetupColumn("details", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    TraceRecord record;
    char buffer[64];
    for (std::uint64_t row = ui.top_row; row < std::min(total, ui.top_row + visible); ++row) {
      const std::uint64_t line = log.line_of(row);
      const std::string_view text = log.text(line);
      const bool parsed = parse_trace_line(text, record);
      ImGui::TableNextRow(ImGuiTableRowFlags_None, row_h);
      if (row == cursor_row) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, IM_COL32(255, 214, 64, 40));
      ImGui::TableSetColumnIndex(0);
      ImGui::PushID(static_cast<int>(row % 100000));
      ImGui::PushFont(app.fonts.mono);
      const std::string t = parsed ? format_time(record.t, kNanosPerMicro) : std::string("?");
      if (ImGui::Selectable(t.c_str(), ui.selected_line == line, ImGuiSelectableFlags_SpanAllColumns)) {
        ui.selected_line = line;
        if (parsed) {
          app.scrub_to(record.t);
          ui.synced_cursor = app.cursor;  // a click selects; it does not scroll
        }
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%.*s", static_cast<int>(text.size()), text.data());
      ImGui::PopFont();
      ImGui::PopID();
      if (!parsed) {
        ImGui::TableSetColumnIndex(5);
        ImGui::TextDisabled("%.*s", static_cast<int>(std::min<std::size_t>(text.size(), 200)), text.data());
        continue;
      }
      ImGui::TableSetColumnIndex(1);
      ImGui::PushStyleColor(ImGuiCol_Text, kind_color(record.kind));
      ImGui::TextUnformatted(record.kind_text.data(), record.kind_text.data() + record.kind_text.size());
      ImGui::PopStyleColor();
      ImGui::TableSetColumnIndex(2);
      ImGui::PushFont(app.fonts.mono);
      ImGui::TextUnformatted(record.id.data(), record.id.data() + record.id.size());
      ImGui::TableSetColumnIndex(3);
      if (record.has_key) {
        std::snprintf(buffer, sizeof(buffer), "%lld", static_cast<long long>(record.key));
        ImGui::TextUnformatted(buffer);
      }
      ImGui::PopFont();
      ImGui::TableSetColumnIndex(4);
      if (!record.part.empty()) {
        ImGui::TextDisabled("%.*s", static_cast<int>(record.part_kind.size()), record.part_kind.data());
        ImGui::SameLine(0, 4);
        ImGui::TextUnformatted(record.part.data(), record.part.data() + record.part.size());
      }
      ImGui::TableSetColumnIndex(5);
      const std::string details = record.details();
      ImGui::TextUnformatted(details.c_str());
    }
    ImGui::EndTable();
  }
  scrollbar(app, ImVec2(max.x - scroll_w, min.y + header_h), max, total, visible);
}

}  // namespace

void draw_event_log(App& app, ImVec2 min, ImVec2 max) {
  begin_tile("Event log", min, max, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  if (!app.trace && !app.is_live()) {
    ImGui::Spacing();
    ImGui::TextDisabled("%s", app.trace_error.empty() ? "No trace.jsonl in this run directory. Record it with"
                                                      : app.trace_error.c_str());
    ImGui::PushFont(app.fonts.mono);
    const std::string command = "sluice run " + (app.model().file.empty() ? std::string("SCENARIO.json") : app.model().file) +
                                " --seed " + std::to_string(app.model().seed) + " --trace --out DIR";
    ImGui::TextUnformatted(command.c_str());
    ImGui::PopFont();
    ImGui::TextDisabled("and open DIR with sluice-viz to browse and filter every event.");
    ImGui::End();
    return;
  }
  if (!app.is_live() && !app.trace->ready()) {
    char text[160];
    std::snprintf(text, sizeof(text), "indexing %s (%.0f MB)", app.trace->path().c_str(),
                  static_cast<double>(app.trace->bytes()) / 1e6);
    ImGui::TextUnformatted(text);
    ImGui::ProgressBar(static_cast<float>(app.trace->progress()), ImVec2(-1, 0));
    ImGui::End();
    return;
  }
  filter_row(app);
  if (LogRows* log = app.log_rows()) {
    const EventFilter filter = filter_from_ui(app);
    if (!(filter == log->filter())) app.log_ui.synced_cursor = -1;  // re-find the cursor in the new list
    log->set_filter(filter);
    status_line(app);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    rows(app, origin, ImVec2(origin.x + avail.x, origin.y + avail.y));
  }
  ImGui::End();
}

}  // namespace sluice::viz
