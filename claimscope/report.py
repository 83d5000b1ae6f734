"""The cross-source report for people: JSON, markdown, and one standalone HTML page with charts.

All three are drawn from ``Analysis.report(topic)`` (the contract of ``../shared/spec/README.md``
part 2) and ``Analysis.documents``; the HTML page may also be given the ledgers, to quote the
paragraphs each figure comes from.

The HTML page works offline and alone: inline CSS, inline SVG charts drawn here (no charting
library), one small optional script, and a Content-Security-Policy that lets nothing else load.
Every string that comes from an article is untrusted: the template autoescapes, and the SVG
built here escapes each text and attribute itself (``markupsafe.escape``).
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import hashlib
import json
import math
import urllib.parse
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from ._models import Ledger
from ._render import _annotate, _fmt_num, _md, _paragraphs, _Span, _templates
from .reconcile import Analysis

# ---------------------------------------------------------------------------------------------
# JSON


def report_json(analysis: Analysis, topic: str | None = None) -> str:
    """The contract JSON, indented."""
    return json.dumps(analysis.report(topic), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------
# Wording shared by markdown and HTML


def _amount(e: Mapping[str, Any]) -> str:
    """The value an estimate allows: ``12,000``, ``30,000–35,000``, ``≥ 6,000``, ``≤ 120``."""
    value, low, high = e["value"], e["low"], e["high"]
    if e["bound"] == "range" or (value is None and low is not None and high is not None):
        return f"{_fmt_num(low)}–{_fmt_num(high)}"
    if e["bound"] == "at_least":
        return f"≥ {_fmt_num(value if value is not None else low)}"
    if e["bound"] == "at_most":
        return f"≤ {_fmt_num(value if value is not None else high)}"
    if e["bound"] == "approx":
        return f"~{_fmt_num(value)}" if value is not None else ""
    return _fmt_num(value)


def range_text(t: Mapping[str, Any]) -> str:
    low, high = t["range"]["low"], t["range"]["high"]
    return _fmt_num(low) if low == high else f"{_fmt_num(low)}–{_fmt_num(high)}"


def _split_figure(sentence: str | None, figure: str) -> tuple[str, str, str]:
    """The sentence around the figure's first occurrence: (before, figure, after)."""
    if not sentence:
        return "", figure, ""
    i = sentence.find(figure) if figure else -1
    if i < 0:
        return sentence, "", ""
    return sentence[:i], figure, sentence[i + len(figure):]


def _doc_label(meta: Mapping[str, Any] | None, doc_id: str) -> str:
    if not meta:
        return doc_id
    return meta.get("site") or meta.get("title") or doc_id


def _kinds(contradictions: list[dict[str, Any]]) -> str:
    counts = Counter(c["kind"] for c in contradictions)
    return ", ".join(f"{counts[k]} {k}" for k in ("conflict", "revision", "denial") if counts[k])


