"""Entities within one article: mentions, clusters, aliases, affiliations, and coreference.

The ``claimscope_entities_v1`` component reads spaCy's named entities and the dependency
parse, and groups mentions of one source under one entity:

* possessive variants: "Kyiv's Defense Intelligence Directorate" and "Ukraine's Defense
  Intelligence Directorate" are the directorate (the owner becomes a GPE mention of its own);
* titles: "Lieutenant General Kyrylo Budanov" is the person Kyrylo Budanov (titles kept);
* surname-only mentions: "Budanov" joins the nearest preceding full name that contains it;
* acronyms: "the National Intelligence Service (NIS)", or any acronym equal to a name's initials;
* appositives: "South Korea's spy agency, the National Intelligence Service" makes the
  description an alias; a news-like description ("a major South Korean news agency",
  "the public broadcasting company of Ukraine") makes the entity MEDIA;
* affiliation: "Budanov of Ukraine's Defense Intelligence Directorate", "NATO
  Secretary-General Mark Rutte" tie the person to the organisation.

It also resolves speaker mentions that are not names: pronouns ("He", "It") by recency,
salience (the last speaker, grammatical subjects), number, person vs organisation and
known gender; definite descriptions ("the agency", "the minister", "the pact") to the most
recent entity that fits the description. ``resolve_mention`` is what the attribution stage
calls for each speaker.

Merges never cross types (a person is never merged with an organisation).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from . import _lexicon as lex
from ._models import Entity
from .nlp import sentences

# spaCy labels we keep, and the contract type they map to.
_LABELS = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "NORP": "NORP",
    "LOC": "LOC",
    "FAC": "FAC",
    "LAW": "DOCUMENT",
}
_ORGLIKE = frozenset({"ORG", "MEDIA"})
_NONPERSON_SPEAKERS = frozenset({"ORG", "MEDIA", "GPE", "DOCUMENT"})
# The last word of many newspaper and broadcaster names.
_MEDIA_NAME_WORDS = frozenset("""
chronicle times post herald gazette journal tribune news wire daily observer telegraph courier
monitor examiner inquirer register sentinel bulletin dispatch mirror express record recorder
review star standard globe independent guardian broadcasting tv television radio
""".split())
# Words that make a description a news organisation's ("a major South Korean news agency").
_NEWS_WORDS = frozenset("news newspaper broadcaster broadcasting television tv radio magazine tabloid outlet "
                        "newswire daily weekly".split())
# Newspaper-name words that are also surnames ("Emily Post", "Ringo Starr" aside).
_SURNAME_LIKE = frozenset("post star globe standard guardian express mirror record review".split())
# Names of events are organisations to the model ("Rincon Ridge Fire"); they never speak.
_EVENT_WORDS = frozenset("""
fire fires wildfire blaze flood floods flooding storm hurricane typhoon cyclone earthquake quake
tsunami drought war crisis festival games olympics cup championship election summit conference
marathon outbreak pandemic epidemic scandal affair
""".split())
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_QUOTE_CHARS = "\"“”«»'‘’"
_LOWER_NAME_WORDS = frozenset("of the and for de du la le al bin van von der den da di y".split())


@dataclass(slots=True)
class Mention:
    """One mention of an entity: token range [start, end) and char range."""

    start: int
    end: int
    start_char: int
    end_char: int
    text: str
    cluster: int
    kind: str = "name"  # "name" | "description" | "pronoun"
    is_subject: bool = False
    sent: int = 0


@dataclass(slots=True)
class Cluster:
    """An entity being built: every name and description that refers to it."""

    type: str
    names: list[str] = field(default_factory=list)  # normalised names, in order of appearance
    surfaces: list[str] = field(default_factory=list)  # every surface form (aliases)
    mentions: list[Mention] = field(default_factory=list)
    titles: set[str] = field(default_factory=set)  # lower-case title words ("minister")
    descriptions: list[str] = field(default_factory=list)
    heads: set[str] = field(default_factory=set)  # lemmas of description heads ("agency")
    gender: str | None = None  # "m" | "f"
    affiliation: int | None = None  # cluster index
    canonical: str | None = None  # a gazetteer name wins over every other
    alive: bool = True
    merged_into: int | None = None

    def add_surface(self, text: str) -> None:
        text = text.strip()
        if text and text not in self.surfaces:
            self.surfaces.append(text)


class EntityTable:
    """The entities of one doc, with a token index for lookups.

    Built by the component; the attribution stage reads it and may add mentions
    (a resolved "the agency"); ``finalize()`` turns it into the ledger's ``Entity`` tuple.
    """

    def __init__(self, doc: Doc):
        self.doc = doc
        self.clusters: list[Cluster] = []
        self.mentions: list[Mention] = []
        self.by_token: dict[int, Mention] = {}
        self._ids: dict[int, str] | None = None
        self.spoke: list[int] = []  # clusters that have been speakers, in reading order

    # -- building -------------------------------------------------------------------------

    def new_cluster(self, type_: str) -> int:
        self.clusters.append(Cluster(type=type_))
        return len(self.clusters) - 1

    def find(self, ci: int) -> int:
        while self.clusters[ci].merged_into is not None:
            ci = self.clusters[ci].merged_into
        return ci

    def merge(self, a: int, b: int) -> int:
        """Merge cluster b into cluster a (both resolved first); returns the survivor."""
        a, b = self.find(a), self.find(b)
        if a == b:
            return a
        if a > b:  # keep the earlier cluster as the survivor
            a, b = b, a
        ca, cb = self.clusters[a], self.clusters[b]
        if ca.type != cb.type:
            if {ca.type, cb.type} <= {"ORG", "MEDIA"}:
                ca.type = "MEDIA"
            else:
                return a  # never merge across types
        for n in cb.names:
            if n not in ca.names:
                ca.names.append(n)
        for s in cb.surfaces:
            ca.add_surface(s)
        ca.mentions.extend(cb.mentions)
        ca.titles |= cb.titles
        ca.heads |= cb.heads
        for d in cb.descriptions:
            if d not in ca.descriptions:
                ca.descriptions.append(d)
        ca.gender = ca.gender or cb.gender
        ca.affiliation = ca.affiliation if ca.affiliation is not None else cb.affiliation
        ca.canonical = ca.canonical or cb.canonical
        cb.alive = False
        cb.merged_into = a
        for m in cb.mentions:
            m.cluster = a
        return a

    def add_mention(self, ci: int, start: int, end: int, kind: str = "name") -> Mention | None:
        """Add tokens [start, end) as a mention of cluster ci (skips overlaps with a name)."""
        doc = self.doc
        while start < end and (doc[start].is_punct or doc[start].is_space):
            start += 1
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        if start >= end:
            return None
        ci = self.find(ci)
        if kind == "name":
            for i in range(start, end):
                old = self.by_token.get(i)
                if old is not None:
                    return old if self.find(old.cluster) == ci else None
        span = doc[start:end]
        m = Mention(start, end, span.start_char, span.end_char, span.text, ci, kind,
                    is_subject=_is_subject(span.root), sent=self.sent_index(start))
        self.clusters[ci].mentions.append(m)
        bisect.insort(self.mentions, m, key=lambda x: x.start)
        # A description may hold names ("South Korea's spy agency"); it claims only free tokens.
        for i in range(start, end):
            self.by_token.setdefault(i, m)
        return m

    def sent_index(self, i: int) -> int:
        return sentences(self.doc).index(i) if 0 <= i < len(self.doc) else 0

    # -- lookups --------------------------------------------------------------------------

    def cluster_at(self, i: int) -> int | None:
        m = self.by_token.get(i)
        return None if m is None else self.find(m.cluster)

    def entity_id(self, ci: int | None) -> str | None:
        if ci is None:
            return None
        if self._ids is None:
            self.finalize()
        return self._ids.get(self.find(ci)) if self._ids else None

    def name(self, ci: int | None) -> str | None:
        if ci is None:
            return None
        return _canonical(self.clusters[self.find(ci)])

    def type(self, ci: int) -> str:
        return self.clusters[self.find(ci)].type

    def note_gender(self, ci: int, pronoun: str) -> None:
        c = self.clusters[self.find(ci)]
        if c.type == "PERSON" and c.gender is None:
            if pronoun in lex.PRONOUNS_MALE:
                c.gender = "m"
            elif pronoun in lex.PRONOUNS_FEMALE:
                c.gender = "f"

    # -- output ---------------------------------------------------------------------------

    def finalize(self) -> tuple[Entity, ...]:
        """The ledger's entities, ordered by first mention, with stable ids e1, e2, ..."""
        live = [(i, c) for i, c in enumerate(self.clusters) if c.alive and c.mentions]
        live.sort(key=lambda ic: min(m.start_char for m in ic[1].mentions))
        self._ids = {i: f"e{k + 1}" for k, (i, _) in enumerate(live)}
        out = []
        for i, c in live:
            mentions = sorted({(m.start_char, m.end_char) for m in c.mentions if m.kind != "pronoun"})
            aff = self._ids.get(self.find(c.affiliation)) if c.affiliation is not None else None
            out.append(Entity(
                id=self._ids[i], name=_canonical(c), type=c.type,
                aliases=tuple(_aliases(c)), mentions=tuple(mentions),
                affiliation=aff if aff != self._ids[i] else None,
                descriptions=tuple(c.descriptions),
            ))
        return tuple(out)


