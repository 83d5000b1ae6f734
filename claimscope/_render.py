"""Human views of a ledger: a rich table for the terminal, GitHub markdown, an annotated HTML page.

All three show the same sections (header, attributions, quantities, times, entities) and take
every string from the ledger as untrusted text: rich gets ``Text`` objects (never markup
strings), markdown cells are backslash-escaped, and HTML goes through ``html.escape`` or
Jinja2's autoescape.
"""

from __future__ import annotations

import bisect
import functools
import html
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import jinja2
from markupsafe import Markup
from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ._models import Attribution, Ledger, Quantity, TimeExpr

# Below this many columns the terminal view stacks each claim's fields in one cell.
_WIDE = 90
# Longest claim content shown in a terminal cell; the markdown and HTML views show it whole.
_CONTENT_CHARS = 240
_SPEAKER_CHARS = 40


# ---------------------------------------------------------------------------------------------
# Wording shared by the three views


def _fmt_num(x: float | None) -> str:
    if x is None:
        return ""
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.10g}"


def _amount(q: Quantity) -> str:
    """The number itself: ``11,000`` or ``10,000–12,000`` (a range, or a bound with both ends)."""
    if q.value is not None:
        return _fmt_num(q.value)
    if q.low is not None or q.high is not None:
        return f"{_fmt_num(q.low)}–{_fmt_num(q.high)}"
    return ""


def _quantity_summary(q: Quantity) -> str:
    """One line for a tooltip or a list: ``11,000 · approx · North Korean infantry troops``."""
    parts = [_amount(q) or "?", q.bound]
    if q.unit:
        parts.append(q.unit)
    if q.concept:
        parts.append(q.concept)
    return " · ".join(parts)


def _time_range(t: TimeExpr) -> str:
    if t.start_date is None and t.end_date is None:
        return "unresolved"
    if t.start_date == t.end_date or t.end_date is None:
        return t.start_date or ""
    return f"{t.start_date or '?'} → {t.end_date}"


def _speaker(a: Attribution) -> str:
    """``He → Kyrylo Budanov``; just the surface when it is the name or nothing resolved."""
    sp = a.speaker
    if sp is None:
        return ""
    if sp.name and sp.name != sp.text:
        return f"{sp.text} → {sp.name}"
    return sp.text


def _trim(text: str, limit: int) -> str:
    """Cut at a word boundary before ``limit`` characters, marking the cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    if cut < limit // 2:
        cut = limit - 1
    return text[:cut].rstrip(" ,;:") + "…"


def _counts(ledger: Ledger) -> str:
    n = (len(ledger.attributions), len(ledger.quantities), len(ledger.times), len(ledger.entities))
    return f"{n[0]} attributions · {n[1]} quantities · {n[2]} times · {n[3]} entities"


def _entity_name(ledger: Ledger, entity_id: str | None) -> str:
    ent = ledger.entity(entity_id)
    return ent.name if ent else (entity_id or "")


def _meta(ledger: Ledger) -> list[tuple[str, str]]:
    doc = ledger.document
    rows = [("site", doc.site), ("published", doc.published), ("source", doc.source), ("document", doc.id)]
    return [(k, v) for k, v in rows if v]


# ---------------------------------------------------------------------------------------------
# Terminal (rich)


def ledger_table(ledger: Ledger) -> RenderableType:
    """A rich renderable of the whole ledger; it lays itself out for the console's width."""
    return _LedgerView(ledger)


def print_ledger(ledger: Ledger, console: Console) -> None:
    console.print(ledger_table(ledger))


@dataclass(frozen=True, slots=True)
class _LedgerView:
    ledger: Ledger

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide = options.max_width >= _WIDE
        yield _header(self.ledger)
        for section in (_attribution_table, _quantity_table, _time_table, _entity_table):
            yield Text()
            yield section(self.ledger, wide)


def _header(ledger: Ledger) -> RenderableType:
    doc = ledger.document
    title = Text(doc.title or "Untitled article", style="bold")
    meta = Text(" · ").join(Text.assemble((f"{k} ", "dim"), v) for k, v in _meta(ledger))
    return Panel(Group(title, meta, Text(_counts(ledger), style="cyan")), box=box.ROUNDED, expand=True)


def _table(title: str, n: int) -> Table:
    return Table(
        title=Text(f"{title} ({n})", style="bold"), title_justify="left", box=box.SIMPLE_HEAD,
        expand=True, pad_edge=False, header_style="bold dim",
    )


