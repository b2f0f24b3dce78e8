#include "visualizer/app.h"

#include <algorithm>
#include <cmath>

namespace sluice::viz {

Nanos App::extent() const {
  const Nanos end = live ? live->now() : model().virtual_time;
  return std::max<Nanos>(end, 0);
}

LogRows* App::log_rows() {
  if (live) return &live->log();
  return log.get();
}

void App::set_cursor(Nanos t) { cursor = std::clamp<Nanos>(t, 0, extent()); }

void App::scrub_to(Nanos t) {
  set_cursor(t);
  if (live && !live->over()) follow_live = cursor >= live->now();
  view.reveal(cursor);
}

unsigned App::node_condition(const std::string& node) const {
  unsigned condition = node_condition_at(model().faults, node, cursor);
  if (live && cursor >= live->now()) condition |= live->node_condition(node);
  return condition;
}

void App::advance(double wall_dt) {
  if (live) {
    // About 8 ms of each frame goes to the simulation, the rest to drawing.
    live->update(wall_dt, 0.008);
    if (follow_live) cursor = live->now();
  } else if (replay_playing) {
    const double step = static_cast<double>(replay_speed) * std::min(wall_dt, 0.25) * kNanosPerSecond;
    set_cursor(cursor + static_cast<Nanos>(step));
    if (cursor >= extent()) replay_playing = false;
    view.reveal(cursor);
  }
  view.set_extent(std::max<Nanos>(extent(), kNanosPerMilli));
  cursor = std::clamp<Nanos>(cursor, 0, extent());
  if (log == nullptr && trace != nullptr && trace->ready()) {
    log = std::make_unique<FilteredLog>(*trace);
    log->set_filter(EventFilter{});
    // The replica records tell starting and draining replicas apart (series.json has only the ready ones).
    for (ReplicaTrack& track : recorded.replicas) set_replica_steps(track, trace->replica_records());
  }
}

void App::handle_shortcuts() {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  auto pressed = [](ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key)); };
  if (pressed(ImGuiKey_Space)) {
    if (live) {
      live->set_playing(!live->playing());
      if (live->playing()) follow_live = true;
    } else {
      replay_playing = !replay_playing;
    }
  }
  if (pressed(ImGuiKey_Home)) scrub_to(0);
  if (pressed(ImGuiKey_End)) scrub_to(extent());
  if (live && pressed(ImGuiKey_RightArrow) && !live->over()) {
    live->step();
    follow_live = true;
  }
}

void App::frame(double wall_dt, ImVec2 size) {
  ++frame_count;
  advance(wall_dt);
  handle_shortcuts();
  // Pipelines are wide and shallow, so the graph gets a full-width strip; the
  // timelines and the log share a column wide enough for their time axes.
  const float toolbar_h = 82.0f;
  const float body_h = size.y - toolbar_h;
  const float topology_h = std::floor(std::clamp(body_h * 0.30f, 200.0f, 340.0f));
  const float main_w = std::floor(size.x * 0.62f);
  const float lower_y = toolbar_h + topology_h;
  const float timeline_h = std::floor((size.y - lower_y) * 0.56f);
  draw_toolbar(*this, ImVec2(0, 0), ImVec2(size.x, toolbar_h));
  draw_topology(*this, ImVec2(0, toolbar_h), ImVec2(size.x, lower_y));
  draw_timelines(*this, ImVec2(0, lower_y), ImVec2(main_w, lower_y + timeline_h));
  draw_event_log(*this, ImVec2(0, lower_y + timeline_h), ImVec2(main_w, size.y));
  draw_inspector(*this, ImVec2(main_w, lower_y), size);
}

void App::settle_for_screenshot() {
  if (trace) {
    trace->build();
    advance(0);
    if (log) log->wait();
  }
}

bool begin_tile(const char* name, ImVec2 min, ImVec2 max, ImGuiWindowFlags extra) {
  ImGui::SetNextWindowPos(min, ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(max.x - min.x, max.y - min.y), ImGuiCond_Always);
  // No window background: the frame is cleared to the panel colour, and with
  // software rendering every full-window layer of blended pixels costs
  // milliseconds (about a fifth of the frame at 1600x1000 on llvmpipe).
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                 ImGuiWindowFlags_NoBackground | extra;
  return ImGui::Begin(name, nullptr, flags);
}

void heading(const App& app, const char* text, ImU32 color) {
  ImGui::PushFont(app.fonts.bold);
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

void text_colored(ImU32 color, const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
}

}  // namespace sluice::viz
