// Invariants (a violation's button jumps the cursor to its moment), the run's
// figures, the fault schedule, and the perturbation sites enabled and fired.
#include <cstdio>
#include <string>

#include "visualizer/app.h"

namespace sluice::viz {

namespace {

void status_cell(const InvariantRow& row) {
  if (row.pending) {
    text_colored(colors::kDimText, "...");
  } else if (!row.applicable) {
    text_colored(colors::kNotApplicable, "n/a");
  } else if (row.ok) {
    text_colored(colors::kOk, "PASS");
  } else {
    text_colored(colors::kFail, "FAIL");
  }
}

void invariants(App& app) {
  const RunModel& model = app.model();
  heading(app, "INVARIANTS", IM_COL32(120, 180, 255, 255));
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_BordersInnerH;
  if (!ImGui::BeginTable("##invariants", 5, flags)) return;
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 40);
  ImGui::TableSetupColumn("invariant", ImGuiTableColumnFlags_WidthFixed, 172);
  ImGui::TableSetupColumn("checked", ImGuiTableColumnFlags_WidthFixed, 70);
  ImGui::TableSetupColumn("violations", ImGuiTableColumnFlags_WidthFixed, 66);
  ImGui::TableSetupColumn("first violation", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableHeadersRow();
  int index = 0;
  for (const InvariantRow& row : model.invariants) {
    ImGui::PushID(index++);
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    status_cell(row);
    ImGui::TableSetColumnIndex(1);
    ImGui::TextUnformatted(row.name.c_str());
    ImGui::TableSetColumnIndex(2);
    ImGui::TextUnformatted(row.pending ? "" : format_count(row.checked).c_str());
    ImGui::TableSetColumnIndex(3);
    if (row.violations > 0) {
      text_colored(colors::kFail, format_count(row.violations).c_str());
    } else if (!row.pending) {
      ImGui::TextDisabled("0");
    }
    ImGui::TableSetColumnIndex(4);
    if (row.at) {
      const std::string label = "Jump to " + format_time(*row.at, kNanosPerMilli);
      if (ImGui::SmallButton(label.c_str())) app.scrub_to(*row.at);
      ImGui::SameLine();
    }
    if (!row.involved.empty() && (app.trace || app.is_live())) {
      // The explanation's events: the log keeps only their records, from the violating outcome.
      const std::string label = "Why (" + std::to_string(row.involved.size()) + " events)";
      if (ImGui::SmallButton(label.c_str())) {
        app.log_ui.involved = row.involved;
        app.log_ui.id_text[0] = app.log_ui.key_text[0] = app.log_ui.part_text[0] = '\0';
        app.log_ui.kinds = EventFilter::kAllKinds;
        app.log_ui.follow_cursor = true;
        if (row.at) app.scrub_to(*row.at);
      }
      if (ImGui::IsItemHovered() && !row.why.empty()) ImGui::SetTooltip("%s", row.why.c_str());
      ImGui::SameLine();
    } else if (row.event_id && (app.trace || app.is_live())) {
      const std::string label = "Trace " + *row.event_id;
      if (ImGui::SmallButton(label.c_str())) {
        // The event's whole story in the log: every record of it, from the top.
        std::snprintf(app.log_ui.id_text, sizeof(app.log_ui.id_text), "%s", row.event_id->c_str());
        app.log_ui.key_text[0] = app.log_ui.part_text[0] = '\0';
        app.log_ui.kinds = EventFilter::kAllKinds;
        app.log_ui.follow_cursor = false;
        app.log_ui.top_row = 0;
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show every record of event %s in the event log", row.event_id->c_str());
      ImGui::SameLine();
    }
    const std::string& text = !row.first.empty() ? row.first : row.note;
    ImGui::PushStyleColor(ImGuiCol_Text, row.first.empty() ? colors::kDimText : colors::kText);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered() && !text.empty()) ImGui::SetTooltip("%s", text.c_str());
    ImGui::PopID();
  }
  ImGui::EndTable();
  // A violation is worth its whole text: repeat each first violation in full.
  for (const InvariantRow& row : model.invariants) {
    if (row.first.empty()) continue;
    ImGui::PushFont(app.fonts.bold);
    text_colored(colors::kFail, row.name.c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::TextWrapped("%s", row.first.c_str());
  }
}

void figures(App& app) {
  const RunModel& model = app.model();
  ImGui::Spacing();
  heading(app, "RUN", IM_COL32(120, 180, 255, 255));
  const ImGuiTableFlags flags = ImGuiTableFlags_SizingFixedFit;
  if (ImGui::BeginTable("##figures", 4, flags)) {
    ImGui::TableSetupColumn("k1", ImGuiTableColumnFlags_WidthFixed, 92);
    ImGui::TableSetupColumn("v1", ImGuiTableColumnFlags_WidthFixed, 170);
    ImGui::TableSetupColumn("k2", ImGuiTableColumnFlags_WidthFixed, 150);
    ImGui::TableSetupColumn("v2", ImGuiTableColumnFlags_WidthStretch);
    auto cell = [](const char* key, const std::string& value) {
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%s", key);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(value.c_str());
    };
    std::vector<std::pair<std::string, std::string>> left = {
        {"outcome", model.outcome.empty() ? "-" : model.outcome},
        {"virtual time", format_time(app.extent(), kNanosPerMilli)},
        {"trace hash", model.trace_hash},
    };
    for (const auto& [name, value] : model.latency_summary) {
      if (name == "count") continue;
      left.emplace_back("latency " + name, format_span(static_cast<Nanos>(value)));
    }
    std::vector<std::pair<std::string, std::string>> right;
    for (const auto& [name, value] : model.counts) right.emplace_back(name, format_count(value));
    const std::size_t n = std::max(left.size(), right.size());
    for (std::size_t i = 0; i < n; ++i) {
      ImGui::TableNextRow();
      if (i < left.size()) {
        cell(left[i].first.c_str(), left[i].second);
      } else {
        ImGui::TableNextColumn();
        ImGui::TableNextColumn();
      }
      if (i < right.size()) cell(right[i].first.c_str(), right[i].second);
    }
    ImGui::EndTable();
  }
  for (const std::string& failure : model.expectation_failures) {
    ImGui::PushStyleColor(ImGuiCol_Text, colors::kFail);
    ImGui::TextWrapped("%s", failure.c_str());
    ImGui::PopStyleColor();
  }
  if (!model.repro.empty()) {
    ImGui::TextDisabled("repro");
    ImGui::SameLine();
    ImGui::PushFont(app.fonts.mono);
    ImGui::TextUnformatted(model.repro.c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    if (ImGui::SmallButton("Copy")) ImGui::SetClipboardText(model.repro.c_str());
  }
}

void fault_list(App& app) {
  const RunModel& model = app.model();
  ImGui::Spacing();
  char title[48];
  std::snprintf(title, sizeof(title), "FAULTS (%zu)", model.faults.size());
  heading(app, title, IM_COL32(120, 180, 255, 255));
  if (model.faults.empty()) {
    ImGui::TextDisabled("No faults were injected in this run.");
    return;
  }
  int index = 0;
  for (const Fault& f : model.faults) {
    ImGui::PushID(index++);
    if (ImGui::SmallButton(format_time(f.at, kNanosPerMilli).c_str())) app.scrub_to(f.at);
    ImGui::SameLine();
    text_colored(fault_color(f.kind.c_str(), 255), f.label.c_str());
    ImGui::SameLine();
    if (f.end == kNever) {
      ImGui::TextDisabled("until the end");
    } else if (!f.instant()) {
      ImGui::TextDisabled("for %s", format_span(f.end - f.at).c_str());
    }
    const bool active = f.active_at(app.cursor);
    if (active) {
      ImGui::SameLine();
      text_colored(colors::kCursor, "active at cursor");
    }
    ImGui::PopID();
  }
}

// The BUGGIFY sites this seed enabled and how often each fired; a site's
// button jumps to where it first fired (series.json's marks).
void perturbation_list(App& app) {
  const PerturbationView& p = app.model().perturbation;
  if (!p.on) return;
  ImGui::Spacing();
  char title[64];
  std::snprintf(title, sizeof(title), "PERTURBATION (%zu sites enabled)", p.enabled.size());
  heading(app, title, colors::kPerturbed);
  ImGui::TextDisabled("enabled with p=%.2f, firing with p=%.2f where reached", p.enable_probability, p.fire_probability);
  if (p.enabled.empty()) ImGui::TextDisabled("No site was enabled for this seed.");
  int index = 0;
  for (const PerturbSiteRow& site : p.enabled) {
    ImGui::PushID(index++);
    const PerturbMark* first = nullptr;
    for (const PerturbMark& m : p.marks) {
      if (m.label.rfind(site.name, 0) == 0) {
        first = &m;
        break;
      }
    }
    if (first != nullptr && ImGui::SmallButton(format_time(first->at, kNanosPerMilli).c_str())) app.scrub_to(first->at);
    if (first != nullptr) ImGui::SameLine();
    text_colored(site.fired > 0 ? colors::kPerturbed : colors::kDimText, site.name.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("fired %llu", static_cast<unsigned long long>(site.fired));
    ImGui::PopID();
  }
}

}  // namespace

void draw_inspector(App& app, ImVec2 min, ImVec2 max) {
  begin_tile("Checks", min, max);
  invariants(app);
  figures(app);
  fault_list(app);
  perturbation_list(app);
  ImGui::End();
}

}  // namespace sluice::viz
