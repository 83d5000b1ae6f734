"""Ingesting many articles into the store: files, directories, URLs, feeds, WARCs, JSON Lines.

``ingest(inputs, store)`` reads every input, cleans each page, skips the documents already
stored, extracts the rest through ``pipeline.extract_many`` in batches (here, or on a Dask
cluster), and writes each ledger in its own transaction. A document that fails is reported
with its reason and the others go on. Document ids are content hashes (or the ids of JSON
Lines records), so an interrupted ingest can simply be run again: it skips what was stored
and finishes the job without duplicates.

Inputs, by what they are:

- a directory: every file below it with a known suffix (.html .htm .txt .text .md .jsonl
  .warc .warc.gz .xml .rss .atom), recursively, in name order;
- an http(s) URL: a page, or an RSS/Atom feed (by content type or content), whose items'
  links are fetched in turn;
- ``.jsonl``: records ``{"id"?, "text" | "html", "published"?, "url"?, "source"?}`` as for
  ``claimscope extract --jsonl``;
- ``.warc`` / ``.warc.gz`` (e.g. Common Crawl's news crawl): the HTML responses, each with its
  target URI as source; other records are skipped;
- ``.xml`` / ``.rss`` / ``.atom``: a feed file;
- ``.urls``, or ``.txt`` whose lines are all URLs: a list of URLs (blank and ``#`` lines ignored);
- any other file: one page (HTML or text).

Dates: a JSON Lines ``published`` wins; otherwise the page's own date, then the feed item's
date, then a date in the file name or URL ("2026-04-27-herald.txt", "/2024/10/18/"), then
``published=`` (the CLI's ``--published``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import pathlib
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import feedparser
import httpx
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from . import _fetch
from . import clean as _clean
from ._errors import ClaimscopeError, FetchError, InputError
from ._models import Ledger
from .nlp import DEFAULT_MODEL
from .pipeline import Record, document_id, extract_many, iso_date
from .store import Store

PAGE_SUFFIXES = (".html", ".htm", ".txt", ".text", ".md")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
WARC_SUFFIXES = (".warc", ".warc.gz")
DIRECTORY_SUFFIXES = PAGE_SUFFIXES + FEED_SUFFIXES + WARC_SUFFIXES + (".jsonl", ".urls")

DEFAULT_BATCH_SIZE = 16

# Media types fetched from URLs: pages (as _fetch accepts them) and feeds.
_FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
})
_URL_TYPES = _fetch._ACCEPTED_TYPES | _FEED_TYPES
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_FEED_START = re.compile(rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S)
_URL_LINE = re.compile(r"https?://\S+$", re.I)


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Failure:
    """An input, or one document of it, that could not be ingested, and why."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What one ``ingest`` run did.

    ``new``: documents stored; ``stored``: documents skipped because they were stored before
    (or appeared twice); ``skipped``: WARC responses that are not HTML pages; ``failed``: one
    entry per input or document that failed; ``words``: words in the new documents.
    """

    new: int
    stored: int
    skipped: int
    failed: tuple[Failure, ...]
    words: int
    seconds: float

    @property
    def documents_per_s(self) -> float:
        return self.new / self.seconds if self.seconds > 0 else 0.0

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict:
        return {
            "new": self.new, "stored": self.stored, "skipped": self.skipped,
            "failed": [{"source": f.source, "reason": f.reason} for f in self.failed],
            "words": self.words, "seconds": round(self.seconds, 3),
            "documents_per_s": round(self.documents_per_s, 2), "words_per_s": round(self.words_per_s, 1),
        }

    def lines(self) -> list[str]:
        """The summary as printed after a run: one line of counts, then one per failure."""
        head = (
            f"{self.new} new, {self.stored} already stored, {len(self.failed)} failed"
            + (f", {self.skipped} not HTML" if self.skipped else "")
            + f" in {self.seconds:.1f} s ({self.documents_per_s:.2f} documents/s, {self.words_per_s:,.0f} words/s)"
        )
        return [head, *(f"failed: {f.source}: {f.reason}" for f in self.failed)]


# ---------------------------------------------------------------- what flows between the stages


@dataclass(frozen=True, slots=True)
class _Raw:
    """One page or text read from an input, before cleaning."""

    source: str
    text: str
    url: str | None = None
    id: str | None = None
    published: str | None = None  # given with the record (JSON Lines): wins over the page's date
    fallback_published: str | None = None  # the feed item's date: used when the page has none


@dataclass(frozen=True, slots=True)
class _NotArticle:
    """A WARC response that is not an HTML page (skipped, counted)."""

    source: str


@dataclass(frozen=True, slots=True)
class _Job:
    """A cleaned page, ready to parse: the record (``clean=False``) and what cleaning found."""

    record: Record
    title: str | None
    site: str | None
    removed: tuple[str, ...]


_Read = _Raw | _NotArticle | Failure


# ---------------------------------------------------------------- reading inputs


def _failure(err: ClaimscopeError, source: str) -> Failure:
    return Failure(err.source or source, err.message)


def _read_inputs(inputs: Iterable[str], *, timeout: float) -> Iterator[_Read]:
    for given in inputs:
        if re.match(r"https?://", given, re.I):
            yield from _from_url(given, timeout=timeout, feeds=True)
            continue
        path = pathlib.Path(given)
        if path.is_dir():
            for file in _walk(path):
                yield from _from_file(file, timeout=timeout)
        elif path.exists():
            yield from _from_file(path, timeout=timeout)
        else:
            yield Failure(given, "no such file or directory")


def _walk(root: pathlib.Path) -> Iterator[pathlib.Path]:
    """Files below ``root`` with a known suffix, in path order, hidden files and folders left out."""
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).parts
        hidden = any(p.startswith(".") for p in rel)
        if path.is_file() and not hidden and path.name.lower().endswith(DIRECTORY_SUFFIXES):
            yield path


def _from_file(path: pathlib.Path, *, timeout: float) -> Iterator[_Read]:
    source = str(path)
    name = path.name.lower()
    if name.endswith(".jsonl"):
        yield from _from_jsonl(path)
    elif name.endswith(WARC_SUFFIXES):
        yield from _from_warc(path)
    elif name.endswith(FEED_SUFFIXES):
        try:
            data = _fetch.read_source(source).data
        except ClaimscopeError as err:
            yield _failure(err, source)
            return
        yield from _from_feed(data, source, timeout=timeout)
    else:
        try:
            raw = _fetch.read_source(source)
            text = _fetch.decode(raw.data, source=source)
        except ClaimscopeError as err:
            yield _failure(err, source)
            return
        urls = _url_list(text) if name.endswith((".urls", ".txt")) else None
        if urls:
            for url in urls:
                yield from _from_url(url, timeout=timeout, feeds=True)
        elif name.endswith(".urls"):
            yield Failure(source, "not a list of http(s) URLs, one per line")
        else:
            yield _Raw(source=source, text=text, fallback_published=date_in_name(path.name))


_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)([-_/.]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")


def date_in_name(name: str | None) -> str | None:
    """A date written in a file name or URL path ("2026-04-27-herald.txt", ".../2024/10/18/story"),
    as htmldate reads dates from URLs: the last resort for a page that shows none."""
    m = _NAME_DATE.search(name or "")
    if m is None:
        return None
    try:
        return dt.date(int(m[1]), int(m[3]), int(m[4])).isoformat()
    except ValueError:
        return None


def _url_list(text: str) -> list[str] | None:
    """The URLs of a URL-list file, or None when any line is something else."""
    lines = [line.strip() for line in text.splitlines()]
    urls = [line for line in lines if line and not line.startswith("#")]
    if not urls or not all(_URL_LINE.match(u) for u in urls):
        return None
    return urls


def _from_url(url: str, *, timeout: float, feeds: bool, fallback_published: str | None = None) -> Iterator[_Read]:
    """A page, or (when ``feeds``) the pages of a feed's items."""
    try:
        raw = _get(url, timeout=timeout)
        if feeds and _is_feed(raw):
            yield from _from_feed(raw.data, url, timeout=timeout)
            return
        text = _fetch.decode(raw.data, content_type=raw.content_type, source=url)
    except ClaimscopeError as err:
        yield _failure(err, url)
        return
    yield _Raw(source=url, text=text, url=raw.url, fallback_published=fallback_published or date_in_name(raw.url))


