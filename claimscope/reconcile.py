"""Across articles: one source under many names, syndicated copies, topics, contradictions.

``reconcile(ledgers, user_rules)`` reads the ledgers of a corpus and returns an ``Analysis``:

* **Sources.** Every document's entities become one node each; nodes that name the same
  source are merged (union-find), never across types (ORG and MEDIA count as one kind):
  the same normalised name ("Serbia's National Emergency Directorate" ~ "National Emergency
  Directorate"; accents folded, so "Jovanović" ~ "Jovanovic"), an acronym and its expansion
  (NIS ~ National Intelligence Service, in the same article or by initials), a description
  learned from an appositive ("South Korea's spy agency"), a surname alone when only one
  person in the corpus carries it, and near-identical spellings (Zelensky ~ Zelenskyy). A
  speaker with no entity in its article ("the country's disaster agency") is matched against
  every source's names and descriptions. User rules win: ``alias`` merges, ``split`` keeps
  two names apart.
* **Copies.** Documents whose word 5-gram shingles mostly lie in an earlier document are its
  syndicated copies; their claims are linked to the first copy's and never count as
  independent confirmation.
* **Topics.** Quantities inside claims are grouped by what they count or measure: the actor
  ("North Korean" troops -> North Korea), the counted thing with synonyms folded (troops,
  soldiers, forces), the context that sets it apart (killed, displaced, deserted, the first
  phase...) and the unit. Each topic lists its estimates per source over time (``said_on``
  from the text where given, else the publication date), the overall range, and the number
  of independent sources.
* **Contradictions.** A *denial* (a negated claim: "dismissed the reports", "no evidence
  that") against the claims of other sources it matches; a *revision* (one source's estimate
  of a topic changing over time); a *conflict* (a source's estimate against the standing estimate of
  another source, the latest it gave in the two weeks before, when their intervals cannot
  overlap; a spokesman's figures count for their organisation; vague figures such as
  "thousands" bound nothing).

``Analysis.report()`` gives the JSON of ``../shared/spec/README.md`` part 2 and
``Analysis.to_store()`` what ``Store.replace_reconciliation`` writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._models import SCHEMA_VERSION, Attribution, Ledger, Quantity

# ---------------------------------------------------------------------------------------
# The result


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    documents: int
    affiliation: str | None = None  # source id of the organisation a person speaks for
    descriptions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Estimate:
    claim_id: str  # "<document id>:a3" (the claim), or "<document id>:q2" for the article's own figures
    quantity_id: str  # "<document id>:q2"
    document_id: str
    source: str
    source_id: str | None
    text: str
    value: float | None
    low: float | None
    high: float | None
    bound: str
    said_on: str | None
    published: str | None
    copies: tuple[str, ...] = ()
    sentence: str | None = None
    via: tuple[str, ...] = ()
    places: tuple[str, ...] = ()  # where the figure holds, when the text says ("in Sabac"): see _places


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    label: str
    concept: str
    unit: str | None
    actor: str | None
    qualifier: str | None
    estimates: tuple[Estimate, ...]

    @property
    def range(self) -> tuple[float, float]:
        lows = [e.low if e.low is not None else e.value for e in self.estimates]
        highs = [e.high if e.high is not None else e.value for e in self.estimates]
        lows = [x for x in lows if x is not None]
        highs = [x for x in highs if x is not None]
        return (min(lows) if lows else 0.0, max(highs) if highs else 0.0)

    @property
    def sources(self) -> list[str]:
        return sorted({e.source for e in self.estimates})

    @property
    def independent_sources(self) -> int:
        """Distinct sources; copies are folded into their original already."""
        return len({e.source_id or e.source for e in self.estimates})


@dataclass(frozen=True, slots=True)
class Contradiction:
    a: str
    b: str
    a_source: str
    b_source: str
    a_text: str
    b_text: str
    kind: str  # denial | revision | conflict
    reason: str
    topic: str | None = None
    a_source_id: str | None = None
    b_source_id: str | None = None


@dataclass(frozen=True)
class Analysis:
    sources: tuple[Source, ...]
    topics: tuple[Topic, ...]
    contradictions: tuple[Contradiction, ...]
    copies: dict[str, str]  # copy document id -> original document id
    entity_sources: dict[tuple[str, str], str]  # (document id, local entity id) -> source id
    attribution_sources: dict[str, str]  # "<doc>:a3" -> source id
    said_on: dict[str, str]  # "<doc>:a3" -> YYYY-MM-DD
    quantity_topics: dict[str, str]  # "<doc>:q2" -> topic id
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> title/published/source

    # -- output ---------------------------------------------------------------------------

    def report(self, topic: str | None = None) -> dict[str, Any]:
        """The cross-source report (contract part 2), optionally only topics matching ``topic``."""
        topics = [t for t in self.topics if _topic_matches(t, topic)]
        keep = {t.id for t in topics}
        contradictions = [c for c in self.contradictions if topic is None or c.topic in keep]
        names = {s.id: s.name for s in self.sources}
        return {
            "schema_version": SCHEMA_VERSION,
            "entities": [
                {"id": s.id, "name": s.name, "type": s.type, "aliases": list(s.aliases), "documents": s.documents,
                 "affiliation": names.get(s.affiliation) if s.affiliation else None}
                for s in self.sources
            ],
            "topics": [_topic_dict(t) for t in topics],
            "contradictions": [
                {"a": c.a, "b": c.b, "a_source": c.a_source, "b_source": c.b_source, "a_text": c.a_text,
                 "b_text": c.b_text, "kind": c.kind, "reason": c.reason, "topic": c.topic}
                for c in contradictions
            ],
        }

    def to_store(self):
        """What ``Store.replace_reconciliation`` writes."""
        from . import store

        aliases = []
        for s in self.sources:
            seen = set()
            for a in s.aliases:
                if a in seen:
                    continue
                seen.add(a)
                kind = "description" if a in s.descriptions else ("acronym" if _is_acronym(a) else "name")
                aliases.append(store.Alias(s.id, a, kind))
        links = [store.Link("copy", copy, original) for copy, original in sorted(self.copies.items())]
        links += [
            store.Link(c.kind, c.a, c.b, c.a_source_id, c.b_source_id, c.reason) for c in self.contradictions
        ]
        return store.Reconciliation(
            sources=[store.Source(s.id, s.name, s.type) for s in self.sources],
            aliases=aliases,
            affiliations=[(s.id, s.affiliation) for s in self.sources if s.affiliation],
            topics=[store.Topic(t.id, t.label, t.concept, t.unit) for t in self.topics],
            links=links,
            entity_sources=self.entity_sources,
            attribution_sources=self.attribution_sources,
            said_on=self.said_on,
            quantity_topics=self.quantity_topics,
            copies=self.copies,
        )


def _topic_dict(t: Topic) -> dict[str, Any]:
    low, high = t.range
    return {
        "id": t.id,
        "label": t.label,
        "concept": t.concept,
        "unit": t.unit,
        "actor": t.actor,
        "estimates": [
            {"claim_id": e.claim_id, "document_id": e.document_id, "source": e.source, "text": e.text,
             "value": _num(e.value), "low": _num(e.low), "high": _num(e.high), "bound": e.bound,
             "said_on": e.said_on, "published": e.published, "copies": list(e.copies),
             "quantity_id": e.quantity_id, "sentence": e.sentence, "via": list(e.via), "places": list(e.places)}
            for e in t.estimates
        ],
        "range": {"low": _num(low), "high": _num(high)},
        "sources": t.sources,
        "independent_sources": t.independent_sources,
    }


def _topic_matches(t: Topic, query: str | None) -> bool:
    if not query:
        return True
    q = _fold(query)
    return q in _fold(t.label) or q in _fold(t.concept) or q == t.id


def _num(x: float | None):
    if x is None:
        return None
    return int(x) if float(x).is_integer() and abs(x) < 1e15 else x


# ---------------------------------------------------------------------------------------
# Entry point


@dataclass(frozen=True, slots=True)
class UserRule:
    alias: str
    canonical: str
    rule: str = "alias"  # alias | split


def reconcile(ledgers: Iterable[Ledger], user_rules: Sequence[Any] = ()) -> Analysis:
    """Reconcile a corpus. ``user_rules`` are ``UserRule``s (or the store's ``UserAlias`` rows)."""
    # Publication order; documents of the same day keep the order given (the store gives
    # ingestion order), so the first copy of a syndicated story is the first one seen.
    docs = sorted(ledgers, key=lambda l: l.document.published or "9999")
    copies = find_copies(docs)
    resolver = _Sources(docs, [UserRule(r.alias, r.canonical, r.rule) for r in user_rules])
    sources, entity_sources, attribution_sources = resolver.run()
    by_id = {s.id: s for s in sources}
    said_on = {f"{l.document.id}:{a.id}": d for l in docs for a in l.attributions if (d := _said_on(l, a))}
    claim_links = _copy_claims(docs, copies)
    topics, quantity_topics = _topics(docs, by_id, attribution_sources, said_on, copies, claim_links)
    contradictions = _contradictions(docs, topics, by_id, attribution_sources, said_on, copies)
    documents = {l.document.id: {"title": l.document.title, "published": l.document.published,
                                 "source": l.document.source, "site": l.document.site} for l in docs}
    return Analysis(
        sources=tuple(sources), topics=tuple(topics), contradictions=tuple(contradictions), copies=copies,
        entity_sources=entity_sources, attribution_sources=attribution_sources, said_on=said_on,
        quantity_topics=quantity_topics, documents=documents,
    )


def reconcile_store(store) -> tuple[Analysis, dict[str, Ledger]]:
    """Reconcile every ledger in ``store`` (a ``store.Store``) under the user's alias rules,
    write the result back in one transaction (``Store.replace_reconciliation``), and return
    the analysis with the ledgers by document id (the HTML report quotes them)."""
    ledgers = {l.document.id: l for l in store.ledgers()}
    analysis = reconcile(ledgers.values(), store.user_aliases())
    store.replace_reconciliation(analysis.to_store())
    return analysis, ledgers


_ALIAS_LINE = re.compile(r"^(?P<a>.+?)\s*(?P<op>!=|=)\s*(?P<b>.+)$")


def read_alias_file(path) -> list[UserRule]:
    """The rules of a user alias file, one per line (``#`` starts a comment)::

        Zelenskyy = Volodymyr Zelensky        # another name of the same source
        Zoran Ilic != Stefan Ilic             # two sources, never merged

    The right-hand name of ``=`` becomes the source's canonical name. Raises ``InputError``
    naming the file and line of anything else."""
    import pathlib

    from ._errors import InputError

    path = pathlib.Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read the alias file: {exc.strerror or exc}", source=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("the alias file is not UTF-8 text", source=str(path)) from None
    rules = []
    for n, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = _ALIAS_LINE.match(line)
        if m is None:
            raise InputError(f"line {n}: expected 'ALIAS = CANONICAL' or 'NAME != OTHER NAME', got {line!r}",
                             source=str(path))
        rules.append(UserRule(m["a"].strip(), m["b"].strip(), "split" if m["op"] == "!=" else "alias"))
    return rules


# ---------------------------------------------------------------------------------------
# Names


def _fold(text: str) -> str:
    """Case- and accent-folded, punctuation to spaces: the key names are compared by."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("\u2019", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


_DETERMINERS = ("the ", "a ", "an ", "this ", "that ")


def name_key(text: str) -> str:
    key = _fold(text)
    for d in _DETERMINERS:
        if key.startswith(d):
            key = key[len(d):]
    return key


def _is_acronym(text: str) -> bool:
    letters = text.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w and w[0].isalpha()]
    small = {"of", "the", "and", "for", "de", "du", "la", "le", "al"}
    return "".join(w[0].upper() for w in words if w.lower() not in small) if len(words) >= 2 else ""


_GENERIC_POSSESSORS = re.compile(r"^(?:the )?(?:country|nation|government|state|region|city|city s)\s+")


def _description_keys(text: str) -> list[str]:
    """Keys of a description: "Serbia's disaster agency" -> ["serbia disaster agency",
    "disaster agency"]; "the country's disaster agency" -> ["disaster agency"]."""
    key = name_key(text)
    keys = [key]
    generic = _GENERIC_POSSESSORS.sub("", key)
    if generic != key:
        keys = [generic]
    words = key.split()
    if len(words) >= 3:
        keys.append(" ".join(words[1:]))  # without its possessor
    # "an aid group working in the flooded areas" -> "aid group": the noun phrase before
    # what follows its head.
    cut = next((i for i, w in enumerate(words) if i >= 2 and (w in _POSTMODIFIERS or w.endswith("ing"))), None)
    if cut is not None:
        keys.append(" ".join(words[:cut]))
    return list(dict.fromkeys(k for k in keys if len(k.split()) >= 2))


_POSTMODIFIERS = frozenset("in of for from with at on by based that which who whose to near".split())


_PERSONLIKE = {"PERSON"}
_ORGLIKE = {"ORG", "MEDIA"}


def _family(t: str) -> str:
    return "ORG" if t in _ORGLIKE else t


class _Sources:
    """Union-find over the entities of all documents."""

    def __init__(self, docs: list[Ledger], rules: list[UserRule]):
        self.docs = docs
        self.rules = rules
        self.nodes: list[tuple[str, Any]] = []  # (doc id, Entity)
        self.parent: list[int] = []
        self.of: dict[tuple[str, str], int] = {}
        self._splits = [(name_key(r.alias), name_key(r.canonical)) for r in rules if r.rule == "split"]
        self._keys: dict[int, set[str]] = {}  # root -> the folded names of its group (kept only with splits)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self._splits and self._split(ra, rb):
            return
        keep, gone = (ra, rb) if ra < rb else (rb, ra)
        self.parent[gone] = keep
        if self._splits:
            self._keys[keep] |= self._keys.pop(gone)

    def _split(self, ra: int, rb: int) -> bool:
        """A user's split rule names one group and the other."""
        na, nb = self._keys[ra], self._keys[rb]
        return any((x in na and y in nb) or (x in nb and y in na) for x, y in self._splits)

    def run(self):
        for l in self.docs:
            for e in l.entities:
                self.of[(l.document.id, e.id)] = len(self.nodes)
                if self._splits:
                    self._keys[len(self.nodes)] = {name_key(n) for n in (e.name, *e.aliases)}
                self.nodes.append((l.document.id, e))
                self.parent.append(len(self.parent))
        by_key: dict[tuple[str, str], int] = {}
        # 1. the same name (names and aliases; descriptions only for organisations)
        for i, (_, e) in enumerate(self.nodes):
            fam = _family(e.type)
            names = {e.name, *e.aliases} - set(e.descriptions if fam == "PERSON" else ())
            for n in names:
                k = name_key(n)
                if not k or (fam == "PERSON" and len(k.split()) < 2 and not _is_acronym(n)):
                    continue  # surnames alone are handled below
                key = (fam, k)
                if key in by_key:
                    self.union(by_key[key], i)
                else:
                    by_key[key] = i
        # 2. acronyms by initials
        initials: dict[tuple[str, str], int] = {}
        for i, (_, e) in enumerate(self.nodes):
            ini = _initials(e.name)
            if len(ini) >= 2:
                initials.setdefault((_family(e.type), ini), i)
        for i, (_, e) in enumerate(self.nodes):
            for n in (e.name, *e.aliases):
                if _is_acronym(n):
                    j = initials.get((_family(e.type), n.replace(".", "")))
                    if j is not None:
                        self.union(j, i)
        # 3. descriptions: an organisation known by a description joins the one described so
        desc_index: dict[str, set[int]] = defaultdict(set)
        for i, (_, e) in enumerate(self.nodes):
            if _family(e.type) == "ORG":
                for d in e.descriptions:
                    for k in _description_keys(d):
                        desc_index[k].add(self.find(i))
        # 4. an organisation named only by a description ("the water authority") joins the one
        # named source whose name ends in those words (the Regional Water Authority)
        self._described(desc_index)
        # 5. near-identical spellings and surnames
        self._fuzzy()
        self._surnames()
        # 6. user rules: alias merges
        self._user_aliases(by_key)
        return self._build(desc_index)

    def _described(self, desc_index: dict[str, set[int]]) -> None:
        tails: dict[str, set[int]] = defaultdict(set)
        described = []
        for i, (_, e) in enumerate(self.nodes):
            if _family(e.type) != "ORG":
                continue
            if _named_by_description(e):
                described.append(i)
                continue
            for ending in _name_endings((e.name, *e.aliases), e.descriptions):
                tails[ending].add(i)
        for i in described:
            key = name_key(self.nodes[i][1].name)
            # the one named organisation whose name ends so, or that another article describes so
            roots = {self.find(j) for j in tails.get(key, ())} or {
                self.find(j) for j in desc_index.get(key, ()) if not _named_by_description(self.nodes[j][1])}
            if len(roots) == 1:
                self.union(roots.pop(), i)

    def _fuzzy(self) -> None:
        """Zelensky ~ Zelenskyy, Petrovych ~ Petrovic: same type, same number of words, the
        same first letters, and a close spelling."""
        groups: dict[tuple[str, int, str], list[int]] = defaultdict(list)
        for i, (_, e) in enumerate(self.nodes):
            k = name_key(e.name)
            if len(k) >= 5 and not _is_acronym(e.name):
                groups[(_family(e.type), len(k.split()), k[:2])].append(i)
        for members in groups.values():
            if len(members) < 2:
                continue
            reps: dict[str, int] = {}
            for i in members:
                reps.setdefault(name_key(self.nodes[i][1].name), i)
            keys = list(reps)
            for a_idx, a in enumerate(keys):
                for b in keys[a_idx + 1:]:
                    if self.find(reps[a]) == self.find(reps[b]):
                        continue
                    if difflib.SequenceMatcher(None, a, b).ratio() >= 0.88 and _same_initials(a, b):
                        self.union(reps[a], reps[b])

    def _surnames(self) -> None:
        """A person named by surname alone joins the one person in the corpus with it."""
        full: dict[str, set[int]] = defaultdict(set)
        for i, (_, e) in enumerate(self.nodes):
            if e.type == "PERSON":
                for n in (e.name, *e.aliases):
                    words = name_key(n).split()
                    if len(words) >= 2:
                        for w in (words[-1], words[0]):
                            full[w].add(self.find(i))
        for i, (_, e) in enumerate(self.nodes):
            if e.type != "PERSON":
                continue
            words = name_key(e.name).split()
            if len(words) == 1:
                roots = {self.find(r) for r in full.get(words[0], ())}
                if len(roots) == 1:
                    self.union(roots.pop(), i)

    def _user_aliases(self, by_key: dict[tuple[str, str], int]) -> None:
        for r in self.rules:
            if r.rule != "alias":
                continue
            a, c = name_key(r.alias), name_key(r.canonical)
            ia = [i for (fam, k), i in by_key.items() if k == a]
            ic = [i for (fam, k), i in by_key.items() if k == c]
            for i in ia:
                for j in ic:
                    self.union(j, i)

    def _build(self, desc_index):
        groups: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.nodes)):
            groups[self.find(i)].append(i)
        order = sorted(groups.values(), key=lambda ms: (-len({self.nodes[i][0] for i in ms}), min(ms)))
        canonical_rule = {name_key(r.alias): r.canonical for r in self.rules if r.rule == "alias"}
        sources: list[Source] = []
        root_id: dict[int, str] = {}
        entity_sources: dict[tuple[str, str], str] = {}
        for k, members in enumerate(order):
            ents = [self.nodes[i][1] for i in members]
            sid = "s" + hashlib.sha1(_canonical(ents, canonical_rule).encode()).hexdigest()[:10]
            while sid in root_id.values():
                sid += "x"
            root = self.find(members[0])
            root_id[root] = sid
            for i in members:
                doc_id, e = self.nodes[i]
                entity_sources[(doc_id, e.id)] = sid
        for members in order:
            ents = [self.nodes[i][1] for i in members]
            root = self.find(members[0])
            aliases: list[str] = []
            descriptions: list[str] = []
            for e in ents:
                for a in (e.name, *e.aliases):
                    if a not in aliases:
                        aliases.append(a)
                for d in e.descriptions:
                    if d not in descriptions:
                        descriptions.append(d)
            name = _canonical(ents, canonical_rule)
            if name not in aliases:
                aliases.insert(0, name)
            affiliation = None
            for i in members:
                doc_id, e = self.nodes[i]
                if e.affiliation:
                    j = self.of.get((doc_id, e.affiliation))
                    if j is not None and self.find(j) != root:
                        affiliation = root_id[self.find(j)]
                        break
            types = Counter(e.type for e in ents)
            type_ = "MEDIA" if "MEDIA" in types else types.most_common(1)[0][0]
            sources.append(Source(
                id=root_id[root], name=name, type=type_, aliases=tuple(aliases),
                documents=len({self.nodes[i][0] for i in members}), affiliation=affiliation,
                descriptions=tuple(descriptions),
            ))
        # Speakers: the entity in their article, else a name or description of a known source.
        alias_index: dict[str, set[str]] = defaultdict(set)
        for s in sources:
            if s.type in ("NORP",):
                continue
            for a in s.aliases:
                alias_index[name_key(a)].add(s.id)
                for k in _description_keys(a) if a in s.descriptions else ():
                    alias_index[k].add(s.id)
        for k, roots in desc_index.items():
            for r in roots:
                alias_index[k].add(root_id[self.find(r)])
        # "the water authority" for the Regional Water Authority: the last words of a name
        # (one word only for a possessor below: "the coalition's field director").
        tail_index: dict[str, set[str]] = defaultdict(set)
        for s in sources:
            if _family(s.type) == "ORG":
                for ending in _name_endings(s.aliases, s.descriptions):
                    tail_index[ending].add(s.id)
        attribution_sources: dict[str, str] = {}
        for l in self.docs:
            for a in l.attributions:
                if a.speaker is None:
                    continue
                sid = None
                if a.speaker.entity:
                    sid = entity_sources.get((l.document.id, a.speaker.entity))
                if sid is None:
                    keys = [name_key(a.speaker.text), *_description_keys(a.speaker.text)]
                    for index in (alias_index, tail_index):
                        hits = next((h for k in keys if (h := index.get(k)) and (index is alias_index or " " in k)),
                                    None)
                        if hits and len(hits) == 1:
                            sid = next(iter(hits))
                            break
                if sid is not None:
                    attribution_sources[f"{l.document.id}:{a.id}"] = sid
        # "Ines Haller, the coalition's field director": a person's affiliation from the
        # possessor of a description, when it names one organisation of the corpus.
        for k, s in enumerate(sources):
            if s.type != "PERSON" or s.affiliation:
                continue
            for d in s.descriptions:
                m = _POSSESSOR.match(d)
                if m is None:
                    continue
                key = name_key(m[1])
                hits = alias_index.get(key) or tail_index.get(key)
                hits = {h for h in hits or () if h != s.id}
                if len(hits) == 1:
                    sources[k] = dataclasses.replace(s, affiliation=hits.pop())
                    break
        # A source's documents: those naming it, and those quoting it under a description.
        docs_of: dict[str, set[str]] = defaultdict(set)
        for (doc_id, _), sid in entity_sources.items():
            docs_of[sid].add(doc_id)
        for claim, sid in attribution_sources.items():
            docs_of[sid].add(claim.split(":", 1)[0])
        sources = [dataclasses.replace(s, documents=len(docs_of[s.id])) for s in sources]
        return sources, entity_sources, attribution_sources


