"""The cross-source report as JSON, markdown and HTML (charts, tables, appendix, escaping)."""

from __future__ import annotations

import json
import pathlib
import re

import lxml.html
import pytest
from markdown_it import MarkdownIt

import claimscope
from claimscope import Attribution, Content, Cue, Document, Entity, Ledger, Quantity, Speaker
from claimscope.reconcile import Analysis, Estimate, Topic, reconcile
from claimscope.report import _SCRIPT, report_html, report_json, report_markdown
from claimscope.schema import validate_report

STORY = pathlib.Path(claimscope.__file__).parent / "examples" / "story"


@pytest.fixture(scope="module")
def story():
    """(ledgers, analysis) of the bundled story corpus, extracted once for the module."""
    index = json.loads((STORY / "index.json").read_text())
    ledgers = [
        claimscope.extract((STORY / a["file"]).read_text(), published=a["published"], source=str(STORY / a["file"]))
        for a in index["articles"]
    ]
    return ledgers, reconcile(ledgers)


def _tree(page: str):
    return lxml.html.document_fromstring(page)


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _dated(topic: dict) -> int:
    return sum(1 for e in topic["estimates"] if e["said_on"] and len(e["said_on"]) >= 10)


# ---------------------------------------------------------------------------------------------
# The story corpus


def test_json_is_the_contract(story):
    _, analysis = story
    data = json.loads(report_json(analysis))
    validate_report(data)
    assert data == json.loads(json.dumps(analysis.report()))
    assert data["topics"] and data["contradictions"]


def test_markdown_has_every_topic_and_contradiction(story):
    _, analysis = story
    data = analysis.report()
    md = report_markdown(analysis)
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    headings = re.findall(r"^### (.+)$", md, flags=re.MULTILINE)
    assert len(headings) == len(data["topics"])
    # Every estimate and every contradiction is a table row; the figure is bold in its sentence.
    body_rows = rendered.count("<tr>") - rendered.count("<table>")  # less one header row per table
    assert body_rows == sum(len(t["estimates"]) for t in data["topics"]) + len(data["contradictions"]) \
        + len(data["entities"]) + len(analysis.documents)
    assert "<strong>" in rendered
    for kind in {c["kind"] for c in data["contradictions"]}:
        assert f"| {kind} |" in md


def test_html_charts_tables_and_appendix(story):
    ledgers, analysis = story
    data = analysis.report()
    page = report_html(analysis, {x.document.id: x for x in ledgers})
    tree = _tree(page)

    charts = tree.xpath("//svg")
    assert len(charts) == len(data["topics"])
    for svg, topic in zip(charts, data["topics"]):
        assert svg.getparent().getparent().get("id") == f"topic-{topic['id']}"
        points = svg.xpath(".//g[contains(@class, 'pt')]")
        assert len(points) == _dated(topic)
        assert all(p.xpath("./title") for p in points)  # each point says what it is
    assert sum(len(c.xpath(".//g[contains(@class, 'pt')]")) for c in charts) > 20

    tables = tree.xpath("//table[contains(@class, 'claims')]")
    assert len(tables) == len(data["topics"])
    for table, topic in zip(tables, data["topics"]):
        rows = table.xpath("./tbody/tr")
        assert len(rows) == len(topic["estimates"])
        assert [r.get("data-source") for r in rows] == [e["source"] for e in topic["estimates"]]
    assert tree.xpath("//table[contains(@class, 'claims')]//td[contains(@class, 'sentence')]/mark")

    contradiction_rows = tree.xpath("//table[contains(@class, 'contradictions')]/tbody/tr")
    assert len(contradiction_rows) == len(data["contradictions"])
    kinds = [r.xpath("./td[1]")[0].text_content() for r in contradiction_rows]
    assert sorted(kinds) == sorted(c["kind"] for c in data["contradictions"])

    entity_rows = tree.xpath("//table[contains(@class, 'entities')]/tbody/tr")
    assert len(entity_rows) == len(data["entities"])

    # Every in-page link lands on an element; each figure's row links to its claim's anchor,
    # which sits in a quoted paragraph of its article, next to the marked claim.
    ids = set(tree.xpath("//@id"))
    hrefs = tree.xpath("//a/@href")
    assert all(h[1:] in ids for h in hrefs if h.startswith("#"))
    for topic, table in zip(data["topics"], tables):
        for e, row in zip(topic["estimates"], table.xpath("./tbody/tr")):
            doc, _, local = e["claim_id"].partition(":")
            assert row.xpath(f".//a[@href='#claim-{doc}-{local}']")
            anchor = tree.get_element_by_id(f"claim-{doc}-{local}")
            assert anchor.getparent().tag == "p"
            assert anchor.xpath("ancestor::section[@id=$d]", d=f"doc-{doc}")
    assert tree.xpath("//section[contains(@class, 'doc')]//span[contains(@class, 'claim')]")
    # Syndicated copies are named and linked to their own section, which names its original.
    for copy, original in analysis.copies.items():
        section = tree.get_element_by_id(f"doc-{copy}")
        assert section.xpath(f".//a[@href='#doc-{original}']")

    # Offline: nothing to fetch, one inline script allowed by hash, no external links at all
    # (the story's sources are file paths).
    assert not tree.xpath("//*[@src]") and not tree.xpath("//link[@rel='stylesheet']")
    assert not [h for h in hrefs if not h.startswith("#")]
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp


def test_html_without_ledgers_links_to_documents(story):
    _, analysis = story
    tree = _tree(report_html(analysis))
    ids = set(tree.xpath("//@id"))
    internal = [h for h in tree.xpath("//a/@href") if h.startswith("#")]
    assert all(h[1:] in ids for h in internal)
    assert any(h.startswith("#doc-") for h in internal)
    assert not any(h.startswith("#claim-") for h in internal)
    assert not tree.xpath("//section[contains(@class, 'doc')]//blockquote")


@pytest.mark.parametrize("query", ["displaced", "farmland", "no such topic"])
def test_topic_filter(story, query):
    ledgers, analysis = story
    data = analysis.report(query)
    assert json.loads(report_json(analysis, topic=query)) == json.loads(json.dumps(data))
    tree = _tree(report_html(analysis, {x.document.id: x for x in ledgers}, topic=query))
    assert len(tree.xpath("//svg")) == len(data["topics"])
    assert [s.get("id") for s in tree.xpath("//section[contains(@class, 'topic')]")] == \
        [f"topic-{t['id']}" for t in data["topics"]]
    assert len(tree.xpath("//table[contains(@class, 'contradictions')]/tbody/tr")) == len(data["contradictions"])
    assert len(re.findall(r"^### ", report_markdown(analysis, topic=query), flags=re.MULTILINE)) == len(data["topics"])
    if query == "no such topic":
        assert not data["topics"] and "No figures found." in tree.text_content()
    else:
        assert data["topics"] and all(query in t["label"] for t in data["topics"])


def test_empty_corpus_renders():
    analysis = reconcile([])
    validate_report(json.loads(report_json(analysis)))
    tree = _tree(report_html(analysis, {}))
    assert not tree.xpath("//svg") and not tree.xpath("//table")
    assert "No figures found." in tree.text_content()
    md = report_markdown(analysis)
    assert md.startswith("# Cross-source report\n") and "_No figures found._" in md


# ---------------------------------------------------------------------------------------------
# The charts, on hand-made estimates


def _estimate(n: int, source: str, text: str, bound: str, value=None, low=None, high=None,
              said_on: str | None = "2026-03-01", copies: tuple[str, ...] = ()) -> Estimate:
    return Estimate(
        claim_id=f"d{n}:q1", quantity_id=f"d{n}:q1", document_id=f"d{n}", source=source, source_id=None, text=text,
        value=value, low=low, high=high, bound=bound, said_on=said_on, published=said_on, copies=copies,
        sentence=f"Officials said {text} people were evacuated.",
    )


def _analysis(*estimates: Estimate) -> Analysis:
    topic = Topic("t1", "people (displaced)", "people", None, None, "displaced", tuple(estimates))
    documents = {e.document_id: {"title": f"Story {e.document_id}", "published": e.published,
                                 "source": f"/tmp/{e.document_id}.txt", "site": None} for e in estimates}
    return Analysis(sources=(), topics=(topic,), contradictions=(), copies={}, entity_sources={},
                    attribution_sources={}, said_on={}, quantity_topics={}, documents=documents)


def _points(analysis: Analysis):
    svg = _tree(report_html(analysis)).xpath("//svg")[0]
    return svg, svg.xpath(".//g[contains(@class, 'pt')]")