def _summary(analysis: Analysis, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs of the report's headline counts."""
    n_docs, n_copies = len(analysis.documents), len(analysis.copies)
    dates = sorted(d["published"] for d in analysis.documents.values() if d.get("published"))
    estimates = [e for t in data["topics"] for e in t["estimates"]]
    quoted = {e["source"] for e in estimates}
    contradictions = data["contradictions"]
    rows = [
        ("documents", f"{n_docs}" + (f" ({n_copies} syndicated {'copy' if n_copies == 1 else 'copies'})"
                                     if n_copies else "")),
        ("published", f"{dates[0]} – {dates[-1]}" if len(dates) > 1 else (dates[0] if dates else "unknown")),
        ("sources", f"{len(data['entities'])} named; {len(quoted)} give figures"),
        ("topics", f"{len(data['topics'])} ({len(estimates)} figures)"),
        ("contradictions", f"{len(contradictions)}" + (f" ({_kinds(contradictions)})" if contradictions else "")),
    ]
    return rows


# ---------------------------------------------------------------------------------------------
# Markdown


def _md_rows(header: list[str], rows: list[list[str]]) -> list[str]:
    """A table of cells that are already markdown (escaped by the caller)."""
    if not rows:
        return ["_None._", ""]
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return out + ["| " + " | ".join(row) + " |" for row in rows] + [""]


def _md_sentence(e: Mapping[str, Any]) -> str:
    """The sentence with the figure in bold (escaped as one cell, so inner spaces are kept)."""
    before, figure, after = _split_figure(e.get("sentence"), e["text"])
    if not figure:
        return _md(before)
    return _md(f"{before}\x00{figure}\x00{after}").replace("\x00", "**")


def _md_contradictions(contradictions: list[dict[str, Any]]) -> list[str]:
    return _md_rows(
        ["kind", "source A", "says", "source B", "says", "reason"],
        [[c["kind"], _md(c["a_source"]), _md(c["a_text"]), _md(c["b_source"]), _md(c["b_text"]), _md(c["reason"])]
         for c in contradictions],
    )


def report_markdown(analysis: Analysis, topic: str | None = None) -> str:
    """The report as GitHub-flavoured markdown: summary, one section per topic (its figures
    and contradictions), the contradictions without a topic, the sources and the documents."""
    data = analysis.report(topic)
    docs = analysis.documents
    lines = ["# Cross-source report" + (f": {_md(topic)}" if topic else ""), ""]
    lines += [f"- **{k}:** {_md(v)}" for k, v in _summary(analysis, data)] + [""]
    by_topic: dict[str | None, list[dict[str, Any]]] = {}
    for c in data["contradictions"]:
        by_topic.setdefault(c.get("topic"), []).append(c)
    lines += ["## Topics", ""]
    if not data["topics"]:
        lines += ["_No figures found._", ""]
    for t in data["topics"]:
        lines += [f"### {_md(t['label'])}", ""]
        facts = [f"concept: {t['concept']}", f"unit: {t['unit'] or '—'}", f"range: {range_text(t)}",
                 f"sources: {len(t['sources'])} ({t['independent_sources']} independent)"]
        lines += [_md(" · ".join(facts)), ""]
        lines += _md_rows(
            ["said on", "source", "figure", "bound", "value", "sentence", "via", "copies"],
            [
                [_md(e["said_on"] or "—"), _md(e["source"]), _md(e["text"]), e["bound"], _md(_amount(e)),
                 _md_sentence(e), _md(", ".join(e.get("via") or ())),
                 _md(", ".join(_doc_label(docs.get(d), d) for d in e["copies"]))]
                for e in t["estimates"]
            ],
        )
        if by_topic.get(t["id"]):
            lines += ["#### Contradictions", ""] + _md_contradictions(by_topic[t["id"]])
    shown = {t["id"] for t in data["topics"]}
    rest = [c for c in data["contradictions"] if c.get("topic") not in shown]
    if rest:
        lines += ["## Contradictions without a topic", ""] + _md_contradictions(rest)
    lines += ["## Sources", ""] + _md_rows(
        ["name", "type", "aliases", "documents", "speaks for"],
        [[_md(s["name"]), _md(s["type"]), _md(", ".join(a for a in s["aliases"] if a != s["name"])),
          str(s["documents"]), _md(s.get("affiliation") or "")]
         for s in _sorted_entities(data["entities"])],
    )
    lines += ["## Documents", ""] + _md_rows(
        ["published", "site", "title", "source", "copy of"],
        [[_md(m.get("published") or "—"), _md(m.get("site") or ""), _md(m.get("title") or ""), _md(m.get("source")),
          _md(_doc_label(docs.get(analysis.copies[d]), analysis.copies[d]) if d in analysis.copies else "")]
         for d, m in _sorted_documents(docs)],
    )
    return "\n".join(lines).rstrip("\n") + "\n"


def _sorted_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(entities, key=lambda s: (-s["documents"], s["name"].casefold()))


def _sorted_documents(docs: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, Mapping[str, Any]]]:
    return sorted(docs.items(), key=lambda kv: (kv[1].get("published") or "9999", kv[0]))


# ---------------------------------------------------------------------------------------------
# HTML: the charts
#
# A chart per topic: x is the day a figure was given (``said_on``), y its value (log scale when
# the values span more than two orders of magnitude). Each source has a colour and a marker
# shape; exact figures are filled markers, approximate ones hollow, ranges vertical bars with
# caps, "at least"/"at most" a marker with an arrow up/down; "+n" counts syndicated copies.

_PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
            "#7f7f7f", "#bcbd22")
_SHAPES = ("circle", "square", "diamond", "triangle")

_WIDTH, _LEFT, _RIGHT, _TOP, _PLOT_H = 760, 64, 24, 30, 210
_PLOT_W = _WIDTH - _LEFT - _RIGHT
_R = 5.0  # marker radius
_ARROW = 16.0  # length of a bound's arrow
_LEGEND_ROW = 18
_CHAR_W = 7.2  # generous width of a character of the 11px legend text (DejaVu Sans is wide)


