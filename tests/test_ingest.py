"""Ingesting files, directories, URL lists, feeds, WARCs and JSON Lines (no network: a local server)."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import pathlib

import pytest
import sqlalchemy as sa

import claimscope
from claimscope import _migrations as m
from claimscope.ingest import Failure, ingest
from claimscope.store import Store
from conftest import local_server

ARTICLES = {
    "bridge": (
        "Engineers closed the Old Mill bridge on Thursday after inspectors found cracks in two of its supports, "
        "the county roads department said.\n\n"
        '"We will not reopen it until every beam has been checked," said Ruth Adeyemi, the department\'s chief '
        "engineer. She said repairs could take about six weeks."
    ),
    "harvest": (
        "Farmers in the Lower Valley expect the apple harvest to fall by 20 percent this year after a late frost, "
        "the growers' association said on Monday.\n\n"
        "Association chairman Piet Brandt told reporters that some orchards had lost nearly all of their blossom."
    ),
    "library": (
        "The city library will stay open until 9 p.m. on weekdays from next month, the council announced.\n\n"
        '"Students asked for longer hours and we listened," councillor Maya Lindqvist said. The change will cost '
        "roughly 80,000 dollars a year, according to council figures."
    ),
    "ferry": (
        "The island ferry service carried a record 1.2 million passengers last year, its operator said on Tuesday.\n\n"
        "Chief executive Omar Haddad said the company planned to add two vessels within two years, "
        "although unions warned that crews were already stretched."
    ),
    "stadium": (
        "Plans for a new football stadium on the waterfront were rejected by the planning board on Wednesday.\n\n"
        "Board member Sofia Ruiz said the design would block the view from the old harbour, while the club "
        "insisted that the project would create at least 400 jobs."
    ),
    "rail": (
        "Train drivers will strike for 48 hours next week over pay, their union said on Friday.\n\n"
        '"This is the last thing we wanted," union leader Kenji Mori said, adding that talks with the rail '
        "operator had broken down after three months."
    ),
}


def _html(key: str, *, date: str | None = None) -> str:
    title = key.capitalize() + " news"
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    paras = "".join(f"<p>{p}</p>\n" for p in ARTICLES[key].split("\n\n"))
    return (f"<!doctype html><html><head><title>{title}</title>{meta}</head><body>"
            f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
            f"<article><h1>{title}</h1>\n{paras}</article><footer>Copyright Valley Times</footer></body></html>")


def _rss(items: list[tuple[str, str | None]]) -> str:
    entries = "".join(
        f"<item><title>{link}</title><link>{link}</link>{f'<pubDate>{date}</pubDate>' if date else ''}</item>"
        for link, date in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Valley</title>{entries}</channel></rss>'


@pytest.fixture(scope="module")
def server():
    routes: dict[str, tuple[int, str, bytes]] = {}
    with local_server(routes) as base:
        routes.update({
            **{f"/{k}.html": (200, "text/html; charset=utf-8", _html(k).encode()) for k in ARTICLES},
            "/feed": (200, "application/rss+xml", _rss([
                (f"{base}/harvest.html", "Tue, 30 Apr 2024 08:00:00 GMT"),
                (f"{base}/library.html", None),
                (f"{base}/gone.html", None),
            ]).encode()),
            "/xmlfeed": (200, "text/xml", _rss([(f"{base}/ferry.html", None)]).encode()),
            "/image.png": (200, "image/png", b"\x89PNG\r\n\x1a\n...."),
        })
        yield base


@pytest.fixture
def store(db_url):
    with Store.open(db_url) as s:
        yield s


def _dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of every ledger table, sorted, without the ingestion timestamp."""
    out = {}
    with store._read() as conn:
        for table in (m.documents, m.doc_entities, m.attributions, m.quantities, m.times):
            cols = [c for c in table.c if c.name != "ingested_at"]
            out[table.name] = sorted(tuple(map(repr, row)) for row in conn.execute(sa.select(*cols)))
    return out


