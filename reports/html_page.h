// The page shell shared by the run and sweep reports: one self-contained,
// XHTML-compatible HTML document (every tag closed, attributes quoted, text
// escaped) with an inline stylesheet and a small inline hover script. No
// network: no external scripts, stylesheets, fonts or images.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sluice::reports {

struct NavLink {
  std::string anchor, label;
};

// The whole document. `header` and `main` are trusted markup built by the
// callers from escaped pieces; `title` is plain text.
std::string html_document(const std::string& title, const std::string& header, const std::vector<NavLink>& nav,
                          const std::string& main);

// <span class="badge pass">PASS</span> or FAIL.
std::string verdict_badge(bool ok);
// A small "pass" / "fail" / "n/a" pill; `kind` is one of those CSS classes.
std::string pill(const std::string& kind, const std::string& text);
// A key-figure tile: label, big value, optional small hint (plain text each).
// An alarming value (e.g. lost events) is red; an identifier (a hash) is monospaced.
enum class TileStyle { plain, alarm, identifier };
std::string tile(const std::string& label, const std::string& value, const std::string& hint = "",
                 TileStyle style = TileStyle::plain);
// <section id=...><h2>heading</h2>inner</section>
std::string section(const std::string& id, const std::string& heading, const std::string& inner);
// A chart in a bordered box.
std::string figure(const std::string& svg, const std::string& caption = "");

}  // namespace sluice::reports
