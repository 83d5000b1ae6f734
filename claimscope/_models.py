"""The ledger's data model: small frozen dataclasses named by role.

Every field that points into the article carries ``start``/``end`` offsets (Unicode code
points, ``[start, end)``) into ``Document.text`` and the exact ``text`` found there, so
``document.text[start:end] == text`` holds for every cell. ``Ledger.to_dict()`` gives the
JSON contract of ``../shared/spec/README.md`` part 1 (``schema_version`` 1).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = 1

AttributionType = Literal["direct", "indirect", "mixed"]
Bound = Literal["exact", "approx", "at_least", "at_most", "range"]
Grain = Literal["day", "week", "month", "year"]


def _span(start: int | None, end: int | None) -> list[int] | None:
    return None if start is None or end is None else [start, end]


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who makes the claim: the mention as written, and the entity it resolves to."""

    text: str
    start: int
    end: int
    entity: str | None = None  # entity id in Ledger.entities
    name: str | None = None  # the entity's canonical name ("Kyrylo Budanov" for "He")

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "span": [self.start, self.end], "entity": self.entity, "name": self.name}


@dataclass(frozen=True, slots=True)
class Cue:
    """The words that mark the attribution: "said", "told", "according to", "believes"."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "span": [self.start, self.end]}


@dataclass(frozen=True, slots=True)
class Content:
    """What is claimed. ``fragments`` are the pieces of a split quote; the span envelopes them."""

    text: str
    start: int
    end: int
    fragments: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        frags = self.fragments or ((self.start, self.end),)
        return {"text": self.text, "span": [self.start, self.end], "fragments": [list(f) for f in frags]}


@dataclass(frozen=True, slots=True)
class Via:
    """One link of a reporting chain ("according to Yonhap", "the AP reported")."""

    name: str
    start: int | None = None
    end: int | None = None
    entity: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "span": _span(self.start, self.end), "entity": self.entity}


@dataclass(frozen=True, slots=True)
class Attribution:
    id: str
    type: AttributionType
    speaker: Speaker | None
    cue: Cue | None
    content: Content
    via: tuple[Via, ...] = ()
    hedges: tuple[str, ...] = ()
    negated: bool = False
    quantities: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    said_time: str | None = None  # id of the time the claim was made ("told ... on Thursday")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "content": self.content.to_dict(),
            "via": [v.to_dict() for v in self.via],
            "hedges": list(self.hedges),
            "negated": self.negated,
            "quantities": list(self.quantities),
            "times": list(self.times),
            "said_time": self.said_time,
        }


@dataclass(frozen=True, slots=True)
class Quantity:
    id: str
    text: str
    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    bound: Bound
    unit: str | None = None
    concept: str | None = None
    attribution: str | None = None
    concept_span: tuple[int, int] | None = None
    about: str | None = None  # what the quantity is about: "Ford" in "Ford has 13,000 workers"
    about_span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "span": [self.start, self.end],
            "value": _num(self.value),
            "low": _num(self.low),
            "high": _num(self.high),
            "bound": self.bound,
            "unit": self.unit,
            "concept": self.concept,
            "concept_span": list(self.concept_span) if self.concept_span else None,
            "attribution": self.attribution,
            "about": self.about,
            "about_span": list(self.about_span) if self.about_span else None,
        }


@dataclass(frozen=True, slots=True)
class TimeExpr:
    id: str
    text: str
    start: int
    end: int
    start_date: str | None  # "YYYY-MM-DD" | "YYYY-MM" | "YYYY"
    end_date: str | None
    grain: Grain | None
    relation: str | None = None  # the preposition that anchors it: "since", "by", "on", "from"...

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "span": [self.start, self.end],
            "start": self.start_date,
            "end": self.end_date,
            "grain": self.grain,
            "relation": self.relation,
        }


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: tuple[tuple[int, int], ...]
    affiliation: str | None = None  # id of the organisation a person speaks for
    descriptions: tuple[str, ...] = ()  # "South Korea's spy agency", "a major South Korean news agency"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "mentions": [list(m) for m in self.mentions],
            "affiliation": self.affiliation,
            "descriptions": list(self.descriptions),
        }


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    source: str
    text: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    site: str | None = None
    language: str | None = None
    removed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "published": self.published,
            "site": self.site,
            "language": self.language,
            "text": self.text,
            "removed": list(self.removed),
        }


@dataclass(frozen=True, slots=True)
class Ledger:
    """Everything claimscope found in one article."""

    document: Document
    entities: tuple[Entity, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    schema_version: int = field(default=SCHEMA_VERSION)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "document": self.document.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "attributions": [a.to_dict() for a in self.attributions],
            "quantities": [q.to_dict() for q in self.quantities],
            "times": [t.to_dict() for t in self.times],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def entity(self, entity_id: str | None) -> Entity | None:
        for e in self.entities:
            if e.id == entity_id:
                return e
        return None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Ledger:
        """Rebuild a ledger from its contract JSON (as written by ``to_dict``)."""
        doc = d["document"]
        document = Document(
            id=doc["id"], source=doc["source"], text=doc["text"], title=doc.get("title"),
            published=doc.get("published"), site=doc.get("site"), language=doc.get("language"),
            removed=tuple(doc.get("removed") or ()),
        )
        entities = tuple(
            Entity(
                id=e["id"], name=e["name"], type=e["type"], aliases=tuple(e.get("aliases") or ()),
                mentions=tuple(tuple(m) for m in e.get("mentions") or ()),
                affiliation=e.get("affiliation"), descriptions=tuple(e.get("descriptions") or ()),
            )
            for e in d.get("entities", [])
        )

        def span_of(x):
            return x["span"][0], x["span"][1]

        attributions = []
        for a in d.get("attributions", []):
            sp = a.get("speaker")
            cue = a.get("cue")
            c = a["content"]
            attributions.append(Attribution(
                id=a["id"], type=a["type"],
                speaker=Speaker(sp["text"], *span_of(sp), entity=sp.get("entity"), name=sp.get("name")) if sp else None,
                cue=Cue(cue["text"], *span_of(cue)) if cue else None,
                content=Content(c["text"], *span_of(c), fragments=tuple(tuple(f) for f in c.get("fragments") or ())),
                via=tuple(Via(v["name"], *(v.get("span") or (None, None)), entity=v.get("entity")) for v in a.get("via", [])),
                hedges=tuple(a.get("hedges") or ()), negated=bool(a.get("negated")),
                quantities=tuple(a.get("quantities") or ()), times=tuple(a.get("times") or ()),
                said_time=a.get("said_time"),
            ))
        quantities = tuple(
            Quantity(
                id=q["id"], text=q["text"], start=q["span"][0], end=q["span"][1], value=q.get("value"),
                low=q.get("low"), high=q.get("high"), bound=q["bound"], unit=q.get("unit"),
                concept=q.get("concept"), attribution=q.get("attribution"),
                concept_span=tuple(q["concept_span"]) if q.get("concept_span") else None,
                about=q.get("about"), about_span=tuple(q["about_span"]) if q.get("about_span") else None,
            )
            for q in d.get("quantities", [])
        )
        times = tuple(
            TimeExpr(id=t["id"], text=t["text"], start=t["span"][0], end=t["span"][1],
                     start_date=t.get("start"), end_date=t.get("end"), grain=t.get("grain"),
                     relation=t.get("relation"))
            for t in d.get("times", [])
        )
        return cls(document=document, entities=entities, attributions=tuple(attributions),
                   quantities=quantities, times=times, schema_version=d.get("schema_version", SCHEMA_VERSION))


def _num(x: float | None) -> int | float | None:
    """Whole numbers print as ints (11000, not 11000.0)."""
    if x is None:
        return None
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return int(x)
    return x