_POSSESSOR = re.compile(r"^(?:the\s+)?([\w][\w\s.&-]*?)['\u2019]s\s+\w", re.I)


def _name_endings(names, descriptions) -> Iterator[str]:
    """The folded last words of each name, short of the whole ("water authority", "authority"
    for the Regional Water Authority); not of acronyms, nor of descriptions."""
    for n in names:
        if n in descriptions or _is_acronym(n):
            continue
        words = name_key(n).split()
        for k in range(1, len(words)):
            yield " ".join(words[-k:])


def _named_by_description(e) -> bool:
    """An entity the extractor made from a description alone ("national weather service")."""
    return bool(e.descriptions) and not any(ch.isupper() for ch in e.name)


def _same_initials(a: str, b: str) -> bool:
    return [w[0] for w in a.split()] == [w[0] for w in b.split()]


def _canonical(ents, rules: dict[str, str]) -> str:
    """The name most documents use; for people the fullest; a gazetteer or user name wins."""
    for e in ents:
        for n in (e.name, *e.aliases):
            if name_key(n) in rules:
                return rules[name_key(n)]
    named = [e for e in ents if not _named_by_description(e)]
    counts = Counter(e.name for e in named or ents)
    if ents[0].type == "PERSON":
        return max(counts, key=lambda n: (len(n.split()), counts[n], _ascii_share(n)))
    full = [n for n in counts if not _is_acronym(n)] or list(counts)
    return max(full, key=lambda n: (counts[n], -len(n)))