@dataclass(frozen=True, slots=True)
class _Style:
    colour: str
    shape: str


def _styles(topics: list[dict[str, Any]]) -> dict[str, _Style]:
    """One colour (then shape) per source over the whole report, the most frequent first, so a
    source looks the same in every chart."""
    counts = Counter(e["source"] for t in topics for e in t["estimates"])
    order = sorted(counts, key=lambda s: (-counts[s], s.casefold()))
    n = len(_PALETTE)
    return {s: _Style(_PALETTE[i % n], _SHAPES[(i // n) % len(_SHAPES)]) for i, s in enumerate(order)}


def _x(text: Any) -> str:
    """Escaped for SVG text and double-quoted attributes."""
    return str(escape(text))


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


def _nice_step(raw: float) -> float:
    if raw <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(raw))
    return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)


def _tick_label(v: float) -> str:
    a = abs(v)
    if a >= 1e9:
        return f"{v / 1e9:g}bn"
    if a >= 1e6:
        return f"{v / 1e6:g}M"
    if a >= 1e4:
        return f"{v / 1e3:g}k"
    return f"{v:,.6g}"


class _YScale:
    def __init__(self, values: list[float]):
        lo, hi = min(values), max(values)
        self.log = lo > 0 and hi / lo > 100
        if self.log:
            self.lo_exp, self.hi_exp = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
            if self.hi_exp == self.lo_exp:
                self.hi_exp += 1
            every = max(1, math.ceil((self.hi_exp - self.lo_exp) / 6))
            self.ticks = [10.0 ** k for k in range(self.lo_exp, self.hi_exp + 1, every)]
        else:
            low = min(lo, 0.0)
            step = _nice_step(((hi - low) or abs(hi) or 1.0) / 5)
            self.lo = math.floor(low / step) * step
            self.hi = math.ceil(hi / step) * step
            if self.hi <= hi:  # headroom above the highest figure for its marker or arrow
                self.hi += step
            self.ticks = [self.lo + i * step for i in range(round((self.hi - self.lo) / step) + 1)]

    def __call__(self, v: float) -> float:
        if self.log:
            frac = (math.log10(max(v, 10.0 ** self.lo_exp)) - self.lo_exp) / (self.hi_exp - self.lo_exp)
        else:
            frac = (v - self.lo) / (self.hi - self.lo)
        return _TOP + _PLOT_H * (1 - frac)


class _XScale:
    def __init__(self, days: list[dt.date]):
        first, last = min(days), max(days)
        span = (last - first).days
        pad = 3 if span == 0 else max(1, round(span * 0.05))
        self.d0 = first - dt.timedelta(days=pad)
        self.n = span + 2 * pad
        step = next((s for s in (1, 2, 3, 7, 14, 28, 56, 91, 182, 365, 730) if self.n / s <= 9), 1461)
        self.ticks = [first + dt.timedelta(days=k) for k in range(0, span + 1, step)]
        self.with_year = (last - first).days > 300 or first.year != last.year

    def __call__(self, d: dt.date) -> float:
        return _LEFT + _PLOT_W * (d - self.d0).days / self.n

    def label(self, d: dt.date) -> str:
        return f"{d:%b} {d.day}" + (f" {d.year}" if self.with_year else "")


def _marker(shape: str, x: float, y: float, colour: str, hollow: bool) -> str:
    fill = "#fff" if hollow else colour
    paint = f'fill="{fill}" stroke="{colour}" stroke-width="{2 if hollow else 1}"'
    r = _R
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:g}" {paint}/>'
    if shape == "square":
        s = r * 0.9
        return f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}" {paint}/>'
    if shape == "diamond":
        s = r * 1.25
        return f'<path d="M{x:.1f} {y - s:.1f}L{x + s:.1f} {y:.1f}L{x:.1f} {y + s:.1f}L{x - s:.1f} {y:.1f}Z" {paint}/>'
    s = r * 1.2
    return (f'<path d="M{x:.1f} {y - s:.1f}L{x + s:.1f} {y + s * 0.8:.1f}L{x - s:.1f} {y + s * 0.8:.1f}Z" '
            f'{paint}/>')