def _none(title: str) -> Text:
    return Text.assemble((title, "bold"), (" — none", "dim"))


def _speaker_text(a: Attribution, sep: str = " ") -> Text:
    """The speaker as written (trimmed), then the entity it resolves to."""
    sp = a.speaker
    if sp is None:
        return Text("(no speaker)", style="dim")
    surface = _trim(sp.text, _SPEAKER_CHARS)
    if not sp.name or sp.name == sp.text:
        return Text(surface, style="green")
    return Text.assemble((surface, "dim"), sep, "→ ", (sp.name, "bold green"))


def _notes(ledger: Ledger, a: Attribution) -> list[Text]:
    """Via, hedges, negation and quantities of a claim, one short labelled line each."""
    qs = {q.id: q for q in ledger.quantities}
    out = []
    if a.via:
        out.append(Text.assemble(("via ", "dim"), ", ".join(v.name for v in a.via)))
    if a.hedges:
        out.append(Text.assemble(("hedged ", "dim"), (", ".join(a.hedges), "yellow")))
    if a.negated:
        out.append(Text("NEGATED", style="bold red"))
    for qid in a.quantities:
        out.append(Text.assemble((qid + " ", "dim"), (qs[qid].text if qid in qs else "", "cyan")))
    return out


def _attribution_table(ledger: Ledger, wide: bool) -> RenderableType:
    """Wide: id/type, speaker, cue, content, and notes (via, hedges, negated, quantities, one
    line each), which reads better at 100 columns than nine narrow columns. Narrow: one cell
    per claim with everything stacked."""
    if not ledger.attributions:
        return _none("Attributions")
    t = _table("Attributions", len(ledger.attributions))
    t.add_column("id", no_wrap=True)
    newline = Text("\n")
    if wide:
        t.add_column("speaker → name", ratio=4)
        t.add_column("cue", max_width=14, style="underline")
        t.add_column("content", ratio=7)
        t.add_column("notes", ratio=3)
        for a in ledger.attributions:
            t.add_row(
                Text.assemble((a.id, "bold"), "\n", (a.type, "dim")), _speaker_text(a, "\n"),
                Text(a.cue.text if a.cue else "—"), Text(_trim(a.content.text, _CONTENT_CHARS)),
                newline.join(_notes(ledger, a)),
            )
        return t
    t.add_column("claim", ratio=1)
    for a in ledger.attributions:
        head = Text.assemble(
            _speaker_text(a), " ", (a.cue.text if a.cue else "—", "underline"), (f"  [{a.type}]", "dim"),
        )
        body = Text(_trim(a.content.text, _CONTENT_CHARS))
        notes = _notes(ledger, a)
        lines = [head, body] + ([Text(" · ").join(notes)] if notes else [])
        t.add_row(Text(a.id, style="bold"), newline.join(lines))
    return t


def _quantity_table(ledger: Ledger, wide: bool) -> RenderableType:
    if not ledger.quantities:
        return _none("Quantities")
    t = _table("Quantities", len(ledger.quantities))
    t.add_column("id", no_wrap=True, style="bold")
    t.add_column("text", ratio=2, style="cyan")
    if wide:
        t.add_column("value", justify="right", no_wrap=True)
        t.add_column("low", justify="right", no_wrap=True)
        t.add_column("high", justify="right", no_wrap=True)
        t.add_column("bound", no_wrap=True)
        t.add_column("unit", ratio=1)
        t.add_column("concept", ratio=3)
        t.add_column("claim", no_wrap=True)
        for q in ledger.quantities:
            t.add_row(
                Text(q.id), Text(q.text), Text(_fmt_num(q.value)), Text(_fmt_num(q.low)), Text(_fmt_num(q.high)),
                Text(q.bound), Text(q.unit or ""), Text(q.concept or ""), Text(q.attribution or ""),
            )
    else:
        t.add_column("amount", ratio=2)
        t.add_column("concept", ratio=3)
        for q in ledger.quantities:
            amount = Text.assemble(_amount(q), (f" {q.bound}", "dim"), f" {q.unit}" if q.unit else "")
            concept = Text.assemble(q.concept or "", (f" ({q.attribution})" if q.attribution else "", "dim"))
            t.add_row(Text(q.id), Text(q.text), amount, concept)
    return t