def _is_feed(raw: _fetch.RawInput) -> bool:
    media = _fetch._media_type(raw.content_type)
    if media in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return True
    return media not in _HTML_TYPES and _FEED_START.match(raw.data[:4096].lstrip(b"\xef\xbb\xbf")) is not None


def _from_feed(data: bytes, source: str, *, timeout: float) -> Iterator[_Read]:
    """Each feed item's page (its link fetched), or its inline content when it has no link."""
    parsed = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        yield Failure(source, "not an RSS or Atom feed" + (f" ({reason})" if reason else ""))
        return
    for i, entry in enumerate(parsed.entries, 1):
        date = _entry_date(entry)
        link = (entry.get("link") or "").strip()
        if link:
            yield from _from_url(link, timeout=timeout, feeds=False, fallback_published=date)
            continue
        content = "\n".join(c.get("value", "") for c in entry.get("content", ())) or entry.get("summary", "")
        item = f"{source}#item{i}"
        if content.strip():
            yield _Raw(source=item, text=content, fallback_published=date)
        else:
            yield Failure(item, "feed item has neither a link nor content")


def _entry_date(entry) -> str | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return dt.date(*stamp[:3]).isoformat() if stamp else None


def _from_jsonl(path: pathlib.Path) -> Iterator[_Read]:
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        yield Failure(str(path), f"cannot read file: {exc.strerror or exc}")
        return
    with fh:
        lineno = 0
        try:
            for lineno, line in enumerate(fh, 1):  # noqa: B007 (lineno is reported on a decode error)
                if line.strip():
                    yield _jsonl_record(line, f"{path}:{lineno}")
        except UnicodeDecodeError:
            yield Failure(f"{path}:{lineno + 1}", "not UTF-8")