# ---------------------------------------------------------------------------------------
# The component


@Language.factory("claimscope_entities_v1")
def make_entities(nlp: Language, name: str) -> "EntityTagger":
    return EntityTagger()


class EntityTagger:
    """Find entity mentions and group them; sets ``doc._.claimscope_entities``."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.claimscope_entities = build_entities(doc)
        return doc


def build_entities(doc: Doc) -> EntityTable:
    table = EntityTable(doc)
    index: dict[tuple[str, str], int] = {}  # (type, key) -> cluster
    person_clusters: list[int] = []

    for ent in doc.ents:
        _add_named(table, index, person_clusters, ent)
    _add_unlabelled_names(table, index, person_clusters, doc)
    _add_quoted_documents(table, index, doc)
    _link_acronyms(table, index)
    _link_appositives(table, doc)
    _link_affiliations(table, doc)
    return table


def _add_named(table: EntityTable, index: dict, persons: list[int], ent: Span) -> None:
    doc = ent.doc
    label = _LABELS.get(ent.label_)
    start, end = ent.start, ent.end
    if not any(t.text[:1].isupper() or t.text[:1].isdigit() for t in ent if t.lower_ not in ("the", "a", "an")):
        return  # "ministry", "the army": common nouns the model took for names
    # Names spaCy labels oddly ("The War Zone" EVENT) still count when a gazetteer knows them.
    if label is None and _media_name(ent.text) is None:
        return
    # "the National Intelligence Service" -> the name without its article.
    while start < end and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    # "TV Kolubara": an all-capitals word compounded onto the name is part of it (the model
    # leaves out "TV", "FM"), unless it is a name of its own ("NATO chief Mark Rutte").
    while (start > 0 and doc[start - 1].dep_ == "compound" and start <= doc[start - 1].head.i < end
           and doc[start - 1].text.isupper() and len(doc[start - 1].text) >= 2 and doc[start - 1].ent_type_ == ""):
        start -= 1
    # "Southwest Interagency Fire Command (SIFC": the model sometimes runs into the acronym.
    paren = next((i for i in range(start + 1, end) if doc[i].text == "("), None)
    if paren is not None:
        end = paren
        acr = paren + 1
        if acr + 1 < len(doc) and doc[acr + 1].text == ")" and _is_acronym(doc[acr].text):
            main = _add_simple(table, index, doc, start, end, label or "ORG")
            other = _add_simple(table, index, doc, acr, acr + 1, label or "ORG")
            if main is not None and other is not None:
                table.merge(main, other)
            return
    # "the Sava", "the Kolubara river": a lone word after "the", standing alone or naming a
    # feature of the land, is a place the small model took for a person ("the Trump
    # administration" keeps its person: the word only modifies a common noun there).
    if label == "PERSON" and end - start == 1 and start > 0 and doc[start - 1].lower_ == "the" and (
            doc[start].dep_ != "compound" or doc[start].head.lemma_.lower() in _LAND_FEATURES):
        label = "LOC"
    # A lone word the model calls a place or an organisation that is the name of a person
    # already met ("Benally said" after "Laura Benally") is that person.
    if label in ("ORG", "GPE", "LOC", "NORP", "FAC") and end - start == 1 and _known_surname(table, persons, doc[start].lower_):
        label = "PERSON"
    # A possessive inside the name splits owner and owned: "Kyiv's Defense Intelligence Directorate".
    for i in range(start, end - 1):
        if doc[i].text in _POSSESSIVE and i > start:
            owner = doc[start:i]
            if owner.text[:1].isupper():
                _add_simple(table, index, doc, start, i, "GPE" if label == "ORG" else (label or "ORG"))
            full_start = start
            start = i + 1
            label = label or "ORG"
            ci = _add_simple(table, index, doc, start, end, label)
            if ci is not None:
                table.clusters[table.find(ci)].add_surface(doc[full_start:end].text)
            return
    while end > start and doc[end - 1].text in _POSSESSIVE:
        end -= 1
    if start >= end:
        return
    if label == "DOCUMENT":
        # "Article 5 of the North Atlantic Treaty Organization": the document, and its owner.
        for i in range(start + 1, end - 1):
            if doc[i].lower_ == "of":
                j = i + 1
                while j < end and doc[j].lower_ == "the":
                    j += 1
                if j < end - 1 and all(t.text[:1].isupper() or t.lower_ in _LOWER_NAME_WORDS for t in doc[j:end]):
                    _add_simple(table, index, doc, start, i, "DOCUMENT")
                    _add_simple(table, index, doc, j, end, "ORG")
                    return
                break
    if label == "PERSON" and _media_name(doc[start:end].text):
        label = "ORG"  # "Yonhap" tagged as a person; the gazetteer knows better
    if label == "PERSON" and end - start >= 2 and doc[end - 1].lower_ in _MEDIA_NAME_WORDS - _SURNAME_LIKE:
        label = "ORG"  # "The Santa Fe Chronicle" tagged as a person; _add_simple makes it MEDIA
    if label == "PERSON":
        _add_person(table, persons, doc, start, end)
    else:
        _add_simple(table, index, doc, start, end, label or "ORG")


def _add_simple(table: EntityTable, index: dict, doc: Doc, start: int, end: int, label: str) -> int | None:
    span = doc[start:end]
    text = span.text.strip(_QUOTE_CHARS + " ")
    if not text or not any(ch.isalpha() for ch in text):
        return None
    media = _media_name(text)
    if media is not None and label in ("ORG", "GPE", "PERSON", "FAC", "LOC", "NORP", "DOCUMENT") or (media and label is None):
        label = "MEDIA"
    elif label == "ORG" and span[-1].lower_ in _EVENT_WORDS:
        label = "EVENT"
    elif label == "ORG" and len(span) >= 2 and span[-1].lower_ in _MEDIA_NAME_WORDS:
        label = "MEDIA"  # "Santa Fe Chronicle", "Sava Valley Herald"
    key_type = "ORG" if label in _ORGLIKE else label
    key = (key_type, (media or _norm(text)).lower())
    ci = index.get(key)
    if ci is None:
        ci = table.new_cluster(label)
        index[key] = ci
    ci = table.find(ci)
    c = table.clusters[ci]
    if label == "MEDIA" and c.type == "ORG":
        c.type = "MEDIA"
    if media:
        c.canonical = media
    name = _norm(text)
    if name not in c.names:
        c.names.append(name)
    c.add_surface(text)
    table.add_mention(ci, start, end)
    return ci


def _add_person(table: EntityTable, persons: list[int], doc: Doc, start: int, end: int) -> int | None:
    # Titles inside the entity ("President Joe Biden") are split off.
    titles: list[str] = []
    while start < end - 1 and _is_title(doc[start]):
        titles.append(doc[start].lower_.rstrip("."))
        start += 1
    # Titles right before the entity ("Lieutenant General Kyrylo Budanov").
    j = start - 1
    while j >= 0 and _is_title(doc[j]) and sentences(doc).index(j) == sentences(doc).index(start):
        titles.append(doc[j].lower_.rstrip("."))
        j -= 1
    words = [t.text for t in doc[start:end] if not t.is_punct or t.text == "-"]
    name = doc[start:end].text
    if not words:
        return None
    # Join the nearest earlier person whose name contains this one ("Budanov", "Kim").
    target = None
    toks = name.lower().replace("-", " ").split()
    for ci in reversed(persons):
        c = table.clusters[table.find(ci)]
        # Compare with the cluster's fullest name only: "Kim" joined "Kim Jong Un", so
        # "Kim Yong-hyun" must not join that cluster through "Kim".
        full = max(c.names, key=lambda n: len(n.split())).lower().replace("-", " ").split()
        short, long_ = (toks, full) if len(toks) <= len(full) else (full, toks)
        if short == long_ or (len(short) < len(long_) and (long_[-len(short):] == short or long_[: len(short)] == short)):
            target = table.find(ci)
            break
    if target is None:
        target = table.new_cluster("PERSON")
        persons.append(target)
    c = table.clusters[target]
    if name not in c.names:
        c.names.append(name)
    c.add_surface(name)
    if titles:
        c.titles.update(titles)
        full = doc[min(j + 1, start):end].text
        c.add_surface(full)
    if c.gender is None:
        first = toks[0] if toks else ""
        if any(t in lex.MALE_TITLES for t in titles) or (first in lex.MALE_NAMES and first not in lex.FEMALE_NAMES):
            c.gender = "m"
        elif any(t in lex.FEMALE_TITLES for t in titles) or (first in lex.FEMALE_NAMES and first not in lex.MALE_NAMES):
            c.gender = "f"
    table.add_mention(target, start, end)
    return target


_ORG_WORDS = frozenset("""
agency service ministry department directorate office organization organisation council committee
commission bureau party union institute university bank company corporation corp inc ltd group
command army navy force forces police court parliament congress senate assembly government
administration authority foundation association federation league coalition front movement
""".split())


def _add_unlabelled_names(table: EntityTable, index: dict, persons: list[int], doc: Doc) -> None:
    """Proper names the model did not label, in speaker positions ("Kyrylo Budanov ... told").

    A run of proper nouns heading a subject, an appositive or the object of "according to"
    becomes a person (a title before it, a known first name, or two or more words with no
    organisation word) or an organisation.
    """
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.i in table.by_token:
            continue
        if tok.dep_ not in ("nsubj", "nsubjpass", "appos") and not (
            tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according"
        ):
            continue
        start = tok.i
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].head.i in range(start - 1, tok.i + 1) \
                and not _is_title(doc[start - 1]) and doc[start - 1].i not in table.by_token:
            start -= 1
        end = tok.i + 1
        if any(i in table.by_token for i in range(start, end)):
            continue
        words = [t.lower_ for t in doc[start:end]]
        titled = start > 0 and _is_title(doc[start - 1])
        if end - start == 1 and _is_acronym(doc[start].text):
            _add_simple(table, index, doc, start, end, "ORG")  # "SIFC said": joins its expansion later
        elif any(w in _ORG_WORDS for w in words):
            _add_simple(table, index, doc, start, end, "ORG")
        elif titled or words[0] in lex.MALE_NAMES or words[0] in lex.FEMALE_NAMES or len(words) >= 2:
            _add_person(table, persons, doc, start, end)
        elif _media_name(doc[start:end].text):
            _add_simple(table, index, doc, start, end, "MEDIA")
        else:
            # A lone unknown name: a person if a person of that name exists, else leave it.
            _add_person(table, persons, doc, start, end) if _known_surname(table, persons, words[0]) else None


def _known_surname(table: EntityTable, persons: list[int], word: str) -> bool:
    for ci in persons:
        for n in table.clusters[table.find(ci)].names:
            if word in n.lower().replace("-", " ").split():
                return True
    return False


def _add_quoted_documents(table: EntityTable, index: dict, doc: Doc) -> None:
    """Named documents: a quoted or capitalised name ending in a document noun.

    'a so-called "comprehensive strategic partnership pact"', 'the Minsk Agreement'.
    """
    for tok in doc:
        if tok.pos_ != "NOUN" and tok.pos_ != "PROPN":
            continue
        if tok.lemma_.lower() not in lex.DOCUMENT_NOUNS or tok.i in table.by_token:
            continue
        left = tok.left_edge.i
        # The name: modifiers between the opening quote (or the first capital) and the head.
        i = tok.i
        start = None
        quoted = False
        k = i - 1
        while k >= left:
            t = doc[k]
            if t.text in "“\"«":
                quoted = True
                start = k + 1
                break
            if t.dep_ in ("det", "poss", "case") or t.is_punct:
                break
            k -= 1
        if start is None:
            # Capitalised names only: "Paris Agreement", "Budget Control Act".
            caps = [t for t in doc[k + 1: i + 1] if t.text[:1].isupper()]
            if tok.text[:1].isupper() and len(caps) >= 2 and k + 1 < i:
                start = k + 1
            else:
                continue
        if start >= i + 1 or i - start > 8:
            continue
        if quoted and not any(ch in (doc[i + 1].text if i + 1 < len(doc) else "") for ch in "”\"»"):
            continue
        _add_simple(table, index, doc, start, i + 1, "DOCUMENT")


def _link_acronyms(table: EntityTable, index: dict) -> None:
    by_initials: dict[str, int] = {}
    for ci, c in enumerate(table.clusters):
        if not c.alive or c.type not in ("ORG", "MEDIA", "GPE", "DOCUMENT"):
            continue
        for n in c.names:
            ini = _initials(n)
            if len(ini) >= 2:
                by_initials.setdefault(ini, ci)
    for ci, c in enumerate(table.clusters):
        if not c.alive:
            continue
        for n in list(c.names):
            if _is_acronym(n) and n in by_initials and table.find(by_initials[n]) != table.find(ci):
                other = table.clusters[table.find(by_initials[n])]
                if other.type == c.type or {other.type, c.type} <= _ORGLIKE:
                    table.merge(by_initials[n], ci)


def _link_appositives(table: EntityTable, doc: Doc) -> None:
    """Appositions: names that are the same entity, and descriptions of an entity."""
    for tok in doc:
        if tok.dep_ != "appos":
            continue
        head = tok.head
        a = _np_bounds(head, exclude=tok)
        b = _np_bounds(tok, exclude=None)
        ca, cb = _cluster_of_np(table, head), _cluster_of_np(table, tok)
        if ca is not None and cb is not None:
            if ca == cb:
                continue
            if table.type(ca) == table.type(cb) or {table.type(ca), table.type(cb)} <= _ORGLIKE:
                table.merge(ca, cb)
                continue
            # "the public broadcasting company of Ukraine, Suspilne": the appositive names the
            # whole phrase, not the place inside it.
            outer = head.head.head if head.dep_ == "pobj" and head.head.dep_ == "prep" else None
            if outer is None or outer.pos_ != "NOUN" or table.type(ca) not in ("GPE", "LOC"):
                continue
            head, ca = outer, None
            a = _np_bounds(head, exclude=tok)
        if ca is None and cb is None:
            continue
        # One side names the entity, the other describes it.
        named, desc_tok, (ds, de) = (ca, tok, b) if cb is None else (cb, head, a)
        if desc_tok.pos_ != "NOUN" or desc_tok.i in table.by_token:
            continue
        _add_description(table, named, desc_tok, ds, de)


def _looks_like_a_personal_name(name: str) -> bool:
    """Two to four capitalised words, none of them a word organisations are named with."""
    words = name.replace("-", " ").split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and not w.isupper() for w in words) and not any(
        w.lower() in lex.ORG_DESCRIPTION_NOUNS or w.lower() in _ORG_NAME_WORDS for w in words)


_ORG_NAME_WORDS = frozenset("""
inc ltd llc corp corporation co plc group holdings international national federal state united
association society institute university college school hospital center centre fund foundation
trust bank party front movement council ministry department agency service
""".split())


def _add_description(table: EntityTable, ci: int, head: Token, start: int, end: int) -> None:
    doc = head.doc
    span = doc[start:end]
    text = span.text.strip(" ,")
    c = table.clusters[table.find(ci)]
    lemma = head.lemma_.lower()
    words = {t.lower_ for t in span}
    if c.type == "PERSON" and words & _NEWS_WORDS and all(
            len([w for w in n.split() if not w.isupper()]) == 1 for n in c.names):
        c.type = "MEDIA"  # "Kathimerini, a Greek newspaper": a one-word "person" with a news description
    if c.type in ("ORG", "GPE", "LOC") and lemma in lex.PERSON_DESCRIPTION_NOUNS and any(
            _looks_like_a_personal_name(n) for n in c.names):
        c.type = "PERSON"  # "Bojan Marković, the directorate's spokesman": the model said ORG
    if c.type == "PERSON":
        if lemma in lex.PERSON_DESCRIPTION_NOUNS:
            c.titles.add(lemma)
        c.descriptions.append(text)
        # "Justin Bamberg, one of the family's attorneys" / "X, president of the NAACP".
        for t in span:
            m = table.cluster_at(t.i)
            if m is not None and table.type(m) in _ORGLIKE and c.affiliation is None:
                c.affiliation = m
        return
    if c.type not in ("ORG", "MEDIA", "GPE", "DOCUMENT"):
        return
    if c.type in ("ORG", "GPE") and words & _NEWS_WORDS:
        c.type = "MEDIA"
    if c.type in ("GPE",) and lemma in lex.ORG_DESCRIPTION_NOUNS:
        c.type = "ORG"
    c.heads.add(lemma)
    if text not in c.descriptions:
        c.descriptions.append(text)
    # "South Korea's spy agency" names the source; "the agency" or "an aid group" only points at it.
    if len([t for t in span if not t.is_punct and t.dep_ not in ("det",)]) >= 3 or any(
            t.pos_ == "PROPN" for t in span):
        c.add_surface(text)
    table.add_mention(table.find(ci), start, end, kind="description")


def _link_affiliations(table: EntityTable, doc: Doc) -> None:
    """Person -> organisation: "X of ORG", "ORG Secretary-General X", "ORG's minister X"."""
    for c in table.clusters:
        if not c.alive or c.type != "PERSON" or c.affiliation is not None:
            continue
        for m in c.mentions:
            root = doc[m.start:m.end].root
            cand = None
            # Right: "Kyrylo Budanov of Ukraine's Defense Intelligence Directorate".
            for child in root.children:
                if child.dep_ == "prep" and child.lower_ in ("of", "at", "from", "with"):
                    for p in child.children:
                        if p.dep_ == "pobj":
                            k = _cluster_of_np(table, p)
                            if k is not None and table.type(k) in _ORGLIKE | {"GPE"}:
                                cand = k
            # Left: compounds and possessives before the name ("NATO Secretary-General").
            if cand is None:
                for t in doc[root.left_edge.i: m.start]:
                    k = table.cluster_at(t.i)
                    if k is not None and table.type(k) in _ORGLIKE:
                        cand = k
                if cand is None:
                    for t in doc[root.left_edge.i: m.start]:
                        k = table.cluster_at(t.i)
                        if k is not None and table.type(k) == "GPE":
                            cand = k
            if cand is not None:
                c.affiliation = cand
                break


# ---------------------------------------------------------------------------------------
# Resolving a speaker mention


def resolve_mention(table: EntityTable, head: Token, last_speaker: int | None = None) -> int | None:
    """The cluster a speaker mention refers to, or None.

    ``head`` is the syntactic head of the speaker phrase. Tried in order: a name at the head;
    an appositive or compound name inside the phrase; a pronoun; a definite description.
    """
    ci = table.cluster_at(head.i)
    if ci is not None and table.by_token[head.i].kind != "pronoun":
        return ci
    # "the public broadcasting company of Ukraine, Suspilne" -> the appositive name.
    for child in head.children:
        if child.dep_ == "appos":
            k = _cluster_of_np(table, child)
            if k is not None:
                return k
    # "NATO chief" / "the Kremlin spokesman": a compound name is only an affiliation;
    # do not treat the phrase as the organisation itself.
    low = head.lower_
    if head.pos_ == "PRON" or low in lex.SPEAKER_PRONOUNS:
        return _resolve_pronoun(table, head, last_speaker)
    if head.pos_ == "NOUN":
        ci = _resolve_description(table, head, last_speaker)
        if ci is not None:
            # Remember the description: a later "the agency" means the same entity.
            table.clusters[table.find(ci)].heads.add(head.lemma_.lower())
        return ci
    return None


def _resolve_pronoun(table: EntityTable, tok: Token, last_speaker: int | None) -> int | None:
    low = tok.lower_
    if low in lex.PRONOUNS_FIRST:
        return None  # "I"/"we" outside a quote is the writer
    if low in lex.PRONOUNS_MALE or low in lex.PRONOUNS_FEMALE:
        want = {"PERSON"}
        gender = "m" if low in lex.PRONOUNS_MALE else "f"
    elif low in lex.PRONOUNS_NEUTER:
        want = _NONPERSON_SPEAKERS
        gender = None
    elif low in lex.PRONOUNS_PLURAL:
        want = _ORGLIKE | {"GPE"}
        gender = None
    else:
        return None
    sent = table.sent_index(tok.i)
    best, best_score = None, None
    seen: set[int] = set()
    for m in reversed(table.mentions):
        if m.start >= tok.i or m.kind == "pronoun":
            continue
        if sent - m.sent > 6:
            break
        ci = table.find(m.cluster)
        if ci in seen:
            continue
        seen.add(ci)
        c = table.clusters[ci]
        if c.type not in want:
            continue
        if gender and c.gender and c.gender != gender:
            continue
        # "They" for an organisation only when it is the last speaker.
        if low in lex.PRONOUNS_PLURAL and ci != last_speaker:
            continue
        score = 2.0 * (sent - m.sent) - (4.0 if ci == last_speaker else 0.0) - (1.5 if m.is_subject else 0.0)
        if m.sent == sent:
            score += 0.5  # a name earlier in the same sentence is rarely what "he said" means
        if best_score is None or score < best_score:
            best, best_score = ci, score
    if best is not None:
        table.note_gender(best, low)
    return best


def _resolve_description(table: EntityTable, head: Token, last_speaker: int | None) -> int | None:
    """"the agency" / "the cooperative" / "the minister" / "the pact" -> the entity it describes.

    First the latest entity the noun describes: a word of its name ("the cooperative" for
    the Mesa Valley Electric Cooperative, "the agency" for the Southwest Interagency Fire
    Command), a title ("the minister"), or a description learned from an appositive. Failing
    that, for organisation and document nouns, the last speaker if it fits, else the latest
    entity of the right kind.
    """
    det = [c for c in head.children if c.dep_ in ("det", "poss")]
    if not det or det[0].lower_ not in ("the", "this", "that"):
        return None
    lemma = head.lemma_.lower()
    if lemma in lex.PERSON_DESCRIPTION_NOUNS:
        want = {"PERSON"}
    elif lemma in lex.DOCUMENT_NOUNS:
        want = {"DOCUMENT"}
    else:
        want = _ORGLIKE | {"GPE"}
    sent = table.sent_index(head.i)
    # "the national weather service": words before the noun say which service; an entity whose
    # names and descriptions have none of them is not the one meant, however recent it is.
    modifiers = {c.lemma_.lower() for c in head.children
                 if c.dep_ in ("amod", "compound") and c.pos_ in ("ADJ", "NOUN", "PROPN")
                 and c.lower_ not in _GENERIC_MODIFIERS}
    if modifiers:
        def fits(ci: int) -> bool:
            c = table.clusters[ci]
            words = {w for text in (*c.names, *c.surfaces, *c.descriptions)
                     for w in text.lower().replace("-", " ").replace("\u2019s", " ").replace("'s", " ").split()}
            return any(w in words or any(x.startswith(w[:5]) for x in words if len(w) >= 5) for w in modifiers)
    else:
        def fits(ci: int) -> bool:
            return True
    # An entity already described by this noun ("the agency" earlier), however far back.
    described = [ci for ci, c in enumerate(table.clusters)
                 if c.alive and c.type in want and (lemma in c.heads or lemma in c.titles) and fits(ci)]
    if described:
        return max(described, key=lambda ci: max((m.start for m in table.clusters[ci].mentions if m.start < head.i),
                                                 default=-1))
    fallback = None
    seen: set[int] = set()
    for m in reversed(table.mentions):
        if m.start >= head.i:
            continue
        ci = table.find(m.cluster)
        if ci in seen:
            continue
        seen.add(ci)
        c = table.clusters[ci]
        if sent - m.sent > 15:
            break
        if c.type not in want or c.type == "EVENT" or not fits(ci):
            continue
        if _names_word(c, lemma):
            return ci
        if fallback is None and c.type != "GPE" and c.type != "PERSON":
            fallback = ci
    if lemma in lex.PERSON_DESCRIPTION_NOUNS:
        return None
    if lemma not in lex.ORG_DESCRIPTION_NOUNS and lemma not in lex.DOCUMENT_NOUNS:
        return None
    if last_speaker is not None and table.type(last_speaker) in want - {"GPE", "PERSON"} and fits(last_speaker):
        return last_speaker
    # An organisation that has spoken before is a likelier referent than one only mentioned.
    for ci in reversed(table.spoke):
        ci = table.find(ci)
        if table.type(ci) in want - {"GPE", "PERSON"} and fits(ci):
            return ci
    return fallback


# Modifiers that do not tell one organisation from another ("the main agency", "the new body").
_GENERIC_MODIFIERS = frozenset("""
main new old same other former current local national federal state official top senior
country nation government
""".split())


def described_source(table: EntityTable, head: Token, start: int, end: int) -> int | None:
    """A new organisation named only by a description ("the national weather service"), for a
    speaker that resolves to nothing: so that "It said" in the next sentence finds it, and
    the corpus can count its claims. Only specific descriptions qualify: "the" + an
    organisation noun + a word that says which ("the agency" alone names no one)."""
    det = [c for c in head.children if c.dep_ == "det"]
    if head.pos_ != "NOUN" or not det or det[0].lower_ != "the" or head.lemma_.lower() not in lex.ORG_DESCRIPTION_NOUNS:
        return None
    modifiers = [c for c in head.children if c.dep_ in ("amod", "compound") and c.pos_ in ("ADJ", "NOUN", "PROPN")]
    if not any(c.lower_ not in _GENERIC_MODIFIERS for c in modifiers):
        return None
    first = min([head.i, *(c.left_edge.i for c in modifiers)])
    words = table.doc[first:head.i + 1]
    if any(t.i in table.by_token for t in words):
        return None  # it holds a name ("the Kremlin press service"): an affiliation, not a new source
    ci = table.new_cluster("MEDIA" if head.lemma_.lower() in _NEWS_HEADS else "ORG")
    c = table.clusters[ci]
    c.names.append(words.text)
    c.descriptions.append(table.doc[start:end].text)
    c.heads.add(head.lemma_.lower())
    table.add_mention(ci, start, end, kind="description")
    return ci


_LAND_FEATURES = frozenset("""
river basin valley lake sea gulf bay strait canal delta mountain mountains peninsula island desert plain
plateau region coast forest dam reservoir
""".split())


# Organisation nouns that make a described source a medium ("the local broadcaster").
_NEWS_HEADS = frozenset({"broadcaster", "newspaper", "paper", "channel", "station", "magazine", "tabloid",
                         "daily", "website", "outlet", "wire", "network"})


def _names_word(c: Cluster, lemma: str) -> bool:
    """The noun is a word of one of the entity's names ("Interagency" ends in "agency")."""
    for n in c.names:
        for w in n.lower().replace("-", " ").split():
            if w == lemma or w == lemma + "s" or (len(lemma) >= 5 and w.endswith(lemma)):
                return True
    return False


