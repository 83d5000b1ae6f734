"""Reconciliation across the bundled story corpus, through the store, on SQLite and PostgreSQL.

The story (``claimscope/examples/story``, twelve pages about floods in Serbia, written for
these tests; ground truth in ``claimscope/examples/story.expected.md``) has one source under
many names, a wire story with two syndicated copies, pronoun and description speakers, a
revised count, conflicting counts and two denials. The corpus is ingested into a fresh store
of each kind and reconciled from what the store gives back, as ``claimscope report`` does.
"""

from __future__ import annotations

import json
import os
import pathlib
import uuid

import pytest

import claimscope
from conftest import missing_service

STORY = pathlib.Path(claimscope.__file__).parent / "examples" / "story"
INDEX = json.loads((STORY / "index.json").read_text())
FILES = {a["id"]: a["file"] for a in INDEX["articles"]}


class Story:
    """The reconciled story: the report's dict plus lookups by article id (S01 ... S10)."""

    def __init__(self, analysis, ledgers):
        self.ledgers = ledgers
        self.analysis = analysis
        self.report = analysis.report()
        self.doc = {}  # article id -> document id
        for doc_id, l in ledgers.items():
            name = pathlib.Path(l.document.source).name
            self.doc[next(k for k, f in FILES.items() if f == name)] = doc_id
        self.article = {v: k for k, v in self.doc.items()}
        self.sources = {s["name"]: s for s in self.report["entities"]}

    def source(self, name: str) -> dict:
        assert name in self.sources, sorted(n for n, s in self.sources.items() if s["type"] != "GPE")
        return self.sources[name]

    def topic_of(self, article: str, figure: str) -> dict:
        """The topic holding the figure written ``figure`` in an article (or in its original)."""
        doc = self.doc[article]
        for t in self.report["topics"]:
            for e in t["estimates"]:
                if e["text"] == figure and (e["document_id"] == doc or doc in e["copies"]):
                    return t
        raise AssertionError(f"{figure!r} of {article} is in no topic")

    def figures(self, topic: dict, source: str | None = None) -> list[str]:
        return [e["text"] for e in topic["estimates"] if source is None or e["source"] == source]

    def contradictions(self, kind: str) -> list[dict]:
        return [c for c in self.report["contradictions"] if c["kind"] == kind]


def _pg_url() -> str:
    admin = os.environ.get("CLAIMSCOPE_TEST_PG")
    if not admin:
        missing_service("CLAIMSCOPE_TEST_PG is not set (eval \"$(bash .ci/postgres.sh)\")")
    return admin


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def story(request, tmp_path_factory):
    import sqlalchemy as sa

    from claimscope.ingest import ingest
    from claimscope.reconcile import reconcile_store
    from claimscope.store import Store, resolve_url

    cleanup = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('story') / 'story.db'}"
    else:
        admin_url = resolve_url(_pg_url())
        name = f"claimscope_story_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = admin_url.set(database=name).render_as_string(hide_password=False)

        def cleanup():
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()
    try:
        with Store.open(url) as store:
            summary = ingest([str(STORY)], store, progress=False)
            assert summary.new == len(FILES) and not summary.failed
            analysis, ledgers = reconcile_store(store)
            stored = store.reconciliation()
        yield Story(analysis, ledgers), stored
    finally:
        if cleanup:
            cleanup()


# ---------------------------------------------------------------------------------------------
# Sources