def _ascii_share(text: str) -> float:
    return sum(ch.isascii() for ch in text) / max(1, len(text))


# ---------------------------------------------------------------------------------------
# Copies

_WORD = re.compile(r"\w+")


def _shingles(text: str, n: int = 5) -> set[int]:
    words = _WORD.findall(text.casefold())
    return {hash(" ".join(words[i:i + n])) for i in range(max(0, len(words) - n + 1))}


def find_copies(docs: list[Ledger], threshold: float = 0.6) -> dict[str, str]:
    """Syndicated copies: a later document most of whose 5-word shingles are in an earlier one.

    ``docs`` are in publication order; a copy maps to the earliest document it copies.
    Candidate pairs come from an inverted index of shingles, so the cost grows with the
    overlap between documents, not with the square of their number.
    """
    index: dict[int, list[int]] = defaultdict(list)
    shingles = [_shingles(l.document.text) for l in docs]
    copies: dict[str, str] = {}
    for i, sh in enumerate(shingles):
        if len(sh) < 20:
            for s in sh:
                index[s].append(i)
            continue
        counts: Counter[int] = Counter()
        for s in sh:
            for j in index.get(s, ()):
                counts[j] += 1
        best = None
        for j, shared in counts.most_common(5):
            if shared / len(sh) >= threshold or shared / max(1, len(shingles[j])) >= threshold:
                best = j if best is None or j < best else best
        if best is not None:
            original = docs[best].document.id
            copies[docs[i].document.id] = copies.get(original, original)
        for s in sh:
            index[s].append(i)
    return copies