def _arrow(x: float, y: float, up: bool, colour: str) -> str:
    """A bound: a stem from the marker and an arrowhead, up for "at least", down for "at most"."""
    d = -1 if up else 1
    y0, tip = y + d * _R, y + d * (_R + _ARROW)
    return (f'<line x1="{x:.1f}" y1="{y0:.1f}" x2="{x:.1f}" y2="{tip:.1f}" stroke="{colour}" stroke-width="1.6"/>'
            f'<path d="M{x - 4:.1f} {tip - d * 6:.1f}L{x:.1f} {tip:.1f}L{x + 4:.1f} {tip - d * 6:.1f}" fill="none" '
            f'stroke="{colour}" stroke-width="1.6"/>')


def _plotted(e: Mapping[str, Any]) -> tuple[float | None, float | None, float | None]:
    """(marker value, bar low, bar high) of an estimate; bars only for ranges."""
    value, low, high = e["value"], e["low"], e["high"]
    if e["bound"] == "range" and low is not None and high is not None:
        return None, low, high
    if value is None:
        value = low if low is not None else high
    return value, None, None


def _tooltip(e: Mapping[str, Any], copies: int) -> str:
    lines = [f"{e['source']}: {e['text']} ({e['bound']}, {_amount(e)}) on {e['said_on'] or 'an unknown day'}"]
    if e.get("via"):
        lines.append("via " + ", ".join(e["via"]))
    if copies:
        lines.append(f"also in {copies} syndicated {'copy' if copies == 1 else 'copies'}")
    if e.get("sentence"):
        lines.append(e["sentence"])
    return "\n".join(lines)


def _mark(e: Mapping[str, Any], x: float, value: float | None, low: float | None, high: float | None,
          ys: _YScale, style: _Style) -> tuple[str, float]:
    """The marks of one figure (with its tooltip), and the height of its middle."""
    c = style.colour
    parts = [f"<title>{_x(_tooltip(e, len(e['copies'])))}</title>"]
    if value is None:  # a range: a bar with caps, at least 4px tall
        y0, y1 = ys(low), ys(high)
        if abs(y0 - y1) < 4:
            y0, y1 = (y0 + y1) / 2 + 2, (y0 + y1) / 2 - 2
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y0:.1f}" y2="{y1:.1f}" stroke="{c}" stroke-width="3"/>')
        parts += [f'<line x1="{x - 4:.1f}" x2="{x + 4:.1f}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="{c}" stroke-width="2"/>'
                  for yy in (y0, y1)]
        y, top = (y0 + y1) / 2, y1
    else:
        y = ys(value)
        parts.append(_marker(style.shape, x, y, c, hollow=e["bound"] == "approx"))
        if e["bound"] in ("at_least", "at_most"):
            parts.append(_arrow(x, y, e["bound"] == "at_least", c))
        top = y - _R
    if e["copies"]:
        parts.append(f'<text class="copies" x="{x + 7:.1f}" y="{top - 2:.1f}" fill="{c}">+{len(e["copies"])}</text>')
    return "".join(parts), y


def _legend(sources: list[str], styles: Mapping[str, _Style], y: float) -> tuple[list[str], float]:
    """The legend of a chart's sources, wrapped into rows from height ``y``; and its bottom."""
    out, lx = [], float(_LEFT)
    for source in sources:
        name = source if len(source) <= 48 else source[:47] + "…"
        width = 36 + _CHAR_W * len(name)
        if lx + width > _WIDTH - _RIGHT and lx > _LEFT:
            lx, y = float(_LEFT), y + _LEGEND_ROW
        st = styles[source]
        out.append(f'<g class="key" data-source="{_x(source)}">{_marker(st.shape, lx + 6, y - 4, st.colour, False)}'
                   f'<text x="{lx + 16:.1f}" y="{y:.1f}">{_x(name)}</text></g>')
        lx += width
    return out, y + 10


