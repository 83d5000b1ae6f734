"""The local web UI: a store's documents, claims, topics and contradictions in the browser,
and an article pasted or fetched into its ledger. FastAPI, server-rendered, no JavaScript
needed and nothing loaded from outside; ``claimscope serve`` runs it on 127.0.0.1.

Pages (HTML): ``/`` overview (store figures, topics, documents), ``/documents/{id}`` the
annotated article, ``/claims`` the claims with the filters of ``claimscope claims``,
``/report`` the cross-source report of ``claimscope report --format html``, ``/extract`` a
form for one article. The same data as JSON under ``/api``: ``/api/stats``,
``/api/documents``, ``/api/documents/{id}`` (the ledger, contract part 1), ``/api/claims``,
``/api/report`` (contract part 2), and ``POST /api/extract``.

Thin, as the CLI is: every route calls the library (``Store``, ``extract``, ``reconcile_store``
and the renderers) and turns a ``ClaimscopeError`` into a one-line message with an HTTP status.
Article text is escaped on every page (Jinja autoescape), and each page carries a
Content-Security-Policy that allows only its own inline scripts.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import threading
import urllib.parse
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ._errors import ClaimscopeError, FetchError, InputError, InputTooLargeError, LanguageError, NotFoundError
from ._models import Ledger
from .store import Store, check_limit, query_day

NAV = (("Overview", "/"), ("Claims", "/claims"), ("Report", "/report"), ("Extract", "/extract"))
DEFAULT_PORT = 8765
MAX_CLAIMS = 500  # rows of /claims when no limit is given

_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)


def _csp(html: str) -> str:
    """A policy for one page: its styles inline, its own inline scripts by hash, nothing else."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"
        for body in _SCRIPT.findall(html)
    )
    script = f"script-src {hashes}; " if hashes else ""
    return (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; {script}"
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def _status(err: ClaimscopeError) -> int:
    if isinstance(err, _CrossSite):
        return 403
    if isinstance(err, NotFoundError):
        return 404
    if isinstance(err, InputTooLargeError):
        return 413
    if isinstance(err, LanguageError):
        return 422
    if isinstance(err, FetchError):
        return 502
    if isinstance(err, InputError):
        return 400
    return 500


class _Corpus:
    """The app's store and its reconciliation, redone only when the store has changed
    (documents added, alias rules edited) since the last one."""

    def __init__(self, store: Store):
        self.store = store
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._result: tuple[Any, dict[str, Ledger]] | None = None

    def _state(self) -> tuple:
        s = self.store.stats()
        return s.documents, s.words, s.attributions, tuple(self.store.user_aliases())

    def analysis(self):
        from .reconcile import reconcile_store

        with self._lock:
            key = self._state()
            if self._result is None or key != self._key:
                self._result, self._key = reconcile_store(self.store), key
            return self._result


def _page(html: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": _csp(html)})


def _document_href(doc_id: str, claim: str | None = None) -> str:
    href = "/documents/" + urllib.parse.quote(doc_id, safe="")
    return href + (f"#claim-{claim}" if claim else "")


def _stats(store: Store, report: dict[str, Any]) -> list[tuple[str, str]]:
    s = store.stats()
    return [("documents", f"{s.documents:,}"), ("words", f"{s.words:,}"), ("claims", f"{s.attributions:,}"),
            ("figures", f"{s.quantities:,}"), ("sources", f"{len(report['entities']):,}"),
            ("topics", f"{len(report['topics']):,}"), ("contradictions", f"{len(report['contradictions']):,}")]


class _CrossSite(InputError):
    """A request to change the store from another site's page (refused: 403)."""


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def create_app(db: str | None = None, *, max_mb: float = 20.0, timeout: float = 20.0,
               hosts: Sequence[str] = LOCAL_HOSTS) -> FastAPI:
    """The web app over the store at ``db`` (a URL; default as for the CLI: ``--db``,
    ``CLAIMSCOPE_DB``, then ``sqlite:///claimscope.db``). The store is opened here, so a bad
    URL fails at once with a ``StoreError``; it is closed when the app shuts down.

    Only requests for ``hosts`` are answered (``["*"]``: any), so a page of another site cannot
    read the store through a DNS name rebound to this machine; a POST must come from the
    app's own pages (its ``Origin`` or ``Referer``), so another site cannot submit the form."""
    from . import _render, report
    from .pipeline import extract, read_text

    store = Store.open(db)
    corpus = _Corpus(store)
    templates = _render._templates()  # the ledger page's environment: autoescape, strict
    max_bytes = int(max_mb * 1024 * 1024)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            store.close()

    # No /docs page: FastAPI's loads its scripts from a CDN, and the UI stays offline.
    app = FastAPI(title="claimscope", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  lifespan=lifespan)
    app.state.store = store
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))

    def render(name: str, title: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = templates.get_template(name).render(title=title, nav=NAV, **values)
        return _page(html, status)

    @app.exception_handler(ClaimscopeError)
    async def on_error(request: Request, err: ClaimscopeError) -> Response:
        status = _status(err)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(err), "kind": type(err).__name__}, status_code=status)
        return render("web_error.html.j2", "Error", status, message=str(err))

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, err: StarletteHTTPException) -> Response:
        message = {404: f"no such page: {request.url.path}", 405: f"{request.method} is not allowed here"}.get(
            err.status_code, str(err.detail))
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message, "kind": "HTTPError"}, status_code=err.status_code)
        return render("web_error.html.j2", "Error", err.status_code, message=message)

    @app.exception_handler(RequestValidationError)
    async def on_bad_request(request: Request, err: RequestValidationError) -> Response:
        first = err.errors()[0] if err.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "request"
        message = f"bad {where}: {first.get('msg', 'invalid value')}"
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message, "kind": "InputError"}, status_code=400)
        return render("web_error.html.j2", "Error", 400, message=message)

    # -------------------------------------------------------------- pages

    @app.get("/", response_class=HTMLResponse)
    def overview() -> HTMLResponse:
        analysis, _ = corpus.analysis()
        data = analysis.report()
        per_topic: dict[str, int] = {}
        for c in data["contradictions"]:
            if c.get("topic"):
                per_topic[c["topic"]] = per_topic.get(c["topic"], 0) + 1
        topics = [
            {"label": t["label"], "href": "/report?" + urllib.parse.urlencode({"topic": t["id"]}),
             "unit": t["unit"] or "—", "range": report.range_text(t), "estimates": len(t["estimates"]),
             "sources": len(t["sources"]), "independent": t["independent_sources"],
             "contradictions": per_topic.get(t["id"], 0)}
            for t in data["topics"]
        ]
        summaries = store.documents()
        titles = {d.id: d.title or d.source for d in summaries}
        shown = list(reversed(summaries))[:200]
        documents = [
            {"published": d.published or "—", "title": d.title or d.source, "href": _document_href(d.id),
             "site": d.site or "", "words": f"{d.word_count:,}", "claims": d.attributions, "quantities": d.quantities,
             "claims_href": "/claims?" + urllib.parse.urlencode({"document": d.id}),
             "copy_of": {"label": titles.get(d.copy_of) or d.copy_of, "href": _document_href(d.copy_of)} if d.copy_of else None}
            for d in shown
        ]
        return render("web_home.html.j2", "claimscope", store_url=store.url, stats=_stats(store, data), topics=topics,
                      documents=documents, more_documents=len(summaries) if len(summaries) > len(shown) else 0)

    @app.get("/documents/{doc_id:path}", response_class=HTMLResponse)
    def document_page(doc_id: str) -> HTMLResponse:
        return _page(_render.ledger_html(store.ledger(doc_id), nav=NAV))

    @app.get("/claims", response_class=HTMLResponse)
    def claims_page(filters: Annotated[_Filters, Depends(_Filters.read)]) -> HTMLResponse:
        corpus.analysis()  # claims are filtered by reconciled source and topic
        cap = filters.limit or MAX_CLAIMS
        rows = filters.claims(store, cap + 1)
        limited, rows = len(rows) > cap, rows[:cap]
        query = filters.query()
        fields = [(name, label, kind, query.get(name, "")) for name, label, kind in _FILTER_FIELDS]
        claims = [
            {"day": c.said_on or c.published or "—", "source": c.source or "—", "speaker": c.speaker or "—",
             "cue": c.cue or "", "content": c.content, "type": c.type, "hedges": c.hedges, "negated": c.negated,
             "via": c.via, "title": c.title or c.document_id,
             "href": _document_href(c.document_id, c.id.removeprefix(c.document_id + ":"))}
            for c in rows
        ]
        return render("web_claims.html.j2", "Claims", fields=fields, claims=claims, limited=limited,
                      csv_href="/api/claims.csv?" + urllib.parse.urlencode(query),
                      json_href="/api/claims?" + urllib.parse.urlencode(query))

    @app.get("/report", response_class=HTMLResponse)
    def report_page(topic: str = "") -> HTMLResponse:
        analysis, ledgers = corpus.analysis()
        html = report.report_html(analysis, ledgers, topic or None, nav=NAV, document_page=_document_href)
        return _page(html)

    @app.get("/extract", response_class=HTMLResponse)
    def extract_form() -> HTMLResponse:
        return render("web_extract.html.j2", "Extract an article")

    @app.post("/extract", response_class=HTMLResponse)
    async def extract_page(request: Request) -> HTMLResponse:
        _same_origin(request)
        _within(request, max_bytes)
        form = await request.form(max_part_size=max_bytes + _SLACK, max_fields=16, max_files=0)
        fields = {k: form.get(k, "") for k in ("text", "url", "published", "store")}
        if not all(isinstance(v, str) for v in fields.values()):
            raise InputError("the form's fields must be text")
        ledger, url = await run_in_threadpool(_extract, fields["text"], fields["url"], fields["published"])
        notice = None
        if fields["store"]:
            added = await run_in_threadpool(store.add_ledger, ledger, url=url)
            notice = (f"Stored as document {ledger.document.id}." if added
                      else f"Already in the store as document {ledger.document.id}.")
        return _page(_render.ledger_html(ledger, nav=NAV, notice=notice))

    # -------------------------------------------------------------- JSON

    @app.get("/api/stats")
    def api_stats() -> dict[str, Any]:
        return store.stats().to_dict()

    @app.get("/api/documents")
    def api_documents() -> list[dict[str, Any]]:
        return [
            {"id": d.id, "source": d.source, "url": d.url, "title": d.title, "site": d.site, "published": d.published,
             "language": d.language, "word_count": d.word_count, "ingested_at": d.ingested_at.isoformat(),
             "copy_of": d.copy_of, "attributions": d.attributions, "quantities": d.quantities}
            for d in store.documents()
        ]

    @app.get("/api/documents/{doc_id:path}")
    def api_document(doc_id: str) -> dict[str, Any]:
        return store.ledger(doc_id).to_dict()

    @app.get("/api/claims")
    def api_claims(filters: Annotated[_Filters, Depends(_Filters.read)]) -> list[dict[str, Any]]:
        corpus.analysis()
        return [c.to_dict() for c in filters.claims(store)]

    @app.get("/api/claims.csv", response_class=PlainTextResponse)
    def api_claims_csv(filters: Annotated[_Filters, Depends(_Filters.read)]) -> PlainTextResponse:
        corpus.analysis()
        return PlainTextResponse(report.claims_csv(filters.claims(store)), media_type="text/csv",
                                 headers={"Content-Disposition": 'attachment; filename="claims.csv"'})

    @app.get("/api/report")
    def api_report(topic: str = "") -> dict[str, Any]:
        analysis, _ = corpus.analysis()
        return analysis.report(topic or None)

    @app.post("/api/extract")
    async def api_extract(request: Request) -> JSONResponse:
        """Body (``application/json``): ``{"text"|"html"|"url": ..., "published"?: "YYYY-MM-DD",
        "store"?: true}``; answers the ledger (contract part 1), with 201 when it was stored as
        a new document."""
        _same_origin(request)
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            raise InputError("the body must be JSON (Content-Type: application/json)")
        _within(request, max_bytes)
        try:
            payload = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            raise InputError("the body is not valid JSON") from None
        if not isinstance(payload, dict):
            raise InputError("the body must be a JSON object")
        text = payload.get("text") or payload.get("html") or ""
        url, published, keep = payload.get("url") or "", payload.get("published") or "", payload.get("store", False)
        if not all(isinstance(v, str) for v in (text, url, published)):
            raise InputError("text, html, url and published must be strings")
        if not isinstance(keep, bool):
            raise InputError("store must be true or false")
        ledger, url = await run_in_threadpool(_extract, text, url, published)
        added = keep and await run_in_threadpool(store.add_ledger, ledger, url=url)
        return JSONResponse(ledger.to_dict(), status_code=201 if added else 200)

    def _extract(text: str, url: str, published: str) -> tuple[Ledger, str | None]:
        """The ledger of a pasted article or of a URL's page, and the URL it came from."""
        text, url, published = text.strip(), url.strip(), published.strip() or None
        if text and url:
            raise InputError("give the article's text or its URL, not both")
        if url:
            if not url.lower().startswith(("http://", "https://")):
                raise InputError("the URL must start with http:// or https://")  # never a local path
            raw, final = read_text(url, max_bytes=max_bytes, timeout=timeout)
            final = final or url
            return extract(raw, published=published, source=final, url=final), final
        if not text:
            raise InputError("nothing to extract: paste an article or give its URL")
        if len(text.encode("utf-8")) > max_bytes:
            raise InputTooLargeError(f"the article is over {max_mb:g} MB")
        return extract(text, published=published, source="web form"), None

    return app


