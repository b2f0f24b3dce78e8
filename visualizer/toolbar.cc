// The top bar: what is open, playback controls, and the run-wide scrub bar
// (a heat strip of queue pressure over the whole run, with fault spans,
// violations, the zoomed view and the cursor).
#include <algorithm>
#include <cstdio>
#include <string>

#include "sim/scenario/units.h"
#include "visualizer/app.h"

namespace sluice::viz {

namespace {

// The highest fill (mean depth / capacity) of any bounded queue over [t0, t1).
double pressure(const RunModel& model, Nanos t0, Nanos t1) {
  double p = 0;
  for (const DepthTrack& q : model.queues) {
    const double cap = q.capacity > 0 ? static_cast<double>(q.capacity) : std::max(q.max_depth, 1.0);
    std::size_t i = bucket_at(q.t, t0);
    if (i == kNoBucket) i = 0;
    for (; i < q.t.size() && q.t[i] < t1; ++i) p = std::max(p, q.mean[i] / cap);
  }
  return std::min(p, 1.0);
}

void playback_controls(App& app) {
  const bool playing = app.is_live() ? app.live->playing() : app.replay_playing;
  const bool over = app.is_live() && app.live->over();
  ImGui::BeginDisabled(over);
  if (ImGui::Button(playing ? "Pause" : "Play", ImVec2(64, 0))) {
    if (app.is_live()) {
      app.live->set_playing(!playing);
      if (!playing) app.follow_live = true;
    } else {
      if (!playing && app.cursor >= app.extent()) app.set_cursor(0);
      app.replay_playing = !playing;
    }
  }
  ImGui::SameLine();
  if (ImGui::Button("Step")) {
    if (app.is_live()) {
      app.live->step();
      app.follow_live = true;
    } else if (app.trace && app.trace->ready()) {
      // The next recorded event after the cursor.
      const std::uint64_t n = app.trace->first_line_at_or_after(app.cursor + 1);
      Nanos t = app.extent();
      if (n < app.trace->lines()) trace_line_time(app.trace->line(n), t);
      app.scrub_to(t);
    } else {
      const Nanos width = app.model().queues.empty() ? kNanosPerSecond : app.model().queues[0].width;
      app.scrub_to(app.cursor + width);
    }
  }
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
    ImGui::SetTooltip(app.is_live() ? "Fire exactly one timer event (Right arrow)"
                                    : "Jump to the next recorded event");
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(190);
  float& speed = app.is_live() ? app.live_speed : app.replay_speed;
  if (ImGui::SliderFloat("##speed", &speed, 0.01f, 100000.0f, "%.3g virtual s / s", ImGuiSliderFlags_Logarithmic)) {
    if (app.is_live()) app.live->set_speed(speed);
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Playback speed: virtual seconds per wall-clock second");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(96);
  const bool entered = ImGui::InputTextWithHint("##goto", "e.g. 30s", app.goto_text, sizeof(app.goto_text),
                                                ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  const bool go = ImGui::Button(app.is_live() ? "Run to" : "Go to") || entered;
  if (go) {
    std::string why;
    if (std::optional<Nanos> t = parse_duration(app.goto_text, &why)) {
      app.goto_error.clear();
      if (app.is_live() && *t > app.live->now()) {
        app.live->run_to(*t);
        app.follow_live = true;
      } else {
        app.scrub_to(*t);
      }
    } else {
      app.goto_error = why;
    }
  }
  if (!app.goto_error.empty()) {
    ImGui::SameLine();
    text_colored(colors::kFail, app.goto_error.c_str());
  }
  if (app.is_live()) {
    ImGui::SameLine();
    ImGui::Checkbox("Follow", &app.follow_live);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Keep the cursor at the live run's current time");
    ImGui::SameLine();
    bool live_log = app.live->live_log();
    if (ImGui::Checkbox("Log", &live_log)) app.live->set_live_log(live_log);
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip("Keep the run's records for the event log (off: the run goes faster, the log stops)");
    }
  }
  ImGui::SameLine();
  ImGui::PushFont(app.fonts.bold);
  const std::string cursor_text = "t = " + format_time(app.cursor, kNanosPerMilli);
  text_colored(colors::kCursor, cursor_text.c_str());
  ImGui::PopFont();
}

void scrub_bar(App& app, ImVec2 min, ImVec2 max) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const Nanos extent = std::max<Nanos>(app.extent(), 1);
  const float w = max.x - min.x;
  auto x_of = [&](Nanos t) { return min.x + static_cast<float>(static_cast<double>(t) / extent * w); };
  draw->AddRectFilled(min, max, colors::kPlotBg, 3);
  // Queue pressure as a heat strip, one rect per few pixels.
  const RunModel& model = app.model();
  const int step_px = 3;
  for (float x = 0; x < w; x += step_px) {
    const Nanos t0 = static_cast<Nanos>(x / w * extent), t1 = static_cast<Nanos>((x + step_px) / w * extent);
    const double p = pressure(model, t0, std::max(t1, t0 + 1));
    const float h = (max.y - min.y - 4) * static_cast<float>(std::max(p, 0.04));
    draw->AddRectFilled(ImVec2(min.x + x, max.y - 2 - h), ImVec2(min.x + x + step_px, max.y - 2), fill_color(p, 150));
  }
  for (const Fault& f : model.faults) {
    const float x0 = x_of(f.at), x1 = f.end == kNever ? max.x : std::max(x_of(f.end), x0 + 2);
    draw->AddRectFilled(ImVec2(x0, min.y), ImVec2(x1, min.y + 5), fault_color(f.kind.c_str(), 230));
  }
  for (const InvariantRow& row : model.invariants) {
    if (!row.at) continue;
    const float x = x_of(*row.at);
    draw->AddTriangleFilled(ImVec2(x - 5, min.y), ImVec2(x + 5, min.y), ImVec2(x, min.y + 8), colors::kFail);
  }
  // The timelines' zoomed window.
  if (!app.view.fitted()) {
    draw->AddRectFilled(ImVec2(x_of(app.view.begin()), min.y), ImVec2(x_of(app.view.end()), max.y),
                        IM_COL32(255, 255, 255, 22));
    draw->AddRect(ImVec2(x_of(app.view.begin()), min.y), ImVec2(x_of(app.view.end()), max.y),
                  IM_COL32(255, 255, 255, 90));
  }
  const float cx = x_of(app.cursor);
  draw->AddLine(ImVec2(cx, min.y - 1), ImVec2(cx, max.y + 1), colors::kCursor, 2);
  draw->AddCircleFilled(ImVec2(cx, max.y), 4.5f, colors::kCursor);

  ImGui::SetCursorScreenPos(min);
  ImGui::InvisibleButton("##scrub", ImVec2(w, std::max(max.y - min.y, 1.0f)));
  if (ImGui::IsItemActive()) {
    const float mx = std::clamp(ImGui::GetIO().MousePos.x, min.x, max.x);
    app.scrub_to(static_cast<Nanos>(static_cast<double>(mx - min.x) / w * extent));
  }
  if (ImGui::IsItemHovered()) {
    const Nanos t = static_cast<Nanos>(static_cast<double>(ImGui::GetIO().MousePos.x - min.x) / w * extent);
    ImGui::SetTooltip("%s\nclick or drag to move the cursor", format_time(t, extent / 1000 + 1).c_str());
  }
}

}  // namespace

void draw_toolbar(App& app, ImVec2 min, ImVec2 max) {
  begin_tile("##toolbar", min, max, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar);
  ImGui::GetWindowDrawList()->AddRectFilled(min, max, IM_COL32(19, 21, 26, 255));
  const RunModel& model = app.model();
  // Line 1: identity and status.
  ImGui::PushFont(app.fonts.bold);
  text_colored(IM_COL32(120, 180, 255, 255), "sluice-viz");
  ImGui::SameLine();
  ImGui::TextUnformatted(model.scenario.c_str());
  ImGui::PopFont();
  ImGui::SameLine();
  ImGui::Text("seed %llu", static_cast<unsigned long long>(model.seed));
  ImGui::SameLine();
  if (app.is_live()) {
    const bool over = app.live->over();
    const bool playing = app.live->playing() || app.live->run_to_target().has_value();
    text_colored(over ? colors::kDimText : (playing ? colors::kOk : colors::kWarn),
                 over ? "LIVE  finished" : (playing ? "LIVE  \xe2\x97\x8f running" : "LIVE  paused"));
    if (app.live->behind()) {
      ImGui::SameLine();
      text_colored(colors::kWarn, "(simulation at full speed: slower than requested)");
    }
  } else {
    text_colored(colors::kDimText, "RECORDED");
  }
  ImGui::SameLine();
  if (model.finished) {
    text_colored(model.ok ? colors::kOk : colors::kFail, model.ok ? "OK" : "EXPECTATIONS FAILED");
    ImGui::SameLine();
  }
  text_colored(colors::kDimText, app.source.c_str());
  char status[160];
  const int n = std::snprintf(status, sizeof(status), "virtual %s   %s scheduler events",
                              format_time(app.extent(), kNanosPerMilli).c_str(), format_count(model.events).c_str());
  if (app.fps > 0 && n > 0 && n < static_cast<int>(sizeof(status))) {
    std::snprintf(status + n, sizeof(status) - n, "   %.0f fps", app.fps);
  }
  const float status_w = ImGui::CalcTextSize(status).x;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 20, ImGui::GetWindowWidth() - status_w - 14));
  text_colored(colors::kDimText, status);

  // Line 2: controls, then the scrub bar across the rest.
  playback_controls(app);
  ImGui::SameLine();
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float right = max.x - 12;
  if (right - at.x > 80) scrub_bar(app, ImVec2(at.x + 6, at.y + 1), ImVec2(right, at.y + ImGui::GetFrameHeight() - 1));
  ImGui::End();
}

}  // namespace sluice::viz