def _chart(t: Mapping[str, Any], styles: Mapping[str, _Style], row_ids: list[str]) -> tuple[Markup, int]:
    """The SVG timeline of one topic, and how many of its figures had no date to plot."""
    dated = []
    for e, row in zip(t["estimates"], row_ids):
        day = _day(e["said_on"])
        value, low, high = _plotted(e)
        numbers = [v for v in (value, low, high) if v is not None]
        if day is not None and numbers and all(math.isfinite(v) for v in numbers):
            dated.append((e, row, day, value, low, high))
    undated = len(t["estimates"]) - len(dated)
    label = _x(f"{t['label']}: figures by date and source")

    def svg(height: float, body: str) -> Markup:
        return Markup(f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" '
                      f'viewBox="0 0 {_WIDTH} {height:.0f}" width="{_WIDTH}" height="{height:.0f}">'
                      f"<title>{label}</title>{body}</svg>")

    if not dated:
        return svg(64, f'<text class="empty" x="{_WIDTH / 2:g}" y="40" text-anchor="middle">'
                       "No dated figures to plot.</text>"), undated

    ys = _YScale([v for *_, value, low, high in dated for v in (value, low, high) if v is not None])
    xs = _XScale([d for _, _, d, *_ in dated])
    out: list[str] = []
    bottom = _TOP + _PLOT_H
    # Axes: horizontal grid lines with value labels, day ticks below.
    for v in ys.ticks:
        y = ys(v)
        out.append(f'<line class="grid" x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
                   f'<text class="tick" x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_x(_tick_label(v))}</text>')
    for d in xs.ticks:
        x = xs(d)
        out.append(f'<line class="axis" x1="{x:.1f}" x2="{x:.1f}" y1="{bottom}" y2="{bottom + 5}"/>'
                   f'<text class="tick" x="{x:.1f}" y="{bottom + 18}" text-anchor="middle">{_x(xs.label(d))}</text>')
    out.append(f'<line class="axis" x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{bottom}" y2="{bottom}"/>')
    unit = t["unit"] or t["concept"]
    out.append(f'<text class="unit" x="{_LEFT}" y="{_TOP - 14}">{_x(unit)}{" (log scale)" if ys.log else ""}</text>')

    # Each figure links to its row. Figures of the same day are spread sideways so that none
    # hides another.
    same_day = Counter(d for _, _, d, *_ in dated)
    seen: Counter[dt.date] = Counter()
    middles: dict[str, list[tuple[float, float]]] = {}  # source -> (x, y) of its figures
    marks: list[str] = []
    for e, row, day, value, low, high in dated:
        x = xs(day) + (seen[day] - (same_day[day] - 1) / 2) * 10
        seen[day] += 1
        body, y = _mark(e, x, value, low, high, ys, styles[e["source"]])
        marks.append(f'<a href="#{_x(row)}"><g class="pt" data-source="{_x(e["source"])}" '
                     f'data-bound="{_x(e["bound"])}">{body}</g></a>')
        middles.setdefault(e["source"], []).append((x, y))
    # A faint line through each source's figures, in date order, shows how its count moved.
    trends = [
        f'<polyline class="trend" data-source="{_x(source)}" stroke="{styles[source].colour}" '
        f'points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in sorted(pts))}"/>'
        for source, pts in middles.items() if len(pts) > 1
    ]
    legend, height = _legend(list(middles), styles, bottom + 40)
    return svg(height, "".join(out + trends + marks + legend)), undated


# ---------------------------------------------------------------------------------------------
# HTML: tables, the documents appendix, the page


def _is_url(source: str | None) -> bool:
    return bool(source) and source.lower().startswith(("http://", "https://"))


def _text_fragment_url(url: str, sentence: str | None) -> str:
    """The URL with a ``#:~:text=`` fragment of the sentence's first words (browsers scroll
    to it and mark it); dashes are escaped as the fragment syntax requires."""
    words = (sentence or "").split()[:8]
    base = url.split("#", 1)[0]
    if not words:
        return base
    return base + "#:~:text=" + urllib.parse.quote(" ".join(words), safe="").replace("-", "%2D")


@dataclass(frozen=True, slots=True)
class _Link:
    label: str
    href: str


@dataclass(frozen=True, slots=True)
class _RowView:
    """One figure in a topic's table (plain strings; the template escapes them)."""

    id: str
    said_on: str
    source: str
    colour: str
    text: str
    bound: str
    amount: str
    before: str
    figure: str
    after: str
    via: list[str]
    copies: list[_Link]
    article: _Link
    original: str | None  # the article's URL with a text fragment


@dataclass(frozen=True, slots=True)
class _ContradictionView:
    id: str
    kind: str
    a_source: str
    b_source: str
    a_text: str
    b_text: str
    a_href: str
    b_href: str
    reason: str
    topic: _Link | None


@dataclass(frozen=True, slots=True)
class _TopicView:
    id: str
    label: str
    facts: list[tuple[str, str]]
    chart: Markup
    undated: int
    rows: list[_RowView]
    contradictions: list[_ContradictionView]


@dataclass(frozen=True, slots=True)
class _DocumentView:
    id: str
    title: str
    published: str
    site: str
    source: str
    url: str | None
    copy_of: _Link | None
    paragraphs: list[Markup | None]  # None marks skipped paragraphs
    page: str | None = None  # the annotated article, where one is served (the web UI)


