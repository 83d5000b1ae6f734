"""The corpus store: the ledgers of many articles in SQLite or PostgreSQL.

A thin layer over SQLAlchemy Core, in the manner of sqlite-utils: ``Store.open(url)`` gives a
store whose typed methods write a ledger in one transaction, rebuild ledgers exactly, query
claims, keep the user's alias overrides, and hold what ``reconcile.py`` works out across
documents (sources, aliases, affiliations, topics, links). The schema and its migrations are
in ``_migrations.py``.

URLs: ``sqlite:///path.db``, a bare file path (taken as SQLite), or ``postgresql://user@host/db``
(run through psycopg 3). Without one, ``$CLAIMSCOPE_DB``, else ``sqlite:///claimscope.db`` in
the working directory. Every database error comes out as ``StoreError`` with a one-line
message; SQLAlchemy and driver exceptions never leak.

The store is written by one process at a time (ingest writes from its client process even
when extraction runs on a Dask cluster); readers may run alongside (SQLite runs in WAL mode).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, ParamSpec, TypeVar

import numpy as np
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from . import _migrations as m
from ._errors import InputError, NotFoundError, StoreError
from ._models import Ledger
from .pipeline import document_id

DEFAULT_URL = "sqlite:///claimscope.db"
ENV_VAR = "CLAIMSCOPE_DB"

AliasKind = Literal["name", "description", "acronym", "user"]
LinkKind = Literal["copy", "denial", "revision", "conflict"]
UserRule = Literal["alias", "split"]

_P = ParamSpec("_P")
_R = TypeVar("_R")

# Rows per IN (...) list when rebuilding ledgers; SQLite allows 32k bound parameters.
_CHUNK = 200


# ---------------------------------------------------------------- what the API takes and gives


@dataclass(frozen=True, slots=True)
class Source:
    """A real-world speaker or organisation, merged across documents."""

    id: str
    name: str
    type: str | None = None


@dataclass(frozen=True, slots=True)
class Alias:
    """A name a source goes by; ``kind`` is name | description | acronym | user."""

    source_id: str
    alias: str
    kind: AliasKind = "name"


@dataclass(frozen=True, slots=True)
class Topic:
    """What several quantities estimate ("North Korean troops in Russia", unit None)."""

    id: str
    label: str
    concept: str | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A relation between two claims (or two documents, for ``copy``).

    ``a``/``b`` are attribution ids (``"<document id>:a3"``) for denial, revision and conflict,
    and document ids for copy; ``a_source``/``b_source`` are source ids or None.
    """

    kind: LinkKind
    a: str
    b: str
    a_source: str | None = None
    b_source: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Reconciliation:
    """Everything ``replace_reconciliation`` writes, and ``reconciliation()`` reads back.

    The mappings fill columns of the ledger tables (absent keys leave NULL):

    - ``entity_sources``: ``(document id, local entity id)`` -> source id (``doc_entities.source_id``)
    - ``attribution_sources``: attribution id ``"<document id>:a3"`` -> source id
    - ``said_on``: attribution id -> ``YYYY-MM-DD`` (the day the claim was made)
    - ``quantity_topics``: quantity id ``"<document id>:q2"`` -> topic id
    - ``copies``: document id -> id of the document it is a copy of (``documents.copy_of``)

    ``affiliations`` are ``(person source id, organisation source id)`` pairs.
    """

    sources: Sequence[Source] = ()
    aliases: Sequence[Alias] = ()
    affiliations: Sequence[tuple[str, str]] = ()
    topics: Sequence[Topic] = ()
    links: Sequence[Link] = ()
    entity_sources: Mapping[tuple[str, str], str] = field(default_factory=dict)
    attribution_sources: Mapping[str, str] = field(default_factory=dict)
    said_on: Mapping[str, str] = field(default_factory=dict)
    quantity_topics: Mapping[str, str] = field(default_factory=dict)
    copies: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Sequences become tuples and mappings dicts, so two reconciliations compare by content.
        for f in ("sources", "aliases", "topics", "links"):
            object.__setattr__(self, f, tuple(getattr(self, f)))
        object.__setattr__(self, "affiliations", tuple(tuple(p) for p in self.affiliations))
        for f in ("entity_sources", "attribution_sources", "said_on", "quantity_topics", "copies"):
            object.__setattr__(self, f, dict(getattr(self, f)))


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    id: str
    source: str
    url: str | None
    title: str | None
    site: str | None
    published: str | None
    language: str | None
    word_count: int
    ingested_at: dt.datetime
    copy_of: str | None
    attributions: int
    quantities: int


