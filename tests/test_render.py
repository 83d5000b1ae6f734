"""The three human views of a ledger (terminal table, markdown, annotated HTML) and JSON Lines."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from rich.cells import cell_len
from rich.console import Console

import claimscope
from claimscope import Attribution, Content, Cue, Document, Ledger, Quantity, Speaker, TimeExpr
from claimscope._render import ledger_html, ledger_jsonl, ledger_markdown, ledger_table, print_ledger

from conftest import SEED, check_spans

SMALL = (
    "The mayor of Riverton, Jane Doe, said on Monday that about 40 officers were hurt in the clashes.\n\n"
    "“We will rebuild the station by March,” she told reporters. Police chief Tom Hale said the mayor "
    "had reportedly denied that 300 people were arrested, according to the Riverton Gazette.\n\n"
    "Hale added that the damage could cost as much as $2 million."
)
# Markup, attribute injection and entities inside the article text itself.
HOSTILE = (
    "The council met on Tuesday to discuss the <script>alert(1)</script> budget & the \"onmouseover=alert(2) "
    "plan.\n\nThe treasurer said the fund had lost &amp; 2,000 dollars </div> in <b>March</b>, according to "
    "the local paper.\n\n“Nothing is <i>hidden</i> here,” she added."
)
QUIET = (
    "The river rose two metres overnight after three days of heavy rain in the valley.\n\n"
    "Farmers moved their cattle to higher ground before dawn, and the old bridge was closed to traffic."
)
# Hand-placed spans that nest and cross: a speaker and a claim inside another claim's content,
# a content that crosses that claim's end and a paragraph break, a quantity crossing another.
CROSSING = (
    "Alpha said that Beta told Gamma the plan would cost 5 million dollars by June.\n\nDelta agreed at once."
)


def _at(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def _crossing_ledger() -> Ledger:
    t = CROSSING
    inner = _at(t, "the plan would cost 5 million dollars by June")
    outer = (_at(t, "Beta")[0], inner[1])
    cross = (_at(t, "by June")[0], _at(t, "Delta agreed")[1])
    return Ledger(
        document=Document(id="crossing", source="<test>", text=t, title="Crossing spans", published="2024-05-10"),
        attributions=(
            Attribution("a1", "indirect", Speaker("Alpha", *_at(t, "Alpha")), Cue("said", *_at(t, "said")),
                        Content(t[outer[0]:outer[1]], *outer), quantities=("q1",)),
            Attribution("a2", "indirect", Speaker("Beta", *_at(t, "Beta"), entity="e1", name="Beta Person"),
                        Cue("told", *_at(t, "told")), Content(t[inner[0]:inner[1]], *inner), negated=True),
            Attribution("a3", "mixed", None, None, Content(t[cross[0]:cross[1]], *cross,
                                                           fragments=(_at(t, "by June"), _at(t, "Delta agreed")))),
        ),
        quantities=(
            Quantity("q1", "5 million dollars", *_at(t, "5 million dollars"), 5e6, None, None, "exact",
                     unit="USD"),
            Quantity("q2", "cost 5", *_at(t, "cost 5"), 5, None, None, "approx"),
        ),
        times=(TimeExpr("t1", "June", *_at(t, "June"), "2024-06", "2024-06", "month"),),
    )


@pytest.fixture(scope="module")
def ledgers() -> dict[str, Ledger]:
    """Every ledger the tests render, extracted once for the module."""
    out = {
        "seed": claimscope.extract(SEED.read_text(encoding="utf-8"), published="2024-10-18"),
        "small": claimscope.extract(SMALL, published="2024-05-10", clean=False),
        "hostile": claimscope.extract(HOSTILE, published="2024-05-10", clean=False),
        "quiet": claimscope.extract(QUIET, published="2024-05-10", clean=False),
        "crossing": _crossing_ledger(),
    }
    for ledger in out.values():
        check_spans(ledger.to_dict())
    return out


NAMES = ["seed", "small", "hostile", "quiet", "crossing"]


# ---------------------------------------------------------------------------------------------
# HTML helpers

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Page(HTMLParser):
    """Checks that tags nest properly and records what the article section shows.

    ``pieces[(kind, id)]`` gathers the text inside article spans of that class carrying that id
    (in ``data-claims`` or ``data-ref``); ``paragraphs`` is the text of each article ``<p>``
    without the back-reference anchors.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.pieces: dict[tuple[str, str], str] = {}
        self.paragraphs: list[str] = []

    def _in(self, tag: str, cls: str | None = None) -> bool:
        return any(t == tag and (cls is None or cls in a.get("class", "").split()) for t, a in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attrs))
        if tag in _VOID:
            return
        self.stack.append((tag, attrs))
        if tag == "p" and self._in("article"):
            self.paragraphs.append("")
        if tag == "script":
            self.scripts.append("")

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        assert tag not in _VOID, tag
        assert self.stack and self.stack[-1][0] == tag, (tag, [t for t, _ in self.stack])
        self.stack.pop()

    def handle_data(self, data):
        if self._in("script"):
            self.scripts[-1] += data
        if not self._in("article") or self._in("sup", "ref"):
            return
        if self._in("p"):
            self.paragraphs[-1] += data
        for tag, attrs in self.stack:
            if tag != "span":
                continue
            for kind in attrs.get("class", "").split()[:1]:
                for ref in (attrs.get("data-claims") or attrs.get("data-ref") or "").split():
                    self.pieces[(kind, ref)] = self.pieces.get((kind, ref), "") + data


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert not parser.stack, [t for t, _ in parser.stack]
    return parser


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _words(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# HTML


@pytest.mark.parametrize("name", NAMES)
def test_html_is_well_formed_and_keeps_the_text(ledgers, name):
    ledger = ledgers[name]
    page = _parse(ledger_html(ledger))
    paragraphs = [p for p in re.split(r"\n[ \t]*\n\s*", ledger.document.text) if p]
    assert page.paragraphs == paragraphs


@pytest.mark.parametrize("name", NAMES)
def test_html_marks_every_span(ledgers, name):
    """Each span's pieces, however split by crossing spans, put back together give its text."""
    ledger = ledgers[name]
    text = ledger.document.text
    page = _parse(ledger_html(ledger))
    for a in ledger.attributions:
        fragments = a.content.fragments or ((a.content.start, a.content.end),)
        assert _squash(page.pieces[("content", a.id)]) == _squash("".join(text[s:e] for s, e in fragments))
        if a.speaker:
            assert page.pieces[("speaker", a.id)] == a.speaker.text
        if a.cue:
            assert page.pieces[("cue", a.id)] == a.cue.text
    for q in ledger.quantities:
        assert page.pieces[("qty", q.id)] == q.text
    for t in ledger.times:
        assert page.pieces[("time", t.id)] == t.text


@pytest.mark.parametrize("name", NAMES)
def test_html_links_every_claim_both_ways(ledgers, name):
    ledger = ledgers[name]
    page = _parse(ledger_html(ledger))
    ids = {a.get("id") for _, a in page.elements}
    hrefs = {a.get("href") for t, a in page.elements if t == "a"}
    entries = [a["id"] for t, a in page.elements if t == "li" and a.get("id", "").startswith("claim-")]
    assert entries == [f"claim-{a.id}" for a in ledger.attributions]
    for a in ledger.attributions:
        assert f"text-{a.id}" in ids and f"#claim-{a.id}" in hrefs and f"#text-{a.id}" in hrefs


def test_html_overlapping_spans_split_and_reopen(ledgers):
    """Crossing spans close and reopen: a3's first piece sits inside a1's content, its second
    piece outside it in the next paragraph; q2 crosses q1, and a2 sits inside a1."""
    page_text = ledger_html(ledgers["crossing"])
    page = _parse(page_text)
    assert page.pieces[("content", "a3")] == "by JuneDelta agreed"
    assert page.pieces[("qty", "q2")] == "cost 5"
    assert page.pieces[("content", "a1")].startswith("Beta told")
    assert page.pieces[("speaker", "a2")] == "Beta"
    assert 'class="content indirect neg"' in page_text  # the negated claim is marked
    assert "Beta → Beta Person" in page_text


def test_html_escapes_article_and_ledger_strings(ledgers):
    ledger = ledgers["hostile"]
    assert ledger.attributions, "the hostile article must yield claims, so its markup lands in spans"
    doc = dataclasses.replace(
        ledger.document, title='<script>alert("title")</script>', site='x" onmouseover="alert(3)',
        source="</div><img src=x onerror=alert(4)>",
    )
    a = ledger.attributions[0]
    spoofed = dataclasses.replace(
        a, speaker=Speaker(a.speaker.text, a.speaker.start, a.speaker.end, name="<b>Boss</b>"),
        hedges=("<i>maybe</i>",),
    )
    ledger = dataclasses.replace(ledger, document=doc, attributions=(spoofed, *ledger.attributions[1:]))
    html_text = ledger_html(ledger)
    page = _parse(html_text)
    tags = [t for t, _ in page.elements]
    assert tags.count("script") == 1 and page.scripts[0].lstrip().startswith("/* Optional")
    assert "img" not in tags and "b" in tags  # <b> only as our own claim-id label
    assert not any(k.startswith("on") for _, attrs in page.elements for k in attrs)
    article = "\n\n".join(page.paragraphs)
    for raw in ("<script>alert(1)</script>", '"onmouseover=alert(2)', "&amp;", "</div>", "<b>March</b>"):
        assert raw in article
    assert "&lt;b&gt;Boss&lt;/b&gt;" in html_text and "&lt;i&gt;maybe&lt;/i&gt;" in html_text


def test_html_of_a_ledger_without_claims(ledgers):
    ledger = ledgers["quiet"]
    assert not ledger.attributions
    page_text = ledger_html(ledger)
    page = _parse(page_text)
    assert "No attributed claims found." in page_text
    assert len(page.paragraphs) == 2 and page.pieces  # its quantities are still marked


def test_html_is_standalone(ledgers):
    page = _parse(ledger_html(ledgers["seed"]))
    for tag, attrs in page.elements:
        assert tag not in ("link", "img", "iframe"), tag
        assert not attrs.get("src"), (tag, attrs)
        href = attrs.get("href")
        assert href is None or href.startswith("#"), href


# ---------------------------------------------------------------------------------------------
# Markdown


def _cells(row: str) -> list[str]:
    """Split a table row on its unescaped pipes."""
    cells, cur, i = [], "", 0
    while i < len(row):
        if row[i] == "\\":
            cur += row[i:i + 2]
            i += 2
            continue
        if row[i] == "|":
            cells.append(cur)
            cur = ""
        else:
            cur += row[i]
        i += 1
    cells.append(cur)
    return cells[1:-1]


def _tables(md: str) -> dict[str, list[list[str]]]:
    """Section heading -> rows of its table (header first, separator dropped)."""
    tables: dict[str, list[list[str]]] = {}
    section = ""
    for line in md.splitlines():
        if line.startswith("## "):
            section = line[3:]
            tables[section] = []
        elif line.startswith("|") and not re.fullmatch(r"\|(---\|)+", line):
            tables[section].append(_cells(line))
    return tables


@pytest.mark.parametrize("name", NAMES)
def test_markdown_sections_and_tables(ledgers, name):
    ledger = ledgers[name]
    md = ledger_markdown(ledger)
    assert md.startswith("# ")
    tables = _tables(md)
    assert list(tables) == ["Attributions", "Quantities", "Times", "Entities"]
    sizes = {"Attributions": ledger.attributions, "Quantities": ledger.quantities,
             "Times": ledger.times, "Entities": ledger.entities}
    for section, rows in tables.items():
        items = sizes[section]
        assert len(rows) == (len(items) + 1 if items else 0), section
        assert len({len(r) for r in rows}) <= 1, (section, [len(r) for r in rows])
        if not items:
            assert f"## {section}\n\n_None._" in md


@pytest.mark.parametrize("name", NAMES)
def test_markdown_renders_to_the_same_cells(ledgers, name):
    """A GFM renderer sees every claim's content as one cell, with no markup let through."""
    ledger = ledgers[name]
    rendered = MarkdownIt("commonmark").enable("table").render(ledger_markdown(ledger))
    page = _Cells()
    page.feed(rendered)
    tags = [t for t, _ in page.elements]
    assert "script" not in tags and "img" not in tags
    body = page.tables[0][1:] if ledger.attributions else []
    assert [_words(row[4]) for row in body] == [_words(a.content.text) for a in ledger.attributions]


class _Cells(HTMLParser):
    """The cell texts of each table of rendered markdown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.elements: list[tuple[str, dict]] = []
        self._cell: str | None = None

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = ""
        elif tag == "br" and self._cell is not None:
            self._cell += " "

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1][-1].append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def test_markdown_escapes_pipes_newlines_and_markup(ledgers):
    ledger = ledgers["small"]
    a = ledger.attributions[0]
    tricky = "a | b\nc *d* `e` [f](g) <b>h</b> &amp; \\"
    ledger = dataclasses.replace(ledger, attributions=(
        dataclasses.replace(a, content=dataclasses.replace(a.content, text=tricky)), *ledger.attributions[1:],
    ))
    md = ledger_markdown(ledger)
    row = _tables(md)["Attributions"][1]
    assert len(row) == 9 and "<br>" in row[4]
    page = _Cells()
    page.feed(MarkdownIt("commonmark").enable("table").render(md))
    assert page.tables[0][1][4] == "a | b c *d* `e` [f](g) <b>h</b> &amp; \\"
    assert [t for t, _ in page.elements].count("em") == 0


# ---------------------------------------------------------------------------------------------
# Terminal


def _render(ledger: Ledger, width: int) -> str:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    print_ledger(ledger, console)
    return console.export_text()


@pytest.mark.parametrize("width", [100, 60])
@pytest.mark.parametrize("name", NAMES)
def test_table_sections_fit_the_width(ledgers, name, width):
    ledger = ledgers[name]
    out = _render(ledger, width)
    assert max(cell_len(line) for line in out.splitlines()) <= width
    for title, items in (("Attributions", ledger.attributions), ("Quantities", ledger.quantities),
                         ("Times", ledger.times), ("Entities", ledger.entities)):
        assert (f"{title} ({len(items)})" if items else f"{title} — none") in out
    words = set(out.split())
    assert {a.id for a in ledger.attributions} <= words
    assert {q.id for q in ledger.quantities} <= words


def test_table_layout_follows_the_width(ledgers):
    wide, narrow = _render(ledgers["seed"], 100), _render(ledgers["seed"], 60)
    assert "content" in wide and "speaker → name" in wide
    assert "claim" in narrow and "content" not in narrow
    assert "Kyrylo Budanov" in wide and "NEGATED" in wide and "NEGATED" in narrow


def test_table_shows_ledger_strings_literally(ledgers):
    """Rich markup in the article is text, not styling."""
    ledger = ledgers["small"]
    a = ledger.attributions[0]
    ledger = dataclasses.replace(ledger, attributions=(
        dataclasses.replace(a, content=dataclasses.replace(a.content, text="[bold red]boom[/bold red]")),
    ))
    assert "[bold red]boom[/bold red]" in _render(ledger, 100)
    assert ledger_table(ledger) is not None


# ---------------------------------------------------------------------------------------------
# JSON Lines


def test_jsonl_is_one_contract_ledger_per_line(ledgers):
    out = ledger_jsonl(ledgers[n] for n in NAMES)
    lines = out.splitlines()
    assert out.endswith("\n") and len(lines) == len(NAMES)
    for name, line in zip(NAMES, lines):
        assert json.loads(line) == ledgers[name].to_dict()
    assert ledger_jsonl([]) == ""