class _Citations:
    """Which claims of which documents the report cites, their anchors, and the first row
    that cites each (for the way back from the appendix)."""

    def __init__(self, ledgers: Mapping[str, Ledger]):
        self.known = {doc: {a.id for a in x.attributions} | {q.id for q in x.quantities} for doc, x in ledgers.items()}
        self.claims: dict[str, dict[str, str]] = {}  # doc -> local claim id -> back link
        self.figures: dict[str, set[str]] = {}  # doc -> quantity ids to mark

    def cite(self, claim_id: str, back: str, quantity_id: str | None = None) -> str:
        """The href of a claim: its anchor in the appendix, else its document's section."""
        doc, _, local = claim_id.partition(":")
        if quantity_id:
            qdoc, _, qlocal = quantity_id.partition(":")
            self.figures.setdefault(qdoc, set()).add(qlocal)
        if local not in self.known.get(doc, ()):
            self.claims.setdefault(doc, {})
            return f"#doc-{doc}"
        self.claims.setdefault(doc, {}).setdefault(local, back)
        return f"#claim-{doc}-{local}"


def _claim_spans(ledger: Ledger, claims: Mapping[str, str], figures: set[str]):
    """The spans to mark in a document, the anchors to place (position -> markup), and the
    stretch of text of each claim (speaker, cue and content: the paragraphs to quote)."""
    spans: list[_Span] = []
    stretches: list[tuple[int, int]] = []
    anchors: dict[int, list[str]] = {}
    doc = ledger.document.id

    def mark(start: int, end: int, rank: int, cls: str) -> None:
        if end > start:
            spans.append(_Span(start, end, rank, len(spans), f'<span class="{cls}">'))

    attributions = {a.id: a for a in ledger.attributions}
    quantities = {q.id: q for q in ledger.quantities}
    for local, back in claims.items():
        a = attributions.get(local)
        if a is not None:
            for s, e in a.content.fragments or ((a.content.start, a.content.end),):
                mark(s, e, 0, "claim neg" if a.negated else "claim")
            if a.speaker is not None:
                mark(a.speaker.start, a.speaker.end, 1, "who")
            parts = [x for x in (a.speaker, a.cue, a.content) if x is not None]
            start, end = min(x.start for x in parts), max(x.end for x in parts)
        else:
            q = quantities[local]
            mark(q.start, q.end, 0, "claim")
            start, end = q.start, q.end
        stretches.append((start, end))
        anchors.setdefault(start, []).append(
            f'<sup class="ref" id="claim-{_x(doc)}-{_x(local)}">'
            f'<a href="#{_x(back)}" title="back to the report">{_x(local)}</a></sup>'
        )
    for local in figures:
        q = quantities.get(local)
        if q is not None:
            mark(q.start, q.end, 2, "fig")
    return spans, anchors, stretches


def _cited_paragraphs(ledger: Ledger, claims: Mapping[str, str], figures: set[str]) -> list[Markup | None]:
    """The paragraphs holding cited claims, marked; None where paragraphs were skipped."""
    text = ledger.document.text
    spans, anchors, stretches = _claim_spans(ledger, claims, figures)
    bounds = list(_paragraphs(text))
    starts = [s for s, _ in bounds]
    # Each anchor goes to the last paragraph starting at or before it (kept inside its end),
    # so that none is lost between paragraphs; that paragraph is shown too.
    placed: dict[int, dict[int, list[str]]] = {}
    for pos, marks in anchors.items():
        i = max(bisect.bisect_right(starts, pos) - 1, 0)
        placed.setdefault(i, {}).setdefault(min(max(pos, bounds[i][0]), bounds[i][1]), []).extend(marks)
    shown = {i for i, (s, e) in enumerate(bounds) if any(a < e and b > s for a, b in stretches)} | set(placed)
    out: list[Markup | None] = []
    last = -1
    for i in sorted(shown):
        start, end = bounds[i]
        if i != last + 1:
            out.append(None)
        inside = [s for s in spans if s.start < end and s.end > start]
        out.append(Markup(_annotate(text, inside, placed.get(i, {}), start, end)))
        last = i
    if out and last != len(bounds) - 1:
        out.append(None)
    return out


