"""The store's schema and its versioned migrations.

``METADATA`` declares the current schema (SQLAlchemy Core tables, used by ``store.py`` for
every query). ``MIGRATIONS`` upgrades a database to it step by step; ``store.Store.open``
applies the missing ones in order, each in its own transaction, and records each in
``claimscope_migrations`` (version, name, applied_at).

Migration 1 creates the tables as declared below. When a later version changes a table,
its migration alters existing stores (ALTER TABLE ...) and migration 1 must keep creating
the version-1 tables: freeze their definition there before editing the declarations here.

Conventions: spans are ``<field>_start``/``<field>_end`` code-point offsets into
``documents.text``; dates are ISO text (``YYYY-MM-DD``, or ``YYYY-MM``/``YYYY`` for times) so
they compare and sort the same in SQLite and PostgreSQL; list-valued ledger fields are JSON;
``ord`` keeps each document's entities, attributions, quantities and times in ledger order.
Per-document local ids (``e3``, ``a1``, ``q2``, ``t1``) are kept as written; attributions and
quantities also get a global id ``"<document id>:<local id>"``. A ledger field that has no
column (one added to the models after this schema) is kept in the row's ``extra`` JSON, so
ledgers round-trip exactly while the models grow; give it a column when it is queried.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

METADATA = sa.MetaData()

# ---------------------------------------------------------------- the bookkeeping table

migrations = sa.Table(
    "claimscope_migrations", sa.MetaData(),  # its own MetaData: created before any migration runs
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)

# ---------------------------------------------------------------- reconciliation (filled by reconcile.py)

sources = sa.Table(
    "sources", METADATA,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("type", sa.String(32)),
)
sa.Index("ix_sources_name", sa.func.lower(sources.c.name))

aliases = sa.Table(
    "aliases", METADATA,
    sa.Column("source_id", sa.String(64), sa.ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("alias", sa.Text, primary_key=True),
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.CheckConstraint("kind IN ('name', 'description', 'acronym', 'user')", name="ck_aliases_kind"),
)
sa.Index("ix_aliases_alias", sa.func.lower(aliases.c.alias))

affiliations = sa.Table(
    "affiliations", METADATA,
    sa.Column("person_id", sa.String(64), sa.ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("org_id", sa.String(64), sa.ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
)

topics = sa.Table(
    "topics", METADATA,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("concept", sa.Text),
    sa.Column("unit", sa.Text),
)

links = sa.Table(
    "links", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("a", sa.String(128), nullable=False),  # claim id, or document id for "copy"
    sa.Column("b", sa.String(128), nullable=False),
    sa.Column("a_source", sa.String(64), sa.ForeignKey("sources.id", ondelete="SET NULL")),
    sa.Column("b_source", sa.String(64), sa.ForeignKey("sources.id", ondelete="SET NULL")),
    sa.Column("reason", sa.Text),
    sa.CheckConstraint("kind IN ('copy', 'denial', 'revision', 'conflict')", name="ck_links_kind"),
)
sa.Index("ix_links_kind", links.c.kind)
sa.Index("ix_links_a", links.c.a)
sa.Index("ix_links_b", links.c.b)

# User overrides (alias file, `claimscope aliases ...`): rule "alias" says ``alias`` names
# the source called ``canonical``; rule "split" says the two names are different sources.
user_aliases = sa.Table(
    "user_aliases", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("alias", sa.Text, nullable=False),
    sa.Column("canonical", sa.Text, nullable=False),
    sa.Column("rule", sa.String(8), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("alias", "canonical", "rule", name="uq_user_aliases"),
    sa.CheckConstraint("rule IN ('alias', 'split')", name="ck_user_aliases_rule"),
)

# ---------------------------------------------------------------- the ledgers

documents = sa.Table(
    "documents", METADATA,
    sa.Column("id", sa.String(64), primary_key=True),  # the ledger's id: content hash, or the input's id
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("site", sa.Text),
    sa.Column("published", sa.String(10)),
    sa.Column("language", sa.String(16)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("removed", sa.JSON, nullable=False),
    sa.Column("word_count", sa.Integer, nullable=False),
    sa.Column("text_hash", sa.String(20), nullable=False),  # pipeline.document_id(text): exact copies
    sa.Column("fingerprint", sa.BigInteger, nullable=False),  # 64-bit SimHash: near copies (store.fingerprint)
    sa.Column("schema_version", sa.Integer, nullable=False),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("copy_of", sa.String(64), sa.ForeignKey("documents.id", ondelete="SET NULL")),
    sa.Column("extra", sa.JSON(none_as_null=True)),  # document fields without a column (see the module doc)
    sa.Column("ledger_extra", sa.JSON(none_as_null=True)),  # top-level ledger fields without a column
)
sa.Index("ix_documents_published", documents.c.published)
sa.Index("ix_documents_text_hash", documents.c.text_hash)
sa.Index("ix_documents_fingerprint", documents.c.fingerprint)
sa.Index("ix_documents_copy_of", documents.c.copy_of)
sa.Index("ix_documents_ingested", documents.c.ingested_at, documents.c.id)

doc_entities = sa.Table(
    "doc_entities", METADATA,
    sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("local_id", sa.String(32), primary_key=True),
    sa.Column("ord", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("aliases", sa.JSON, nullable=False),
    sa.Column("mentions", sa.JSON, nullable=False),
    sa.Column("affiliation", sa.String(32)),  # local id of the organisation entity
    sa.Column("descriptions", sa.JSON, nullable=False),
    sa.Column("source_id", sa.String(64), sa.ForeignKey("sources.id", ondelete="SET NULL")),
    sa.Column("extra", sa.JSON(none_as_null=True)),
)
sa.Index("ix_doc_entities_source", doc_entities.c.source_id)

attributions = sa.Table(
    "attributions", METADATA,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("local_id", sa.String(32), nullable=False),
    sa.Column("ord", sa.Integer, nullable=False),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("speaker_text", sa.Text),
    sa.Column("speaker_start", sa.Integer),
    sa.Column("speaker_end", sa.Integer),
    sa.Column("speaker_entity", sa.String(32)),  # local entity id
    sa.Column("speaker_name", sa.Text),
    sa.Column("cue_text", sa.Text),
    sa.Column("cue_start", sa.Integer),
    sa.Column("cue_end", sa.Integer),
    sa.Column("content_text", sa.Text, nullable=False),
    sa.Column("content_start", sa.Integer, nullable=False),
    sa.Column("content_end", sa.Integer, nullable=False),
    sa.Column("content_fragments", sa.JSON, nullable=False),
    sa.Column("via", sa.JSON, nullable=False),
    sa.Column("hedges", sa.JSON, nullable=False),
    sa.Column("negated", sa.Boolean, nullable=False),
    sa.Column("quantity_ids", sa.JSON, nullable=False),  # local ids, as in the ledger
    sa.Column("time_ids", sa.JSON, nullable=False),
    sa.Column("said_time", sa.String(32)),  # local time id
    sa.Column("source_id", sa.String(64), sa.ForeignKey("sources.id", ondelete="SET NULL")),
    sa.Column("said_on", sa.String(10)),
    # extra keys of the attribution, and of its speaker/cue/content under "speaker." etc.
    sa.Column("extra", sa.JSON(none_as_null=True)),
    sa.UniqueConstraint("document_id", "local_id", name="uq_attributions_local"),
)
sa.Index("ix_attributions_document", attributions.c.document_id, attributions.c.ord)
sa.Index("ix_attributions_source", attributions.c.source_id)
sa.Index("ix_attributions_said_on", attributions.c.said_on)

quantities = sa.Table(
    "quantities", METADATA,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("local_id", sa.String(32), nullable=False),
    sa.Column("ord", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("span_start", sa.Integer, nullable=False),
    sa.Column("span_end", sa.Integer, nullable=False),
    sa.Column("value", sa.Double),
    sa.Column("low", sa.Double),
    sa.Column("high", sa.Double),
    sa.Column("bound", sa.String(16), nullable=False),
    sa.Column("unit", sa.Text),
    sa.Column("concept", sa.Text),
    sa.Column("concept_start", sa.Integer),
    sa.Column("concept_end", sa.Integer),
    sa.Column("about", sa.Text),  # what the quantity is about: "Ford" in "Ford has 13,000 workers"
    sa.Column("about_start", sa.Integer),
    sa.Column("about_end", sa.Integer),
    sa.Column("attribution_id", sa.String(128), sa.ForeignKey("attributions.id", ondelete="CASCADE")),
    sa.Column("topic_id", sa.String(64), sa.ForeignKey("topics.id", ondelete="SET NULL")),
    sa.Column("extra", sa.JSON(none_as_null=True)),
    sa.UniqueConstraint("document_id", "local_id", name="uq_quantities_local"),
)
sa.Index("ix_quantities_document", quantities.c.document_id, quantities.c.ord)
sa.Index("ix_quantities_attribution", quantities.c.attribution_id)
sa.Index("ix_quantities_topic", quantities.c.topic_id)

times = sa.Table(
    "times", METADATA,
    sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("local_id", sa.String(32), primary_key=True),
    sa.Column("ord", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("span_start", sa.Integer, nullable=False),
    sa.Column("span_end", sa.Integer, nullable=False),
    sa.Column("start_date", sa.String(10)),
    sa.Column("end_date", sa.String(10)),
    sa.Column("grain", sa.String(8)),
    sa.Column("relation", sa.String(32)),
    sa.Column("extra", sa.JSON(none_as_null=True)),
)


# ---------------------------------------------------------------- migrations


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    upgrade: Callable[[Connection], None]


def _initial_schema(conn: Connection) -> None:
    METADATA.create_all(conn, checkfirst=False)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema: documents, ledgers, reconciliation, user aliases", _initial_schema),
)
LATEST = MIGRATIONS[-1].version