def _sources(store: Store) -> list[str]:
    return sorted(d.source for d in store.documents())


def _write_warc(path: pathlib.Path, records: list[tuple[str, str, bytes, str]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        for uri, ctype, body, status in records:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))


# ---------------------------------------------------------------- inputs


def test_directory_recursive(store, tmp_path):
    root = tmp_path / "pages"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "bridge.html").write_text(_html("bridge"))
    (root / "sub" / "harvest.txt").write_text(ARTICLES["harvest"])
    (root / "sub" / "deeper" / "library.md").write_text(ARTICLES["library"])
    (root / "sub" / "notes.csv").write_text(ARTICLES["ferry"])  # not a known suffix
    (root / ".hidden.html").write_text(_html("rail"))  # hidden
    summary = ingest([str(root)], store, progress=False)
    assert (summary.new, summary.stored, summary.failed) == (3, 0, ())
    assert _sources(store) == sorted(str(root / p) for p in ("bridge.html", "sub/harvest.txt", "sub/deeper/library.md"))
    assert summary.words == sum(d.word_count for d in store.documents())


def test_dates_from_the_page_the_file_name_or_the_option(store, tmp_path):
    (tmp_path / "2025-03-02-harvest.txt").write_text(ARTICLES["harvest"])  # no date in the text
    (tmp_path / "bridge-20240307.html").write_text(_html("bridge", date="2024-03-01"))  # the page's own wins
    (tmp_path / "ferry.txt").write_text(ARTICLES["ferry"])  # nothing: the option
    (tmp_path / "rail-2025-13-45.txt").write_text(ARTICLES["rail"])  # not a date
    ingest([str(tmp_path)], store, progress=False, published="2025-06-30")
    dates = {pathlib.Path(d.source).name: d.published for d in store.documents()}
    assert dates == {"2025-03-02-harvest.txt": "2025-03-02", "bridge-20240307.html": "2024-03-01",
                     "ferry.txt": "2025-06-30", "rail-2025-13-45.txt": "2025-06-30"}


@pytest.mark.parametrize("name,date", [
    ("2026-04-27-sava-valley-herald.txt", "2026-04-27"),
    ("https://example.org/news/2024/10/18/troops.html", "2024-10-18"),
    ("report_20231105.html", "2023-11-05"),
    ("page-2024-02-30.txt", None),
    ("v12345678.txt", None),
    (None, None),
])
def test_date_in_name(name, date):
    from claimscope.ingest import date_in_name

    assert date_in_name(name) == date


def test_a_page_is_stored_as_extract_makes_it(store, tmp_path):
    page = tmp_path / "bridge.html"
    page.write_text(_html("bridge", date="2024-03-07"))
    ingest([str(page)], store, progress=False)
    expected = claimscope.extract(page.read_text(), source=str(page))
    assert expected.document.title == "Bridge news" and expected.document.published == "2024-03-07"
    assert store.ledger(expected.document.id).to_dict() == expected.to_dict()


def test_url_lists(store, tmp_path, server):
    (tmp_path / "a.urls").write_text(f"# morning list\n{server}/bridge.html\n\n{server}/missing.html\n")
    (tmp_path / "b.txt").write_text(f"{server}/harvest.html\n{server}/image.png\n")
    summary = ingest([str(tmp_path / "a.urls"), str(tmp_path / "b.txt")], store, progress=False)
    assert summary.new == 2
    assert sorted(summary.failed, key=lambda f: f.source) == [
        Failure(f"{server}/image.png", "unsupported content type 'image/png' (expected HTML, text or a feed)"),
        Failure(f"{server}/missing.html", "HTTP 404 Not Found"),
    ]
    assert _sources(store) == [f"{server}/bridge.html", f"{server}/harvest.html"]
    assert {d.url for d in store.documents()} == {f"{server}/bridge.html", f"{server}/harvest.html"}