@dataclass(frozen=True, slots=True)
class Claim:
    """One attribution as the ``claims`` command lists it, with its document's title and date.

    ``source`` is the reconciled source's canonical name when there is one, else the
    speaker's name in the document (``speaker_name``), else the speaker as written.
    """

    id: str
    document_id: str
    title: str | None
    published: str | None
    said_on: str | None
    source_id: str | None
    source: str | None
    speaker: str | None
    speaker_name: str | None
    type: str
    cue: str | None
    content: str
    hedges: tuple[str, ...]
    negated: bool
    via: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["hedges"], d["via"] = list(self.hedges), list(self.via)
        return d


@dataclass(frozen=True, slots=True)
class UserAlias:
    alias: str
    canonical: str
    rule: UserRule
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class StoreStats:
    url: str
    schema_version: int
    documents: int
    words: int
    entities: int
    attributions: int
    quantities: int
    times: int
    sources: int
    topics: int
    links: int
    user_aliases: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------- errors


def _reason(exc: BaseException) -> str:
    """The first line of the driver's message (SQLAlchemy adds SQL and a doc link below it)."""
    inner = getattr(exc, "orig", None) or exc
    text = str(inner).strip() or type(inner).__name__
    return text.splitlines()[0].strip()


def _translated(action: str) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Turn SQLAlchemy/driver errors raised by a method into ``StoreError("<action>: ...")``."""

    def wrap(fn: Callable[_P, _R]) -> Callable[_P, _R]:
        @functools.wraps(fn)
        def inner(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            try:
                return fn(*args, **kwargs)
            except SQLAlchemyError as exc:
                raise StoreError(f"{action}: {_reason(exc)}") from exc

        return inner

    return wrap


# ---------------------------------------------------------------- URLs and engines


def resolve_url(url: str | None = None) -> sa.URL:
    """The SQLAlchemy URL to open: ``url``, else ``$CLAIMSCOPE_DB``, else ``sqlite:///claimscope.db``.

    A bare path is a SQLite file; ``postgresql://`` and ``postgres://`` run through psycopg 3.
    Raises ``StoreError`` for a URL that cannot be parsed or names another database.
    """
    raw = (url or os.environ.get(ENV_VAR) or DEFAULT_URL).strip()
    if "://" not in raw:
        raw = f"sqlite:///{raw}"
    try:
        parsed = sa.make_url(raw)
    except (SQLAlchemyError, ValueError) as exc:
        raise StoreError(f"bad database URL {_safe(raw)!r}: {_reason(exc)}") from exc
    backend, _, driver = parsed.drivername.partition("+")
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername=f"postgresql+{driver or 'psycopg'}")
    if backend != "sqlite":
        raise StoreError(f"unsupported database {backend!r} in {_safe(raw)!r} (use sqlite:///FILE or postgresql://...)")
    return parsed


def _safe(raw: str) -> str:
    """A URL string with any password masked."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", raw)