@pytest.mark.parametrize("bound, value, low, high, hollow, bars, arrow", [
    ("exact", 1200, None, None, False, 0, None),
    ("approx", 1200, None, None, True, 0, None),
    ("at_least", 1200, 1200, None, False, 0, "up"),
    ("at_most", 1200, None, 1200, False, 0, "down"),
    ("range", None, 1000, 1500, None, 3, None),  # a bar and its two caps
])
def test_chart_marks_each_kind_of_bound(bound, value, low, high, hollow, bars, arrow):
    other = _estimate(2, "Aid group", "900", "exact", 900, said_on="2026-03-04")
    _, (point, _) = _points(_analysis(_estimate(1, "Agency", "x", bound, value, low, high), other))
    assert point.get("data-bound") == bound
    markers = point.xpath("./circle | ./rect | ./path[not(@fill='none')]")
    if hollow is None:
        assert not markers
    else:
        assert len(markers) == 1 and (markers[0].get("fill") == "#fff") == hollow
    lines = point.xpath("./line")
    if bars:
        assert len(lines) == bars
    elif arrow:
        (stem,) = lines
        assert (float(stem.get("y2")) < float(stem.get("y1"))) == (arrow == "up")
    else:
        assert not lines


def test_chart_axes_scale_legend_and_copies():
    linear = _analysis(_estimate(1, "Agency", "1,200", "exact", 1200, said_on="2026-03-01"),
                       _estimate(2, "Aid group", "about 3,000", "approx", 3000, said_on="2026-03-09",
                                 copies=("d7", "d8")))
    svg, points = _points(linear)
    texts = [t.text for t in svg.xpath(".//text")]
    assert {"Mar 1", "Mar 9"} <= set(texts)  # day ticks
    assert "0" in texts and not any("log scale" in (t or "") for t in texts)
    assert svg.xpath(".//g[@class='key']/text")[0].text == "Agency"  # a legend, per source
    assert {p.xpath("./*[self::circle]")[0].get("stroke") for p in points} == \
        {k.xpath("./circle")[0].get("fill") for k in svg.xpath(".//g[@class='key']")}
    assert points[1].xpath("./text[@class='copies']")[0].text == "+2"
    assert svg.xpath(".//polyline") == []  # one figure per source: no trend line

    log = _analysis(_estimate(1, "Agency", "12", "exact", 12), _estimate(2, "Agency", "40,000", "exact", 40000,
                                                                        said_on="2026-03-05"))
    svg, _ = _points(log)
    assert any("log scale" in (t.text or "") for t in svg.xpath(".//text"))
    assert len(svg.xpath(".//polyline[@class='trend']")) == 1

    undated = _analysis(_estimate(1, "Agency", "12", "exact", 12, said_on=None))
    svg, points = _points(undated)
    assert not points and "No dated figures" in svg.text_content()


def test_original_url_gets_a_text_fragment():
    e = _estimate(1, "Agency", "1,200", "exact", 1200)
    analysis = _analysis(e)
    analysis.documents["d1"]["source"] = "https://news.example/flood-story?id=3#top"
    tree = _tree(report_html(analysis))
    assert tree.xpath("//table[contains(@class, 'claims')]//a[starts-with(@href, 'https:')]/@href") == [
        "https://news.example/flood-story?id=3#:~:text=Officials%20said%201%2C200%20people%20were%20evacuated."]
    assert tree.xpath("//section[@id='doc-d1']//a/@href") == ["https://news.example/flood-story?id=3#top"]


# ---------------------------------------------------------------------------------------------
# Escaping: article strings that look like markup stay text everywhere


def _at(text: str, sub: str) -> tuple[int, int]:
    start = text.index(sub)
    return start, start + len(sub)


EVIL_ACTOR = 'X<img src=x onerror=alert(3)>'
EVIL_SOURCES = ('The <script>alert(1)</script> Agency', 'Relief "Group" onload="alert(2)" </svg>')