_SLACK = 64 * 1024  # room for the form's other fields and encoding, above the article's own limit


def _within(request: Request, max_bytes: int) -> None:
    """``InputTooLargeError`` for a body announced as over the limit (the article's own
    size is checked again once read)."""
    try:
        length = int(request.headers.get("content-length") or 0)
    except ValueError:
        raise InputError("bad Content-Length") from None
    if length > max_bytes + _SLACK:
        raise InputTooLargeError(f"the request is over {max_bytes / 1024 / 1024:g} MB")


def _same_origin(request: Request) -> None:
    """Refuse a POST sent by another site's page: its ``Origin`` (or, without one, its
    ``Referer``) must name this app's own host."""
    sent = request.headers.get("origin") or request.headers.get("referer")
    if not sent:
        return  # not from a browser page (curl, scripts): nothing to forge
    if sent == "null" or urllib.parse.urlsplit(sent).netloc != request.headers.get("host"):
        raise _CrossSite(f"refused a request sent from another site ({sent})")


# The claims form: (query name, label, input type).
_FILTER_FIELDS = (("speaker", "speaker", "text"), ("entity", "source (any alias)", "text"), ("topic", "topic", "text"),
                  ("document", "document id", "text"), ("since", "since", "date"), ("until", "until", "date"),
                  ("limit", "limit", "number"))