def _jsonl_record(line: str, where: str) -> _Read:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        return Failure(where, f"invalid JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(rec, dict):
        return Failure(where, "a JSON Lines record must be an object")
    body = rec.get("text") if rec.get("text") is not None else rec.get("html")
    if not isinstance(body, str):
        return Failure(where, 'record has no "text" or "html" string')
    doc_id = rec.get("id")
    url = rec.get("url") if isinstance(rec.get("url"), str) else None
    source = rec.get("source") if isinstance(rec.get("source"), str) else url or where
    try:
        published = iso_date(rec.get("published"))
    except InputError as err:
        return Failure(where, err.message)
    return _Raw(source=source, text=body, url=url, id=str(doc_id) if doc_id not in (None, "") else None,
                published=published)


def _from_warc(path: pathlib.Path) -> Iterator[_Read]:
    source = str(path)
    try:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response":
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or source
                http = record.http_headers
                content_type = http.get_header("Content-Type") if http else None
                status = (http.get_statuscode() if http else None) or ""
                if _fetch._media_type(content_type) not in _HTML_TYPES or not status.startswith("2"):
                    yield _NotArticle(uri)
                    continue
                data = record.content_stream().read(_fetch.MAX_BYTES + 1)
                if len(data) > _fetch.MAX_BYTES:
                    yield _failure(_fetch._too_large("larger", _fetch.MAX_BYTES, uri), uri)
                    continue
                try:
                    text = _fetch.decode(data, content_type=content_type, source=uri)
                except ClaimscopeError as err:
                    yield _failure(err, uri)
                    continue
                yield _Raw(source=uri, text=text, url=uri)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:  # warcio, gzip and zlib errors
        yield Failure(source, f"cannot read WARC: {exc}")


def _get(url: str, *, timeout: float) -> _fetch.RawInput:
    """Fetch a page or a feed (``_fetch.read_source`` takes pages only); errors as ``FetchError``."""
    try:
        with httpx.Client(
            follow_redirects=True, max_redirects=_fetch.MAX_REDIRECTS, timeout=httpx.Timeout(timeout),
            headers={"User-Agent": _fetch._user_agent()},
        ) as client, client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} {response.reason_phrase or ''}".rstrip(), source=url)
            content_type = response.headers.get("content-type")
            media = _fetch._media_type(content_type)
            if media is not None and media not in _URL_TYPES:
                raise FetchError(f"unsupported content type {media!r} (expected HTML, text or a feed)", source=url)
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > _fetch.MAX_BYTES:
                    raise _fetch._too_large("larger", _fetch.MAX_BYTES, url)
                chunks.append(chunk)
            return _fetch.RawInput(source=url, data=b"".join(chunks), content_type=content_type, url=str(response.url))
    except httpx.TooManyRedirects as exc:
        raise FetchError(f"too many redirects (more than {_fetch.MAX_REDIRECTS})", source=url) from exc
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out after {timeout:g} s", source=url) from exc
    except httpx.ConnectError as exc:
        raise FetchError(_fetch._connect_reason(exc, url), source=url) from exc
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise FetchError(f"invalid URL: {exc}", source=url) from exc
    except (httpx.HTTPError, OSError) as exc:
        raise FetchError(f"fetch failed: {exc or type(exc).__name__}", source=url) from exc