# ---------------------------------------------------------------------------------------
# Helpers


def _cluster_of_np(table: EntityTable, head: Token) -> int | None:
    """The entity a noun phrase names: its head, or a compound name the head belongs to."""
    ci = table.cluster_at(head.i)
    if ci is not None:
        return ci
    # "the National Intelligence Service": spaCy's entity may stop short of the head.
    if head.pos_ != "PROPN":
        return None
    for child in head.children:
        if child.dep_ == "compound" and child.i in table.by_token and table.by_token[child.i].kind == "name":
            if table.type(table.cluster_at(child.i)) != "GPE":
                return table.cluster_at(child.i)
    return None


def _np_bounds(head: Token, exclude: Token | None) -> tuple[int, int]:
    """Token bounds of the noun phrase headed by ``head``, without ``exclude``'s subtree,
    relative clauses and what follows a comma."""
    start = head.left_edge.i
    end = head.i + 1
    for child in head.rights:
        if (exclude is not None and child.i == exclude.i) or child.dep_ in ("relcl", "acl", "appos", "punct", "cc", "conj"):
            break
        end = child.right_edge.i + 1
    if exclude is not None and exclude.i < head.i:
        start = max(start, exclude.right_edge.i + 1)
    elif exclude is not None and start <= exclude.i < end:
        end = exclude.left_edge.i  # an appositive nested deeper ("company of Ukraine, Suspilne")
    while end > start and (head.doc[end - 1].is_punct or head.doc[end - 1].is_space):
        end -= 1
    return start, end