# The page's one script (optional: the page is complete without it). The Content-Security-
# Policy allows exactly this script, by its hash, and nothing else.
_SCRIPT = """
(function () {
  var select = document.getElementById("source-filter");
  if (!select) { return; }
  select.closest("p").hidden = false;
  select.addEventListener("change", function () {
    var want = select.value;
    document.querySelectorAll("[data-source]").forEach(function (el) {
      el.classList.toggle("off", want !== "" && el.getAttribute("data-source") !== want);
    });
  });
})();
"""
_SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()


def report_html(analysis: Analysis, ledgers_by_id: Mapping[str, Ledger] | None = None,
                topic: str | None = None, *, nav: Sequence[tuple[str, str]] = (),
                document_page: Callable[[str], str] | None = None) -> str:
    """One standalone, offline HTML page: summary, a chart, a table of figures and the
    contradictions per topic, the sources, and an appendix of the documents cited (quoting
    the paragraphs of each cited claim when ``ledgers_by_id`` is given).

    The web UI adds ``nav`` (a bar of (label, href) links) and ``document_page`` (a document
    id's annotated article, linked from the appendix)."""
    data = analysis.report(topic)
    docs = analysis.documents
    ledgers = ledgers_by_id or {}
    styles = _styles(data["topics"])
    cites = _Citations(ledgers)
    referenced: list[str] = []

    def refer(doc: str) -> None:
        if doc not in referenced:
            referenced.append(doc)
            if doc in analysis.copies:  # a copy's section points to its original's
                refer(analysis.copies[doc])

    def doc_link(doc: str) -> _Link:
        refer(doc)
        return _Link(_doc_label(docs.get(doc), doc), f"#doc-{doc}")

    # The figures' rows first: a claim quoted in the appendix links back to the first row
    # citing it, a figure's row rather than a contradiction's where it has one.
    parts = []
    for t in data["topics"]:
        row_ids = [f"figure-{t['id']}-{i + 1}" for i in range(len(t["estimates"]))]
        rows = []
        for e, row in zip(t["estimates"], row_ids):
            doc = e["document_id"]
            before, figure, after = _split_figure(e.get("sentence"), e["text"])
            source_url = (docs.get(doc) or {}).get("source")
            rows.append(_RowView(
                id=row, said_on=e["said_on"] or "—", source=e["source"], colour=styles[e["source"]].colour,
                text=e["text"], bound=e["bound"].replace("_", " "), amount=_amount(e), before=before, figure=figure,
                after=after, via=list(e.get("via") or ()), copies=[doc_link(d) for d in e["copies"]],
                article=_Link(doc_link(doc).label, cites.cite(e["claim_id"], row, e.get("quantity_id"))),
                original=_text_fragment_url(source_url, e.get("sentence")) if _is_url(source_url) else None,
            ))
        chart, undated = _chart(t, styles, row_ids)
        parts.append((t, rows, chart, undated))

    contradictions: dict[str | None, list[_ContradictionView]] = {}  # topic id (None: none shown) -> rows
    labels = {t["id"]: t["label"] for t in data["topics"]}
    for i, c in enumerate(data["contradictions"]):
        row = f"contradiction-{i + 1}"
        for claim in (c["a"], c["b"]):
            refer(claim.partition(":")[0])
        tid = c.get("topic") if c.get("topic") in labels else None
        contradictions.setdefault(tid, []).append(_ContradictionView(
            id=row, kind=c["kind"], a_source=c["a_source"], b_source=c["b_source"], a_text=c["a_text"],
            b_text=c["b_text"], a_href=cites.cite(c["a"], row), b_href=cites.cite(c["b"], row), reason=c["reason"],
            topic=_Link(labels[tid], f"#topic-{tid}") if tid else None,
        ))

    topics = [
        _TopicView(t["id"], t["label"],
                   [("concept", t["concept"]), ("unit", t["unit"] or "—"), ("range", range_text(t)),
                    ("sources", f"{len(t['sources'])} ({t['independent_sources']} independent)")],
                   chart, undated, rows, contradictions.get(t["id"], []))
        for t, rows, chart, undated in parts
    ]

    documents = []
    for doc in sorted(referenced, key=lambda d: ((docs.get(d) or {}).get("published") or "9999", d)):
        meta = docs.get(doc) or {}
        ledger = ledgers.get(doc)
        if not meta and ledger is not None:
            meta = {"title": ledger.document.title, "published": ledger.document.published,
                    "source": ledger.document.source, "site": ledger.document.site}
        original = analysis.copies.get(doc)
        claims = cites.claims.get(doc, {})
        paragraphs = (_cited_paragraphs(ledger, claims, cites.figures.get(doc, set()))
                      if ledger is not None and claims else [])
        documents.append(_DocumentView(
            id=doc, title=meta.get("title") or "Untitled article", published=meta.get("published") or "—",
            site=meta.get("site") or "", source=meta.get("source") or "",
            url=meta.get("source") if _is_url(meta.get("source")) else None,
            copy_of=_Link(_doc_label(docs.get(original), original), f"#doc-{original}") if original else None,
            paragraphs=paragraphs, page=document_page(doc) if document_page else None,
        ))
    return _templates().get_template("report.html.j2").render(
        title="Cross-source report" + (f": {topic}" if topic else ""),
        summary=_summary(analysis, data),
        sources=list(styles),
        styles=styles,
        topics=topics,
        other_contradictions=contradictions.get(None, []),
        entities=[
            {"name": s["name"], "type": s["type"], "documents": s["documents"], "affiliation": s.get("affiliation"),
             "aliases": [a for a in s["aliases"] if a != s["name"]]}
            for s in _sorted_entities(data["entities"])
        ],
        documents=documents,
        with_ledgers=bool(ledgers),
        script=Markup(_SCRIPT),
        script_hash=_SCRIPT_HASH,
        nav=list(nav),
    )