def test_one_source_under_many_names(story):
    s, _ = story
    ned = s.source("National Emergency Directorate")
    assert ned["type"] == "ORG" and {"NED", "National Emergency Directorate"} <= set(ned["aliases"])
    assert ned["documents"] == len(FILES)
    # Descriptions learned from an appositive in one article name it in others.
    assert {"the country's disaster agency"} <= set(ned["aliases"])
    jovanovic = s.source("Milica Jovanovic")
    assert {"Jovanović", "Milica Jovanović", "Jovanovic"} <= set(jovanovic["aliases"])
    markovic = s.source("Bojan Markovic")
    assert "Bojan Marković" in markovic["aliases"]
    assert markovic["affiliation"] == "National Emergency Directorate"
    assert s.source("Ines Haller")["affiliation"] == "Balkan Relief Coalition"
    ilic = s.source("Stefan Ilic")
    assert "Stefan Ilić" in ilic["aliases"]
    # A resident who shares the minister's surname stays a different person.
    assert s.source("Zoran Ilic")["id"] != ilic["id"]
    # A source named only by a description is a source of its own, not the directorate.
    weather = s.source("national weather service")
    assert weather["type"] == "ORG" and weather["id"] != ned["id"]
    assert s.source("TV Kolubara")["type"] == "MEDIA"
    # "The aid group said ...", where the coalition is only described so in another article.
    assert "aid group" in s.source("Balkan Relief Coalition")["aliases"]


def test_speakers_resolve_to_their_sources(story):
    s, stored = story
    names = {x.id: x.name for x in s.analysis.sources}
    got = {}
    for claim, sid in s.analysis.attribution_sources.items():
        doc, local = claim.split(":")
        got[(s.article[doc], local)] = names[sid]
    # Pronoun and description speakers are counted for the named source.
    assert sum(1 for (art, _), n in got.items() if n == "National Emergency Directorate") >= 25
    assert sum(1 for (art, _), n in got.items() if n == "national weather service") >= 4
    assert {art for (art, _), n in got.items() if n == "Balkan Relief Coalition"} >= {"S04", "S06", "S09", "S10"}
    # What the store gives back is what was worked out.
    assert stored.attribution_sources == s.analysis.attribution_sources
    assert {x.id for x in stored.sources} == set(names)


def test_never_merges_across_types(story):
    s, _ = story
    for src in s.analysis.sources:
        assert not (src.type == "PERSON" and any(a.isupper() and len(a) > 2 for a in src.aliases)), src


def test_user_rules_override_merges_and_splits(story):
    from claimscope.reconcile import UserRule, reconcile

    s, _ = story
    rules = [
        UserRule("Stefan Ili\u0107", "Stefan Ilic", "split"),  # two spellings kept apart
        UserRule("national weather service", "Republic Hydrometeorological Service"),  # its real name
        UserRule("TV Kolubara", "Balkan Wire Service"),  # merged by hand, whatever the types say
    ]
    sources = {x.name: x for x in reconcile(s.ledgers.values(), rules).sources}
    assert "Stefan Ili\u0107" in sources and "Stefan Ilic" in sources
    assert sources["Stefan Ili\u0107"].id != sources["Stefan Ilic"].id
    hydro = sources["Republic Hydrometeorological Service"]
    assert "national weather service" in hydro.aliases and "national weather service" not in sources
    wire = sources["Balkan Wire Service"]
    assert "TV Kolubara" in wire.aliases and "TV Kolubara" not in sources


def test_alias_file(tmp_path):
    from claimscope._errors import InputError
    from claimscope.reconcile import UserRule, read_alias_file

    path = tmp_path / "aliases.txt"
    path.write_text("# who is who\nZelenskyy = Volodymyr Zelensky\n\nZoran Ilic != Stefan Ilic  # not the minister\n")
    assert read_alias_file(path) == [UserRule("Zelenskyy", "Volodymyr Zelensky", "alias"),
                                     UserRule("Zoran Ilic", "Stefan Ilic", "split")]
    path.write_text("Zelenskyy is Volodymyr Zelensky\n")
    with pytest.raises(InputError, match="line 1"):
        read_alias_file(path)


# ---------------------------------------------------------------------------------------------
# Syndication