def _is_subject(tok: Token) -> bool:
    t = tok
    for _ in range(3):
        if t.dep_ in ("nsubj", "nsubjpass"):
            return True
        if t.dep_ in ("appos", "compound", "conj") and t.head.i != t.i:
            t = t.head
            continue
        break
    return False


def _is_title(tok: Token) -> bool:
    low = tok.lower_.rstrip(".")
    return low in lex.PERSON_TITLES or (tok.text == "-" and tok.nbor(-1).lower_ in lex.PERSON_TITLES) \
        if tok.i > 0 else low in lex.PERSON_TITLES


def _norm(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip(_QUOTE_CHARS + " .,"))
    text = re.sub(r"^(?i:the|a|an)\s+", "", text)
    text = re.sub(r"[’']s$", "", text)
    return text


def _media_name(text: str) -> str | None:
    key = re.sub(r"\s+", " ", text.strip(_QUOTE_CHARS + " .,")).lower()
    key = re.sub(r"[’']s$", "", key)
    hit = lex.MEDIA_OUTLETS.get(key)
    if hit is None and key.startswith("the "):
        hit = lex.MEDIA_OUTLETS.get(key[4:])
    return hit


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    if len(words) < 2:
        return ""
    return "".join(w[0].upper() for w in words if w.lower() not in _LOWER_NAME_WORDS and w[0].isalpha())


def _is_acronym(name: str) -> bool:
    letters = name.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()


def _canonical(c: Cluster) -> str:
    if c.canonical:
        return c.canonical
    names = c.names or c.surfaces
    if not names:
        return c.descriptions[0] if c.descriptions else ""
    if c.type == "PERSON":
        return max(names, key=lambda n: (len(n.replace("-", " ").split()), -names.index(n)))
    full = [n for n in names if not _is_acronym(n)]
    return (full or names)[0]


def _aliases(c: Cluster) -> list[str]:
    out: list[str] = []
    for s in [*c.names, *c.surfaces]:
        s = s.strip()
        if s and s not in out:
            out.append(s)
    return out