def _content_words(text: str) -> set[str]:
    """Content words, folded so "damage"/"damaged" and "soldiers"/"troops" meet (a crude
    prefix stem: the first five letters of longer words, after synonyms and plurals)."""
    out = set()
    for w in _WORD.findall(text.casefold()):
        if w in _STOP or w.isdigit():
            continue
        w = _stem(w)
        out.add(w[:5] if len(w) > 6 else w)
    return out


def _copy_claims(docs: list[Ledger], copies: dict[str, str]) -> dict[str, str]:
    """Claims of a copy -> the same claim in its original ("<doc>:a3" -> "<doc>:a2")."""
    by_id = {l.document.id: l for l in docs}
    out = {}
    for copy_id, original_id in copies.items():
        copy, original = by_id[copy_id], by_id.get(original_id)
        if original is None:
            continue
        originals = [(a, _content_words(a.content.text)) for a in original.attributions]
        for a in copy.attributions:
            words = _content_words(a.content.text)
            best, score = None, 0.0
            for b, bw in originals:
                j = len(words & bw) / max(1, len(words | bw))
                if j > score:
                    best, score = b, j
            if best is not None and score >= 0.5:
                out[f"{copy_id}:{a.id}"] = f"{original_id}:{best.id}"
        for q in copy.quantities:
            match = next((p for p in original.quantities if p.text == q.text and p.concept == q.concept), None)
            if match is not None:
                out[f"{copy_id}:{q.id}"] = f"{original_id}:{match.id}"
    return out


