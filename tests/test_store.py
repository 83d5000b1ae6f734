"""The corpus store, on SQLite and PostgreSQL (``db_url`` in conftest.py)."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa

import claimscope
from claimscope import _migrations as m
from claimscope._errors import ClaimscopeError, StoreError
from claimscope._models import Attribution, Content, Cue, Document, Entity, Ledger, Quantity, Speaker, TimeExpr, Via
from claimscope.store import (
    Alias,
    Link,
    Reconciliation,
    Source,
    Store,
    NEAR_COPY_BITS,
    Topic,
    fingerprint,
    hamming,
    resolve_url,
)

TRANSIT = "\n".join([
    "Mayor Linda Okafor said on Tuesday that the city would hire 120 new bus drivers by March.",
    '"We are short of staff on every route," Okafor told reporters at City Hall.',
    "The transit union disputed the figure, saying the city needed at least 300 drivers.",
    "According to the union, about 40 routes were cut last year.",
])
CLINICS = "\n".join([
    "The ministry of health reportedly plans to open 15 new clinics in the northern provinces, "
    "according to the Valley Gazette.",
    '"We will not close a single hospital," the health minister, Amara Diallo, said on Wednesday. '
    '"Every region keeps its services."',
    "The opposition denied that the plan was funded, saying the budget had fallen by about 8 percent since 2022.",
])


@pytest.fixture(scope="module")
def extracted() -> list[Ledger]:
    return [
        claimscope.extract(TRANSIT, published="2024-05-02", source="transit.txt"),
        claimscope.extract(CLINICS, published="2024-06-14", source="clinics.txt"),
    ]


@pytest.fixture
def store(db_url):
    with Store.open(db_url) as s:
        yield s


def _counts(store: Store) -> dict[str, int]:
    engine = sa.create_engine(resolve_url(_url_of(store)))
    try:
        with engine.connect() as conn:
            return {
                t.name: conn.scalar(sa.select(sa.func.count()).select_from(t))
                for t in (m.documents, m.doc_entities, m.attributions, m.quantities, m.times)
            }
    finally:
        engine.dispose()


def _url_of(store: Store) -> str:
    return store._engine.url.render_as_string(hide_password=False)


# ---------------------------------------------------------------- hand-made ledgers


def _claim_ledger(doc_id: str, published: str | None, claims: list[tuple[str, str, str]]) -> Ledger:
    """A ledger of sentences "<speaker> <cue> that <content>." with exact spans."""
    text, attributions, entities = "", [], {}
    for i, (speaker, cue, content) in enumerate(claims, 1):
        if text:
            text += "\n\n"
        s = len(text)
        text += f"{speaker} {cue} that {content}."
        c = s + len(speaker) + 1
        k = c + len(cue) + len(" that ")
        ent = entities.setdefault(speaker, Entity(f"e{len(entities) + 1}", speaker, "PERSON", (speaker,), ()))
        entities[speaker] = dataclasses.replace(ent, mentions=(*ent.mentions, (s, s + len(speaker))))
        attributions.append(Attribution(
            id=f"a{i}", type="indirect", speaker=Speaker(speaker, s, s + len(speaker), entity=ent.id, name=speaker),
            cue=Cue(cue, c, c + len(cue)), content=Content(content, k, k + len(content)),
        ))
    return Ledger(Document(id=doc_id, source=f"{doc_id}.txt", text=text, published=published, language="en"),
                  entities=tuple(entities.values()), attributions=tuple(attributions))


def _with_quantity(ledger: Ledger, attribution: str, number: str) -> Ledger:
    a = next(x for x in ledger.attributions if x.id == attribution)
    start = ledger.document.text.index(number, a.content.start)
    q = Quantity("q1", number, start, start + len(number), float(number), None, None, "exact",
                 concept="riders", attribution=a.id)
    attributions = tuple(dataclasses.replace(x, quantities=("q1",)) if x is a else x for x in ledger.attributions)
    return dataclasses.replace(ledger, attributions=attributions, quantities=(q,))


CITY = _with_quantity(_claim_ledger("city0001", "2024-05-02", [
    ("Linda Okafor", "said", "ridership rose by 12000 riders"),
    ("Tomas Varga", "said", "the ferries run on time"),
    ("Linda Okafor", "argued", "fares must stay low"),
]), "a1", "12000")
PORT = _claim_ledger("port0002", "2024-06-14", [
    ("Tomas Varga", "said", "the cranes are moving again"),
    ("Okafor", "denied", "the port was closing"),
])

EDGES = Ledger(
    Document(id="edge0003", source="https://example.org/a?b=1", title="Ünïcode “quotes”", published=None,
             site="Example", language="en", removed=("Share this", "© 2024"),
             text='Officials said, "Part one — and part two." It was 2.5 times higher, reportedly.'),
    entities=(Entity("e1", "Officials", "NORP", ("Officials",), ((0, 9),), affiliation="e2",
                     descriptions=("the officials",)),
              Entity("e2", "Agency", "ORG", (), ())),
    attributions=(
        Attribution("a1", "direct", Speaker("Officials", 0, 9, entity="e1", name="Officials"), Cue("said", 10, 14),
                    Content("Part one — and part two.", 17, 41, fragments=((17, 25), (28, 41))),
                    via=(Via("Yonhap"), Via("AP", 0, 2, entity="e2")), hedges=("reportedly",), negated=True,
                    quantities=("q1",), times=("t1",), said_time="t1"),
        Attribution("a2", "indirect", None, None, Content("It was 2.5 times higher", 43, 66)),
    ),
    quantities=(Quantity("q1", "2.5 times", 50, 59, 2.5, None, None, "approx", unit="times",
                         attribution="a1", concept_span=None),
                Quantity("q2", "2.5", 50, 53, None, 1e-7, 123456789.125, "range")),
    times=(TimeExpr("t1", "2.5", 50, 53, None, None, None),),
)


# ---------------------------------------------------------------- documents


def test_round_trip_of_extracted_ledgers(store, extracted):
    for ledger in extracted:
        assert store.add_ledger(ledger)
    for ledger in extracted:
        assert store.has_document(ledger.document.id)
        assert store.ledger(ledger.document.id).to_dict() == ledger.to_dict()
    assert [x.to_dict() for x in store.ledgers()] == [x.to_dict() for x in extracted]
    summaries = store.documents()
    assert [(d.id, d.attributions, d.quantities, d.word_count) for d in summaries] == [
        (x.document.id, len(x.attributions), len(x.quantities), len(x.document.text.split())) for x in extracted
    ]


def test_round_trip_keeps_every_field(store):
    assert store.add_ledger(EDGES, url="https://example.org/a?b=1")
    assert store.ledger("edge0003").to_dict() == EDGES.to_dict()
    assert store.documents()[0].url == "https://example.org/a?b=1"


def test_re_adding_is_a_no_op(store, extracted):
    assert store.add_ledger(extracted[0])
    before = _counts(store)
    assert not store.add_ledger(extracted[0])
    assert _counts(store) == before


def test_a_failure_mid_write_leaves_nothing(store):
    broken = dataclasses.replace(CITY, entities=CITY.entities + CITY.entities[:1])  # duplicate entity id
    with pytest.raises(StoreError, match="cannot store document"):
        store.add_ledger(broken)
    assert not store.has_document(CITY.document.id)
    assert set(_counts(store).values()) == {0}
    assert store.add_ledger(CITY)  # and the store still works


def test_missing_document(store):
    with pytest.raises(ClaimscopeError, match="no such document"):
        store.ledger("nope")
    assert list(store.ledgers(["nope"])) == []


# ---------------------------------------------------------------- migrations and URLs


def test_migrations_are_recorded_once(db_url):
    for _ in range(3):
        with Store.open(db_url) as s:
            assert [(v, n) for v, n, _ in s.migrations()] == [(mig.version, mig.name) for mig in m.MIGRATIONS]


def test_a_newer_schema_is_refused(db_url):
    with Store.open(db_url) as s, s._write() as conn:
        conn.execute(m.migrations.insert().values(version=m.LATEST + 1, name="future", applied_at=sa.func.now()))
    with pytest.raises(StoreError, match="newer than this claimscope"):
        Store.open(db_url)


@pytest.mark.parametrize(("url", "message"), [
    ("mysql://u@localhost/x", "unsupported database 'mysql'"),
    ("postgresql://u:secret@localhost:port/x", "bad database URL"),
    ("postgresql://u:secret@127.0.0.1:1/x", "cannot open store"),
    ("sqlite:////nonexistent-dir/sub/x.db", "cannot open store"),
])
def test_bad_url_is_a_store_error(url, message):
    with pytest.raises(StoreError, match=message) as info:
        Store.open(url)
    text = str(info.value)
    assert "\n" not in text and "secret" not in text and "sqlalche" not in text


def test_url_resolution(monkeypatch, tmp_path):
    monkeypatch.delenv("CLAIMSCOPE_DB", raising=False)
    assert resolve_url(None).render_as_string() == "sqlite:///claimscope.db"
    monkeypatch.setenv("CLAIMSCOPE_DB", "postgres://u@h/db")
    assert resolve_url(None).drivername == "postgresql+psycopg"
    assert resolve_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert resolve_url(str(tmp_path / "x.db")).database == str(tmp_path / "x.db")


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'w.db'}") as s, s._read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


# ---------------------------------------------------------------- reconciliation and claims


def _reconciliation() -> Reconciliation:
    return Reconciliation(
        sources=[Source("s_city", "Rivermouth City Council", "ORG"), Source("s_okafor", "Linda Okafor", "PERSON"),
                 Source("s_varga", "Tomas Varga", "PERSON")],  # in the order reconciliation() reads them back
        aliases=[Alias("s_city", "RCC", "acronym"), Alias("s_okafor", "Okafor", "name"),
                 Alias("s_okafor", "the mayor", "description")],
        affiliations=[("s_okafor", "s_city")],
        topics=[Topic("t_riders", "Bus ridership growth", "riders", None)],
        links=[Link("denial", "port0002:a2", "city0001:a1", "s_okafor", "s_okafor", "denied")],
        entity_sources={("city0001", "e1"): "s_okafor", ("port0002", "e2"): "s_okafor"},
        attribution_sources={"city0001:a1": "s_okafor", "city0001:a3": "s_okafor", "port0002:a2": "s_okafor",
                             "city0001:a2": "s_varga", "port0002:a1": "s_varga"},
        said_on={"city0001:a1": "2024-04-30"},
        quantity_topics={"city0001:q1": "t_riders"},
        copies={"port0002": "city0001"},
    )


def test_replace_reconciliation(store):
    store.add_ledger(CITY)
    store.add_ledger(PORT)
    first = _reconciliation()
    store.replace_reconciliation(first)
    assert store.reconciliation() == first
    assert store.documents()[1].copy_of == "city0001"

    second = Reconciliation(sources=[Source("s_varga", "Tomas Varga", "PERSON")],
                            attribution_sources={"port0002:a1": "s_varga"})
    store.replace_reconciliation(second)
    assert store.reconciliation() == second  # everything of the first one is gone

    bad = Reconciliation(sources=[Source("s_x", "X")], attribution_sources={"port0002:a1": "s_missing"})
    with pytest.raises(StoreError, match="cannot write the reconciliation"):
        store.replace_reconciliation(bad)
    assert store.reconciliation() == second  # rolled back whole


CLAIM_QUERIES = [
    ({}, ["city0001:a1", "city0001:a2", "city0001:a3", "port0002:a1", "port0002:a2"]),
    ({"speaker": "okafor"}, ["city0001:a1", "city0001:a3", "port0002:a2"]),
    ({"speaker": "VARGA"}, ["city0001:a2", "port0002:a1"]),
    ({"speaker": "100%_"}, []),  # LIKE wildcards are taken literally
    ({"source": "Linda Okafor"}, ["city0001:a1", "city0001:a3", "port0002:a2"]),
    ({"source": "the mayor"}, ["city0001:a1", "city0001:a3", "port0002:a2"]),  # an alias
    ({"source": "s_varga"}, ["city0001:a2", "port0002:a1"]),
    ({"source": "Okaf"}, []),  # whole names only
    ({"topic": "ridership"}, ["city0001:a1"]),
    ({"topic": "t_riders"}, ["city0001:a1"]),
    ({"document": "port"}, ["port0002:a1", "port0002:a2"]),
    ({"since": "2024-06-01"}, ["port0002:a1", "port0002:a2"]),
    ({"until": "2024-05-01"}, ["city0001:a1"]),  # said_on 2024-04-30 wins over published
    ({"since": "2024-05-02", "until": "2024-05-02"}, ["city0001:a2", "city0001:a3"]),
    ({"speaker": "okafor", "since": "2024-05-01"}, ["city0001:a3", "port0002:a2"]),
]


@pytest.mark.parametrize(("filters", "expected"), CLAIM_QUERIES)
def test_claims_queries(store, filters, expected):
    store.add_ledger(CITY)
    store.add_ledger(PORT)
    store.replace_reconciliation(_reconciliation())
    assert sorted(c.id for c in store.claims(**filters)) == sorted(expected)


def test_claim_rows(store):
    store.add_ledger(CITY)
    store.replace_reconciliation(Reconciliation(sources=[Source("s_okafor", "Mayor Linda Okafor")],
                                                attribution_sources={"city0001:a1": "s_okafor"}))
    rows = store.claims(document="city0001")
    assert [c.id for c in rows] == ["city0001:a1", "city0001:a2", "city0001:a3"]  # in ledger order
    first = rows[0]
    assert (first.source, first.speaker, first.cue, first.content, first.published) == (
        "Mayor Linda Okafor", "Linda Okafor", "said", "ridership rose by 12000 riders", "2024-05-02")
    assert rows[1].source == "Tomas Varga"  # not reconciled: the speaker's name
    assert first.to_dict()["hedges"] == []


# ---------------------------------------------------------------- user aliases and stats


def test_user_aliases(store):
    assert store.add_user_alias("NIS", "National Intelligence Service")
    assert not store.add_user_alias("NIS", "National Intelligence Service")
    assert store.add_user_alias("Kim", "Kim Jong Un", rule="split")
    assert [(u.alias, u.canonical, u.rule) for u in store.user_aliases()] == [
        ("NIS", "National Intelligence Service", "alias"), ("Kim", "Kim Jong Un", "split")]
    assert store.remove_user_alias("Kim", rule="alias") == 0
    assert store.remove_user_alias("Kim") == 1
    assert [u.alias for u in store.user_aliases()] == ["NIS"]
    with pytest.raises(StoreError):
        store.add_user_alias("A", "B", rule="merge")
    with pytest.raises(StoreError):
        store.add_user_alias(" ", "B")


def test_stats(store):
    store.add_ledger(CITY)
    store.add_ledger(EDGES)
    store.add_user_alias("RCC", "Rivermouth City Council")
    stats = store.stats()
    assert (stats.schema_version, stats.documents, stats.attributions, stats.quantities, stats.times,
            stats.entities, stats.user_aliases) == (m.LATEST, 2, 5, 3, 1, 4, 1)
    assert stats.words == len(CITY.document.text.split()) + len(EDGES.document.text.split())


# ---------------------------------------------------------------- near copies

WIRE = ("Dock workers in Rivermouth returned to work on Monday after a nine-day strike, the port authority said. "
        "The cranes were moving again by noon and the backlog of container ships would be cleared within two "
        "weeks, according to the authority's chief executive. The union said its members had won a pay rise "
        "of six percent over two years, while the authority put the figure at four percent. Shipping lines had "
        "diverted more than forty vessels to other ports during the dispute, costing the region's exporters "
        "an estimated thirty million dollars in extra freight charges.")


def test_fingerprints_find_syndicated_copies(store):
    copy = "RIVERMOUTH (Wire) - " + WIRE.replace("Monday", "Monday morning")
    assert fingerprint(WIRE) == fingerprint(WIRE.upper())
    assert hamming(fingerprint(WIRE), fingerprint(copy)) <= NEAR_COPY_BITS
    assert hamming(fingerprint(WIRE), fingerprint(TRANSIT)) > NEAR_COPY_BITS
    for doc_id, text in (("d0", WIRE), ("d1", TRANSIT), ("d2", copy), ("d3", WIRE)):
        store.add_ledger(Ledger(Document(id=doc_id, source="x", text=text)))
    pairs = store.near_duplicates()
    assert [(a, b) for a, b, _ in pairs] == [("d0", "d2"), ("d0", "d3"), ("d2", "d3")]
    assert store.near_duplicates(max_distance=0) == [("d0", "d3", 0)]


def test_fields_without_a_column_round_trip(store, monkeypatch):
    """A field added to the models later is kept in ``extra`` until a migration gives it a column."""
    to_dict, from_dict = Ledger.to_dict, Ledger.from_dict.__func__
    seen = {}

    def grown_to_dict(self):
        d = to_dict(self)
        d["events"] = [{"id": "v1"}]
        d["document"]["section"] = "Local"
        d["entities"][0]["wikidata"] = "Q1"
        d["attributions"][0]["stance"] = "against"
        d["attributions"][0]["speaker"]["role"] = "official"
        d["attributions"][0]["content"]["paraphrase"] = False
        d["quantities"][0]["per"] = "year"
        d["times"][0]["tz"] = None
        return d

    def capturing_from_dict(cls, d):
        seen["dict"] = d
        return from_dict(cls, d)

    monkeypatch.setattr(Ledger, "to_dict", grown_to_dict)
    monkeypatch.setattr(Ledger, "from_dict", classmethod(capturing_from_dict))
    store.add_ledger(EDGES)
    store.ledger(EDGES.document.id)
    assert seen["dict"] == grown_to_dict(EDGES)
