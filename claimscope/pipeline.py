"""Run the stages in order: read -> clean -> parse (spaCy + claimscope components) -> ledger.

``extract()`` is the Python API for one article; ``extract_source()`` reads a path, URL or
stdin first; ``extract_many()`` streams many records through ``nlp.pipe`` in batches, which
is how the CLI's ``--jsonl`` mode and ``ingest`` run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc

from ._errors import ClaimscopeError, InputError, InputTooLargeError
from ._models import Document, Ledger
from .nlp import DEFAULT_MODEL, load_nlp, make_doc

# spaCy's own default limit; an article body longer than this is not an article.
MAX_CHARS = 1_000_000


@dataclass(frozen=True, slots=True)
class Record:
    """One article to extract: raw text or HTML, and what is known about it."""

    text: str
    id: str | None = None
    source: str | None = None
    published: str | dt.date | None = None
    url: str | None = None
    clean: bool = True
    error: str | None = None  # a record that could not be read (bad JSON line): reported in its place


def read_jsonl(path, *, clean: bool = True, published: str | None = None) -> Iterator[Record]:
    """Records from a JSON Lines file of ``{"id", "text"|"html", "published"?}`` objects.

    A line that is not such an object becomes a record carrying its error, so the batch
    reports it in order and goes on.
    """
    source = str(path)
    try:
        fh = open(path, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=source) from None
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{source}:{n}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Record("", id=f"line {n}", source=where, error=f"not JSON ({exc.msg})")
                continue
            if not isinstance(obj, dict):
                yield Record("", id=f"line {n}", source=where, error="not a JSON object")
                continue
            doc_id = str(obj["id"]) if obj.get("id") is not None else None
            body = obj.get("text") if obj.get("text") is not None else obj.get("html")
            if not isinstance(body, str):
                yield Record("", id=doc_id or f"line {n}", source=where, error='needs a "text" or "html" string')
                continue
            yield Record(
                body,
                id=doc_id,
                source=obj.get("source") or obj.get("url") or where,
                published=obj.get("published") or published,
                url=obj.get("url"),
                clean=clean or "html" in obj and obj.get("text") is None,
            )


def document_id(text: str) -> str:
    """The content hash that identifies a clean article body (re-ingesting is a no-op)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def extract(
    text_or_html: str,
    *,
    published: str | dt.date | None = None,
    source: str | None = None,
    url: str | None = None,
    clean: bool = True,
    doc_id: str | None = None,
    model: str = DEFAULT_MODEL,
) -> Ledger:
    """The ledger of one article given as HTML or text.

    ``published`` (``YYYY-MM-DD`` or a date) anchors relative dates; without it the page's
    own date is used. ``clean=False`` takes the text as the article body, unchanged (for text
    that is already clean, such as evaluation corpora). Raises ``ClaimscopeError``.
    """
    record = Record(text_or_html, id=doc_id, source=source, published=published, url=url, clean=clean)
    result = next(extract_many([record], model=model, raise_errors=True))
    assert isinstance(result, Ledger)
    return result


def extract_source(
    source: str,
    *,
    published: str | dt.date | None = None,
    clean: bool = True,
    max_bytes: int | None = None,
    timeout: float | None = None,
    model: str = DEFAULT_MODEL,
) -> Ledger:
    """Read a file path, an http(s) URL or ``-`` (stdin), then ``extract()`` it."""
    text, url = read_text(source, max_bytes=max_bytes, timeout=timeout)
    return extract(text, published=published, source=source, url=url, clean=clean, model=model)


def read_text(source: str, *, max_bytes: int | None = None, timeout: float | None = None) -> tuple[str, str | None]:
    """Bytes from a path, URL or stdin, decoded to text. Returns (text, url or None)."""
    from . import _fetch

    kw = {}
    if max_bytes is not None:
        kw["max_bytes"] = max_bytes
    if timeout is not None:
        kw["timeout"] = timeout
    raw = _fetch.read_source(source, **kw)
    return _fetch.decode(raw.data, content_type=raw.content_type, source=source), raw.url


