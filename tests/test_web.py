"""The local web UI (claimscope.web) over the bundled story corpus, through Starlette's test
client: every page and API route, the filters, extraction from the form, errors as one line
with their HTTP status, escaping and the Content-Security-Policy. No network: URLs are served
by a local HTTP server. The same pages in a real browser are in tests/test_browser.py.
"""

from __future__ import annotations

import csv
import io
import re

import warnings

import pytest

with warnings.catch_warnings():
    # Starlette 1.x would rather drive its test client with httpx2; httpx (pinned, the
    # fetcher's client) still works, and one HTTP client in the lock is enough.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

import claimscope
from claimscope.ingest import ingest
from claimscope.store import Store
from claimscope.web import create_app
from conftest import local_server
from test_browser import STORY

ARTICLE = ("Bridge to reopen in May\n\n"
           "The mayor said the river bridge would reopen in May, a year after the flood. "
           "About 300 workers have been repairing its piers, the city engineer said on Tuesday.")


@pytest.fixture(scope="module")
def story_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'story.db'}"
    with Store.open(url) as store:
        summary = ingest([str(STORY)], store, progress=False)
        assert not summary.failed
    return url


@pytest.fixture
def client(story_db, tmp_path):
    # A copy of the story store per test, so what one test stores the next does not see.
    url = f"sqlite:///{tmp_path / 'web.db'}"
    with Store.open(story_db) as src, Store.open(url) as dst:
        for ledger in src.ledgers():
            dst.add_ledger(ledger)
    with TestClient(create_app(url), base_url="http://127.0.0.1") as c:
        yield c


@pytest.fixture(scope="module")
def pages():
    """A local HTTP server with one article page and one image."""
    page = (f"<html><head><title>Bridge to reopen</title></head><body><article><h1>Bridge to reopen in May</h1>"
            f"<p>{ARTICLE}</p></article></body></html>").encode()
    with local_server({"/bridge.html": (200, "text/html; charset=utf-8", page),
                       "/photo.png": (200, "image/png", b"\x89PNG\r\n\x1a\n....")}) as base:
        yield base


def _one_line_error(response) -> str:
    found = re.search(r'<p class="error">(.*?)</p>', response.text, re.S)
    assert found, response.text[:500]
    assert "\n" not in found.group(1) and "Traceback" not in response.text
    return found.group(1)


# ------------------------------------------------------------------ pages


def test_overview_lists_documents_and_topics(client):
    r = client.get("/")
    assert r.status_code == 200
    docs = client.get("/api/documents").json()
    assert len(docs) == 12
    for d in docs:
        assert f'href="/documents/{d["id"]}"' in r.text
    report = client.get("/api/report").json()
    displaced = next(t for t in report["topics"] if t["label"] == "people (displaced)")
    assert f'href="/report?topic={displaced["id"]}"' in r.text
    assert "<dt>contradictions</dt><dd>%d</dd>" % len(report["contradictions"]) in r.text.replace("\n", "")
    # Syndicated copies point at their original.
    copies = [d for d in docs if d["copy_of"]]
    assert copies and all(f'href="/documents/{d["copy_of"]}"' in r.text for d in copies)


def test_document_page_is_the_annotated_article(client):
    doc = client.get("/api/documents").json()[0]
    r = client.get(f"/documents/{doc['id']}")
    assert r.status_code == 200
    ledger = client.get(f"/api/documents/{doc['id']}").json()
    assert ledger["document"]["id"] == doc["id"]
    assert all(f'id="claim-{a["id"]}"' in r.text for a in ledger["attributions"])
    assert '<nav class="site"' in r.text
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp


def test_unknown_document_is_404(client):
    r = client.get("/documents/0000")
    assert r.status_code == 404
    assert _one_line_error(r) == "0000: no such document in the store"
    r = client.get("/api/documents/0000")
    assert r.status_code == 404 and r.json() == {"error": "0000: no such document in the store",
                                                 "kind": "NotFoundError"}


def test_claims_filters(client):
    everything = client.get("/api/claims").json()
    ned = client.get("/api/claims", params={"entity": "NED"}).json()
    assert ned and len(ned) < len(everything)
    assert {c["source"] for c in ned} == {"National Emergency Directorate"}
    late = client.get("/api/claims", params={"since": "2026-05-01", "until": "2026-05-06"}).json()
    assert late and all("2026-05-01" <= (c["said_on"] or c["published"]) <= "2026-05-06" for c in late)
    page = client.get("/claims", params={"entity": "NED"})
    assert page.status_code == 200
    assert page.text.count('<td class="content">') == len(ned)
    # Each claim links to itself in its article.
    first = ned[0]
    assert f'href="/documents/{first["document_id"]}#claim-{first["id"].partition(":")[2]}"' in page.text
    # The empty fields a GET form sends are no filter.
    blank = client.get("/claims", params={"speaker": "", "since": "", "limit": ""})
    assert blank.status_code == 200 and blank.text.count('<td class="content">') == len(everything)