def _json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _engine(url: sa.URL) -> Engine:
    sqlite = url.get_backend_name() == "sqlite"
    connect_args = {"timeout": 30} if sqlite else {"connect_timeout": 10}
    engine = sa.create_engine(url, connect_args=connect_args, json_serializer=_json_dumps)
    if sqlite:
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    """Foreign keys, WAL, and real transactions (SQLAlchemy's documented pysqlite recipe).

    Python's sqlite3 (before 3.12's ``autocommit``) does not BEGIN before DDL or SELECT, which
    would make migrations non-atomic; so the driver's transaction handling is switched off
    and SQLAlchemy's ``begin`` event emits BEGIN itself: BEGIN IMMEDIATE for writes (taking
    the write lock up front, so a check-then-insert cannot be overtaken), plain BEGIN for reads.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")  # durable in WAL mode up to the last commits
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("claimscope_write") else "BEGIN")


# ---------------------------------------------------------------- fingerprints

_WORD = re.compile(r"\w+")
_U64 = (1 << 64) - 1
NEAR_COPY_BITS = 12  # default distance for near_duplicates: see fingerprint()


def fingerprint(text: str) -> int:
    """A 64-bit SimHash of the word 3-shingles of ``text`` (case-folded), as a signed int64.

    Compare two with ``hamming``. Measured on the 181 article bodies of the article-extraction
    benchmark: unrelated articles differ in 32 bits (median; minimum 16, 0.1% quantile 20); a
    copy with a new dateline and only its first 90% / 80% / 70% kept differs in 6 / 9 / 11
    bits (median; 90% quantile 10 / 12 / 15). Hence ``NEAR_COPY_BITS``.
    """
    words = _WORD.findall(text.casefold())
    shingles = [" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))]
    hashes = np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little") for s in shingles),
        dtype=np.uint64, count=len(shingles),
    )
    bits = np.unpackbits(hashes.view(np.uint8)).reshape(-1, 64)
    majority = bits.sum(axis=0, dtype=np.int64) * 2 > len(shingles)
    return int(np.packbits(majority).view(np.int64)[0])


def hamming(a: int, b: int) -> int:
    """The number of differing bits of two fingerprints."""
    return ((a ^ b) & _U64).bit_count()


# ---------------------------------------------------------------- the store


class Store:
    """A claimscope database. Open with ``Store.open(url)``; close with ``close()`` or ``with``."""

    def __init__(self, engine: Engine, url: sa.URL):
        self._engine = engine
        self.url = url.render_as_string(hide_password=True)
        self.dialect = url.get_backend_name()

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Connect, and bring the schema up to date (migrations applied in order, recorded once)."""
        sa_url = resolve_url(url)
        shown = sa_url.render_as_string(hide_password=True)
        try:
            engine = _engine(sa_url)
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreError(f"cannot open store {shown}: {_reason(exc)}") from exc
        store = cls(engine, sa_url)
        try:
            store._migrate()
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(f"cannot open store {shown}: {_reason(exc)}") from exc
        except StoreError:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    # ------------------------------------------------------------ transactions

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction: committed at the end of the block, rolled back on any error."""
        with self._engine.connect() as conn:
            conn.execution_options(claimscope_write=True)
            with conn.begin():
                if self.dialect == "postgresql":
                    conn.execute(sa.text("SET LOCAL synchronous_commit = off"))  # as SQLite's NORMAL
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._engine.connect() as conn, conn.begin():
            yield conn

    # ------------------------------------------------------------ migrations

    def _lock(self, conn: Connection) -> None:
        """Serialise concurrent migrators (SQLite: BEGIN IMMEDIATE already holds the write lock)."""
        if self.dialect == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('claimscope_migrations'))"))

    def _migrate(self) -> None:
        with self._write() as conn:
            self._lock(conn)
            m.migrations.create(conn, checkfirst=True)
            applied = set(conn.scalars(sa.select(m.migrations.c.version)))
        if applied and max(applied) > m.LATEST:
            raise StoreError(
                f"store {self.url} has schema version {max(applied)}, newer than this claimscope "
                f"knows ({m.LATEST}); upgrade claimscope"
            )
        for migration in m.MIGRATIONS:
            if migration.version in applied:
                continue
            with self._write() as conn:
                self._lock(conn)
                # Another process may have applied it while we waited for the lock.
                done = conn.scalar(sa.select(m.migrations.c.version).where(m.migrations.c.version == migration.version))
                if done is None:
                    migration.upgrade(conn)
                    conn.execute(m.migrations.insert().values(
                        version=migration.version, name=migration.name, applied_at=_now(),
                    ))

    @_translated("cannot read the migrations table")
    def migrations(self) -> list[tuple[int, str, dt.datetime]]:
        """The applied migrations: (version, name, applied_at), in order."""
        t = m.migrations
        with self._read() as conn:
            rows = conn.execute(sa.select(t.c.version, t.c.name, t.c.applied_at).order_by(t.c.version))
            return [(v, n, _utc(a)) for v, n, a in rows]

    # ------------------------------------------------------------ documents

    @_translated("cannot read the store")
    def has_document(self, doc_id: str) -> bool:
        with self._read() as conn:
            return conn.scalar(sa.select(m.documents.c.id).where(m.documents.c.id == doc_id)) is not None

    def add_ledger(self, ledger: Ledger, *, url: str | None = None) -> bool:
        """Store one document's ledger in one transaction.

        Returns False, changing nothing, when a document with this id is stored already.
        ``url`` is where the page came from (the ledger itself keeps only ``source``). Any
        failure rolls the whole document back and raises ``StoreError``.
        """
        doc_id = ledger.document.id
        rows = _ledger_rows(ledger, url)
        try:
            with self._write() as conn:
                if conn.scalar(sa.select(m.documents.c.id).where(m.documents.c.id == doc_id)) is not None:
                    return False
                conn.execute(m.documents.insert(), [rows["documents"]])
                for table in (m.doc_entities, m.attributions, m.quantities, m.times):
                    if rows[table.name]:
                        conn.execute(table.insert(), rows[table.name])
        except IntegrityError as exc:
            # On PostgreSQL a concurrent writer can store the same id between check and insert.
            if self.has_document(doc_id):
                return False
            raise StoreError(f"cannot store document: {_reason(exc)}", document_id=doc_id) from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot store document: {_reason(exc)}", document_id=doc_id) from exc
        return True

    def ledger(self, doc_id: str) -> Ledger:
        """The stored ledger of one document, rebuilt exactly. Raises ``ClaimscopeError`` if absent."""
        for ledger in self.ledgers([doc_id]):
            return ledger
        raise NotFoundError("no such document in the store", document_id=doc_id)

    def ledgers(self, ids: Iterable[str] | None = None) -> Iterator[Ledger]:
        """Stored ledgers (all, or those of ``ids`` that exist), in ingestion order.

        Streams: documents are read in chunks, so memory stays flat on a large store.
        """
        d = m.documents
        try:
            if ids is None:
                with self._read() as conn:
                    all_ids = list(conn.scalars(sa.select(d.c.id).order_by(d.c.ingested_at, d.c.id)))
            else:
                all_ids = list(dict.fromkeys(ids))
            for i in range(0, len(all_ids), _CHUNK):
                chunk = all_ids[i:i + _CHUNK]
                with self._read() as conn:
                    built = _read_ledgers(conn, chunk)
                for doc_id in chunk:
                    if doc_id in built:
                        yield built[doc_id]
        except SQLAlchemyError as exc:  # a generator: the decorator would not see errors raised while iterating
            raise StoreError(f"cannot read ledgers: {_reason(exc)}") from exc

    @_translated("cannot list documents")
    def documents(self, *, limit: int | None = None) -> list[DocumentSummary]:
        """One summary per stored document, in ingestion order."""
        d, a, q = m.documents, m.attributions, m.quantities
        n_att = sa.select(sa.func.count()).where(a.c.document_id == d.c.id).scalar_subquery()
        n_qty = sa.select(sa.func.count()).where(q.c.document_id == d.c.id).scalar_subquery()
        stmt = (
            sa.select(d.c.id, d.c.source, d.c.url, d.c.title, d.c.site, d.c.published, d.c.language,
                      d.c.word_count, d.c.ingested_at, d.c.copy_of, n_att, n_qty)
            .order_by(d.c.ingested_at, d.c.id).limit(limit)
        )
        with self._read() as conn:
            return [
                DocumentSummary(*row[:8], _utc(row[8]), row[9], row[10], row[11])
                for row in conn.execute(stmt)
            ]

    # ------------------------------------------------------------ near copies

    @_translated("cannot read fingerprints")
    def near_duplicates(self, max_distance: int = NEAR_COPY_BITS) -> list[tuple[str, str, int]]:
        """Pairs of documents whose fingerprints differ in at most ``max_distance`` bits.

        Returns ``(earlier id, later id, distance)`` in ingestion order: candidates for
        syndicated copies, to confirm on the texts. All pairs are compared, vectorised
        (some 400 million pairs a second here), in blocks that keep memory under ~32 MB.
        """
        d = m.documents
        with self._read() as conn:
            rows = conn.execute(sa.select(d.c.id, d.c.fingerprint).order_by(d.c.ingested_at, d.c.id)).all()
        ids = [r[0] for r in rows]
        fps = np.array([r[1] for r in rows], dtype=np.int64).view(np.uint64)
        n = len(ids)
        step = max(1, (1 << 22) // max(n, 1))
        pairs = []
        for i in range(0, n, step):
            dist = np.bitwise_count(fps[i:i + step, None] ^ fps[None, i:])  # row r: document i + r vs i...n
            for r, c in zip(*np.nonzero(dist <= max_distance), strict=True):
                if c > r:
                    pairs.append((ids[i + r], ids[i + c], int(dist[r, c])))
        return pairs

    # ------------------------------------------------------------ reconciliation

    def replace_reconciliation(self, rec: Reconciliation) -> None:
        """Clear and rewrite everything reconciliation owns, in one transaction.

        Tables sources, aliases, affiliations, topics, links; columns
        ``doc_entities.source_id``, ``attributions.source_id``/``said_on``,
        ``quantities.topic_id`` and ``documents.copy_of``. See ``Reconciliation`` for the
        shape. A failure (say, a source id that is not in ``rec.sources``) rolls it all back.
        """
        try:
            with self._write() as conn:
                conn.execute(sa.update(m.doc_entities).values(source_id=None))
                conn.execute(sa.update(m.attributions).values(source_id=None, said_on=None))
                conn.execute(sa.update(m.quantities).values(topic_id=None))
                conn.execute(sa.update(m.documents).values(copy_of=None))
                for table in (m.links, m.aliases, m.affiliations, m.topics, m.sources):
                    conn.execute(sa.delete(table))
                _insert(conn, m.sources, [{"id": s.id, "name": s.name, "type": s.type} for s in rec.sources])
                _insert(conn, m.aliases, [
                    {"source_id": a.source_id, "alias": a.alias, "kind": a.kind} for a in dict.fromkeys(rec.aliases)
                ])
                _insert(conn, m.affiliations, [
                    {"person_id": p, "org_id": o} for p, o in dict.fromkeys(rec.affiliations)
                ])
                _insert(conn, m.topics, [
                    {"id": t.id, "label": t.label, "concept": t.concept, "unit": t.unit} for t in rec.topics
                ])
                _insert(conn, m.links, [
                    {"kind": k.kind, "a": k.a, "b": k.b, "a_source": k.a_source, "b_source": k.b_source,
                     "reason": k.reason}
                    for k in rec.links
                ])
                e, a, q, d = m.doc_entities, m.attributions, m.quantities, m.documents
                _update(conn, sa.update(e)
                        .where(e.c.document_id == sa.bindparam("k_doc"), e.c.local_id == sa.bindparam("k_id"))
                        .values(source_id=sa.bindparam("v")),
                        [{"k_doc": doc, "k_id": local, "v": src} for (doc, local), src in rec.entity_sources.items()])
                said_on = dict(rec.said_on)
                att_ids = rec.attribution_sources.keys() | said_on.keys()
                _update(conn, sa.update(a).where(a.c.id == sa.bindparam("k"))
                        .values(source_id=sa.bindparam("v_src"), said_on=sa.bindparam("v_day")),
                        [{"k": i, "v_src": rec.attribution_sources.get(i), "v_day": _iso_day(said_on.get(i))}
                         for i in sorted(att_ids)])
                _update(conn, sa.update(q).where(q.c.id == sa.bindparam("k")).values(topic_id=sa.bindparam("v")),
                        [{"k": i, "v": t} for i, t in rec.quantity_topics.items()])
                _update(conn, sa.update(d).where(d.c.id == sa.bindparam("k")).values(copy_of=sa.bindparam("v")),
                        [{"k": i, "v": c} for i, c in rec.copies.items()])
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write the reconciliation: {_reason(exc)}") from exc

    @_translated("cannot read the reconciliation")
    def reconciliation(self) -> Reconciliation:
        """What ``replace_reconciliation`` last wrote, read back (sorted by id)."""
        e, a, q, d = m.doc_entities, m.attributions, m.quantities, m.documents
        with self._read() as conn:
            return Reconciliation(
                sources=[Source(*r) for r in conn.execute(sa.select(m.sources).order_by(m.sources.c.id))],
                aliases=[Alias(*r) for r in conn.execute(sa.select(m.aliases).order_by(*m.aliases.c))],
                affiliations=[tuple(r) for r in conn.execute(sa.select(m.affiliations).order_by(*m.affiliations.c))],
                topics=[Topic(*r) for r in conn.execute(sa.select(m.topics).order_by(m.topics.c.id))],
                links=[
                    Link(*r) for r in conn.execute(
                        sa.select(m.links.c.kind, m.links.c.a, m.links.c.b, m.links.c.a_source,
                                  m.links.c.b_source, m.links.c.reason).order_by(m.links.c.id))
                ],
                entity_sources={
                    (doc, local): src for doc, local, src in conn.execute(
                        sa.select(e.c.document_id, e.c.local_id, e.c.source_id).where(e.c.source_id.is_not(None)))
                },
                attribution_sources=dict(conn.execute(
                    sa.select(a.c.id, a.c.source_id).where(a.c.source_id.is_not(None))).all()),
                said_on=dict(conn.execute(sa.select(a.c.id, a.c.said_on).where(a.c.said_on.is_not(None))).all()),
                quantity_topics=dict(conn.execute(
                    sa.select(q.c.id, q.c.topic_id).where(q.c.topic_id.is_not(None))).all()),
                copies=dict(conn.execute(sa.select(d.c.id, d.c.copy_of).where(d.c.copy_of.is_not(None))).all()),
            )

    # ------------------------------------------------------------ claims

    @_translated("cannot query claims")
    def claims(
        self,
        *,
        speaker: str | None = None,
        source: str | None = None,
        topic: str | None = None,
        document: str | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        limit: int | None = None,
    ) -> list[Claim]:
        """Attributions matching every filter given, oldest first.

        - ``speaker``: case-insensitive substring of the speaker as written, the speaker's
          name in the document, or the reconciled source's name;
        - ``source``: a source id, or a source's name or any of its aliases (case-insensitive,
          whole string); matches claims attributed to that source after reconciliation;
        - ``topic``: a topic id, or a substring of a topic's label: claims with a quantity in it;
        - ``document``: a document id or a prefix of one;
        - ``since``/``until``: inclusive ``YYYY-MM-DD`` bounds on the day the claim was made
          (``said_on``), or the document's publication date when that is unknown.
        """
        check_limit(limit)
        since, until = query_day("since", since), query_day("until", until)
        a, d, s = m.attributions, m.documents, m.sources
        day = sa.func.coalesce(a.c.said_on, d.c.published)
        stmt = (
            sa.select(
                a.c.id, a.c.document_id, d.c.title, d.c.published, a.c.said_on, a.c.source_id,
                sa.func.coalesce(s.c.name, a.c.speaker_name, a.c.speaker_text),
                a.c.speaker_text, a.c.speaker_name, a.c.type, a.c.cue_text, a.c.content_text,
                a.c.hedges, a.c.negated, a.c.via,
            )
            .select_from(a.join(d, a.c.document_id == d.c.id).outerjoin(s, a.c.source_id == s.c.id))
            .order_by(day.nulls_last(), d.c.id, a.c.ord)
            .limit(limit)
        )
        if speaker:
            needle = speaker.casefold()
            stmt = stmt.where(sa.or_(*(
                sa.func.lower(col).contains(needle, autoescape=True)
                for col in (a.c.speaker_text, a.c.speaker_name, s.c.name)
            )))
        if source:
            key = source.casefold()
            named = sa.select(s.c.id).where(sa.or_(s.c.id == source, sa.func.lower(s.c.name) == key))
            aliased = sa.select(m.aliases.c.source_id).where(sa.func.lower(m.aliases.c.alias) == key)
            stmt = stmt.where(a.c.source_id.in_(named.union(aliased)))
        if topic:
            t, q = m.topics, m.quantities
            topic_ids = sa.select(t.c.id).where(sa.or_(
                t.c.id == topic, sa.func.lower(t.c.label).contains(topic.casefold(), autoescape=True)))
            stmt = stmt.where(sa.exists().where(q.c.attribution_id == a.c.id, q.c.topic_id.in_(topic_ids)))
        if document:
            stmt = stmt.where(d.c.id.startswith(document, autoescape=True))
        if since:
            stmt = stmt.where(day >= since)
        if until:
            stmt = stmt.where(day <= until)
        with self._read() as conn:
            return [
                Claim(*row[:12], tuple(row[12]), bool(row[13]), tuple(v["name"] for v in row[14]))
                for row in conn.execute(stmt)
            ]

    # ------------------------------------------------------------ user aliases

    @_translated("cannot add the alias")
    def add_user_alias(self, alias: str, canonical: str, *, rule: UserRule = "alias") -> bool:
        """Record a user rule; False if it is recorded already.

        ``rule="alias"``: ``alias`` is another name of the source called ``canonical``.
        ``rule="split"``: ``alias`` and ``canonical`` are different sources; never merge them.
        """
        alias, canonical = alias.strip(), canonical.strip()
        if rule not in ("alias", "split"):
            raise StoreError(f"unknown alias rule {rule!r} (alias or split)")
        if not alias or not canonical:
            raise StoreError("an alias rule needs two non-empty names")
        t = m.user_aliases
        with self._write() as conn:
            same = sa.select(t.c.id).where(t.c.alias == alias, t.c.canonical == canonical, t.c.rule == rule)
            exists = conn.scalar(same)
            if exists is not None:
                return False
            conn.execute(t.insert().values(alias=alias, canonical=canonical, rule=rule, created_at=_now()))
        return True

    @_translated("cannot remove the alias")
    def remove_user_alias(self, alias: str, canonical: str | None = None, *, rule: UserRule | None = None) -> int:
        """Delete the user rules for ``alias`` (narrowed by ``canonical``/``rule``); returns how many."""
        t = m.user_aliases
        stmt = sa.delete(t).where(t.c.alias == alias.strip())
        if canonical is not None:
            stmt = stmt.where(t.c.canonical == canonical.strip())
        if rule is not None:
            stmt = stmt.where(t.c.rule == rule)
        with self._write() as conn:
            return conn.execute(stmt).rowcount

    @_translated("cannot read the aliases")
    def user_aliases(self) -> list[UserAlias]:
        t = m.user_aliases
        with self._read() as conn:
            rows = conn.execute(sa.select(t.c.alias, t.c.canonical, t.c.rule, t.c.created_at).order_by(t.c.id))
            return [UserAlias(al, ca, ru, _utc(at)) for al, ca, ru, at in rows]

    # ------------------------------------------------------------ stats

    @_translated("cannot read the store")
    def stats(self) -> StoreStats:
        count = sa.func.count()
        with self._read() as conn:
            def n(table: sa.Table) -> int:
                return conn.scalar(sa.select(count).select_from(table)) or 0

            return StoreStats(
                url=self.url,
                schema_version=conn.scalar(sa.select(sa.func.max(m.migrations.c.version))) or 0,
                documents=n(m.documents),
                words=conn.scalar(sa.select(sa.func.coalesce(sa.func.sum(m.documents.c.word_count), 0))) or 0,
                entities=n(m.doc_entities), attributions=n(m.attributions), quantities=n(m.quantities),
                times=n(m.times), sources=n(m.sources), topics=n(m.topics), links=n(m.links),
                user_aliases=n(m.user_aliases),
            )


# ---------------------------------------------------------------- rows <-> ledgers


def _ledger_rows(ledger: Ledger, url: str | None) -> dict[str, Any]:
    """The rows of one ledger, by table name, made from its contract dict.

    Keys that have no column (a field added to the models after this schema) go to the
    row's ``extra`` JSON, so every field round-trips until a migration gives it a column.
    """
    ld = ledger.to_dict()
    doc = ld["document"]
    did = doc["id"]
    rows: dict[str, Any] = {
        "documents": {
            "id": did, "source": doc["source"], "url": url, "title": doc["title"], "site": doc["site"],
            "published": doc["published"], "language": doc["language"], "text": doc["text"],
            "removed": doc["removed"], "word_count": len(doc["text"].split()),
            "text_hash": document_id(doc["text"]), "fingerprint": fingerprint(doc["text"]),
            "schema_version": ld["schema_version"], "ingested_at": _now(), "copy_of": None,
            "extra": _extra(doc, _DOCUMENT_KEYS),
            "ledger_extra": _extra(ld, _LEDGER_KEYS),
        },
    }
    rows["doc_entities"] = [
        {"document_id": did, "local_id": e["id"], "ord": i, "name": e["name"], "type": e["type"],
         "aliases": e["aliases"], "mentions": e["mentions"], "affiliation": e["affiliation"],
         "descriptions": e["descriptions"], "source_id": None, "extra": _extra(e, _ENTITY_KEYS)}
        for i, e in enumerate(ld["entities"])
    ]
    attributions = []
    for i, a in enumerate(ld["attributions"]):
        sp, cue, c = a["speaker"] or {}, a["cue"] or {}, a["content"]
        nested = {role: _extra(part, keys) for role, part, keys in (
            ("speaker", sp, _SPEAKER_KEYS), ("cue", cue, _CUE_KEYS), ("content", c, _CONTENT_KEYS))}
        extra = {**(_extra(a, _ATTRIBUTION_KEYS) or {}), **{f"{k}.": v for k, v in nested.items() if v}}
        attributions.append({
            "id": f"{did}:{a['id']}", "document_id": did, "local_id": a["id"], "ord": i, "type": a["type"],
            "speaker_text": sp.get("text"),
            "speaker_start": _at(sp.get("span"), 0), "speaker_end": _at(sp.get("span"), 1),
            "speaker_entity": sp.get("entity"), "speaker_name": sp.get("name"),
            "cue_text": cue.get("text"), "cue_start": _at(cue.get("span"), 0), "cue_end": _at(cue.get("span"), 1),
            "content_text": c["text"], "content_start": c["span"][0], "content_end": c["span"][1],
            "content_fragments": c["fragments"], "via": a["via"], "hedges": a["hedges"], "negated": a["negated"],
            "quantity_ids": a["quantities"], "time_ids": a["times"], "said_time": a["said_time"],
            "source_id": None, "said_on": None, "extra": extra or None,
        })
    rows["attributions"] = attributions
    rows["quantities"] = [
        {"id": f"{did}:{q['id']}", "document_id": did, "local_id": q["id"], "ord": i, "text": q["text"],
         "span_start": q["span"][0], "span_end": q["span"][1], "value": q["value"], "low": q["low"],
         "high": q["high"], "bound": q["bound"], "unit": q["unit"], "concept": q["concept"],
         "concept_start": _at(q.get("concept_span"), 0), "concept_end": _at(q.get("concept_span"), 1),
         "about": q.get("about"), "about_start": _at(q.get("about_span"), 0), "about_end": _at(q.get("about_span"), 1),
         "attribution_id": f"{did}:{q['attribution']}" if q["attribution"] else None, "topic_id": None,
         "extra": _extra(q, _QUANTITY_KEYS)}
        for i, q in enumerate(ld["quantities"])
    ]
    rows["times"] = [
        {"document_id": did, "local_id": t["id"], "ord": i, "text": t["text"], "span_start": t["span"][0],
         "span_end": t["span"][1], "start_date": t["start"], "end_date": t["end"], "grain": t["grain"],
         "relation": t.get("relation"), "extra": _extra(t, _TIME_KEYS)}
        for i, t in enumerate(ld["times"])
    ]
    return rows


# The contract keys each table has columns for; others go to ``extra`` (see _ledger_rows).
_LEDGER_KEYS = frozenset({"schema_version", "document", "entities", "attributions", "quantities", "times"})
_DOCUMENT_KEYS = frozenset({"id", "source", "title", "published", "site", "language", "text", "removed"})
_ENTITY_KEYS = frozenset({"id", "name", "type", "aliases", "mentions", "affiliation", "descriptions"})
_ATTRIBUTION_KEYS = frozenset({"id", "type", "speaker", "cue", "content", "via", "hedges", "negated",
                               "quantities", "times", "said_time"})
_SPEAKER_KEYS = frozenset({"text", "span", "entity", "name"})
_CUE_KEYS = frozenset({"text", "span"})
_CONTENT_KEYS = frozenset({"text", "span", "fragments"})
_QUANTITY_KEYS = frozenset({"id", "text", "span", "value", "low", "high", "bound", "unit", "concept",
                            "concept_span", "about", "about_span", "attribution"})
_TIME_KEYS = frozenset({"id", "text", "span", "start", "end", "grain", "relation"})


def _extra(d: dict[str, Any], known: frozenset[str]) -> dict[str, Any] | None:
    extra = {k: v for k, v in d.items() if k not in known}
    return extra or None


def _at(span: list[int] | None, i: int) -> int | None:
    return span[i] if span else None


def _span(start: int | None, end: int | None) -> list[int] | None:
    return None if start is None else [start, end]


def _read_ledgers(conn: Connection, ids: list[str]) -> dict[str, Ledger]:
    """Rebuild the ledgers of ``ids`` (those stored) through their contract dicts."""
    d, e, a, q, t = m.documents, m.doc_entities, m.attributions, m.quantities, m.times
    out: dict[str, dict[str, Any]] = {}
    for r in conn.execute(sa.select(d).where(d.c.id.in_(ids))).mappings():
        out[r["id"]] = {
            "schema_version": r["schema_version"],
            "document": {
                "id": r["id"], "source": r["source"], "title": r["title"], "published": r["published"],
                "site": r["site"], "language": r["language"], "text": r["text"], "removed": r["removed"],
                **(r["extra"] or {}),
            },
            "entities": [], "attributions": [], "quantities": [], "times": [],
            **(r["ledger_extra"] or {}),
        }
    if not out:
        return {}
    present = list(out)

    def rows(table: sa.Table):
        stmt = sa.select(table).where(table.c.document_id.in_(present)).order_by(table.c.document_id, table.c.ord)
        return conn.execute(stmt).mappings()

    for r in rows(e):
        out[r["document_id"]]["entities"].append({
            "id": r["local_id"], "name": r["name"], "type": r["type"], "aliases": r["aliases"],
            "mentions": r["mentions"], "affiliation": r["affiliation"], "descriptions": r["descriptions"],
            **(r["extra"] or {}),
        })
    for r in rows(a):
        extra = dict(r["extra"] or {})
        nested = {role: extra.pop(f"{role}.", {}) for role in ("speaker", "cue", "content")}
        speaker = cue = None
        if r["speaker_text"] is not None:
            speaker = {"text": r["speaker_text"], "span": _span(r["speaker_start"], r["speaker_end"]),
                       "entity": r["speaker_entity"], "name": r["speaker_name"], **nested["speaker"]}
        if r["cue_text"] is not None:
            cue = {"text": r["cue_text"], "span": _span(r["cue_start"], r["cue_end"]), **nested["cue"]}
        out[r["document_id"]]["attributions"].append({
            "id": r["local_id"], "type": r["type"], "speaker": speaker, "cue": cue,
            "content": {"text": r["content_text"], "span": [r["content_start"], r["content_end"]],
                        "fragments": r["content_fragments"], **nested["content"]},
            "via": r["via"], "hedges": r["hedges"], "negated": bool(r["negated"]),
            "quantities": r["quantity_ids"], "times": r["time_ids"], "said_time": r["said_time"], **extra,
        })
    for r in rows(q):
        owner = r["attribution_id"]
        out[r["document_id"]]["quantities"].append({
            "id": r["local_id"], "text": r["text"], "span": [r["span_start"], r["span_end"]],
            "value": r["value"], "low": r["low"], "high": r["high"], "bound": r["bound"], "unit": r["unit"],
            "concept": r["concept"], "concept_span": _span(r["concept_start"], r["concept_end"]),
            "about": r["about"], "about_span": _span(r["about_start"], r["about_end"]),
            "attribution": owner.rsplit(":", 1)[1] if owner else None, **(r["extra"] or {}),
        })
    for r in rows(t):
        out[r["document_id"]]["times"].append({
            "id": r["local_id"], "text": r["text"], "span": [r["span_start"], r["span_end"]],
            "start": r["start_date"], "end": r["end_date"], "grain": r["grain"], "relation": r["relation"],
            **(r["extra"] or {}),
        })
    return {doc_id: Ledger.from_dict(data) for doc_id, data in out.items()}


# ---------------------------------------------------------------- helpers


def _insert(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(table.insert(), rows)


def _update(conn: Connection, stmt: sa.Update, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(stmt, rows)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(value: dt.datetime) -> dt.datetime:
    """Timestamps come back naive from SQLite; they were written in UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


MAX_LIMIT = 1_000_000_000  # the most rows a query may ask for (a bigger integer overflows the databases')


def check_limit(limit: int | None, name: str = "limit") -> None:
    """``InputError`` unless ``limit`` is None or a row count a query can take."""
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"{name} wants a whole number from 1 to {MAX_LIMIT:,}, not {limit}")


def query_day(name: str, value: str | dt.date | None) -> str | None:
    """A query bound (``since``, ``until``) as ``YYYY-MM-DD``; ``InputError`` naming it for
    anything that is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise InputError(f"{name} wants a date YYYY-MM-DD, not {value!r}") from None


def _iso_day(value: str | dt.date | None) -> str | None:
    """``YYYY-MM-DD`` from a date or a string starting with one; raises ``StoreError`` otherwise."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise StoreError(f"{value!r} is not a YYYY-MM-DD date") from None