def test_feeds(store, tmp_path, server):
    feed_file = tmp_path / "saved.rss"
    feed_file.write_text(_rss([(f"{server}/stadium.html", None)]))
    summary = ingest([f"{server}/feed", f"{server}/xmlfeed", str(feed_file)], store, progress=False,
                     published="2024-01-15")
    assert summary.new == 4
    assert summary.failed == (Failure(f"{server}/gone.html", "HTTP 404 Not Found"),)
    dates = {d.source.rsplit("/", 1)[1]: d.published for d in store.documents()}
    # the feed item's date, else --published (the pages carry no date of their own)
    assert dates == {"harvest.html": "2024-04-30", "library.html": "2024-01-15", "ferry.html": "2024-01-15",
                     "stadium.html": "2024-01-15"}


def test_not_a_feed(store, tmp_path):
    bogus = tmp_path / "sitemap.xml"
    bogus.write_text('<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>')
    summary = ingest([str(bogus)], store, progress=False)
    assert [f.reason.split(" (")[0] for f in summary.failed] == ["not an RSS or Atom feed"]


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc(store, tmp_path, name):
    warc = tmp_path / name
    _write_warc(warc, [
        ("https://news.example/bridge", "text/html; charset=utf-8", _html("bridge").encode(), "200 OK"),
        ("https://news.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n....", "200 OK"),
        ("https://news.example/rail", "text/html", _html("rail").encode("utf-16"), "200 OK"),
        ("https://news.example/gone", "text/html", b"<html><body>gone</body></html>", "404 Not Found"),
    ])
    summary = ingest([str(warc)], store, progress=False)
    assert (summary.new, summary.skipped, summary.failed) == (2, 2, ())
    assert _sources(store) == ["https://news.example/bridge", "https://news.example/rail"]


def test_broken_warc(store, tmp_path):
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(gzip.compress(_html("rail").encode()))
    summary = ingest([str(broken)], store, progress=False)
    assert [f.source for f in summary.failed] == [str(broken)]
    assert summary.failed[0].reason.startswith("cannot read WARC")