@dataclass(frozen=True, slots=True)
class _Filters:
    """The filters of ``claimscope claims``, as a query string gives them (empty: not set)."""

    speaker: str | None
    entity: str | None
    topic: str | None
    document: str | None
    since: str | None
    until: str | None
    limit: int | None

    @classmethod
    def read(cls, speaker: str = "", entity: str = "", topic: str = "", document: str = "", since: str = "",
             until: str = "", limit: str = "") -> _Filters:
        """From the query string (a FastAPI dependency); ``InputError`` for a bad date or limit
        (the store's own checks, as the CLI's)."""
        since, until = query_day("since", since.strip()), query_day("until", until.strip())
        n = None
        if limit.strip():
            try:
                n = int(limit)
            except ValueError:
                raise InputError(f"limit wants a whole number, not {limit!r}") from None
            check_limit(n)
        return cls(*(v.strip() or None for v in (speaker, entity, topic, document)), since, until, n)

    def claims(self, store: Store, limit: int | None = None):
        return store.claims(speaker=self.speaker, source=self.entity, topic=self.topic, document=self.document,
                            since=self.since, until=self.until, limit=limit or self.limit)

    def query(self) -> dict[str, str]:
        return {k: str(v) for k, v in (("speaker", self.speaker), ("entity", self.entity), ("topic", self.topic),
                                       ("document", self.document), ("since", self.since), ("until", self.until),
                                       ("limit", self.limit)) if v}


def check_address(host: str, port: int) -> None:
    """``ClaimscopeError`` if nothing can listen on ``host:port`` (taken, or not this machine's)."""
    import socket

    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise ClaimscopeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def run(app: FastAPI, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> None:
    """Serve ``app`` until interrupted (uvicorn, one process)."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="warning")


def serve(db: str | None = None, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
          announce: Callable[[str], None] | None = None) -> None:
    """The web UI over the store at ``db`` on ``host:port``, until interrupted. ``announce``
    is given the line to show once the store is open and the address free. On an address of
    all interfaces (0.0.0.0, ::) any host name is answered: the UI has no login, so the line
    says it is open to the network."""
    check_address(host, port)
    everywhere = host in ("0.0.0.0", "::", "")
    app = create_app(db, hosts=["*"] if everywhere else [*LOCAL_HOSTS, host])
    if announce is not None:
        warning = "; open to the network, with no login" if everywhere or host not in LOCAL_HOSTS else ""
        announce(f"serving {app.state.store.url} at http://{host}:{port}/{warning} (Ctrl-C to stop)")
    run(app, host=host, port=port)


__all__ = ["DEFAULT_PORT", "check_address", "create_app", "run", "serve"]