# ---------------------------------------------------------------------------------------
# Topics

# The counted thing, folded: soldiers and forces are troops.
_CONCEPT_SYNONYMS = {
    "troop": "troops", "soldier": "troops", "force": "troops", "personnel": "troops", "serviceman": "troops",
    "servicemen": "troops", "fighter": "troops", "servicemember": "troops", "infantry": "troops", "army": "troops",
    "person": "people", "people": "people", "resident": "people", "civilian": "people", "inhabitant": "people",
    "individual": "people", "citizen": "people", "villager": "people", "family": "families",
    "home": "homes", "house": "homes", "dwelling": "homes", "household": "households",
    "death": "deaths", "fatality": "deaths", "casualty": "casualties", "body": "deaths",
    "refugee": "refugees", "migrant": "migrants", "evacuee": "people", "child": "children", "kid": "children",
}

# Context words that set a figure apart: those killed are not those displaced.
_QUALIFIERS = [
    ("deserted", ("desert", "deserted", "deserter", "defected", "defect")),
    ("dead", ("killed", "dead", "died", "death", "deaths", "die", "fatalities", "perished", "lost their lives")),
    ("injured", ("injured", "wounded", "hurt", "injuries")),
    ("missing", ("missing", "unaccounted")),
    ("displaced", ("displaced", "evacuated", "evacuate", "fled", "homeless", "evacuation", "uprooted", "forced from",
                   "left their homes", "fled their homes", "driven from")),
    ("rescued", ("rescued", "saved", "rescue")),
    ("arrested", ("arrested", "detained", "jailed")),
    ("sheltered", ("shelter", "shelters", "sheltering")),
    ("destroyed", ("destroyed", "flattened", "razed", "burned", "burnt")),
    ("damaged", ("damaged",)),
    ("inspected", ("inspected", "assessed", "surveyed")),
    ("unsafe", ("unsafe", "uninhabitable", "condemned")),
    ("first phase", ("first phase", "first wave", "first cadre", "first batch", "first group", "first contingent",
                     "initial deployment", "first stage")),
    ("still unable to return", ("unable to return", "cannot return", "could not return", "not yet returned",
                                "still displaced")),
    ("returned", ("returned", "returning", "back home", "back in their homes", "back to their homes", "gone home",
                  "went home", "gone back", "went back")),
]

_DEMONYMS = {
    "north korean": "North Korea", "south korean": "South Korea", "russian": "Russia", "ukrainian": "Ukraine",
    "american": "United States", "chinese": "China", "serbian": "Serbia", "iranian": "Iran", "israeli": "Israel",
    "british": "United Kingdom", "french": "France", "german": "Germany", "syrian": "Syria", "turkish": "Turkey",
    "indian": "India", "pakistani": "Pakistan", "afghan": "Afghanistan", "iraqi": "Iraq", "japanese": "Japan",
    "palestinian": "Palestine", "lebanese": "Lebanon", "yemeni": "Yemen", "sudanese": "Sudan",
    "belarusian": "Belarus", "polish": "Poland", "nato": "NATO", "eu": "European Union",
}

_TIME_UNITS = {"year", "month", "week", "day", "hour", "minute", "second", "year of age", "decade", "century"}


def _stem(word: str) -> str:
    w = word.casefold()
    if w in _CONCEPT_SYNONYMS:
        return _CONCEPT_SYNONYMS[w]
    for suf, rep in (("ies", "y"), ("sses", "ss"), ("ves", "f"), ("s", "")):
        if w.endswith(suf) and len(w) > len(suf) + 2:
            base = w[: -len(suf)] + rep
            return _CONCEPT_SYNONYMS.get(base, base)
    return w


_STOP = frozenset("""
a an the of to in on at for from by with and or but that this these those is are was were be been being has have
had will would could should may might can it its their they them he she his her we our you your i me my as than
then there here which who whom what when where why how also not no more most some any all each other such only
over under about into out up down said says say told tell according new one two three
""".split())


def _actor(q: Quantity, places: dict[str, str]) -> str | None:
    """Whose figure it is: a demonym in the concept ("North Korean troops" -> North Korea), or
    what the quantity is about when that is a country, a people or an organisation named in
    the article ("Acme employs 13,000 workers"). People and descriptions are not actors: a
    minister's count of municipalities is the country's count. ``places`` maps the folded
    names of the article's GPE, NORP, ORG and MEDIA entities to their canonical names."""
    folded = _fold(q.concept or "")
    for demonym, place in _DEMONYMS.items():
        if folded.startswith(demonym + " ") or f" {demonym} " in f" {folded} ":
            return place
    about = getattr(q, "about", None)
    if about:
        a = name_key(about)
        if a in _DEMONYMS:
            return _DEMONYMS[a]
        return places.get(a)
    return None


def _actor_names(l: Ledger) -> dict[str, str]:
    out = {}
    for e in l.entities:
        if e.type in ("GPE", "NORP", "ORG", "MEDIA") and not _named_by_description(e):
            for n in (e.name, *e.aliases):
                out.setdefault(name_key(n), _DEMONYMS.get(name_key(e.name), e.name))
    return out


def _base_concept(q: Quantity) -> str | None:
    if not q.concept:
        return None
    words = [w for w in _WORD.findall(q.concept.casefold()) if w not in _STOP]
    if not words:
        return None
    return _stem(words[-1])


# Where a clause ends inside a sentence: "At least two people died | and about 1,500 were evacuated".
_CLAUSE_BREAK = re.compile(r",\s|;\s|\s(?:and|but|while|whereas)\s|\s[-\u2013\u2014]\s")