def test_syndicated_copies_are_linked_to_the_first(story):
    s, stored = story
    copies = {s.article[c]: s.article[o] for c, o in s.analysis.copies.items()}
    assert copies == {"S03b": "S03a", "S03c": "S03a"}
    assert {s.article[c]: s.article[o] for c, o in stored.copies.items()} == copies
    # Their figures are the original's, listed once with the copies named.
    displaced = s.topic_of("S03a", "Some 12,000")
    rows = [e for e in displaced["estimates"] if e["text"] == "Some 12,000"]
    assert len(rows) == 1 and sorted(s.article[c] for c in rows[0]["copies"]) == ["S03b", "S03c"]
    for t in s.report["topics"]:
        assert not {e["document_id"] for e in t["estimates"]} & {s.doc["S03b"], s.doc["S03c"]}, t["label"]


# ---------------------------------------------------------------------------------------------
# Topics


def test_displaced_topic_lines_up_both_sources(story):
    s, _ = story
    t = s.topic_of("S06", "18,500")
    ned = s.figures(t, "National Emergency Directorate")
    coalition = s.figures(t, "Balkan Relief Coalition") + s.figures(t, "Ines Haller")
    assert {"about 1,500", "Some 12,000", "18,500"} <= set(ned)
    assert {"About 30,000", "between 30,000 and 35,000"} <= set(coalition)
    assert t["independent_sources"] >= 2
    assert t["range"]["high"] >= 35000
    # People who have gone home, and those who died, are other topics.
    assert "More than 6,000" not in s.figures(t)
    assert s.topic_of("S08", "More than 6,000")["id"] != t["id"]
    assert s.topic_of("S01", "At least two")["id"] != t["id"]
    # Estimates come in the order they were made.
    days = [e["said_on"] for e in t["estimates"]]
    assert days == sorted(days)


def test_deaths_and_missing_are_told_apart(story):
    s, _ = story
    deaths = s.topic_of("S03a", "At least seven")
    assert {"At least two", "At least seven", "at least 19", "21"} <= set(s.figures(deaths))
    assert all(e["value"] is None or e["value"] < 100 for e in deaths["estimates"]), s.figures(deaths)
    missing = s.topic_of("S02", "six")
    assert missing["id"] != deaths["id"]
    assert {"six", "nine", "four"} <= set(s.figures(missing))


def test_homes_damaged_destroyed_and_aid_tonnes_stay_apart(story):
    s, _ = story
    damaged = s.topic_of("S06", "some 5,600")
    assert {"About 2,300", "some 5,600", "more than 7,000"} <= set(s.figures(damaged))
    destroyed = s.topic_of("S09", "140")
    assert destroyed["id"] != damaged["id"]
    # 310 homes and 310 tonnes of aid, in one article, are not one figure.
    tonnes = s.topic_of("S09", "310 tonnes")
    assert tonnes["unit"] == "tonne" and tonnes["id"] not in (damaged["id"], destroyed["id"])
    food = s.topic_of("S04", "60 tonnes")
    assert food["unit"] == "tonne" and "more than 200 tonnes" in s.figures(food)


def test_distances_and_durations_are_not_topics(story):
    s, _ = story
    figures = {e["text"] for t in s.report["topics"] for e in t["estimates"]}
    assert not figures & {"about 30 kilometres", "about 60 km", "three days", "48 hours", "60 years"}


# ---------------------------------------------------------------------------------------------
# Contradictions


def _has(cs: list[dict], a_source: str, a_text: str, b_source: str, b_text: str) -> bool:
    return any({(c["a_source"], c["a_text"]), (c["b_source"], c["b_text"])} == {(a_source, a_text), (b_source, b_text)}
               or (a_text in c["a_text"] and b_text in c["b_text"] and c["a_source"] == a_source
                   and c["b_source"] == b_source)
               or (b_text in c["a_text"] and a_text in c["b_text"] and c["a_source"] == b_source
                   and c["b_source"] == a_source)
               for c in cs)