# ---------------------------------------------------------------- extraction


def _prepare(raw: _Raw, store: Store, default_published: str | None) -> _Job | Failure | None:
    """Clean the page and name it; None when it is stored already (checked before parsing)."""
    if raw.id is not None and store.has_document(raw.id):
        return None
    try:
        page = _clean.clean(raw.text, url=raw.url, source=raw.source)
    except ClaimscopeError as err:
        return _failure(err, raw.source)
    doc_id = raw.id or document_id(page.text)
    if raw.id is None and store.has_document(doc_id):
        return None
    published = raw.published or page.published or raw.fallback_published or default_published
    record = Record(page.text, id=doc_id, source=raw.source, published=published, url=raw.url, clean=False)
    return _Job(record, page.title, page.site, tuple(page.removed))


def _run_batch(jobs: list[_Job], model: str = DEFAULT_MODEL) -> list[Ledger | Failure]:
    """Parse a batch of cleaned pages into ledgers, in order (runs here or on a Dask worker).

    The pages were cleaned already, so the records go through with ``clean=False`` and the
    title, site and removed lines found by cleaning are put back on each ledger's document:
    the ledger is the one ``extract`` gives for the page.
    """
    try:
        results = list(extract_many([j.record for j in jobs], model=model, batch_size=len(jobs)))
    except Exception as exc:  # noqa: BLE001 - a bug in a component must not sink the batch: find its document
        if len(jobs) == 1:
            return [Failure(jobs[0].record.source or "", f"extraction failed: {type(exc).__name__}: {exc}")]
        return [out for job in jobs for out in _run_batch([job], model)]
    out: list[Ledger | Failure] = []
    for job, result in zip(jobs, results, strict=True):
        if isinstance(result, ClaimscopeError):
            out.append(_failure(result, job.record.source or ""))
        else:
            document = dataclasses.replace(result.document, title=job.title, site=job.site, removed=job.removed)
            out.append(dataclasses.replace(result, document=document))
    return out


# ---------------------------------------------------------------- the run


class _Tally:
    """Counts of the run so far, shown on the progress bar."""

    def __init__(self) -> None:
        self.new = self.stored = self.skipped = self.words = 0
        self.failed: list[Failure] = []
        self.started = time.perf_counter()

    @property
    def done(self) -> int:
        return self.new + self.stored + self.skipped + len(self.failed)

    def describe(self) -> str:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        return (f"{self.new} new, {self.stored} stored, {len(self.failed)} failed"
                f" · {self.new / elapsed:.2f} docs/s · {self.words / elapsed:,.0f} words/s")

    def summary(self) -> IngestSummary:
        return IngestSummary(self.new, self.stored, self.skipped, tuple(self.failed), self.words,
                             time.perf_counter() - self.started)