def test_claims_limit_and_downloads(client):
    page = client.get("/claims", params={"limit": "3"})
    assert page.text.count('<td class="content">') == 3 and "raise the limit" in page.text
    r = client.get("/api/claims.csv", params={"entity": "NED"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == len(client.get("/api/claims", params={"entity": "NED"}).json())


@pytest.mark.parametrize("params, message", [
    ({"since": "yesterday"}, "since wants a date YYYY-MM-DD, not 'yesterday'"),
    ({"until": "2026-13-01"}, "until wants a date YYYY-MM-DD, not '2026-13-01'"),
    ({"limit": "0"}, "limit wants a whole number from 1 to 1,000,000,000, not 0"),
    ({"limit": "99999999999999999999"}, "limit wants a whole number from 1 to 1,000,000,000, not 99999999999999999999"),
    ({"limit": "ten"}, "limit wants a whole number, not 'ten'"),
])
def test_bad_filters_are_400(client, params, message):
    r = client.get("/claims", params=params)
    assert r.status_code == 400 and _one_line_error(r) == message.replace("'", "&#39;")
    r = client.get("/api/claims", params=params)
    assert r.status_code == 400 and r.json()["error"] == message


def test_report_page_links_documents(client):
    r = client.get("/report")
    assert r.status_code == 200
    assert "<svg" in r.text and '<nav class="site"' in r.text
    assert re.search(r'<a href="/documents/[0-9a-f]+">annotated article</a>', r.text)
    report = client.get("/api/report").json()
    displaced = next(t for t in report["topics"] if t["label"] == "people (displaced)")
    one = client.get("/api/report", params={"topic": displaced["id"]}).json()
    assert [t["id"] for t in one["topics"]] == [displaced["id"]]
    assert client.get("/report", params={"topic": displaced["id"]}).text.count('class="chart"') == 1


# ------------------------------------------------------------------ extraction


def test_extract_form_and_store(client):
    assert 'action="/extract"' in client.get("/extract").text
    r = client.post("/extract", data={"text": ARTICLE, "published": "2026-06-02"})
    assert r.status_code == 200
    assert "river bridge would reopen in May" in r.text and "Stored as" not in r.text
    before = len(client.get("/api/documents").json())
    r = client.post("/extract", data={"text": ARTICLE, "published": "2026-06-02", "store": "1"})
    assert "Stored as document" in r.text
    again = client.post("/extract", data={"text": ARTICLE, "published": "2026-06-02", "store": "1"})
    assert "Already in the store" in again.text
    assert len(client.get("/api/documents").json()) == before + 1
    # The overview and the claims see it (the reconciliation is redone for the new document).
    assert "Bridge to reopen in May" in client.get("/").text
    assert client.get("/api/claims", params={"speaker": "city engineer"}).json()


def test_api_extract(client):
    r = client.post("/api/extract", json={"text": ARTICLE, "published": "2026-06-02"})
    assert r.status_code == 200
    body = r.json()
    assert body == claimscope.extract(ARTICLE, published="2026-06-02", source="web form").to_dict()
    assert client.post("/api/extract", json={"text": ARTICLE, "store": True}).status_code == 201
    assert client.post("/api/extract", json={"text": ARTICLE, "store": True}).status_code == 200


def test_extract_a_url(client, pages):
    r = client.post("/extract", data={"url": f"{pages}/bridge.html", "store": "1"})
    assert r.status_code == 200 and "river bridge would reopen" in r.text
    stored = [d for d in client.get("/api/documents").json() if d["url"] == f"{pages}/bridge.html"]
    assert len(stored) == 1


@pytest.mark.parametrize("form, status, message", [
    ({"text": "   "}, 400, "nothing to extract: paste an article or give its URL"),
    ({"text": ARTICLE, "url": "https://example.org/a"}, 400, "give the article&#39;s text or its URL, not both"),
    ({"url": "/etc/passwd"}, 400, "the URL must start with http:// or https://"),
    ({"url": "file:///etc/passwd"}, 400, "the URL must start with http:// or https://"),
    ({"text": ARTICLE, "published": "June"}, 400, "web form: published date &#39;June&#39; is not YYYY-MM-DD"),
    ({"text": "Der Bürgermeister sagte am Dienstag, die Brücke werde im Mai wieder geöffnet. Rund 300 Arbeiter "
              "haben die Pfeiler repariert, sagte der Stadtingenieur."}, 422, None),
])
def test_extract_errors(client, form, status, message):
    r = client.post("/extract", data=form)
    assert r.status_code == status
    line = _one_line_error(r)
    if message:
        assert line.startswith(message), line
    else:
        assert "not in English" in line or "not English" in line, line


def test_extract_url_errors(client, pages):
    r = client.post("/extract", data={"url": f"{pages}/photo.png"})
    assert r.status_code == 502 and _one_line_error(r)
    r = client.post("/extract", data={"url": f"{pages}/missing.html"})
    assert r.status_code == 502 and "404" in _one_line_error(r)
    r = client.post("/api/extract", json={"url": "http://127.0.0.1:1/"})
    assert r.status_code == 502 and r.json()["kind"] == "FetchError"


def test_oversize_article_is_413(story_db):
    with TestClient(create_app(story_db, max_mb=0.001), base_url="http://127.0.0.1") as c:
        r = c.post("/extract", data={"text": ARTICLE * 10})
        assert r.status_code == 413 and "over" in _one_line_error(r)
        # A body far over the limit is refused from its length, before the form is parsed.
        r = c.post("/extract", data={"text": "x" * 1_200_000})
        assert r.status_code == 413 and "over" in _one_line_error(r)
        r = c.post("/api/extract", json={"text": "x" * 1_200_000})
        assert r.status_code == 413 and r.json()["kind"] == "InputTooLargeError"


def test_article_text_is_escaped(client):
    text = ("Mayor says repairs will cost more.\n\n"
            "The mayor said the repairs would cost \"<script>alert('x')</script>\" more than planned, "
            "and that <img src=x onerror=alert(1)> crews would work at night.")
    r = client.post("/api/extract", json={"text": text, "store": True})
    doc = r.json()["document"]["id"]
    for page in (client.get(f"/documents/{doc}").text, client.get("/claims").text, client.get("/report").text):
        assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in client.get("/claims").text


def test_bad_store_url_fails_at_once(tmp_path):
    with pytest.raises(claimscope.StoreError):
        create_app(f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}")


def test_ids_with_slashes_and_colons(client):
    text = "Dam holds\n\nThe engineers said the dam would hold through the weekend."
    for doc_id in ("wire/2026/05/01", "nyt:123"):
        ledger = claimscope.extract(text, doc_id=doc_id, published="2026-05-01")
        client.app.state.store.add_ledger(ledger)
        page = client.get("/documents/" + doc_id.replace("/", "%2F"))
        assert page.status_code == 200 and 'id="claim-a1"' in page.text
        assert client.get(f"/api/documents/{doc_id}").json()["document"]["id"] == doc_id
        claims = client.get("/claims", params={"document": doc_id}).text
        assert re.search(r'href="/documents/[^"#]+#claim-a1"', claims), claims


def test_unknown_pages_and_methods(client):
    r = client.get("/nowhere")
    assert r.status_code == 404 and _one_line_error(r) == "no such page: /nowhere"
    r = client.get("/api/nowhere")
    assert r.status_code == 404 and r.json() == {"error": "no such page: /api/nowhere", "kind": "HTTPError"}
    r = client.put("/extract")
    assert r.status_code == 405 and _one_line_error(r) == "PUT is not allowed here"


def test_cross_site_requests_are_refused(client):
    evil = {"Origin": "https://evil.example"}
    r = client.post("/extract", data={"text": ARTICLE, "store": "1"}, headers=evil)
    assert r.status_code == 403 and "another site" in _one_line_error(r)
    r = client.post("/api/extract", json={"text": ARTICLE, "store": True}, headers={"Referer": "https://evil.example/x"})
    assert r.status_code == 403 and r.json()["kind"] == "_CrossSite"
    assert not client.get("/api/claims", params={"speaker": "city engineer"}).json()  # nothing was stored
    # The app's own pages may post; so may a client that sends no Origin (curl, a script).
    own = client.post("/extract", data={"text": ARTICLE}, headers={"Origin": "http://127.0.0.1"})
    assert own.status_code == 200
    # Only this machine's names are answered (no DNS rebinding).
    assert client.get("/api/stats", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize("body, message", [
    ({"text": ARTICLE, "published": 20260501}, "text, html, url and published must be strings"),
    ({"text": ARTICLE, "store": "no"}, "store must be true or false"),
    (["text"], "the body must be a JSON object"),
])
def test_api_extract_bad_bodies(client, body, message):
    r = client.post("/api/extract", json=body)
    assert r.status_code == 400 and r.json() == {"error": message, "kind": "InputError"}


def test_api_extract_needs_json(client):
    r = client.post("/api/extract", content=b'{"text": "x"}', headers={"Content-Type": "text/plain"})
    assert r.status_code == 400 and "must be JSON" in r.json()["error"]
    r = client.post("/api/extract", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"] == "the body is not valid JSON"
