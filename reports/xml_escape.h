// Escaping for everything reports/ emits as XML: XHTML-compatible HTML, inline
// SVG and JUnit XML. One place, so no caller hand-rolls a partial version.
#pragma once

#include <string>
#include <string_view>

namespace sluice::reports {

// Text safe inside an element or a double- or single-quoted attribute: escapes
// & < > " ' and drops the control characters XML 1.0 forbids (everything below
// 0x20 except tab, newline and carriage return), which a violation message
// could in principle carry. Newlines stay literal: right in element text.
inline std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

// As xml_escape, for attribute values: also encodes tab, newline and carriage
// return, which attribute-value normalisation would otherwise turn into spaces.
inline std::string xml_attr(std::string_view text) {
  std::string escaped = xml_escape(text);
  std::string out;
  out.reserve(escaped.size());
  for (char c : escaped) {
    if (c == '\n') out += "&#10;";
    else if (c == '\r') out += "&#13;";
    else if (c == '\t') out += "&#9;";
    else out += c;
  }
  return out;
}

}  // namespace sluice::reports