def ingest(
    inputs: Iterable[str],
    store: Store,
    *,
    published: str | dt.date | None = None,
    progress: bool = True,
    scheduler: str | None = None,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    model: str = DEFAULT_MODEL,
    timeout: float = 20.0,
) -> IngestSummary:
    """Ingest files, directories, URLs, feeds, WARCs and JSON Lines into ``store``.

    ``published`` dates documents that have no date of their own. With ``scheduler`` (a Dask
    scheduler address, or ``"local"``) or ``workers``, extraction runs on a Dask cluster
    (``"local"``/``workers`` alone: a ``LocalCluster`` of ``workers`` single-threaded
    processes); results are written here, by this process only. ``progress`` shows a rich
    progress bar on stderr and prints the summary lines there at the end.

    Raises ``InputError`` for a bad ``published``, ``StoreError`` when the store fails (the
    documents written so far stay; run again to finish), and ``ClaimscopeError`` when the
    Dask scheduler cannot be reached.
    """
    default_published = iso_date(published)
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, not {batch_size}")
    tally = _Tally()
    in_flight: set[str] = set()  # ids queued for parsing and not written yet (a page given twice)

    with _Display(progress, tally) as display:
        def jobs() -> Iterator[_Job]:
            for item in _read_inputs(inputs, timeout=timeout):
                if isinstance(item, Failure):
                    tally.failed.append(item)
                elif isinstance(item, _NotArticle):
                    tally.skipped += 1
                else:
                    job = _prepare(item, store, default_published)
                    if isinstance(job, Failure):
                        tally.failed.append(job)
                    elif job is None or job.record.id in in_flight:
                        tally.stored += 1
                    else:
                        in_flight.add(job.record.id)
                        yield job
                        continue
                display.update()

        def write(jobs_: list[_Job], results: list[Ledger | Failure]) -> None:
            for job, result in zip(jobs_, results, strict=True):
                in_flight.discard(job.record.id)
                if isinstance(result, Failure):
                    tally.failed.append(result)
                elif store.add_ledger(result, url=job.record.url):
                    tally.new += 1
                    tally.words += len(result.document.text.split())
                else:
                    tally.stored += 1
                display.update()

        batches = _batched(jobs(), batch_size)
        if scheduler is not None or workers is not None:
            _run_on_dask(batches, write, scheduler=scheduler, workers=workers, model=model)
        else:
            for batch in batches:
                write(batch, _run_batch(batch, model))

    summary = tally.summary()
    if progress:
        for line in summary.lines():
            display.console.print(line, highlight=False, markup=False, soft_wrap=True)
    return summary


def _batched(jobs: Iterator[_Job], size: int) -> Iterator[list[_Job]]:
    batch: list[_Job] = []
    for job in jobs:
        batch.append(job)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _run_on_dask(
    batches: Iterator[list[_Job]],
    write: Callable[[list[_Job], list[Ledger | Failure]], None],
    *,
    scheduler: str | None,
    workers: int | None,
    model: str,
) -> None:
    """Parse batches on a Dask cluster, writing each batch's results as it completes.

    At most two batches per worker are in flight, so a long input list neither floods the
    scheduler nor piles up results in memory.
    """
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    try:
        if scheduler in (None, "local"):
            cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise ClaimscopeError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from exc
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
        pending = as_completed()
        submitted: dict[str, list[_Job]] = {}

        def collect(future) -> None:
            jobs = submitted.pop(future.key)
            try:
                results = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker died or could not run the task
                results = [Failure(j.record.source or "", f"Dask worker failed: {type(exc).__name__}: {exc}")
                           for j in jobs]
            write(jobs, results)

        for batch in batches:
            future = client.submit(_run_batch, batch, model, pure=False)
            submitted[future.key] = batch
            pending.add(future)
            while pending.count() >= 2 * n_workers:
                collect(next(pending))
        for future in pending:
            collect(future)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class _Display:
    """The rich progress line (on stderr), or nothing when ``enabled`` is False."""

    def __init__(self, enabled: bool, tally: _Tally):
        from rich.console import Console

        self.enabled = enabled
        self.tally = tally
        self.console = Console(stderr=True)
        self._progress = None
        self._task = None

    def __enter__(self) -> _Display:
        if self.enabled:
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                SpinnerColumn(), TextColumn("ingesting {task.completed} documents"), BarColumn(bar_width=None),
                TextColumn("{task.description}"), TimeElapsedColumn(), console=self.console,
            )
            self._progress.start()
            self._task = self._progress.add_task(self.tally.describe(), total=None)
        return self

    def update(self) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=self.tally.done, description=self.tally.describe())

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self.update()
            self._progress.stop()
