#include "reports/html_page.h"

#include "reports/xml_escape.h"

namespace sluice::reports {
namespace {

// One stylesheet for the page and every chart: charts carry CSS classes, not
// colours, so the SVG stays small. No `<` or `&` here: the page must stay
// well-formed XML.
constexpr const char* kStyle = R"CSS(
:root { --fg: #1f2328; --muted: #59636e; --faint: #8c959f; --bg: #ffffff; --panel: #f6f8fa;
  --border: #d1d9e0; --ok: #1a7f37; --fail: #cf222e; --accent: #0969da; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
header.top { background: var(--panel); border-bottom: 1px solid var(--border); }
header.top .inner, main, nav.toc .inner { max-width: 1120px; margin: 0 auto; padding-left: 28px; padding-right: 28px; }
header.top .inner { padding-top: 22px; padding-bottom: 18px; display: flex; gap: 22px; align-items: center; flex-wrap: wrap; }
header.top h1 { margin: 0; font-size: 26px; line-height: 1.2; }
header.top .kind { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .08em; }
header.top .meta { color: var(--muted); margin-top: 4px; }
header.top .meta b { color: var(--fg); font-weight: 600; }
.badge { display: inline-block; min-width: 118px; text-align: center; font-size: 30px; font-weight: 800;
  letter-spacing: .08em; padding: 8px 20px; border-radius: 10px; color: #fff; }
.badge.pass { background: var(--ok); }
.badge.fail { background: var(--fail); }
nav.toc { position: sticky; top: 0; z-index: 5; background: rgba(255,255,255,.94); border-bottom: 1px solid var(--border); }
nav.toc .inner { display: flex; gap: 18px; flex-wrap: wrap; padding-top: 8px; padding-bottom: 8px; font-size: 13px; }
nav.toc a { color: var(--muted); text-decoration: none; }
nav.toc a:hover { color: var(--accent); }
main { padding-bottom: 56px; }
section { scroll-margin-top: 48px; }
h2 { font-size: 19px; margin: 34px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--border); }
h3 { font-size: 15px; margin: 22px 0 8px; }
p { margin: 8px 0; }
.muted { color: var(--muted); }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 10px; }
.tile { border: 1px solid var(--border); border-radius: 8px; padding: 10px 12px; background: var(--bg); min-width: 0; }
.tile .k { color: var(--muted); font-size: 12px; }
.tile .v { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.tile .h { color: var(--faint); font-size: 12px; }
.tile.bad .v { color: var(--fail); }
.tile .v.mono { font-size: 13px; padding-top: 6px; word-break: break-all; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--border); text-align: left; vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; background: var(--panel); }
td.num, th.num { text-align: right; white-space: nowrap; }
td.text { min-width: 16em; max-width: 520px; overflow-wrap: anywhere; }
.pill { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 700; }
.pill.pass { background: #dafbe1; color: #116329; }
.pill.fail { background: #ffebe9; color: #a40e26; }
.pill.na { background: #eaeef2; color: #59636e; }
.bad { color: var(--fail); }
.swatch.f-crash { background: #cf222e; }
.swatch.f-partition { background: #8250df; }
.swatch.f-pause { background: #6e7781; }
.swatch.f-slow { background: #d4a72c; }
.swatch.f-clock_skew { background: #1a7f37; }
.swatch.f-other { background: #57606a; }
.swatch.a-pending { background: #bf8700; }
.swatch.a-firing { background: #cf222e; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
pre.repro { background: #0d1117; color: #e6edf3; padding: 10px 14px; border-radius: 6px; overflow-x: auto; margin: 8px 0; }
.failures { border-left: 4px solid var(--fail); background: #fff5f5; padding: 8px 14px; border-radius: 0 6px 6px 0; margin: 12px 0; }
.failures ul { margin: 4px 0; padding-left: 20px; }
figure.chart-box { overflow-x: auto; margin: 14px 0; padding: 10px 8px 4px; border: 1px solid var(--border); border-radius: 8px; background: var(--bg); }
figure.chart-box figcaption { color: var(--muted); font-size: 12.5px; padding: 0 8px 6px; }
svg.chart, svg.topology, svg.grid-cells { display: block; width: 100%; height: auto;
  font: 11px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif; }
svg.chart { min-width: 560px; }  /* narrower, the labels are unreadable: the figure scrolls instead */
svg text { fill: var(--muted); }
svg .chart-title { font-size: 13px; font-weight: 600; fill: var(--fg); }
svg .tx text, svg .axis-label, svg .note { text-anchor: middle; }
svg .ty text { text-anchor: end; }
svg .axis-label { fill: var(--fg); font-size: 11.5px; }
svg .note { font-size: 13px; fill: var(--faint); }
.grid { fill: none; stroke: #eef1f4; }
.axis { fill: none; stroke: #8c959f; }
.s0 { stroke: #0969da; fill: #0969da; }
.s1 { stroke: #8250df; fill: #8250df; }
.s2 { stroke: #1a7f37; fill: #1a7f37; }
.s3 { stroke: #bf8700; fill: #bf8700; }
.s4 { stroke: #cf222e; fill: #cf222e; }
.s5 { stroke: #1b7c83; fill: #1b7c83; }
.s6 { stroke: #bc4c00; fill: #bc4c00; }
.s7 { stroke: #6e7781; fill: #6e7781; }
.cap { stroke: #cf222e; fill: #cf222e; }
.ckpt { stroke: #1b7c83; fill: #1b7c83; }
.ckpt-abort { stroke: #bc4c00; fill: #bc4c00; }
.rebal { stroke: #8250df; fill: #8250df; }
.restore { stroke: #cf222e; fill: #cf222e; }
.commit { stroke: #57606a; fill: #57606a; stroke-opacity: .5; }
.perturbed { stroke: #9a6700; fill: #9a6700; stroke-dasharray: 2 2; }
.clip-note { font-size: 11px; fill: #bc4c00; }
.bar.blocked { fill: #bc4c00; }
.bar.idle { fill: #d0d7de; }
.f-crash { fill: #cf222e; }
.f-partition { fill: #8250df; }
.f-pause { fill: #6e7781; }
.f-slow { fill: #d4a72c; }
.f-clock_skew { fill: #1a7f37; }
.f-other { fill: #57606a; }
.a-pending { fill: #bf8700; }
.a-firing { fill: #cf222e; }
.line { fill: none; stroke-width: 1.6; stroke-linejoin: round; stroke-linecap: round; }
.line.wide { stroke-width: 5; stroke-opacity: .3; }
.band { fill-opacity: .22; stroke-width: .8; stroke-opacity: .45; }  /* the edge keeps one-bucket spikes visible */
.legend .band, rect.band { stroke: none; }
.hline { fill: none; stroke-width: 1.4; stroke-dasharray: 6 4; }
.marker { fill: none; stroke-width: 1.2; stroke-dasharray: 2 3; }
.span { stroke: none; fill-opacity: .16; }
.legend .span { fill-opacity: .4; }
.cursor { fill: none; stroke: #59636e; stroke-width: 1; visibility: hidden; pointer-events: none; }
.bar { fill: #0969da; }
.bar.warm { fill: #d4a72c; }
.bar.hot { fill: #cf222e; }
svg .bar-value { font-size: 11px; fill: var(--fg); }
.hist-ok { fill: #2da44e; fill-opacity: .85; }
.hist-fail { fill: #cf222e; fill-opacity: .85; }
.node rect { fill: #f6f8fa; stroke: #8c959f; stroke-width: 1.5; }
.node.source rect { fill: #ddf4ff; stroke: #54aeff; }
.node.stage rect { fill: #fbefff; stroke: #c297ff; }
.node.sink rect { fill: #dafbe1; stroke: #4ac26b; }
.node.unknown rect { stroke-dasharray: 4 3; }
.node rect.gauge-track { fill: #eaeef2; stroke: none; }
.node rect.gauge { stroke: none; }
svg .node-id { font-size: 12.5px; font-weight: 600; fill: var(--fg); text-anchor: middle; }
svg .node-sub { font-size: 10.5px; text-anchor: middle; }
.edge { fill: none; stroke: #8c959f; stroke-width: 1.5; }
.arrow-head { fill: #8c959f; }
.cell.ok { fill: #2da44e; }
.cell.fail { fill: #cf222e; }
#tip { position: fixed; pointer-events: none; display: none; z-index: 10; white-space: pre; background: rgba(13,17,23,.92);
  color: #fff; font-size: 12px; line-height: 1.45; padding: 6px 9px; border-radius: 6px; font-variant-numeric: tabular-nums; }
footer { color: var(--faint); font-size: 12px; margin-top: 40px; }
@media (max-width: 720px) {
  header.top .inner, main, nav.toc .inner { padding-left: 12px; padding-right: 12px; }
  .badge { font-size: 22px; min-width: 90px; }
  header.top h1 { font-size: 21px; }
}
@media print { nav.toc { display: none; } figure.chart-box { break-inside: avoid; } }
)CSS";

// Hover read-outs for time charts: the cursor's virtual time and, for every
// labelled series, its value there (read back from the path and the axis kept
// in data-* attributes). Wrapped in a commented CDATA section, so the page is
// XML as well as HTML.
constexpr const char* kScript = R"JS(
(function () {
  var tip = document.getElementById('tip');
  function nums(s) { return s.split(' ').map(Number); }
  function fmt(v) {
    var a = Math.abs(v);
    if (a >= 1000) return Math.round(v).toLocaleString('en-US');
    if (a >= 10) return String(Math.round(v * 10) / 10);
    if (a === 0) return '0';
    return String(+v.toPrecision(3));
  }
  function points(path) {
    if (path._pts) return path._pts;
    var toks = (path.getAttribute('d') || '').match(/[A-Za-z]|-?[0-9.]+/g) || [];
    var pts = [], cmd = 'M', x = 0, y = 0, i = 0;
    while (i < toks.length) {
      var t = toks[i];
      if (/[A-Za-z]/.test(t)) { cmd = t; i++; continue; }
      if (cmd === 'M' || cmd === 'L') { x = +t; y = +toks[i + 1]; i += 2; }
      else if (cmd === 'H') { x = +t; i++; }
      else if (cmd === 'V') { y = +t; i++; }
      else { i++; continue; }
      pts.push([x, y]);
    }
    var xs = {};
    pts.forEach(function (p) { xs[p[0]] = 1; });
    var n = Object.keys(xs).length;
    path._gap = n > 1 ? Math.max(4, 0.75 * (pts[pts.length - 1][0] - pts[0][0]) / n) : 4;
    path._pts = pts;
    return pts;
  }
  function hide(svg) {
    tip.style.display = 'none';
    var c = svg.querySelector('.cursor');
    if (c) c.style.visibility = 'hidden';
  }
  var charts = document.querySelectorAll('svg.chart[data-x]');
  charts.forEach(function (svg) {
    var plot = nums(svg.getAttribute('data-plot'));
    var xs = svg.getAttribute('data-x').split(' '), ys = svg.getAttribute('data-y').split(' ');
    var v0 = +ys[0], v1 = +ys[1], log = ys[2] === 'log';
    var labels = svg.querySelectorAll('.axis-label');
    var unit = labels.length > 1 ? (labels[1].textContent.match(/\(([^)]*)\)\s*$/) || ['', ''])[1] : '';
    var spans = Array.prototype.filter.call(svg.querySelectorAll('rect.span'), function (r) {
      return r.querySelector('title') !== null;
    });
    function value(py) {
      var f = (plot[3] - py) / (plot[3] - plot[1]);
      return log ? Math.pow(10, Math.log10(v0) + f * (Math.log10(v1) - Math.log10(v0))) : v0 + f * (v1 - v0);
    }
    svg.addEventListener('mouseleave', function () { hide(svg); });
    svg.addEventListener('mousemove', function (ev) {
      var ctm = svg.getScreenCTM();
      if (!ctm) return;
      var p = svg.createSVGPoint();
      p.x = ev.clientX; p.y = ev.clientY;
      p = p.matrixTransform(ctm.inverse());
      if (p.x < plot[0] || p.x > plot[2] || p.y < plot[1] || p.y > plot[3]) { hide(svg); return; }
      var t = +xs[0] + (p.x - plot[0]) / (plot[2] - plot[0]) * (+xs[1] - +xs[0]);
      var lines = ['t = ' + fmt(t) + ' ' + xs[2]];
      svg.querySelectorAll('path[data-label]').forEach(function (path) {
        var pts = points(path), best = Infinity, lo = 0, hi = 0;
        pts.forEach(function (q) {
          var dx = Math.abs(q[0] - p.x);
          if (dx < best - 0.05) { best = dx; lo = hi = q[1]; }
          else if (Math.abs(dx - best) <= 0.05) { lo = Math.min(lo, q[1]); hi = Math.max(hi, q[1]); }
        });
        if (best > path._gap) return;
        var top = value(lo), bottom = value(hi);
        var text = Math.abs(top - bottom) < 1e-9 * Math.max(1, Math.abs(top)) ? fmt(top) : fmt(bottom) + ' \u2013 ' + fmt(top);
        lines.push(path.getAttribute('data-label') + ': ' + text + (unit ? ' ' + unit : ''));
      });
      spans.forEach(function (r) {
        var x0 = +r.getAttribute('x'), x1 = x0 + +r.getAttribute('width');
        if (p.x >= x0 && p.x <= x1) lines.push('\u26a0 ' + r.querySelector('title').textContent);
      });
      var c = svg.querySelector('.cursor');
      if (c) { c.setAttribute('transform', 'translate(' + p.x.toFixed(1) + ' 0)'); c.style.visibility = 'visible'; }
      tip.textContent = lines.join('\n');
      tip.style.display = 'block';
      var left = ev.clientX + 16;
      if (left + tip.offsetWidth > window.innerWidth - 8) left = ev.clientX - 16 - tip.offsetWidth;
      tip.style.left = left + 'px';
      tip.style.top = (ev.clientY + 16) + 'px';
    });
  });
  // Lets a headless browser test see that the script ran to the end.
  document.documentElement.setAttribute('data-hover-charts', String(charts.length));
})();
)JS";

}  // namespace

std::string html_document(const std::string& title, const std::string& header, const std::vector<NavLink>& nav,
                          const std::string& main) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                    "<meta name=\"generator\" content=\"sluice report\"/>\n<title>" +
                    xml_escape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  out += "<header class=\"top\"><div class=\"inner\">" + header + "</div></header>\n";
  if (!nav.empty()) {
    out += "<nav class=\"toc\"><div class=\"inner\">";
    for (const NavLink& link : nav) {
      out += "<a href=\"#" + xml_attr(link.anchor) + "\">" + xml_escape(link.label) + "</a>";
    }
    out += "</div></nav>\n";
  }
  out += "<main>\n" + main + "\n<footer>Generated by <code>sluice report</code>. Self-contained: no network access is "
         "needed to view this file. Time series are bucketed (min, max and mean per bucket) and drawn at most one "
         "column per pixel, keeping each column's extremes.</footer>\n</main>\n";
  out += "<div id=\"tip\"></div>\n<script>//<![CDATA[";
  out += kScript;
  out += "//]]></script>\n</body>\n</html>\n";
  return out;
}

std::string verdict_badge(bool ok) {
  return ok ? "<span class=\"badge pass\">PASS</span>" : "<span class=\"badge fail\">FAIL</span>";
}

std::string pill(const std::string& kind, const std::string& text) {
  return "<span class=\"pill " + xml_attr(kind) + "\">" + xml_escape(text) + "</span>";
}

std::string tile(const std::string& label, const std::string& value, const std::string& hint, TileStyle style) {
  std::string out = std::string(style == TileStyle::alarm ? "<div class=\"tile bad\">" : "<div class=\"tile\">") +
                    "<div class=\"k\">" + xml_escape(label) + "</div><div class=\"" +
                    (style == TileStyle::identifier ? "v mono" : "v") + "\">" + xml_escape(value) + "</div>";
  if (!hint.empty()) out += "<div class=\"h\">" + xml_escape(hint) + "</div>";
  return out + "</div>";
}

std::string section(const std::string& id, const std::string& heading, const std::string& inner) {
  return "<section id=\"" + xml_attr(id) + "\"><h2>" + xml_escape(heading) + "</h2>\n" + inner + "\n</section>\n";
}

std::string figure(const std::string& svg, const std::string& caption) {
  std::string out = "<figure class=\"chart-box\">";
  if (!caption.empty()) out += "<figcaption>" + xml_escape(caption) + "</figcaption>";
  return out + svg + "</figure>\n";
}

}  // namespace sluice::reports