def _time_table(ledger: Ledger, wide: bool) -> RenderableType:
    if not ledger.times:
        return _none("Times")
    t = _table("Times", len(ledger.times))
    t.add_column("id", no_wrap=True, style="bold")
    t.add_column("text", ratio=2, style="magenta")
    if wide:
        t.add_column("start", no_wrap=True)
        t.add_column("end", no_wrap=True)
        t.add_column("grain", no_wrap=True)
        t.add_column("relation", no_wrap=True)
        for x in ledger.times:
            t.add_row(Text(x.id), Text(x.text), Text(x.start_date or ""), Text(x.end_date or ""),
                      Text(x.grain or ""), Text(x.relation or ""))
    else:
        t.add_column("when", ratio=2)
        for x in ledger.times:
            t.add_row(Text(x.id), Text(x.text), Text.assemble(_time_range(x), (f" {x.grain or ''}", "dim")))
    return t


def _entity_table(ledger: Ledger, wide: bool) -> RenderableType:
    if not ledger.entities:
        return _none("Entities")
    t = _table("Entities", len(ledger.entities))
    t.add_column("id", no_wrap=True, style="bold")
    t.add_column("name", ratio=3, style="green")
    t.add_column("type", no_wrap=True)
    if wide:
        t.add_column("aliases", ratio=4)
        t.add_column("affiliation", ratio=3)
    for e in ledger.entities:
        row = [Text(e.id), Text(e.name), Text(e.type)]
        if wide:
            aliases = [x for x in e.aliases if x != e.name]
            row += [Text(", ".join(aliases), style="dim"), Text(_entity_name(ledger, e.affiliation))]
        t.add_row(*row)
    return t


# ---------------------------------------------------------------------------------------------
# Markdown (GitHub-flavoured)

# Every ASCII punctuation character may be backslash-escaped in CommonMark; these are the ones
# that would otherwise start markup inside a table cell (emphasis, code, links, HTML, entities).
_MD_SPECIAL = re.compile(r"([\\|*_`\[\]<>&~])")


def _md(text: str | None) -> str:
    """One table cell or heading: punctuation escaped, line breaks as ``<br>``."""
    if not text:
        return ""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return "<br>".join(line.strip() for line in escaped.splitlines())


def _md_table(title: str, header: list[str], rows: list[list[str]]) -> list[str]:
    out = [f"## {title}", ""]
    if not rows:
        return out + ["_None._", ""]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "|".join("---" for _ in header) + "|")
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return out + [""]


def ledger_markdown(ledger: Ledger) -> str:
    """The ledger as GitHub-flavoured markdown: a heading, a metadata list and four tables."""
    doc = ledger.document
    qs = {q.id: q for q in ledger.quantities}
    title = _md(" ".join((doc.title or "Untitled article").split()))
    lines = [f"# {title}", ""]
    lines += [f"- **{k}:** {_md(v)}" for k, v in _meta(ledger)]
    lines += [f"- **counts:** {_counts(ledger)}", ""]
    lines += _md_table(
        "Attributions",
        ["id", "type", "speaker", "cue", "content", "via", "hedges", "negated", "quantities"],
        [
            [
                a.id, a.type, _speaker(a), a.cue.text if a.cue else "", a.content.text,
                ", ".join(v.name for v in a.via), ", ".join(a.hedges), "yes" if a.negated else "",
                ", ".join(f"{qid} ({qs[qid].text})" if qid in qs else qid for qid in a.quantities),
            ]
            for a in ledger.attributions
        ],
    )
    lines += _md_table(
        "Quantities",
        ["id", "text", "value", "low", "high", "bound", "unit", "concept", "attribution"],
        [
            [q.id, q.text, _fmt_num(q.value), _fmt_num(q.low), _fmt_num(q.high), q.bound, q.unit or "",
             q.concept or "", q.attribution or ""]
            for q in ledger.quantities
        ],
    )
    lines += _md_table(
        "Times",
        ["id", "text", "start", "end", "grain", "relation"],
        [[t.id, t.text, t.start_date or "", t.end_date or "", t.grain or "", t.relation or ""]
         for t in ledger.times],
    )
    lines += _md_table(
        "Entities",
        ["id", "name", "type", "aliases", "affiliation"],
        [
            [e.id, e.name, e.type, ", ".join(x for x in e.aliases if x != e.name),
             _entity_name(ledger, e.affiliation)]
            for e in ledger.entities
        ],
    )
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------------------------
# HTML: the article with its spans marked, and a side list of claims