__all__ = ["range_text", "report_html", "report_json", "report_markdown"]


# ---------------------------------------------------------------------------------------------
# Claims listings (``claimscope claims``): a terminal table, CSV and JSON Lines


CLAIM_COLUMNS = ("id", "said_on", "published", "source", "speaker", "type", "cue", "content", "hedges",
                 "negated", "via", "document_id", "title")


def claims_csv(claims) -> str:
    """CSV with a header row; list fields are joined with "; ". Cells that a spreadsheet would
    run as a formula (starting with = + - @) are prefixed with a quote: article text is untrusted."""
    import csv
    import io

    def cell(value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            value = "; ".join(value)
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            value = "'" + value
        return value

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CLAIM_COLUMNS)
    for c in claims:
        d = c.to_dict()
        writer.writerow([cell(d[k]) for k in CLAIM_COLUMNS])
    return out.getvalue()


def claims_jsonl(claims) -> str:
    return "".join(json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in claims)


def claims_table(claims):
    """A rich renderable of claims for the terminal: a wide table, or on a narrow terminal
    (under 110 columns) one row per claim with its source, cue and notes over the content."""
    return _ClaimsView(tuple(claims))


_WIDE_CLAIMS = 110


@dataclass(frozen=True)
class _ClaimsView:
    claims: tuple

    def __rich_console__(self, console, options):
        from rich import box
        from rich.table import Table
        from rich.text import Text

        wide = options.max_width >= _WIDE_CLAIMS
        table = Table(title=Text(f"Claims ({len(self.claims)})", style="bold"), title_justify="left",
                      box=box.SIMPLE_HEAD, expand=True, pad_edge=False, header_style="bold dim")
        table.add_column("said on", no_wrap=True, min_width=10)
        if wide:
            table.add_column("source", ratio=2, min_width=14)
            table.add_column("cue", min_width=6)
            table.add_column("content", ratio=5, min_width=24)
            table.add_column("notes", ratio=1)
        else:
            table.add_column("claim", ratio=1)
        table.add_column("id", no_wrap=True, style="dim")
        for c in self.claims:
            notes = Text(", ".join([*(["denies"] if c.negated else []), *c.hedges, *(f"via {v}" for v in c.via)]),
                         style="yellow")
            who = Text(c.source or "(no speaker)", style="bold" if c.source else "dim")
            if c.speaker and c.source and c.source.casefold() not in c.speaker.casefold():
                who.append(f" ({c.speaker})", style="dim")  # "he", "the agency": how the article named it
            day = c.said_on or c.published or ""
            if wide:
                table.add_row(day, who, c.cue or "", Text(c.content), notes, _short_claim_id(c.id))
            else:
                head = Text.assemble(who, " ", (c.cue or "", "cyan"), *((" · ", notes) if notes else ()))
                table.add_row(day, Text("\n").join([head, Text(c.content)]), _short_claim_id(c.id))
        yield table


def _short_claim_id(claim_id: str) -> str:
    """"<document id>:a3" shortened to its first eight hex digits: "9f2c41d0:a3"."""
    doc, _, local = claim_id.partition(":")
    return f"{doc[:8]}:{local}" if local else claim_id