def test_denials(story):
    s, _ = story
    denials = s.contradictions("denial")
    # The directorate dismisses the broadcaster's report of cracks in the dam.
    assert any({c["a_source"], c["b_source"]} == {"National Emergency Directorate", "TV Kolubara"}
               and "cracks" in c["a_text"] + c["b_text"] for c in denials), denials
    # The minister dismisses the coalition's estimate of the displaced.
    assert any({c["a_source"], c["b_source"]} == {"Milica Jovanovic", "Balkan Relief Coalition"}
               and "30,000" in c["a_text"] + c["b_text"] for c in denials), denials
    assert all(c["reason"] for c in denials)


def test_conflicts(story):
    s, _ = story
    conflicts = s.contradictions("conflict")
    ned, brc = "National Emergency Directorate", "Balkan Relief Coalition"
    assert _has(conflicts, ned, "Some 12,000", brc, "About 30,000") or _has(conflicts, ned, "12,000", brc, "About 30,000")
    assert _has(conflicts, brc, "between 30,000 and 35,000", ned, "18,500")
    for c in conflicts:
        assert c["a_source"] != c["b_source"], c
    # A disagreement restated in a later article is listed once.
    pairs = [(c["topic"], frozenset({(c["a_source"], c["a_text"]), (c["b_source"], c["b_text"])})) for c in conflicts]
    assert len(pairs) == len(set(pairs))


def test_revisions(story):
    s, _ = story
    revisions = s.contradictions("revision")
    ned = "National Emergency Directorate"
    displaced = s.topic_of("S06", "18,500")["id"]
    deaths = s.topic_of("S03a", "At least seven")["id"]
    farmland = s.topic_of("S06", "about 45,000 hectares")["id"]
    topics = {c["topic"] for c in revisions}
    assert {displaced, deaths, farmland} <= topics
    assert any(c["a_source"] == ned and c["topic"] == displaced for c in revisions)
    assert any(c["a_source"] == "Stefan Ilic" and c["topic"] == farmland for c in revisions)


def test_readings_contradict_nothing(story):
    s, _ = story
    level = s.topic_of("S02", "6.4 metres")
    assert level["unit"] == "metre"
    assert not [c for c in s.report["contradictions"] if c["topic"] == level["id"]]


def test_report_validates_and_store_keeps_the_links(story):
    from claimscope.schema import validate_report

    s, stored = story
    validate_report(json.loads(json.dumps(s.report)))
    kinds = {k.kind for k in stored.links}
    assert {"copy", "denial", "revision", "conflict"} <= kinds


# ---------------------------------------------------------------------------------------------
# What sets a figure apart, sentence by sentence


@pytest.mark.parametrize("sentence,figure,qualifier", [
    ("At least two people have died and about 1,500 residents have been evacuated from their homes.",
     "At least two", "dead"),
    ("At least two people have died and about 1,500 residents have been evacuated from their homes.",
     "about 1,500", "displaced"),
    ("More than 6,000 of the 18,500 people registered as displaced have gone back to their homes, officials said.",
     "More than 6,000", "returned"),
    ("More than 6,000 of the 18,500 people registered as displaced have gone back to their homes, officials said.",
     "18,500", "displaced"),
    ("Thousands of people displaced by floods began returning home over the weekend.", "Thousands", "returned"),
    ("At least 9,000 people displaced by the floods are still unable to return home.", "At least 9,000",
     "still unable to return"),
    ("Some 35,000 people had left their homes at the height of the floods.", "Some 35,000", "displaced"),
    ("Engineers had inspected some 3,100 homes and declared about 260 of them unsafe.", "some 3,100", "inspected"),
    ("Engineers had inspected some 3,100 homes and declared about 260 of them unsafe.", "about 260", "unsafe"),
    ("The first cadre of 2,600 soldiers was sent to Kursk.", "2,600", "first phase"),
    ("An estimated 18 North Korean soldiers are believed to have deserted.", "An estimated 18", "deserted"),
    ("The bridge carries 40,000 cars a day.", "40,000", None),
])
def test_qualifier(sentence, figure, qualifier):
    from claimscope.reconcile import _qualifier

    i = sentence.index(figure)
    assert _qualifier(sentence, i, i + len(figure)) == qualifier