_PARTITIVE = re.compile(r"\s+of\s+(?:the|its|their|those|these)\s.*?(\s(?:have|has|had|are|is|were|was|will|would|"
                        r"could|may|might|remain|remained|remains|still)\s)", re.S)


def _qualifier(text: str, start: int, end: int) -> str | None:
    """The context word nearest the figure: in its own clause if there is one there ("about
    1,500 residents have been evacuated"), else anywhere in its sentence."""
    lo = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), text.rfind(";", 0, start), 0)
    hi_candidates = [i for i in (text.find(". ", end), text.find("\n", end), text.find(";", end)) if i >= 0]
    hi = min(hi_candidates) if hi_candidates else len(text)
    breaks = [m for m in _CLAUSE_BREAK.finditer(text, lo, hi)]
    c_lo = max([m.end() for m in breaks if m.end() <= start], default=lo)
    c_hi = min([m.start() for m in breaks if m.start() >= end], default=hi)
    spans = [(c_lo, c_hi), (lo, hi)]
    # "More than 6,000 of the 18,500 people registered as displaced have gone back": what
    # describes the whole is not what the part did; read from the part's verb on.
    if (part := _PARTITIVE.match(text, end, hi)) is not None:
        spans.insert(0, (part.end(1), max(c_hi, part.end(1))))
    # The whole of a partitive ("of the 18,500 people registered as displaced") is described
    # by the words next to it, not by what its part did.
    whole = re.search(r"\bof\s+(?:the|its|their)\s+$", text[max(lo, start - 14):start]) is not None
    for a, b in spans:
        clause = text[a:b].casefold()
        pos = start - a
        best, dist = None, None
        found = set()
        for label, words in _QUALIFIERS:
            for w in words:
                for m in re.finditer(r"\b" + re.escape(w) + r"\b", clause):
                    found.add(label)
                    d = abs(m.start() - pos)
                    if dist is None or d < dist:
                        best, dist = label, d
        # "Thousands of people displaced by floods began returning home": going home, or not
        # yet, is what is said of people displaced; in one clause it wins over "displaced".
        if best == "displaced" and not whole:
            best = next((q for q in _AFTER_DISPLACEMENT if q in found), best)
        if best is not None:
            return best
    return None


_AFTER_DISPLACEMENT = ("still unable to return", "returned")


# A place a figure is said to hold for: the name after "in", "near" ... and up to three words
# ("in western and central Serbia", "near the town of Sabac").
_PLACE_PREP = re.compile(r"\b(?:in|at|near|around|across|from)\s+(?:[\w\u2019'-]+\s+){0,3}$", re.I)
_OPENING_PLACE = re.compile(r"(?:In|At|Near|Across)\s+")
# "In Obrenovac, where the river ...": a paragraph opening on a capitalised name and a comma
# names its place even where the tagger missed it (months, days and years are times).
_OPENING_NAME = re.compile(r"(?:In|At|Near|Across)\s+([A-Z][\w\u2019'-]+(?:\s+[A-Z][\w\u2019'-]+){0,2}),")
_TIME_NAMES = frozenset("""january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday""".split())


def _places(l: Ledger, start: int, end: int) -> tuple[str, ...]:
    """Where a figure holds, as the text says it: the places (GPE, LOC, FAC) named after "in",
    "at", "near" ... in the figure's clause, between commas ("Some 1,800 people whose homes in
    Sabac were flooded"; not "..., as the river broke through an embankment near Sabac"), else
    an opening "In Obrenovac, ..." of its paragraph (a tagged place, or a capitalised name
    before the comma). Empty when the text names none (the figure holds wherever the story
    does)."""
    text = l.document.text
    lo = max(text.rfind(". ", 0, start) + 1, text.rfind("\n", 0, start) + 1, text.rfind(", ", 0, start) + 1,
             text.rfind(";", 0, start) + 1, 0)
    his = [i for i in (text.find(". ", end), text.find("\n", end), text.find(", ", end), text.find(";", end)) if i >= 0]
    hi = min(his) if his else len(text)
    para = text.rfind("\n", 0, start) + 1
    found: set[str] = set()
    opening: set[str] = set()
    for e in l.entities:
        if e.type not in ("GPE", "LOC", "FAC"):
            continue
        for s, _ in e.mentions:
            if lo <= s < hi and _PLACE_PREP.search(text, max(lo, s - 40), s):
                found.add(e.name)
            elif _OPENING_PLACE.fullmatch(text, para, s):
                opening.add(e.name)
    if not found and not opening and (m := _OPENING_NAME.match(text, para)) is not None:
        if m.group(1).split()[0].casefold() not in _TIME_NAMES:
            opening.add(m.group(1))
    return tuple(sorted(found or opening))


def _apart(x: Estimate, y: Estimate) -> bool:
    """Two figures of different places (both named, none shared): neither revises or
    contradicts the other ("600 in Obrenovac's shelters", "1,800 from Sabac in shelters")."""
    return bool(x.places) and bool(y.places) and not {_fold(p) for p in x.places} & {_fold(p) for p in y.places}


def _sentence(text: str, start: int, end: int) -> str:
    stop = text.rfind(". ", 0, start)
    lo = max(stop + 2 if stop >= 0 else 0, text.rfind("\n", 0, start) + 1)
    his = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    hi = min(his) + 1 if his else len(text)
    return text[lo:hi].strip()