def _hostile_ledger(n: int, source: str, figure: str, value: float) -> Ledger:
    # Words of its own, so that the two hostile pages are not syndicated copies of each other.
    own = ("Rivers rose fast overnight across every valley while crews waited for boats and fuel."
           if n == 1 else "Volunteers counted tents, mattresses and blankets twice before the second convoy left.")
    text = (f'{source} said that {figure} "onload=alert(4) people were displaced </svg><script>alert(5)</script> '
            f'in {EVIL_ACTOR}. {own}')
    content = _at(text, f"{figure} \"onload")[0], _at(text, f"{EVIL_ACTOR}.")[1] - 1
    q = _at(text, figure)
    return Ledger(
        document=Document(id=f"evil{n}", source=f'https://evil.example/"><script>alert(6)</script>{n}', text=text,
                          title=f"<script>alert(7)</script> story {n}", published=f"2026-03-0{n}",
                          site=f"</title></svg><b>site {n}</b>"),
        # The actor: what the figure is about, named in the article as a place.
        entities=(Entity("e1", source, "ORG", (source,), (_at(text, source),)),
                  Entity("e2", EVIL_ACTOR, "GPE", (EVIL_ACTOR,), (_at(text, EVIL_ACTOR),))),
        attributions=(Attribution("a1", "indirect", Speaker(source, *_at(text, source), entity="e1", name=source),
                                  Cue("said", *_at(text, "said")), Content(text[content[0]:content[1]], *content),
                                  quantities=("q1",)),),
        quantities=(Quantity("q1", figure, *q, value=value, low=None, high=None, bound="exact",
                             concept='"onload=alert(4) people', attribution="a1", about=EVIL_ACTOR),),
    )


def test_article_strings_are_escaped():
    ledgers = [_hostile_ledger(1, EVIL_SOURCES[0], "1,200", 1200), _hostile_ledger(2, EVIL_SOURCES[1], "5,000", 5000)]
    analysis = reconcile(ledgers)
    data = analysis.report()
    assert data["topics"][0]["label"].startswith(EVIL_ACTOR)
    assert any(c["kind"] == "conflict" for c in data["contradictions"])

    page = report_html(analysis, {x.document.id: x for x in ledgers})
    tree = _tree(page)
    # Nothing from the articles became an element or an attribute.
    assert [s.text for s in tree.xpath("//script")] == [_SCRIPT]
    assert not tree.xpath("//img | //b | //*[starts-with(name(@*), 'on')]")
    assert not any(name.startswith("on") for el in tree.iter() if isinstance(el.tag, str) for name in el.attrib)
    assert page.count("</svg>") == page.count("<svg ") == 1
    assert "<script>alert" not in page and "<img" not in page and '"onload=' not in page
    # ...and it all reads back as the text it was, in cells, tooltips and the appendix.
    svg_text = " ".join(t.text_content() for t in tree.xpath("//svg//title"))
    assert EVIL_ACTOR in svg_text and EVIL_SOURCES[1] in svg_text
    assert EVIL_SOURCES[0] in tree.xpath("//table[contains(@class, 'contradictions')]")[0].text_content()
    assert "<script>alert(7)</script> story 1" in tree.get_element_by_id("doc-evil1").text_content()
    assert tree.xpath("//a[starts-with(@href, 'https://evil.example/')]")

    md = report_markdown(analysis)
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in rendered and "<img" not in rendered and "</svg>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    validate_report(json.loads(report_json(analysis)))


def test_claim_split_across_paragraphs_keeps_its_anchor():
    """A speaker one paragraph before its claim: both paragraphs are quoted, the anchor is there."""
    text = "Intro line.\n\nThe Flood Agency\n\nsaid that 500 people were displaced.\n\nUnrelated.\n\nAlso unrelated."
    content = _at(text, "500 people were displaced")
    ledger = Ledger(
        document=Document(id="split", source="/tmp/split.txt", text=text, title="Split", published="2026-03-01"),
        entities=(Entity("e1", "The Flood Agency", "ORG", ("The Flood Agency",), (_at(text, "The Flood Agency"),)),),
        attributions=(Attribution("a1", "indirect", Speaker("The Flood Agency", *_at(text, "The Flood Agency"), "e1"),
                                  Cue("said", *_at(text, "said")), Content("500 people were displaced", *content),
                                  quantities=("q1",)),),
        quantities=(Quantity("q1", "500", *_at(text, "500"), value=500, low=None, high=None, bound="exact",
                             concept="people", attribution="a1"),),
    )
    tree = _tree(report_html(reconcile([ledger]), {"split": ledger}))
    quoted = tree.get_element_by_id("doc-split").xpath(".//blockquote/p")
    assert [p.text_content() for p in quoted] == \
        ["…", "a1The Flood Agency", "said that 500 people were displaced.", "…"]
    (topic,) = tree.xpath("//section[contains(@class, 'topic')]/@id")
    back = f"#figure-{topic.removeprefix('topic-')}-1"
    assert tree.get_element_by_id("claim-split-a1").xpath("./a/@href") == [back]