@pytest.mark.parametrize("sentence,figure,tracked", [
    ("Obrenovac is a town about 30 kilometres southwest of Belgrade.", "about 30 kilometres", False),
    ("The troops were about four miles from the border.", "about four miles", False),
    ("Up to 120 millimetres of rain fell in 48 hours.", "Up to 120 millimetres", True),
    ("Up to 120 millimetres of rain fell in 48 hours.", "48 hours", False),
    ("The queue stretched for 2 kilometres of road.", "2 kilometres", True),
])
def test_what_is_tracked_as_a_topic(sentence, figure, tracked):
    from claimscope.reconcile import _topic_key

    led = claimscope.extract(sentence, clean=False)
    q = next(q for q in led.quantities if q.text == figure)
    assert (_topic_key(q, led.document.text) is not None) == tracked


@pytest.mark.parametrize("text,figure,sentence", [
    ("At least two people have died. About 300 were rescued.", "At least two", "At least two people have died."),
    ("At least two people have died. About 300 were rescued.", "About 300", "About 300 were rescued."),
    ("Heading\nSome 12,000 people fled. Officials said so.", "Some 12,000", "Some 12,000 people fled."),
])
def test_the_sentence_of_a_figure(text, figure, sentence):
    from claimscope.reconcile import _sentence

    i = text.index(figure)
    assert _sentence(text, i, i + len(figure)) == sentence


@pytest.mark.parametrize("description,keys", [
    ("the country's disaster agency", ["disaster agency"]),
    ("Serbia's disaster agency", ["serbia disaster agency", "disaster agency"]),
    ("an aid group working in the flooded areas",
     ["aid group working in the flooded areas", "group working in the flooded areas", "aid group"]),
    ("a local broadcaster", ["local broadcaster"]),
])
def test_description_keys(description, keys):
    from claimscope.reconcile import _description_keys

    assert _description_keys(description) == keys


@pytest.mark.parametrize("text,figure,places", [
    ("Some 1,800 people whose homes in Sabac were flooded are still living in shelters.", "Some 1,800", ("Sabac",)),
    ("Some 12,000 people have been displaced by floods in western and central Serbia, the agency said, as the "
     "river broke through an embankment near Sabac.", "Some 12,000", ("Serbia",)),
    ("In Leskovac, where the river burst its banks, the water fell. He said about 600 people were in shelters.",
     "about 600", ("Leskovac",)),
    ("In April, the water fell. He said about 600 people were in shelters.", "about 600", ()),
    ("The agency said about 2,100 people were still living in shelters.", "about 2,100", ()),
])
def test_the_places_of_a_figure(text, figure, places):
    from claimscope.reconcile import _places

    led = claimscope.extract(text, clean=False)
    q = next(q for q in led.quantities if q.text == figure)
    assert _places(led, q.start, q.end) == places


def test_figures_of_different_places_are_not_compared():
    """One source's count in one town, then in another, is no revision; the same town's is."""
    from claimscope.reconcile import reconcile

    def day(date: str, text: str):
        return claimscope.extract(f"Flood update {date}\n\n{text}", published=date, source=f"{date}.txt")

    towns = reconcile([
        day("2026-04-22", "In Leskovac, the water fell. About 600 people were still in shelters, the agency said."),
        day("2026-04-27", "Some 1,800 people from Vranje are still in shelters, the agency said."),
    ])
    assert [c for c in towns.report()["contradictions"] if c["kind"] == "revision"] == []
    same = reconcile([
        day("2026-04-22", "In Leskovac, the water fell. About 600 people were still in shelters, the agency said."),
        day("2026-04-27", "Some 1,800 people in Leskovac are still in shelters, the agency said."),
    ])
    assert [c["kind"] for c in same.report()["contradictions"]] == ["revision"]