def _topics(docs, sources, attribution_sources, said_on, copies, claim_links):
    names = {s.id: s.name for s in sources.values()}
    groups: dict[tuple, list[tuple[Estimate, str]]] = defaultdict(list)
    copy_of_claim: dict[str, list[str]] = defaultdict(list)
    for copy_claim, original_claim in claim_links.items():
        copy_of_claim[original_claim].append(copy_claim.split(":")[0])
    for l in docs:
        doc_id = l.document.id
        if doc_id in copies:
            continue  # a copy's figures are its original's
        attributions = {a.id: a for a in l.attributions}
        places = _actor_names(l)
        for q in l.quantities:
            key = _topic_key(q, l.document.text, places)
            if key is None:
                continue
            a = attributions.get(q.attribution) if q.attribution else None
            claim_id = f"{doc_id}:{a.id}" if a else f"{doc_id}:{q.id}"
            sid = attribution_sources.get(claim_id) if a else None
            source = _source_name(l, a, sid, names)
            copies_here = sorted(set(copy_of_claim.get(claim_id, [])) | set(copy_of_claim.get(f"{doc_id}:{q.id}", [])))
            groups[key].append((Estimate(
                claim_id=claim_id, quantity_id=f"{doc_id}:{q.id}", document_id=doc_id, source=source,
                source_id=sid or (None if a else f"article:{l.document.site or doc_id}"),
                text=q.text, value=q.value, low=q.low, high=q.high, bound=q.bound,
                said_on=said_on.get(claim_id) or l.document.published, published=l.document.published,
                copies=tuple(copies_here), sentence=_sentence(l.document.text, q.start, q.end),
                via=tuple(v.name for v in a.via) if a else (), places=_places(l, q.start, q.end),
            ), q.concept or q.unit or ""))
    # A figure with no actor joins the one topic of the same kind that has one.
    with_actor: dict[tuple, list[tuple]] = defaultdict(list)
    for key in groups:
        if key[0]:
            with_actor[key[1:]].append(key)
    for key in list(groups):
        # Only into the main series, and not plain "people" (too vague to give to an actor):
        # one village's count of the displaced does not make the national count that village's.
        owners = with_actor.get(key[1:], [])
        specific = bool(key[2]) or key[1] != "people"
        if not key[0] and specific and len(owners) == 1 and len(groups[owners[0]]) >= len(groups[key]):
            groups[owners[0]].extend(groups.pop(key))
    topics, quantity_topics = [], {}
    for key in sorted(groups, key=lambda k: (-len(groups[k]), k)):
        actor, base, qualifier, unit = key
        items = sorted(groups[key], key=lambda x: (x[0].said_on or "", x[0].claim_id))
        concepts = Counter(c for _, c in items if c)
        concept = concepts.most_common(1)[0][0] if concepts else (unit or base)
        label = " ".join(x for x in (actor, base if base else (unit or "")) if x)
        if qualifier:
            label += f" ({qualifier})"
        if unit and base:
            label += f" [{unit}]"
        tid = "t" + hashlib.sha1(repr(key).encode()).hexdigest()[:10]
        estimates = tuple(e for e, _ in items)
        topics.append(Topic(tid, label, concept, unit, actor or None, qualifier or None, estimates))
        for e in estimates:
            quantity_topics[e.quantity_id] = tid
    return topics, quantity_topics


# Units of length: a figure in one followed by a direction says where something is
# ("about 30 kilometres southwest of Belgrade"), not how much of anything there is.
_LENGTH_UNITS = frozenset({"metre", "kilometre", "centimetre", "millimetre", "mile", "foot", "yard", "inch",
                           "nautical mile"})
_WHERE = re.compile(r"\s*(?:\w+\s+)?(?:from|off|away|outside|inland|upstream|downstream|(?:north|south|east|west|"
                    r"northwest|northeast|southwest|southeast|north-west|north-east|south-west|south-east)(?:\s+of)?)\b",
                    re.I)


def _topic_key(q: Quantity, text: str, places: dict[str, str] | None = None) -> tuple | None:
    base = _base_concept(q)
    unit = q.unit
    if base is None and unit is None:
        return None
    if unit in _TIME_UNITS and base is None:
        return None  # "for the first time in 24 years": a duration, not an estimate
    if base is None and unit == "percent":
        return None
    if unit in _LENGTH_UNITS and _WHERE.match(text, q.end):
        return None
    # Killed, displaced, missing ... say what happened to people and things counted; a measure
    # ("310 tonnes of aid" in a sentence about the displaced) is set apart by its unit.
    qualifier = _qualifier(text, q.start, q.end) if unit is None else None
    return (_actor(q, places or {}) or "", base or "", qualifier or "", unit or "")


def _source_name(l: Ledger, a: Attribution | None, sid: str | None, names: dict[str, str]) -> str:
    if sid:
        return names[sid]
    if a is not None and a.speaker is not None:
        return a.speaker.name or a.speaker.text
    if a is not None:
        return "unattributed (" + (a.hedges[0] if a.hedges else a.cue.text if a.cue else "reported") + ")"
    return l.document.site or l.document.title or l.document.source


def _said_on(l: Ledger, a: Attribution) -> str | None:
    if a.said_time:
        t = next((t for t in l.times if t.id == a.said_time), None)
        if t is not None and t.start_date and len(t.start_date) == 10 and t.grain in ("day", "week"):
            return t.start_date
    return l.document.published


# ---------------------------------------------------------------------------------------
# Contradictions


_VAGUE = re.compile(r"^(?:some |several |many |a few |about |nearly )?(?:dozens|hundreds|thousands|millions|billions|"
                    r"tens of thousands|hundreds of thousands|scores)\b", re.I)


def _interval(e: Estimate) -> tuple[float, float] | None:
    """The values an estimate allows; None for vague ones ("thousands") that bound nothing."""
    if _VAGUE.match(e.text.strip()):
        return None
    inf = float("inf")
    if e.bound == "range" and e.low is not None and e.high is not None:
        return (e.low, e.high)
    v = e.value if e.value is not None else (e.low if e.low is not None else e.high)
    if v is None:
        return None
    if e.bound == "approx":
        return (v * 0.9, v * 1.1)
    if e.bound == "at_least":
        return (v, inf)
    if e.bound == "at_most":
        return (0.0, v)
    return (v * 0.99, v * 1.01)


