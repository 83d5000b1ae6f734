"""Shared fixtures. One conftest for the whole suite (no per-directory sprawl)."""

from __future__ import annotations

import contextlib
import datetime as dt
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "north-korean-troops.txt"
FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def nlp():
    from claimscope.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def parse(nlp):
    """parse(text, published=None) -> spaCy Doc with every claimscope component run."""
    from claimscope.nlp import make_doc

    def _parse(text: str, published: str | dt.date | None = None):
        if isinstance(published, str):
            published = dt.date.fromisoformat(published)
        return nlp(make_doc(nlp, text, published))

    return _parse


@pytest.fixture(scope="session", autouse=True)
def _every_ledger_is_checked():
    """Every ledger the suite makes passes through here: its spans must slice the clean text
    to their text, and it must validate against the JSON contract."""
    from claimscope import pipeline
    from claimscope.schema import validate_ledger

    original = pipeline.ledger_from_doc
    counter = {"ledgers": 0, "spans": 0}

    def checked(*args, **kwargs):
        ledger = original(*args, **kwargs)
        data = ledger.to_dict()
        counter["spans"] += check_spans(data)
        validate_ledger(data)
        counter["ledgers"] += 1
        return ledger

    pipeline.ledger_from_doc = checked
    yield counter
    pipeline.ledger_from_doc = original


def check_spans(ledger: dict) -> int:
    """Assert that every span in a contract-JSON ledger slices document.text to its text.

    Returns the number of spans checked. Used on every ledger the suite makes.
    """
    text = ledger["document"]["text"]
    n = 0

    def ok(obj, what):
        nonlocal n
        s, e = obj["span"]
        assert 0 <= s <= e <= len(text), (what, obj)
        assert text[s:e] == obj["text"], (what, obj, text[s:e])
        n += 1

    for q in ledger["quantities"]:
        ok(q, "quantity")
    for t in ledger["times"]:
        ok(t, "time")
    for a in ledger["attributions"]:
        for role in ("speaker", "cue", "content"):
            if a.get(role):
                ok(a[role], role)
        for v in a["via"]:
            if v.get("span"):
                s, e = v["span"]
                assert 0 <= s <= e <= len(text)
                n += 1
    for ent in ledger["entities"]:
        for s, e in ent["mentions"]:
            assert 0 <= s <= e <= len(text)
            assert text[s:e].strip(), ent
            n += 1
    return n


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """httpx honours proxy variables; the suite's local HTTP servers must be reached directly."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@contextlib.contextmanager
def local_server(routes: dict[str, tuple[int, str, bytes]]):
    """A local HTTP server of canned responses (the suite never uses the network): ``routes``
    maps a path to (status, content type, body), read at each request, so a caller may add
    routes that name the base URL after it is known; other paths are 404. Yields the base URL."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            status, ctype, body = routes.get(self.path, (404, "text/html", b"not found"))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def missing_service(reason: str) -> None:
    """Skip a test whose server or browser is not here; under CI (.ci/run sets
    CLAIMSCOPE_REQUIRE_SERVICES=1) fail instead, so a broken set-up cannot pass as skips."""
    import os

    if os.environ.get("CLAIMSCOPE_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


# ---------------------------------------------------------------- store databases (issue 4)
# `db_url`: a fresh, empty database per test, on SQLite and on PostgreSQL. The PostgreSQL
# run needs a server: CLAIMSCOPE_TEST_PG holds the URL of a database whose user may create
# databases (`eval "$(bash .ci/postgres.sh)"` starts one); without it that param is skipped.


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'claimscope.db'}"
        return
    import os
    import uuid

    import sqlalchemy as sa

    from claimscope.store import resolve_url

    admin_url = os.environ.get("CLAIMSCOPE_TEST_PG")
    if not admin_url:
        missing_service("CLAIMSCOPE_TEST_PG is not set (eval \"$(bash .ci/postgres.sh)\")")
    admin = sa.create_engine(resolve_url(admin_url), isolation_level="AUTOCOMMIT")
    name = f"claimscope_t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield resolve_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
