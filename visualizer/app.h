// The visualizer's state shared by every panel, and the frame that lays the
// panels out. One virtual time, the cursor, drives them all: scrubbing it
// moves the topology's fills, the timelines' marker, the event log's scroll
// position and the node states together.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <imgui.h>

#include "core/time.h"
#include "visualizer/event_filter.h"
#include "visualizer/live_session.h"
#include "visualizer/run_model.h"
#include "visualizer/theme.h"
#include "visualizer/time_view.h"
#include "visualizer/trace_index.h"

namespace sluice::viz {

// The event log's own UI state.
struct LogState {
  char key_text[24] = "";
  char id_text[48] = "";
  char part_text[64] = "";
  std::uint32_t kinds = EventFilter::kAllKinds;
  std::uint64_t top_row = 0;      // first row shown
  bool follow_cursor = true;      // scroll to the cursor whenever it moves
  Nanos synced_cursor = -1;       // the cursor the scroll position reflects
  std::uint64_t selected_line = ~std::uint64_t{0};
  std::vector<std::string> involved;  // a selected violation's events: the log shows only them
};

struct App {
  // --- the run ---------------------------------------------------------------------
  std::unique_ptr<LiveSession> live;  // live mode; else recorded
  RunModel recorded;
  std::unique_ptr<TraceIndex> trace;  // recorded with trace.jsonl
  std::unique_ptr<FilteredLog> log;   // once the trace is indexed
  std::string source;                 // RUN_DIR or SCENARIO.json, for the title
  std::string trace_error;            // why there is no event log

  // --- UI state ----------------------------------------------------------------------
  Fonts fonts;
  Nanos cursor = 0;
  bool follow_live = true;       // live: the cursor sticks to "now"
  TimeView view;
  bool replay_playing = false;   // recorded: the cursor moves by itself
  float replay_speed = 1.0f;     // virtual seconds per wall second
  float live_speed = 1.0f;
  char goto_text[32] = "";
  std::string goto_error;
  LogState log_ui;
  double fps = 0;
  std::uint64_t frame_count = 0;

  App() = default;
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  bool is_live() const { return live != nullptr; }
  const RunModel& model() const { return live ? live->model() : recorded; }
  // The event log's records: the live run's newest, or the recorded trace's
  // once it is indexed; null while there are none to show.
  LogRows* log_rows();
  // Where the data ends: the run's end, or "now" for a live run.
  Nanos extent() const;
  void set_cursor(Nanos t);
  // The user moved the cursor: stop following the live run.
  void scrub_to(Nanos t);
  // Faults active at the cursor, plus (live, at "now") the simulation's own view.
  unsigned node_condition(const std::string& node) const;

  // Everything per frame: live/replay advance, then the panels in a tiled
  // layout filling `size` (the framebuffer in pixels).
  void frame(double wall_dt, ImVec2 size);
  // Headless: wait for the trace index and filters so a screenshot shows them.
  void settle_for_screenshot();

 private:
  void advance(double wall_dt);
  void handle_shortcuts();
};

// Panels; each draws one window filling `min`..`max`.
void draw_toolbar(App& app, ImVec2 min, ImVec2 max);
void draw_topology(App& app, ImVec2 min, ImVec2 max);
void draw_timelines(App& app, ImVec2 min, ImVec2 max);
void draw_event_log(App& app, ImVec2 min, ImVec2 max);
void draw_inspector(App& app, ImVec2 min, ImVec2 max);

// Helpers shared by the panels.
// Begins a fixed, untitled-bar-less tile window at the given rectangle.
bool begin_tile(const char* name, ImVec2 min, ImVec2 max, ImGuiWindowFlags extra = 0);
// A small uppercase section heading in the panel's accent colour.
void heading(const App& app, const char* text, ImU32 color);
void text_colored(ImU32 color, const char* text);

}  // namespace sluice::viz