def extract_many(
    records: Iterable[Record],
    *,
    model: str = DEFAULT_MODEL,
    batch_size: int = 16,
    raise_errors: bool = False,
) -> Iterator[Ledger | ClaimscopeError]:
    """Ledgers for many records, in order, parsed in batches with ``nlp.pipe``.

    A record that cannot be read yields its ``ClaimscopeError`` (with ``document_id`` and
    ``source`` set) in its place, unless ``raise_errors``; the others go on.
    """
    nlp = load_nlp(model)

    def prepared() -> Iterator[tuple[Doc | ClaimscopeError, tuple]]:
        for rec in records:
            try:
                page = _prepare(rec)
            except ClaimscopeError as err:
                err.document_id = err.document_id or rec.id
                err.source = err.source or rec.source
                if raise_errors:
                    raise
                yield err, ()
                continue
            doc = make_doc(nlp, page.text, _as_date(page.published))
            yield doc, (rec, page)

    # nlp.pipe takes Docs; errors pass around it in order.
    pending = prepared()
    while True:
        batch = []
        for item in pending:
            batch.append(item)
            if len(batch) >= batch_size:
                break
        if not batch:
            return
        docs = [d for d, _ in batch if isinstance(d, Doc)]
        parsed = iter(nlp.pipe(docs, batch_size=batch_size))
        for d, ctx in batch:
            if isinstance(d, ClaimscopeError):
                yield d
                continue
            doc = next(parsed)
            rec, page = ctx
            yield ledger_from_doc(doc, page, rec)


@dataclass(frozen=True, slots=True)
class _Page:
    text: str
    title: str | None
    site: str | None
    published: str | None
    language: str | None
    removed: tuple[str, ...]


def _prepare(rec: Record) -> _Page:
    from . import clean as _clean

    if rec.error:
        raise InputError(rec.error, source=rec.source, document_id=rec.id)
    raw = rec.text
    if raw is None or not raw.strip():
        raise InputError("empty input", source=rec.source, document_id=rec.id)
    if "\x00" in raw:
        raise InputError("binary input", source=rec.source, document_id=rec.id)
    published = iso_date(rec.published, source=rec.source, document_id=rec.id)
    if rec.clean:
        page = _clean.clean(raw, url=rec.url, source=rec.source)
        out = _Page(page.text, page.title, page.site, published or page.published, page.language, page.removed)
    else:
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
        language = _clean.check_language(text, source=rec.source)
        out = _Page(text, None, None, published, language, ())
    if not out.text.strip():
        raise InputError("no article text found", source=rec.source, document_id=rec.id)
    if len(out.text) > MAX_CHARS:
        raise InputTooLargeError(
            f"article body is {len(out.text):,} characters, over the {MAX_CHARS:,} limit",
            source=rec.source, document_id=rec.id,
        )
    return out


def ledger_from_doc(doc: Doc, page: _Page, rec: Record) -> Ledger:
    """Gather the components' annotations into a Ledger."""
    text = doc.text
    table = doc._.claimscope_entities
    attributions = tuple(doc._.claimscope_attributions or ())
    entities = table.finalize() if table is not None else ()
    owner = {}
    for a in attributions:
        for q in a.quantities:
            owner.setdefault(q, a.id)
    quantities = tuple(
        dataclasses.replace(q, attribution=owner.get(q.id)) for q in (doc._.claimscope_quantities or ())
    )
    times = tuple(doc._.claimscope_times or ())
    document = Document(
        id=rec.id or document_id(text),
        source=rec.source or (rec.url or "<text>"),
        text=text,
        title=page.title,
        published=page.published,
        site=page.site,
        language=page.language,
        removed=tuple(page.removed),
    )
    return Ledger(document=document, entities=entities, attributions=attributions, quantities=quantities, times=times)


def iso_date(value: str | dt.date | None, *, source: str | None = None, document_id: str | None = None) -> str | None:
    """A publication date as ``YYYY-MM-DD`` (from a date, a datetime or an ISO string), or
    None; ``InputError`` naming the source for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise InputError(f"published date {value!r} is not YYYY-MM-DD", source=source, document_id=document_id) from None


def _as_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