def test_jsonl(store, tmp_path):
    lines = [
        {"id": "lib-1", "text": ARTICLES["library"], "published": "2024-02-01"},
        {"id": "rail-1", "html": _html("rail"), "url": "https://trains.example/strike"},
        {"text": ARTICLES["ferry"]},
        {"id": "bad-date", "text": ARTICLES["stadium"], "published": "last week"},
        {"id": "no-body"},
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n{broken\n\n")
    summary = ingest([str(path)], store, progress=False, published="2024-03-03")
    assert summary.new == 3
    assert [(f.source, f.reason) for f in summary.failed] == [
        (f"{path}:4", "published date 'last week' is not YYYY-MM-DD"),
        (f"{path}:5", 'record has no "text" or "html" string'),
        (f"{path}:6", "invalid JSON: Expecting property name enclosed in double quotes at column 2"),
    ]
    docs = {d.id: d for d in store.documents()}
    assert docs["lib-1"].published == "2024-02-01"
    assert (docs["rail-1"].source, docs["rail-1"].url, docs["rail-1"].title) == (
        "https://trains.example/strike", "https://trains.example/strike", "Rail news")
    ferry = next(d for d in docs.values() if d.id not in ("lib-1", "rail-1"))
    assert (ferry.source, ferry.published) == (f"{path}:3", "2024-03-03")
    # a stored id is skipped before anything is parsed
    again = ingest([str(path)], store, progress=False)
    assert (again.new, again.stored) == (0, 3)


def test_failures_are_reported_and_the_rest_go_on(store, tmp_path, server):
    good = tmp_path / "good.html"
    good.write_text(_html("stadium"))
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    french = tmp_path / "french.txt"
    french.write_text("Le conseil municipal a voté mardi une hausse des impôts locaux de trois pour cent, "
                      "a annoncé la maire, qui a justifié cette décision par la hausse des coûts de l'énergie.")
    summary = ingest([str(empty), "nowhere.html", f"{server}/missing", str(french), str(good)], store,
                     progress=False)
    assert summary.new == 1
    assert [(f.source, f.reason) for f in summary.failed] == [
        (str(empty), "empty input"),
        ("nowhere.html", "no such file or directory"),
        (f"{server}/missing", "HTTP 404 Not Found"),
        (str(french), "input is not English (detected: fr)"),
    ]


# ---------------------------------------------------------------- reruns


def _corpus(tmp_path: pathlib.Path) -> list[str]:
    root = tmp_path / "corpus"
    root.mkdir()
    for key in ARTICLES:
        (root / f"{key}.html").write_text(_html(key))
    (root / "dupe.html").write_text(_html("bridge"))  # the same article twice
    return [str(root)]


def test_re_ingest_is_a_no_op(store, tmp_path):
    inputs = _corpus(tmp_path)
    first = ingest(inputs, store, progress=False)
    assert (first.new, first.stored) == (6, 1)
    before = _dump(store)
    second = ingest(inputs, store, progress=False)
    assert (second.new, second.stored, second.failed) == (0, 7, ())
    assert _dump(store) == before


def test_an_interrupted_ingest_rerun_matches_an_uninterrupted_one(store, tmp_path):
    inputs = _corpus(tmp_path)
    with Store.open(f"sqlite:///{tmp_path / 'whole.db'}") as whole:
        ingest(inputs, whole, progress=False)
        expected = _dump(whole)

    # The whole run on SQLite; the interrupted one on the store under test (SQLite or PostgreSQL),
    # stopped as by Ctrl-C in the middle of the 4th document's transaction.
    writes = 0
    real_write = store._write

    @contextlib.contextmanager
    def write_then_crash():
        nonlocal writes
        writes += 1
        with real_write() as conn:
            yield _CrashOnSecondInsert(conn) if writes == 4 else conn

    store._write = write_then_crash
    with pytest.raises(KeyboardInterrupt):
        ingest(inputs, store, progress=False, batch_size=2)
    del store._write
    kept = _dump(store)
    assert len(kept["documents"]) == 3
    for table in ("doc_entities", "attributions", "quantities", "times"):  # nothing of the 4th
        assert {row[1 if table in ("attributions", "quantities") else 0] for row in kept[table]} <= {
            row[0] for row in kept["documents"]}
    rerun = ingest(inputs, store, progress=False)
    assert (rerun.new, rerun.stored) == (3, 4)
    assert _dump(store) == expected


class _CrashOnSecondInsert:
    """A connection that raises KeyboardInterrupt on its second INSERT (the document row went in)."""

    def __init__(self, conn):
        self._conn = conn
        self._inserts = 0

    def execute(self, stmt, *args, **kw):
        if isinstance(stmt, sa.Insert):
            self._inserts += 1
            if self._inserts == 2:
                raise KeyboardInterrupt
        return self._conn.execute(stmt, *args, **kw)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def test_progress_and_summary_on_stderr(store, tmp_path, capsys):
    inputs = _corpus(tmp_path)
    ingest(inputs, store, progress=True)
    err = capsys.readouterr().err
    assert "6 new, 1 already stored, 0 failed in" in err and "documents/s" in err


def test_dask_local_cluster(tmp_path):
    inputs = _corpus(tmp_path)
    (pathlib.Path(inputs[0]) / "empty.txt").write_text("")
    with Store.open(f"sqlite:///{tmp_path / 'local.db'}") as local:
        ingest(inputs, local, progress=False)
        expected = _dump(local)
    with Store.open(f"sqlite:///{tmp_path / 'dask.db'}") as store:
        summary = ingest(inputs, store, progress=False, scheduler="local", workers=2, batch_size=2)
        assert (summary.new, summary.stored) == (6, 1)
        assert [f.reason for f in summary.failed] == ["empty input"]
        assert _dump(store) == expected