# When two spans cover exactly the same characters, the lower rank is the outer element.
_RANK = {"content": 0, "speaker": 1, "via": 2, "cue": 3, "qty": 4, "time": 5}
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


@dataclass(frozen=True, slots=True)
class _Span:
    """One marked stretch of article text and the opening tag it renders as."""

    start: int
    end: int
    rank: int
    seq: int  # insertion order: the last tie-breaker, so the nesting order is total
    open_tag: str


def _collect_spans(ledger: Ledger) -> tuple[list[_Span], dict[int, list[str]]]:
    """The spans to mark, and the back-reference anchors to insert (position -> markup).

    A claim's pieces carry its id in ``data-claims`` (which the page's script and links use);
    quantities and times carry theirs in ``data-ref``. Spans of the same kind over the same
    characters (one speaker for two claims) become one element listing both ids.
    """
    merged: dict[tuple[int, int, str], tuple[list[str], list[str], list[str]]] = {}

    def add(start: int, end: int, kind: str, classes: list[str], ref: str, title: str) -> None:
        if end <= start:
            return
        cls, refs, titles = merged.setdefault((start, end, kind), ([kind], [], []))
        cls += [c for c in classes if c not in cls]
        if ref not in refs:
            refs.append(ref)
        if title not in titles:
            titles.append(title)

    anchors: dict[int, list[str]] = {}
    for a in ledger.attributions:
        who = _speaker(a) or "no speaker"
        content_classes = [a.type] + (["neg"] if a.negated else [])
        cue = a.cue.text if a.cue else "no cue"
        for s, e in a.content.fragments or ((a.content.start, a.content.end),):
            add(s, e, "content", content_classes, a.id, f"{a.id}: {who} · {cue}")
        if a.speaker:
            add(a.speaker.start, a.speaker.end, "speaker", [] if a.speaker.entity else ["unresolved"],
                a.id, f"{a.id} speaker: {who}")
        if a.cue:
            add(a.cue.start, a.cue.end, "cue", [], a.id, f"{a.id} cue")
        for v in a.via:
            if v.start is not None and v.end is not None:
                add(v.start, v.end, "via", [], a.id, f"{a.id} via {v.name}")
        claim_id = html.escape(a.id)
        anchors.setdefault(a.content.end, []).append(
            f'<sup class="ref"><a id="text-{claim_id}" href="#claim-{claim_id}">{claim_id}</a></sup>'
        )
    for q in ledger.quantities:
        add(q.start, q.end, "qty", [], q.id, f"{q.id}: {_quantity_summary(q)}")
    for t in ledger.times:
        when = _time_range(t) + (f" · {t.grain}" if t.grain else "")
        add(t.start, t.end, "time", [], t.id, f"{t.id}: {when}")

    spans = []
    for seq, ((start, end, kind), (cls, refs, titles)) in enumerate(merged.items()):
        ref_attr = "data-ref" if kind in ("qty", "time") else "data-claims"
        attrs = f' class="{html.escape(" ".join(cls))}" {ref_attr}="{html.escape(" ".join(refs))}"'
        attrs += f' title="{html.escape(chr(10).join(titles))}"'
        spans.append(_Span(start, end, _RANK[kind], seq, f"<span{attrs}>"))
    return spans, anchors


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """``[start, end)`` of each paragraph; blank lines separate them."""
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        if m.start() > pos:
            yield pos, m.start()
        pos = m.end()
    if pos < len(text) or pos == 0:
        yield pos, len(text)


def _escape_text(text: str) -> str:
    return html.escape(text).replace("\n", "<br>\n")


