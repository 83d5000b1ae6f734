"""The output contract as pydantic models, and the JSON Schema generated from them.

``Ledger.to_dict()`` (part 1 of ``../shared/spec/README.md``) and the cross-source report
(part 2) are plain dicts for speed; these models describe the same shapes so that a JSON
Schema can be generated (``claimscope schema``, committed as ``docs/ledger.schema.json`` and
``docs/report.schema.json``) and so the test suite can validate every ledger it makes.
Fields beyond the contract are claimscope's additions (``fragments``, ``said_time``,
``relation``, ``affiliation``...); the contract's names, types and meanings are kept.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ._models import SCHEMA_VERSION

Span = tuple[int, int]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentOut(_Model):
    id: str
    source: str
    title: str | None
    published: str | None = Field(description="YYYY-MM-DD")
    site: str | None
    language: str | None
    text: str = Field(description="The clean body every span points into")
    removed: list[str] = Field(description="Boilerplate lines and blocks that were dropped")


class EntityOut(_Model):
    id: str
    name: str = Field(description="Canonical name")
    type: str = Field(description="PERSON | ORG | GPE | NORP | MEDIA | DOCUMENT | LOC | FAC")
    aliases: list[str]
    mentions: list[Span]
    affiliation: str | None = Field(description="Entity id of the organisation a person speaks for")
    descriptions: list[str]


class SpeakerOut(_Model):
    text: str
    span: Span
    entity: str | None
    name: str | None = Field(description="Resolved canonical name")


class CueOut(_Model):
    text: str
    span: Span


class ContentOut(_Model):
    text: str
    span: Span
    fragments: list[Span] = Field(description="The pieces of a split quote; the span envelopes them")


class ViaOut(_Model):
    name: str
    span: Span | None
    entity: str | None


class AttributionOut(_Model):
    id: str
    type: Literal["direct", "indirect", "mixed"]
    speaker: SpeakerOut | None
    cue: CueOut | None
    content: ContentOut
    via: list[ViaOut]
    hedges: list[str]
    negated: bool
    quantities: list[str]
    times: list[str]
    said_time: str | None = Field(description="Id of the time the claim was made")


class QuantityOut(_Model):
    id: str
    text: str
    span: Span
    value: float | None
    low: float | None
    high: float | None
    bound: Literal["exact", "approx", "at_least", "at_most", "range"]
    unit: str | None
    concept: str | None
    concept_span: Span | None
    attribution: str | None
    about: str | None = None
    about_span: Span | None = None


class TimeOut(_Model):
    id: str
    text: str
    span: Span
    start: str | None
    end: str | None
    grain: Literal["day", "week", "month", "year"] | None
    relation: str | None


class LedgerOut(_Model):
    """One article's ledger: ``claimscope extract --format json``."""

    schema_version: Literal[1] = SCHEMA_VERSION
    document: DocumentOut
    entities: list[EntityOut]
    attributions: list[AttributionOut]
    quantities: list[QuantityOut]
    times: list[TimeOut]


def ledger_schema() -> dict:
    """The JSON Schema of a ledger."""
    return LedgerOut.model_json_schema()


def validate_ledger(data: dict) -> LedgerOut:
    """Check a ledger dict against the contract (raises ``pydantic.ValidationError``)."""
    return LedgerOut.model_validate(data)


# -- part 2: the cross-source report ----------------------------------------------------


class ReportEntityOut(_Model):
    id: str
    name: str
    type: str
    aliases: list[str]
    documents: int
    affiliation: str | None = None


class EstimateOut(_Model):
    claim_id: str
    document_id: str
    source: str = Field(description="Canonical speaker name")
    text: str
    value: float | None
    low: float | None
    high: float | None
    bound: Literal["exact", "approx", "at_least", "at_most", "range"]
    said_on: str | None
    published: str | None
    copies: list[str] = Field(description="Document ids of syndicated copies of the same claim")
    quantity_id: str | None = None
    sentence: str | None = None
    via: list[str] = []
    places: list[str] = Field(default=[], description="Places the figure is said to hold for (\"in Sabac\"); "
                                                       "figures of different places are not compared")


class RangeOut(_Model):
    low: float
    high: float


class TopicOut(_Model):
    id: str
    label: str
    concept: str
    unit: str | None
    estimates: list[EstimateOut]
    range: RangeOut
    sources: list[str]
    independent_sources: int
    actor: str | None = None


class ContradictionOut(_Model):
    a: str
    b: str
    a_source: str
    b_source: str
    a_text: str
    b_text: str
    kind: Literal["denial", "revision", "conflict"]
    reason: str
    topic: str | None = None


class ReportOut(_Model):
    """The cross-source report: ``claimscope report --format json``."""

    schema_version: Literal[1] = SCHEMA_VERSION
    entities: list[ReportEntityOut]
    topics: list[TopicOut]
    contradictions: list[ContradictionOut]


def report_schema() -> dict:
    """The JSON Schema of the cross-source report."""
    return ReportOut.model_json_schema()


def validate_report(data: dict) -> ReportOut:
    return ReportOut.model_validate(data)