def _disjoint(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[1] < b[0] or b[1] < a[0]


def _days(a: str | None, b: str | None) -> int | None:
    try:
        return abs((dt.date.fromisoformat(a[:10]) - dt.date.fromisoformat(b[:10])).days)
    except (TypeError, ValueError):
        return None


# Readings of a state that changes by the hour (a level, a temperature, a speed): two
# different readings are neither a revision nor a conflict.
_READING_UNITS = _LENGTH_UNITS | {"degree Celsius", "degree Fahrenheit", "kelvin", "mile per hour",
                                  "kilometre per hour", "metre per second", "knot"}

# A source's figure stands until it gives a new one, for at most this many days.
STANDING_DAYS = 14


def _article_voice(e: Estimate) -> bool:
    return e.claim_id == e.quantity_id


def _speaks_for(e: Estimate, sources: dict[str, Source]) -> str:
    """The source an estimate counts for: a spokesman's figures are their organisation's."""
    sid = e.source_id or e.source
    s = sources.get(sid)
    if s is not None and s.type == "PERSON" and s.affiliation:
        return s.affiliation
    return sid


def _contradictions(docs, topics, sources, attribution_sources, said_on, copies) -> list[Contradiction]:
    out: list[Contradiction] = []
    names = {s.id: s.name for s in sources.values()}
    for t in topics:
        if t.unit in _READING_UNITS:
            continue  # a river's level or a temperature changes: readings, not estimates
        # The article's own figures restate its sources; they contradict nobody themselves.
        ests = sorted((e for e in t.estimates if not _article_voice(e)), key=lambda e: (e.said_on or "", e.claim_id))
        by_source: dict[str, list[Estimate]] = defaultdict(list)
        for e in ests:
            by_source[_speaks_for(e, sources)].append(e)
        # Revisions: one source's figure changing over time.
        for sid, es in by_source.items():
            for x, y in zip(es, es[1:]):
                ix, iy = _interval(x), _interval(y)
                if ix and iy and (x.said_on or "") < (y.said_on or "") and _disjoint(ix, iy) and not _apart(x, y):
                    who = names.get(sid, x.source)
                    out.append(Contradiction(
                        x.claim_id, y.claim_id, x.source, y.source, x.text, y.text, "revision",
                        f"{who} put {t.label} at {x.text} on {x.said_on}, then at {y.text} on {y.said_on}",
                        t.id, x.source_id, y.source_id,
                    ))
        # Conflicts: a figure against the standing figure of every other source, the latest it
        # gave up to that day (and not older than STANDING_DAYS), when the two cannot both hold.
        # A disagreement restated (the same two figures of the same two sources) is listed once.
        seen: set[frozenset] = set()
        for y in ests:
            ys = _speaks_for(y, sources)
            iy = _interval(y)
            if iy is None:
                continue
            for xs, es in by_source.items():
                if xs == ys:
                    continue
                standing = [x for x in es if (x.said_on or "") <= (y.said_on or "") and x.claim_id != y.claim_id]
                if not standing:
                    continue
                x = standing[-1]
                days = _days(x.said_on, y.said_on)
                ix = _interval(x)
                if days is None or days > STANDING_DAYS or ix is None or not _disjoint(ix, iy) or _apart(x, y):
                    continue
                key = frozenset({(xs, ix), (ys, iy)})
                if key in seen:
                    continue
                seen.add(key)
                out.append(Contradiction(
                    x.claim_id, y.claim_id, x.source, y.source, x.text, y.text, "conflict",
                    f"{t.label}: {x.source} says {x.text} ({x.said_on}), {y.source} says {y.text} ({y.said_on}); "
                    f"the figures cannot both hold",
                    t.id, x.source_id, y.source_id,
                ))
    out.extend(_denials(docs, sources, attribution_sources, said_on, copies))
    return out


# Words of a denial that say it is one, not what it is about.
_DENIAL_WORDS = frozenset("""
report reports reporting claim claims allegation allegations estimate estimates statement rumour rumor
rumours rumors evidence proof sign signs unfounded false untrue baseless fake completely totally
entirely dismiss dismissed deny denied reject rejected guess count nonsense lie lies
""".split())


def _denials(docs, sources, attribution_sources, said_on, copies) -> list[Contradiction]:
    """A negated claim against the other sources' claims it is about.

    A candidate is a claim by another source, not itself negated, made up to ten days
    before the denial (or the day after). Its score is the share of the denial's topic
    words (its content and sentence, minus the words that make it a denial) that the claim
    contains, each word weighted by how rare it is in the corpus; a denial that names the
    claim's source ("dismissed the coalition's estimate") counts that source's claims fully.
    """
    import math

    names = {s.id: s.name for s in sources.values()}
    claims = []
    df: Counter[str] = Counter()
    for l in docs:
        if l.document.id in copies:
            continue
        for a in l.attributions:
            cid = f"{l.document.id}:{a.id}"
            words = _content_words(a.content.text)
            claims.append((l, a, cid, attribution_sources.get(cid), words))
            df.update(words)
    n = max(1, len(claims))

    def idf(w: str) -> float:
        return math.log((n + 1) / (df.get(w, 0) + 1)) + 0.1

    out = []
    for l, d, did, dsid, _ in claims:
        if not d.negated:
            continue
        sentence = _sentence(l.document.text, d.content.start, d.content.end)
        topic = (_content_words(d.content.text) | _content_words(sentence)) - _DENIAL_WORDS
        speaker_words = _content_words(d.speaker.text) if d.speaker else set()
        topic -= speaker_words
        total = sum(idf(w) for w in topic) or 1.0
        d_date = said_on.get(did) or l.document.published
        d_source = _source_name(l, d, dsid, names)
        named = {sid for sid, s in sources.items() if sid != dsid and s.type in ("ORG", "MEDIA", "PERSON")
                 and any(_names_in(alias, d.content.text) for alias in s.aliases if len(alias) > 3)}
        scored = []
        d_for = _for(dsid, sources)
        says_reports = bool(re.search(r"\b(?:reports?|rumou?rs?|claims?|allegations?)\b", d.content.text, re.I))
        for l2, c, cid, csid, words in claims:
            if c is d or c.negated or not words or (dsid is not None and _for(csid, sources) == d_for):
                continue  # a source does not deny itself (nor its spokesman)
            days = _signed_days(said_on.get(cid) or l2.document.published, d_date)
            if days is None or days < -1 or days > 10:
                continue
            shared = words & topic
            score = sum(idf(w) for w in shared) / total
            if csid in named:
                score += 0.5
            if says_reports and (c.cue is not None and c.cue.text.lower().startswith("report") or
                                 csid and sources.get(csid) is not None and sources[csid].type == "MEDIA"):
                score += 0.3  # "dismissed the reports": a medium's report is the likelier target
            if (shared or csid in named) and score >= 0.3:
                scored.append((score, -abs(days), l2, c, cid, csid))
        scored.sort(key=lambda x: (x[0], x[1]), reverse=True)
        for score, _, l2, c, cid, csid in scored[:2]:
            c_source = _source_name(l2, c, csid, names)
            out.append(Contradiction(
                did, cid, d_source, c_source, d.content.text, c.content.text, "denial",
                f"{d_source} {d.cue.text if d.cue else 'denies'}: \u201c{_short(d.content.text)}\u201d, "
                f"against {c_source}: \u201c{_short(c.content.text)}\u201d",
                None, dsid, csid,
            ))
    return out


def _for(sid: str | None, sources: dict[str, Source]) -> str | None:
    s = sources.get(sid) if sid else None
    return s.affiliation if s is not None and s.type == "PERSON" and s.affiliation else sid


def _names_in(alias: str, text: str) -> bool:
    """The alias, or its last word for a multi-word organisation ("the coalition"), is in the text."""
    t = _fold(text)
    a = name_key(alias)
    if not a:
        return False
    if re.search(r"\b" + re.escape(a) + r"\b", t):
        return True
    last = a.split()[-1]
    return len(a.split()) >= 2 and len(last) > 4 and re.search(r"\bthe " + re.escape(last) + r"\b", t) is not None


def _signed_days(a: str | None, b: str | None) -> int | None:
    """b - a in days."""
    try:
        return (dt.date.fromisoformat(b[:10]) - dt.date.fromisoformat(a[:10])).days
    except (TypeError, ValueError):
        return None


def _short(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "\u2026"


# dataclasses is imported for callers that replace fields on results.
__all__ = ["Analysis", "Contradiction", "Estimate", "Source", "Topic", "UserRule", "find_copies", "reconcile",
           "reconcile_store", "read_alias_file",
           "name_key", "dataclasses"]