def _annotate(text: str, spans: list[_Span], anchors: dict[int, list[str]], start: int, end: int) -> str:
    """The markup of ``text[start:end]`` with every span marked and the tags well-formed.

    ``anchors`` are the markup to insert at positions within ``[start, end]``.

    A sweep over the span boundaries: between two boundaries the covering spans are wanted
    open, outermost first. At each boundary the open tags that are no longer wanted, or that
    sit inside one that is not, are closed; the rest are (re)opened. Crossing spans thus
    split into pieces, and each piece nests properly.
    """
    inside = [s for s in spans if s.start < end and s.end > start]
    order = sorted(inside, key=lambda s: (s.start, -s.end, s.rank, s.seq))
    points = sorted(
        {start, end}
        | {max(s.start, start) for s in inside}
        | {min(s.end, end) for s in inside}
        | set(anchors)
    )
    out: list[str] = []
    stack: list[_Span] = []
    for i, pos in enumerate(points):
        nxt = points[i + 1] if i + 1 < len(points) else None
        wanted = [] if nxt is None else [s for s in order if s.start <= pos and s.end >= nxt]
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] is wanted[keep]:
            keep += 1
        out += ["</span>"] * (len(stack) - keep)
        out += anchors.get(pos, [])
        stack = stack[:keep] + wanted[keep:]
        out += [s.open_tag for s in wanted[keep:]]
        if nxt is not None:
            out.append(_escape_text(text[pos:nxt]))
    return "".join(out)


@dataclass(frozen=True, slots=True)
class _ClaimView:
    """What the side list shows of one attribution (plain strings; the template escapes them)."""

    id: str
    type: str
    speaker: str
    speaker_name: str
    cue: str
    content: str
    via: list[str]
    hedges: list[str]
    negated: bool
    quantities: list[str]
    times: list[str]
    said: str  # when the claim was made


def _claim_views(ledger: Ledger) -> list[_ClaimView]:
    qs = {q.id: q for q in ledger.quantities}
    ts = {t.id: t for t in ledger.times}

    def when(tid: str) -> str:
        return f"{ts[tid].text} ({_time_range(ts[tid])})" if tid in ts else tid

    views = []
    for a in ledger.attributions:
        sp = a.speaker
        views.append(_ClaimView(
            id=a.id, type=a.type, speaker=sp.text if sp else "", speaker_name=(sp.name or "") if sp else "",
            cue=a.cue.text if a.cue else "", content=a.content.text, via=[v.name for v in a.via],
            hedges=list(a.hedges), negated=a.negated,
            quantities=[f"{qs[x].text} ({_quantity_summary(qs[x])})" if x in qs else x for x in a.quantities],
            times=[when(x) for x in a.times], said=when(a.said_time) if a.said_time else "",
        ))
    return views


@functools.cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("claimscope", "templates"), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )


def ledger_html(ledger: Ledger, *, nav: Sequence[tuple[str, str]] = (), notice: str | None = None) -> str:
    """A standalone page (inline CSS, no external resources): the article with its speakers,
    claims, cues, quantities and times marked, beside a list of the claims linked both ways.
    The web UI adds ``nav`` (a bar of (label, href) links) and a one-line ``notice``."""
    text = ledger.document.text
    spans, anchors = _collect_spans(ledger)
    bounds = list(_paragraphs(text))
    starts = [s for s, _ in bounds]
    # Hand each paragraph only the spans that reach into it (found by bisection, so a long
    # text with many paragraphs costs no paragraphs-times-spans scan).
    inside: list[list[_Span]] = [[] for _ in bounds]
    for span in spans:
        i = max(bisect.bisect_right(starts, span.start) - 1, 0)
        while i < len(bounds) and bounds[i][0] < span.end:
            if bounds[i][1] > span.start:
                inside[i].append(span)
            i += 1
    # Each anchor goes to the last paragraph starting before it (kept inside its end), so
    # one whose claim ends in a paragraph break is not lost.
    placed: list[dict[int, list[str]]] = [{} for _ in bounds]
    for pos, marks in sorted(anchors.items()):
        i = max(bisect.bisect_left(starts, pos) - 1, 0)
        placed[i].setdefault(min(max(pos, bounds[i][0]), bounds[i][1]), []).extend(marks)
    paragraphs = [Markup(_annotate(text, inside[i], placed[i], s, e)) for i, (s, e) in enumerate(bounds)]
    return _templates().get_template("ledger.html.j2").render(
        title=ledger.document.title or "Untitled article", meta=_meta(ledger), counts=_counts(ledger),
        paragraphs=paragraphs, claims=_claim_views(ledger), nav=list(nav), notice=notice,
    )


# ---------------------------------------------------------------------------------------------
# JSON Lines


def ledger_jsonl(ledgers: Iterable[Ledger]) -> str:
    """One contract-JSON ledger per line."""
    return "".join(json.dumps(x.to_dict(), ensure_ascii=False) + "\n" for x in ledgers)
