"""Attributions: who claims what, with which cue, through whom, how hedged.

The ``claimscope_attributions_v1`` component works on the dependency parse and on the
quotation marks of the text:

1. **Cues.** A reporting verb (``_lexicon.SPEECH_VERBS``) or a verb of belief or evidence
   (``COGNITION_VERBS``) with a clausal complement gives a claim: its subject is the speaker,
   the complement the content. This covers "X said (that) ...", "..., X said", "..., said X",
   "..., states the pact", "X told Y (that) ...", "X said: ...", "he added" and participles
   ("..., saying ..."). Passive raising ("are said to", "is believed to") gives a claim with
   no speaker (or the ``by`` agent) and a hedge. "according to X" gives a claim whose content
   is the rest of its clause.
2. **Quotes.** Quotation marks are paired per paragraph (curly, straight, guillemets, the
   doubled apostrophes some papers use). A quote that is not yet inside a claim's content
   joins the claim it belongs to: the other half of a split quote (``"A," he said, "B."``), a
   quoted sentence that continues the speaker's quote, the paragraphs of a quote that runs on
   (an opening mark with no closing one), the quote after a colon lead-in ("X continued:").
   A short quote with no cue (a scare quote: a so-called "partnership pact") is not a claim.
3. **Reporting chains.** "according to Yonhap" beside another claim, and a medium's
   "X reported" around another claim, become that claim's ``via``, not claims of their own.
   A claim nested in another claim's content is dropped (the outer one carries it).
4. **Speakers.** Names, pronouns and descriptions are resolved with ``entities.resolve_mention``
   in reading order, so "He" after "Zelensky told reporters" is Zelensky.
5. **Hedges and denials.** Hedging adverbs ("reportedly"), hedging cues ("believes"),
   passive raising ("said to") and "an estimated" are listed in ``hedges``; a denial cue
   ("denied", "dismissed"), a negated cue, or content that denies evidence ("have no evidence
   that", "is false") sets ``negated``.

Every span is a slice of ``doc.text``; multi-piece contents keep their ``fragments``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Token

from . import _lexicon as lex
from ._models import Attribution, Content, Cue, Speaker, Via
from .entities import EntityTable, build_entities, described_source, resolve_mention
from .nlp import sent_of as _sentence_span
from .nlp import doc_text as _text
from .nlp import sentences


_OPEN_QUOTES = {"“": "”", "«": "»", "„": "“"}
_CLOSE_QUOTES = frozenset("”»")
_QUOTE_MARKS = frozenset("“”«»„\"")
_TRAIL_PUNCT = ",;:—–-"


@dataclass(slots=True)
class Quote:
    start: int  # char offset of the opening mark
    end: int  # char offset after the closing mark (or the paragraph end)
    closed: bool
    para: int


@dataclass(slots=True)
class _Draft:
    kind: str  # "verb" | "passive" | "according" | "colon"
    cue_start: int  # token range of the cue
    cue_end: int
    speaker_head: Token | None
    speaker_range: tuple[int, int] | None  # token range
    fragments: list[tuple[int, int]]  # char ranges
    sent: int
    cut: tuple[int, int] | None = None  # "according to X ..." char range, removed from the claim it sources
    hedges: list[str] = field(default_factory=list)
    negated: bool = False
    via: list[Via] = field(default_factory=list)
    cluster: int | None = None
    dropped: bool = False
    lemma: str = ""
    wants_quote: bool = False  # a colon lead-in waiting for its quote


# ---------------------------------------------------------------------------------------
# The component


@Language.factory("claimscope_attributions_v1")
def make_attributions(nlp: Language, name: str) -> "AttributionTagger":
    return AttributionTagger()


class AttributionTagger:
    """Find attributions; sets ``doc._.claimscope_attributions`` (a list of Attribution)."""

    def __call__(self, doc: Doc) -> Doc:
        table = doc._.claimscope_entities
        if table is None:
            table = doc._.claimscope_entities = build_entities(doc)
        doc._.claimscope_attributions = find_attributions(doc, table)
        return doc


def find_attributions(doc: Doc, table: EntityTable) -> list[Attribution]:
    """All attributions of a parsed doc, in reading order."""
    text = _text(doc)
    quotes = find_quotes(text)
    sent_of = _sentence_index(doc)
    inside = _quoted_chars(text, quotes)
    drafts: list[_Draft] = []
    for tok in doc:
        d = None
        if _in_spans(tok.idx, inside):
            continue  # what a quoted speaker says someone said is part of their quote
        if tok.lower_ == "according":
            d = _according(tok, sent_of)
        elif tok.lemma_.lower() in CUE_LEMMAS and tok.pos_ in ("VERB", "AUX"):
            d = _verb_cue(tok, sent_of)
        elif tok.pos_ == "NOUN" and tok.tag_ == "NNS":
            d = _noun_tagged_cue(tok, sent_of)
        elif tok.lemma_.lower() in _FIGURE_VERBS and tok.pos_ == "VERB":
            d = _figure_cue(tok, sent_of) or (_put_it(tok, sent_of) if tok.lemma_.lower() == "put" else None)
        if d is not None:
            drafts.append(d)
    drafts.extend(_dash_credits(doc, quotes, sent_of))
    drafts.extend(_label_lines(doc, sent_of))
    _attach_quotes(doc, drafts, quotes, sent_of)
    drafts = [d for d in drafts if d.fragments]
    _according_chains(drafts)
    _resolve_speakers(doc, table, drafts)
    _citing_chains(doc, table, drafts)
    _report_chains(doc, table, drafts)
    _drop_nested(drafts, doc)
    return _finalize(doc, table, [d for d in drafts if not d.dropped], quotes)


# ---------------------------------------------------------------------------------------
# Quotes


def find_quotes(text: str) -> list[Quote]:
    """Pair quotation marks paragraph by paragraph.

    Curly quotes and guillemets pair by glyph; a straight ``"`` opens after whitespace, the
    start of a line or an opening bracket/dash, and closes otherwise; two apostrophes
    (``''``) act as one straight quote. A quote still open at the end of its paragraph is
    returned with ``closed=False`` (a quote that runs on into the next paragraph).
    """
    quotes: list[Quote] = []
    para = 0
    open_at: int | None = None
    open_kind = ""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            if open_at is not None:
                quotes.append(Quote(open_at, i, False, para))
                open_at = None
            if i + 1 < n and text[i + 1] == "\n" or i > 0 and text[i - 1] != "\n":
                para += 1
            i += 1
            continue
        width = 1
        if ch == "'" and i + 1 < n and text[i + 1] == "'":
            ch, width = '"', 2
        if ch in _CLOSE_QUOTES and open_at is None and (i == 0 or text[i - 1] == "\n"):
            open_at, open_kind = i, ch  # a paragraph opened with the wrong glyph: ”Fortunately, ...
        elif ch in _OPEN_QUOTES and open_at is None:
            open_at, open_kind = i, _OPEN_QUOTES[ch]
        elif ch in _CLOSE_QUOTES and open_at is not None and (ch == open_kind or open_kind == '"'):
            quotes.append(Quote(open_at, i + 1, True, para))
            open_at = None
        elif ch == '"':
            prev = text[i - 1] if i > 0 else " "
            if open_at is None:
                if prev.isspace() or prev in "([{—–-/" or i == 0:
                    open_at, open_kind = i, '"'
            elif open_kind in ('"', "”"):
                quotes.append(Quote(open_at, i + width, True, para))
                open_at = None
        i += width
    if open_at is not None:
        quotes.append(Quote(open_at, n, False, para))
    return quotes


def _quoted_chars(text: str, quotes: list[Quote]) -> list[tuple[int, int]]:
    """Char ranges inside real quotations: closed quotes, and open ones that run on into a
    paragraph that opens with a quote mark (not a stray mark)."""
    out = []
    for k, q in enumerate(quotes):
        if q.closed:
            out.append((q.start, q.end))
        elif k + 1 < len(quotes) and quotes[k + 1].para == q.para + 1 and _starts_paragraph(text, quotes[k + 1].start):
            out.append((q.start, q.end))
    return out


def _in_spans(i: int, spans: list[tuple[int, int]]) -> bool:
    k = bisect.bisect_right(spans, (i, float("inf"))) - 1
    return k >= 0 and spans[k][0] <= i < spans[k][1]


def _quoted_share(fragments: list[tuple[int, int]], quotes: list[Quote], text: str) -> tuple[int, int]:
    """(alphanumeric chars inside quotes, all alphanumeric chars) of the fragments."""
    inside = total = 0
    for s, e in fragments:
        for i in range(s, e):
            if text[i].isalnum():
                total += 1
                for q in quotes:
                    if q.start <= i < q.end:
                        inside += 1
                        break
                    if q.start > i:
                        break
    return inside, total


# ---------------------------------------------------------------------------------------
# Cues


def _verb_cue(tok: Token, sent_of: dict[int, int]) -> _Draft | None:
    if tok.dep_ in ("amod", "compound", "acomp", "nmod"):
        return None  # "so-called", "the reported figure"
    lemma = tok.lemma_.lower()
    children = list(tok.children)
    deps = {c.dep_ for c in children}
    subjects = [c for c in children if c.dep_ == "nsubj"]
    # With two subjects before the cue, the parser has taken a fronted phrase for one ("...,
    # most of them in villages, the directorate said"): the speaker is the one next to the cue.
    before = [c for c in subjects if c.i < tok.i]
    subj = before[-1] if before else (subjects[0] if subjects else None)
    if subj is not None and subj.i < tok.i and any(t.is_quote for t in tok.doc[subj.right_edge.i + 1:tok.i]):
        # '"... Full panic mode," said Leslie Wimes': the quoted words are not the subject.
        subj = next((c for c in subjects if c.i > tok.i), None)
    subjpass = next((c for c in children if c.dep_ == "nsubjpass"), None)
    passive = "auxpass" in deps
    ccomps = [c for c in children if c.dep_ == "ccomp"]
    # A complement after the cue is the claim; one before it only when nothing but a comma
    # or a quote stands between ("It's unlikely; the team says she'll go on" -> after).
    ccomp = next((c for c in ccomps if c.i > tok.i), None) or next(
        (c for c in ccomps if not any(t.text in ";:" for t in tok.doc[c.right_edge.i + 1:tok.i])), None)
    xcomp = next((c for c in children if c.dep_ == "xcomp"), None)
    sent = sent_of[tok.i]

    # Passive raising: "The soldiers are said to have been given ...", "who are believed to ...".
    if passive and lemma in lex.PASSIVE_REPORT_VERBS:
        agent = _agent(tok)
        if subjpass is not None and xcomp is not None and any(c.dep_ == "aux" and c.lower_ == "to" for c in xcomp.children):
            subj_tok = subjpass
            if subjpass.tag_ in ("WP", "WDT") and tok.dep_ == "relcl":
                subj_tok = tok.head  # "soldiers who are believed to ..." -> the soldiers
                s_range = _np_range(subj_tok, stop_at=tok)
            else:
                s_range = _np_range(subj_tok)
            frags = [_char_range(tok.doc, *s_range), _char_range(tok.doc, xcomp.left_edge.i, xcomp.right_edge.i + 1)]
            d = _Draft("passive", tok.i, tok.i + 1, agent, _np_range(agent) if agent is not None else None,
                       frags, sent, lemma=lemma)
            d.hedges.append(f"{tok.text} to")
            _hedge_adverbs(tok, d)
            return d
        if ccomp is not None and (subjpass is None or subjpass.dep_ == "nsubjpass" and subjpass.lower_ == "it"):
            # "It is believed that ..." / "It was reported that ..."
            d = _Draft("passive", tok.i, tok.i + 1, agent, _np_range(agent) if agent is not None else None,
                       [_clause_range(ccomp)], sent, lemma=lemma)
            d.hedges.append(f"{tok.text} that" if any(c.dep_ == "mark" for c in ccomp.children) else tok.text)
            return d
        return None
    if passive:
        return None

    doc = tok.doc
    content: list[tuple[int, int]] = []
    if ccomp is not None and not (ccomp.i < tok.i and lemma in lex.COGNITION_VERBS and lemma not in lex.HEDGING_CUES
                                  and not _has_comma_between(ccomp, tok)):
        content = [_clause_range(ccomp)]
        if ccomp.i > tok.i:
            content = [_extend_clause(tok, ccomp, content[0])]
        if (cut := _second_claim(ccomp)) is not None and cut > ccomp.left_edge.i:
            # "said it was opposed to the test and warned North Korea to ...": two claims.
            content = [(content[0][0], _char_range(doc, ccomp.left_edge.i, cut)[1])]
    elif lemma in _ADDRESSEE_VERBS and (that := _that_clause(tok)) is not None:
        content = [that]
    elif lemma in lex.SPEECH_VERBS or lemma in _DOBJ_VERBS or lemma in _XCOMP_VERBS:
        content = _speech_object(tok, children, lemma)
        if not content and lemma in lex.SPEECH_VERBS and (that := _that_clause(tok, sentence=True)) is not None:
            content = [that]  # "continues to insist, most recently in an interview, that ..."
    if not content and tok.dep_ == "parataxis" and tok.head.i < tok.i and lemma in lex.SPEECH_VERBS:
        # "The plan failed, he said." parsed with "said" under the content clause.
        head = tok.head
        content = [_char_range(doc, head.left_edge.i, tok.left_edge.i)]
    if not content and lemma in lex.SPEECH_VERBS and subj is not None and subj.i < tok.i:
        content = _tail_cue(tok, subj)  # "People like Scott, he said."

    speaker = subj if subj is not None else _inherited_subject(tok)
    speaker_range = None
    if speaker is None and lemma in lex.SPEECH_VERBS and not content:
        found = _comma_speaker(tok)
        if found is not None:
            speaker, speaker_range, content = found
    if speaker is None and lemma in lex.SPEECH_VERBS and content:
        found = _fronted_speaker(tok)
        if found is not None:
            speaker, speaker_range = found
    if speaker is None and lemma in lex.SPEECH_VERBS:
        speaker = _inverted_speaker(tok)
        if speaker is not None and content and any(a <= speaker.idx < b for a, b in content):
            content = []  # the "object" we took as content was the speaker
    if speaker is None:
        return None
    misparsed_relative = (tok.dep_ == "advcl" and speaker.tag_ in ("WP", "WDT") and speaker.head.i == tok.i
                          and speaker.i > 0 and doc[speaker.i - 1].pos_ in ("PROPN", "NOUN") and speaker.i < tok.i)
    if misparsed_relative:
        # "turned to the police department which reported ...": a relative clause the parser
        # hung on the main verb; the antecedent is the noun before "which".
        antecedent = doc[speaker.i - 1]
        if not _speaking_noun(antecedent):
            return None
        speaker, speaker_range = antecedent, _np_range(antecedent, stop_at=speaker)
    elif speaker.tag_ in ("WP", "WDT") and tok.dep_ == "relcl":
        # "an architect who said ...": the speaker is the antecedent.
        antecedent = tok.head
        if speaker.lower_ not in ("who", "whom") and not _speaking_noun(antecedent):
            return None  # "cancer, which confirmed ..." is not a source
        speaker, speaker_range = antecedent, _np_range(antecedent, stop_at=tok)
    elif speaker.lower_ in ("there", "this", "that", "what", "which", "it") and (
        speaker.tag_ in ("WP", "WDT", "EX", "DT") or speaker.dep_ == "expl"
    ):
        return None  # dummy subjects and demonstratives are not speakers
    colon = lemma in lex.SPEECH_VERBS and _colon_follows(tok)
    if colon:
        content = []  # 'Kall said: "I feel ..."': what follows the colon is the content
    elif lemma in lex.SPEECH_VERBS and tok.dep_ not in ("relcl", "acl", "amod"):
        # "Though the transition was seamless, he said, replacing her would be harder."
        # "Hawaii, as one of his advisers pointed out, rarely gets two hurricanes."
        inner = _parenthetical(tok, speaker) or _as_clause(tok)
        if inner:
            content = inner

    # A speech verb with no complement may still own a quote: after a colon ("X continued:"),
    # or in its own sentence (the halves of a split quote).
    if not content and lemma not in lex.SPEECH_VERBS:
        return None
    d = _Draft("verb", *_cue_range(tok), speaker, speaker_range or _np_range(speaker), content, sent, lemma=lemma,
               wants_quote=colon)
    _hedge_adverbs(tok, d)
    if lemma in lex.HEDGING_CUES:
        d.hedges.append(tok.text)
    if lemma in lex.DENIAL_VERBS or any(
        c.dep_ == "neg" and c.i < tok.i and not any(t.is_punct for t in tok.doc[c.i:tok.i]) for c in children
    ):
        d.negated = True
    return d


# Verbs whose direct object is the person addressed, not what is said ("told reporters").
_ADDRESSEE_VERBS = frozenset("tell ask inform brief notify assure reassure warn urge advise remind convince persuade "
                             "thank answer".split())
# Verbs whose infinitive complement is the claim ("vowed to form a task force").
_XCOMP_VERBS = frozenset("promise vow pledge threaten refuse agree decline offer demand propose urge ask call tell warn "
                         "claim predict".split())
# Speech verbs whose direct object is what is said ("cited the report", "called for cuts").
_DOBJ_VERBS = frozenset("""
cite mention announce propose demand recommend describe criticize criticise praise condemn
deny confirm reveal disclose predict promise claim call question dispute reject dismiss blame
accuse echo tout highlight acknowledge concede admit urge denounce blast slam decry lament
applaud hail welcome endorse reiterate stress emphasize emphasise suggest float pledge vow
declare proclaim quote discuss charge report defend note
""".split())
# Verbs that name or characterise their object ("called it a fraud", "described it as").
_NAMING_VERBS = frozenset("call describe label brand dub characterize characterise term".split())
CUE_LEMMAS = lex.SPEECH_VERBS | lex.COGNITION_VERBS | _DOBJ_VERBS | _XCOMP_VERBS
# Prepositions whose object is what is talked about ("called for", "spoke of", "warned against").
_TOPIC_PREPS = frozenset("for about of".split())
# Prepositions that never complete an object's claim, and phrases of time that don't:
# "accused X of Y" and "described behaviour by Trump behind the scenes" do; "since the
# debate", "at a rally" and "in a ruling released Thursday" don't.
_NON_OBJECT_PREPS = frozenset("during since until while at".split())


def _object_prep(prep: Token) -> bool:
    """A phrase of time is not part of the object; a phrase that only holds a date further
    in is ("criticized the officer for shooting a 40-year-old man", "as a disgrace on Tuesday")."""
    if prep.lower_ in _NON_OBJECT_PREPS:
        return False
    return not any(_time_word(t) for t in prep.children if t.dep_ in ("pobj", "pcomp"))


def _time_word(t: Token) -> bool:
    """A word of a date or time that dates something ("on Thursday", "in a ruling released
    Thursday"), not an adjective made of one ("a 40-year-old man")."""
    if t.ent_type_ not in ("DATE", "TIME"):
        return False
    head = t
    while head.head.i != head.i and head.head.ent_type_ == t.ent_type_ and head.head.ent_iob_ == "I":
        head = head.head
    return not (head.dep_ in ("amod", "compound", "nmod") or head.pos_ == "ADJ")


def _before_time_phrase(doc: Doc, head: int, end: int) -> int:
    """End of an object without a closing phrase of time hung inside it ("Clinton as a
    disgrace on Tuesday" -> "Clinton as a disgrace"), nor the circumstance after one
    ("... Wednesday on a talk show")."""
    last = end - 1
    while last > head and doc[last].is_punct:
        last -= 1
    for t in doc[head + 1:last + 1]:
        timed = _time_word(t) and t.dep_ == "npadvmod" or t.dep_ == "prep" and any(
            _time_word(g) for g in t.children if g.dep_ == "pobj")
        verbal_after = any(g.pos_ in ("VERB", "AUX") for g in doc[t.right_edge.i + 1:last + 1])
        if timed and t.head.pos_ not in ("VERB", "AUX") and t.head.i != head and not verbal_after:
            # A date hung on the predicate of the object dates the saying, and what follows
            # it is circumstance too ("X as a disgrace Wednesday on a talk show"); one on the
            # object itself or on a verb inside it dates what is claimed ("2,521 incidents
            # between January 1 and September 18", "a ruling released Thursday").
            return t.i
    return end


_EMPTY_OBJECTS = frozenset("it this that so something anything nothing much more little what".split())


_REASON_MARKS = frozenset("because since although though while whereas unless if".split())


def _extend_clause(tok: Token, ccomp: Token, frag: tuple[int, int]) -> tuple[int, int]:
    """The claim goes on after its clause when the parser hung the rest on the cue:
    "said that claim smacked of hypocrisy, because Democrats ..." (a finite reason clause),
    "told reporters hacking of the committee, the campaign and state offices can be traced
    to ..." (a second complement after a comma) and "notes that ... at once: home values are
    rising ..." (after a colon)."""
    doc = tok.doc
    end_tok = ccomp.right_edge.i
    for c in tok.rights:
        if c.i <= end_tok:
            continue
        mark = next((m for m in c.children if m.dep_ == "mark"), None)
        finite = any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
        if c.lemma_.lower() in CUE_LEMMAS:
            break  # "..., though she acknowledged it was unlikely": a claim of its own
        if c.dep_ == "advcl" and mark is not None and mark.lower_ in _REASON_MARKS and finite:
            end_tok = c.right_edge.i
        elif c.dep_ == "ccomp" and finite and c.left_edge.i - end_tok <= 2 and (
                doc[end_tok].text == "," or doc[end_tok + 1].text == ","):
            end_tok = c.right_edge.i  # a list split at its comma into a second complement
        elif c.dep_ == "punct" and c.text == ":" and c.i == end_tok + 1:
            end_tok = _sentence_span(tok).end - 1
            break
        elif c.dep_ not in ("punct",):
            break
    if end_tok == ccomp.right_edge.i:
        return frag
    return frag[0], _char_range(doc, ccomp.i, end_tok + 1)[1]


def _tail_cue(tok: Token, subj: Token) -> list[tuple[int, int]]:
    """"People like Scott, he said.": a speaker and cue closing the sentence after a comma
    claim everything before the comma, whatever the parser made of it. The cue may keep a
    short adjunct of its own ("..., the directorate said on Monday.")."""
    doc = tok.doc
    sent = _sentence_span(tok)
    lo = subj.left_edge.i
    rest = [t for t in doc[tok.i + 1: sent.end] if not (t.is_punct or t.is_space)]
    adjuncts = {t.i for c in tok.children if c.i > tok.i and c.dep_ in ("prep", "npadvmod")
                for t in c.subtree}
    if len(rest) <= 6 and all(t.i in adjuncts for t in rest):
        rest = []
    if rest or lo <= sent.start + 1 or doc[lo - 1].text != ",":
        return []
    frag = _char_range(doc, sent.start, lo - 1)
    return [frag] if frag[1] > frag[0] else []


# Nouns of time a "that" may follow as a conjunction ("reported at the time that ...").
_TIME_NOUNS = frozenset("time moment hour day night morning evening week month year".split())


def _that_clause(tok: Token, sentence: bool = False) -> tuple[int, int] | None:
    """"told a meeting of leaders that few people understood ...": the parser may hang the
    that-clause on the addressee; take the first "that" after the verb in its clause (or,
    with ``sentence``, in the rest of its sentence, for clauses hung on a governing verb)."""
    doc = tok.doc
    stop = _sentence_span(tok).end if sentence else tok.right_edge.i + 1
    for t in doc[tok.i + 1: stop]:
        if t.is_punct and t.text in ".;" or (sentence and t.lemma_.lower() in CUE_LEMMAS and t.pos_ == "VERB"):
            return None
        # "tweeted in the early hours that Machado was ...": the parser may call "that" an adverb.
        # After a noun such an adverb is a relative pronoun ("the same way that we must").
        if t.lower_ == "that" and t.head.i > t.i and (t.dep_ == "mark" or t.dep_ == "advmod" and t.head.pos_ in (
                "VERB", "AUX") and any(g.dep_ in ("nsubj", "nsubjpass") for g in t.head.children)
                and (doc[t.i - 1].pos_ not in ("NOUN", "PROPN") or _time_word(doc[t.i - 1])
                     or doc[t.i - 1].lemma_.lower() in _TIME_NOUNS)):
            head = t.head
            end = max(head.right_edge.i + 1, t.i + 2)
            return _char_range(doc, t.i + 1, min(end, stop))
    return None


def _speech_object(tok: Token, children: list[Token], lemma: str) -> list[tuple[int, int]]:
    """Content of a speech verb without a clause: "called for tax cuts", "cited the report",
    "called the senator a nasty guy", "vowed to form a task force"."""
    doc = tok.doc
    dobj = next((c for c in children if c.dep_ == "dobj"), None)
    xcomp = next((c for c in children if c.dep_ == "xcomp"), None)
    oprd = next((c for c in children if c.dep_ == "oprd"), None)
    if xcomp is not None and lemma in _XCOMP_VERBS and xcomp.i > tok.i:
        return [_char_range(doc, xcomp.left_edge.i, xcomp.right_edge.i + 1)]
    if lemma in _NAMING_VERBS and dobj is not None and dobj.i < tok.i and dobj.tag_ in ("WDT", "WP"):
        # "an explosion that the mayor described as an intentional act", "which the chief
        # executive called total political crap": the object is the relative pronoun; the
        # claim is what the thing is called.
        pred = oprd or next((g for c in children if c.dep_ == "prep" and c.lower_ == "as" and c.i > tok.i
                             for g in c.children if g.dep_ == "pobj"), None)
        if pred is not None:
            return [_char_range(doc, pred.left_edge.i, pred.right_edge.i + 1)]
    if lemma == "call" and dobj is not None and oprd is None and not any(c.dep_ == "appos" for c in dobj.children):
        dobj = None  # "called an emergency meeting" names no claim; "called X a fraud" does
    empty = dobj is not None and dobj.lower_ in _EMPTY_OBJECTS and oprd is None  # "called it" but "called it a fraud"
    if dobj is not None and lemma in _DOBJ_VERBS and not empty and dobj.i > tok.i:
        # The object and what completes it: "attacked other candidates on stage for accepting ...".
        end = dobj.right_edge.i + 1  # trailing asides are cut when the claim is finalised
        for c in tok.rights:
            if c.i <= dobj.i:
                continue
            if doc[c.left_edge.i - 1].text in ",;:" or not (
                c.dep_ in ("oprd", "xcomp", "dative", "agent") or (c.dep_ == "prep" and _object_prep(c))
            ):
                break
            end = c.right_edge.i + 1
        return [_char_range(doc, dobj.left_edge.i, _before_time_phrase(doc, dobj.i, end))]
    if lemma in ("ask",):
        return []
    for c in children:
        topic = c.lower_ in _TOPIC_PREPS or (c.lower_ == "against" and lemma in ("warn", "argue", "caution", "speak"))
        if c.dep_ == "prep" and topic and c.i > tok.i and c.i <= tok.i + 2:
            if lemma in ("speak", "talk") and c.lower_ == "for":
                continue  # "spoke for five minutes"
            obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if obj is not None and obj.ent_type_ not in ("DATE", "TIME"):
                return [_char_range(doc, obj.left_edge.i, obj.right_edge.i + 1)]
    return []


def _inverted_speaker(tok: Token) -> Token | None:
    """'"...," said Leslie Wimes': the parser may take the inverted subject for an object."""
    doc = tok.doc
    if tok.i == 0 or not (doc[tok.i - 1].is_punct or doc[tok.i - 1].is_quote):
        return None
    for c in tok.rights:
        if c.dep_ in ("dobj", "attr", "nsubj", "npadvmod", "dep", "appos", "oprd") and c.pos_ in ("PROPN", "NOUN", "PRON"):
            return c
        if c.dep_ not in ("punct", "advmod", "prt"):
            break
    return None


def _speaking_noun(tok: Token) -> bool:
    """A noun that can be a source: a name, a person, an organisation, a document."""
    if tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "LAW"):
        return True
    lemma = tok.lemma_.lower()
    return lemma in lex.DOCUMENT_NOUNS or lemma in lex.ORG_DESCRIPTION_NOUNS or lemma in lex.PERSON_DESCRIPTION_NOUNS


def _comma_speaker(tok: Token) -> tuple[Token, tuple[int, int], list[tuple[int, int]]] | None:
    """"Some 12,000 people have been displaced ..., Serbia's National Emergency Directorate
    (NED) said on Friday": when the parser gives the cue no subject (it made the name a
    conjunct of the clause before), a name phrase between a comma and the cue is the speaker,
    and the sentence up to the comma the claim. Returns (head, token range, content)."""
    doc = tok.doc
    sent_start, _ = sentences(doc).bounds(tok.i)
    j = tok.i - 1
    while j > sent_start and doc[j].text != ",":
        j -= 1
    phrase = doc[j + 1:tok.i]
    if j <= sent_start + 2 or not 1 <= len(phrase) <= 10:
        return None
    inside = False
    head = None
    for t in phrase:
        if t.text == "(":
            inside = True
        elif t.text == ")":
            inside = False
        elif t.pos_ not in ("PROPN", "NOUN", "DET", "ADJ", "PART") and t.tag_ != "POS":
            return None
        elif not inside and t.pos_ in ("PROPN", "NOUN"):
            head = t
    if head is None or not any(t.pos_ == "PROPN" for t in phrase):
        return None  # only a name: "..., officials said" parses well, and a bare noun here may be a list
    return head, (phrase.start, phrase.end), [_char_range(doc, sent_start, j)]


def _fronted_speaker(tok: Token) -> tuple[Token, tuple[int, int]] | None:
    """"In a meeting with the editorial board of the Post Trump said that ...": with no comma
    after a fronted phrase the parser may take the speaker for the end of it. A person or
    organisation name right before the cue, closing a phrase that hangs on the cue, is the
    speaker."""
    if tok.i == 0:
        return None
    prev = tok.doc[tok.i - 1]
    if prev.pos_ != "PROPN" or prev.ent_type_ not in ("PERSON", "ORG") or prev.ent_iob_ == "":
        return None
    if not any(c.dep_ == "prep" and c.i < tok.i and c.right_edge.i == prev.i for c in tok.lefts):
        return None
    start = prev.i
    while start > 0 and tok.doc[start].ent_iob_ == "I":
        start -= 1
    return prev, (start, prev.i + 1)


def _speech_conj(clause: Token) -> tuple[Token, bool] | None:
    """"said it was opposed to the test and warned North Korea to refrain": a speech verb
    with a complement of its own, coordinated to a claim clause without a subject of its
    own, is a second claim, whatever the parser hung it on. Returns the verb and whether the
    claim is the outer speaker's: when the clause's subject is a pronoun (the speaker again:
    "said it was opposed ... and warned") or the verb is a form the clause's modal cannot
    govern ("said the country would leave ... and suggested"). Otherwise a plain verb of
    saying is the clause subject's own, nested claim ("says Machado promised to stay and said
    she would ..."), and any other verb stays in the claim ("said engineers had inspected
    3,100 homes and declared 260 unsafe", "the rebels attacked the town and claimed three
    villages")."""
    subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in clause.children)
    for c in clause.rights:
        if c.dep_ != "conj" or c.lemma_.lower() not in lex.SPEECH_VERBS or c.pos_ != "VERB":
            continue
        if any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
            continue
        if not any(g.dep_ in ("ccomp", "xcomp", "oprd") and g.i > c.i for g in c.children):
            continue
        if subj is not None and subj.pos_ == "PRON" or modal and c.tag_ in ("VBD", "VBZ"):
            return c, True
        if c.lemma_.lower() in _SAYING_VERBS:
            return c, False
    return None


# Verbs that are nothing but saying: coordinated to a claim, they start a claim of their own.
_SAYING_VERBS = frozenset("say add tell insist argue".split())


def _second_claim(clause: Token) -> int | None:
    """Token where a claim clause stops because a claim of its own begins: before the "and"
    of a coordinated speech verb (see ``_speech_conj``), or before ", although he refused
    to ..." (a concessive clause whose verb is a cue, with its own subject)."""
    found = _speech_conj(clause)
    if found is not None:
        conj = found[0]
        cc = [c for c in clause.children if c.dep_ == "cc" and c.i < conj.i]
        return cc[-1].i if cc else conj.left_edge.i
    for c in clause.rights:
        mark = next((m for m in c.children if m.dep_ == "mark"), None)
        if (c.dep_ == "advcl" and mark is not None and mark.lower_ in ("although", "though", "but")
                and c.lemma_.lower() in CUE_LEMMAS and any(g.dep_ == "nsubj" for g in c.children)):
            lo = c.left_edge.i
            return lo - 1 if lo > 0 and clause.doc[lo - 1].text == "," else lo
    return None


def _inherited_subject(tok: Token) -> Token | None:
    """"..., saying ...", "He ... and added ...", "aside from saying ...": the subject of the
    nearest governing clause. A speech verb coordinated to a claim clause (``_speech_conj``)
    takes the speaker of that claim."""
    found = _speech_conj(tok.head) if tok.dep_ == "conj" and tok.head.dep_ == "ccomp" else None
    if found is not None and found[1] and found[0].i == tok.i:
        subj = next((c for c in tok.head.head.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            return subj
    if tok.dep_ not in ("advcl", "conj", "xcomp", "pcomp", "acl"):
        return None
    if tok.dep_ == "acl":
        # "footage of Trump saying ...": the noun the participle describes.
        return tok.head if tok.tag_ == "VBG" and tok.head.pos_ in ("PROPN", "NOUN", "PRON") else None
    h = tok.head
    for _ in range(4):
        subj = next((c for c in h.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            return subj
        if h.head.i == h.i or h.dep_ in ("relcl", "acl", "ccomp", "pobj", "nsubj", "dobj"):
            return None
        h = h.head
    return None


def _parenthetical(tok: Token, speaker: Token) -> list[tuple[int, int]] | None:
    """Content around a parenthetical "X said" set off by commas mid-sentence."""
    doc = tok.doc
    sent = _sentence_span(tok)
    s_lo, s_hi = _np_range(speaker)
    lo, hi = min(tok.i, s_lo), max(tok.i + 1, s_hi)
    if lo > 0 and doc[lo - 1].lower_ == "as" and doc[lo - 1].head.i == tok.i:
        lo -= 1  # "Hawaii, as one of his advisers pointed out, rarely gets ..."
    # Adverbials of the cue belong to the block: "the agency said in a June report".
    while hi < sent.end and doc[hi].head.i == tok.i and doc[hi].dep_ in ("prep", "npadvmod", "advmod", "prt"):
        hi = doc[hi].right_edge.i + 1
    if not (lo - 1 > sent.start and doc[lo - 1].text == "," and hi < sent.end - 1 and doc[hi].text == ","):
        return None
    if any(c.dep_ in ("ccomp", "dobj", "xcomp") and lo <= c.i < hi for c in tok.children):
        return None
    # Not an adverbial opener: "On Thursday, however, X spoke to ..., promising". After one
    # the claim is what follows, when the cue hangs on it ("And perhaps, he said, it could help").
    opener = not any(t.pos_ in ("NOUN", "PROPN", "PRON", "VERB", "AUX") and t.ent_type_ not in ("DATE", "TIME")
                     for t in doc[sent.start:lo - 1])
    if opener and not (tok.dep_ == "parataxis" and tok.head.i > hi):
        return None
    if doc[hi + 1].text in _QUOTE_MARKS or doc[hi + 1].text == "''":
        return None  # 'Asked about it, O'Neill said, "Not going to go into that."': the quote is the content
    before = _char_range(doc, sent.start, lo - 1)
    after = _char_range(doc, hi + 1, sent.end)
    if len(_text(doc)[after[0]:after[1]].split()) < 2:
        return None
    return [after] if opener else [before, after]


def _as_clause(tok: Token) -> list[tuple[int, int]] | None:
    """"as X noted": the claim is the clause the as-clause modifies, without it."""
    if tok.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children):
        return None
    head = tok.head
    doc = tok.doc
    lo, hi = tok.left_edge.i, tok.right_edge.i + 1
    frags = []
    if head.left_edge.i < lo:
        frags.append(_char_range(doc, head.left_edge.i, lo))
    if hi < head.right_edge.i + 1:
        frags.append(_char_range(doc, hi, head.right_edge.i + 1))
    frags = [f for f in frags if f[1] > f[0]]
    return frags or None


# "raised its count of ... to 18,500", "has put the number at 18,500": a source giving a figure.
_FIGURE_VERBS = frozenset("raise lower revise put update cut increase reduce lift set".split())
_FIGURE_NOUNS = frozenset("count estimate figure toll number tally forecast projection".split())


def _figure_cue(tok: Token, sent_of: dict[int, int]) -> _Draft | None:
    """"Serbia's disaster agency raised its count of people displaced to 18,500": changing or
    setting a count is stating it. The claim is the count and its new figure."""
    doc = tok.doc
    obj = next((c for c in tok.children if c.dep_ == "dobj" and c.lemma_.lower() in _FIGURE_NOUNS), None)
    if obj is None:
        return None
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None) or _inherited_subject(tok)
    if subj is None or subj.lower_ in ("it", "this", "that", "which", "who") and subj.dep_ != "nsubj":
        return None
    # The parser hangs "to 18,500" on the verb, on the count, or deep inside it.
    prep = next((c for c in (*tok.children, *obj.subtree) if c.dep_ == "prep" and c.lower_ in ("to", "at")
                 and c.i > obj.i and any(t.like_num for t in c.subtree)), None)
    if prep is None:
        return None
    lo, hi = obj.left_edge.i, max(obj.right_edge.i, prep.right_edge.i) + 1
    return _Draft("verb", tok.i, tok.i + 1, subj, _np_range(subj), [_char_range(doc, lo, hi)], sent_of[tok.i],
                  lemma=tok.lemma_.lower())


def _put_it(tok: Token, sent_of: dict[int, int]) -> _Draft | None:
    """"as a Homeland Security memo put it", "As Ms. Simonyan put it in a statement, ...":
    the claim is the clause the as-clause modifies, or the quote it introduces."""
    if not any(c.dep_ == "dobj" and c.lower_ == "it" for c in tok.children):
        return None
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return None
    content = _as_clause(tok) or []
    d = _Draft("verb", tok.i, tok.i + 2 if tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "it" else tok.i + 1,
               subj, _np_range(subj), content, sent_of[tok.i], lemma="put it", wants_quote=_colon_follows(tok))
    return d


def _noun_tagged_cue(tok: Token, sent_of: dict[int, int]) -> _Draft | None:
    """"Trump claims that ...", "Trump charges that ...": the small model tags a third-person
    reporting verb after a name as a plural noun. A name, then the word, then "that"."""
    doc = tok.doc
    lemma = tok.lower_[:-1] if tok.lower_.endswith("s") else tok.lower_
    if lemma not in lex.SPEECH_VERBS or tok.i == 0 or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "that":
        return None
    prev = doc[tok.i - 1]
    sents = sentences(doc)
    if prev.pos_ != "PROPN" or sents.index(prev.i) != sents.index(tok.i):
        return None
    start = prev.i
    sent_start, end = sents.bounds(tok.i)
    while start > sent_start and doc[start - 1].pos_ == "PROPN":
        start -= 1
    while end > tok.i + 2 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end <= tok.i + 2:
        return None
    return _Draft("verb", tok.i, tok.i + 1, prev, (start, prev.i + 1),
                  [_char_range(doc, tok.i + 2, end)], sent_of[tok.i], lemma=lemma)


_CLAUSE_OPENERS = frozenset("though although but while whereas yet".split())  # not "and": PolNeAR gives both halves to the source


def _according(tok: Token, sent_of: dict[int, int]) -> _Draft | None:
    """"..., according to X" -> content is the rest of the clause."""
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    if to is None:
        return None
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None:
        return None
    doc = tok.doc
    sent = _sentence_span(tok)
    pp_start, pp_end = tok.i, to.right_edge.i + 1
    # Where the phrase stands settles its scope better than the parse, which often gets
    # "According to X, ..." wrong: at the start it covers what follows its comma, after a
    # comma at the end it covers what precedes it.
    comma = next((t.i for t in doc[to.i + 1: sent.end] if t.text == ","), None)
    if tok.i == sent.start and comma is not None:
        pp_end = comma
        c_start, c_end = comma + 1, sent.end
    elif pp_end >= sent.end - 1 and tok.i > sent.start and doc[tok.i - 1].text == ",":
        c_start, c_end = sent.start, tok.i - 1
    else:
        # Mid-sentence: the clause it modifies, up to the nearest verb with a subject.
        clause = tok.head
        while clause.dep_ != "ROOT" and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in clause.children):
            clause = clause.head
        c_start, c_end = clause.left_edge.i, clause.right_edge.i + 1
        # "The river fell, according to the service, though it said ...": set off by commas
        # before a clause of its own, the phrase sources only what precedes it.
        if (tok.i > c_start and doc[tok.i - 1].text == "," and pp_end + 1 < c_end and doc[pp_end].text == ","
                and doc[pp_end + 1].lower_ in _CLAUSE_OPENERS):
            c_end = tok.i - 1
    frags = []
    if c_start < pp_start:
        frags.append(_char_range(doc, c_start, min(pp_start, c_end)))
    if pp_end < c_end:
        frags.append(_char_range(doc, max(pp_end, c_start), c_end))
    frags = [f for f in (_trim(_text(doc), *f) for f in frags) if f[1] > f[0]]
    if not frags:
        return None
    obj_range = _np_range(obj)
    obj_range = (obj_range[0], min(obj_range[1], pp_end))
    d = _Draft("according", tok.i, to.i + 1, obj, obj_range, frags, sent_of[tok.i], lemma="according to")
    start = tok.i - 1 if tok.i > 0 and doc[tok.i - 1].text == "," else tok.i
    d.cut = (doc[start].idx, doc[pp_end - 1].idx + len(doc[pp_end - 1]))
    return d


def _agent(tok: Token) -> Token | None:
    by = next((c for c in tok.children if c.dep_ == "agent"), None)
    if by is None:
        return None
    return next((c for c in by.children if c.dep_ == "pobj"), None)


def _hedge_adverbs(tok: Token, d: _Draft) -> None:
    for c in tok.children:
        if c.dep_ == "advmod" and c.lower_ in lex.HEDGE_ADVERBS:
            d.hedges.append(c.lower_)


def _cue_range(tok: Token) -> tuple[int, int]:
    """The cue: the verb and an adjacent particle ("called for", "pointed out")."""
    end = tok.i + 1
    for c in tok.rights:
        if c.dep_ == "prt" and c.i == end:
            end += 1
    return tok.i, end


def _colon_follows(tok: Token) -> bool:
    """True when the cue ends its clause with a colon: 'X said:', 'He added:'."""
    doc = tok.doc
    i = tok.i + 1
    while i < len(doc) and i <= tok.i + 4:
        t = doc[i]
        if t.text == ":":
            return True
        if t.is_punct and t.text not in ",":
            return False
        i += 1
    return False


def _has_comma_between(a: Token, b: Token) -> bool:
    lo, hi = sorted((a.right_edge.i if a.i < b.i else b.right_edge.i, b.i if a.i < b.i else a.left_edge.i))
    return any(t.text == "," for t in a.doc[lo:hi + 1])


_DASHES = ("―", "—", "--", "–")
# Paragraph labels that are page furniture, not speakers ("Update: ...", "Read more: ...").
_NOT_SPEAKER_LABELS = frozenset("""
update updated note editor editors correction read more related source sources photo photos image
images video watch listen advertisement credit credits tags topics share published posted by
transcript partial warning disclaimer summary background context subscribe follow sign live
breaking exclusive opinion analysis review analysis q a faq caption
""".split())


def _dash_credits(doc: Doc, quotes: list[Quote], sent_of: dict[int, int]) -> list[_Draft]:
    """'"Quote." ― Name' at the end of a line: the name is the speaker, the dash the cue."""
    text = _text(doc)
    out = []
    for q in quotes:
        if not q.closed:
            continue
        i = q.end
        while i < len(text) and text[i] in " \t\xa0.,":
            i += 1
        dash = next((d for d in _DASHES if text.startswith(d, i)), None)
        if dash is None:
            continue
        line_end = text.find("\n", i)
        line_end = len(text) if line_end < 0 else line_end
        name_start = i + len(dash)
        while name_start < line_end and text[name_start] in " \t\xa0":
            name_start += 1
        name = text[name_start:line_end].rstrip(" .\xa0")
        words = name.split()
        if not 1 <= len(words) <= 6 or not all(w[:1].isupper() or w[:1] in "(,-" for w in words):
            continue
        span = doc.char_span(name_start, name_start + len(name), alignment_mode="expand")
        cue = doc.char_span(i, i + len(dash), alignment_mode="expand")
        if span is None or cue is None or not len(span):
            continue
        d = _Draft("dash", cue.start, cue.end, span.root, (span.start, span.end), [_trim(text, q.start, q.end)],
                   sent_of[span.start], lemma="dash")
        out.append(d)
    return out


def _label_lines(doc: Doc, sent_of: dict[int, int]) -> list[_Draft]:
    """'PENCE: Well, look ...', 'Sanders: Clinton needs to ...': a paragraph that opens with
    a short capitalised label and a colon gives the label's words to it."""
    text = _text(doc)
    out = []
    pos = 0
    for para in text.split("\n"):
        start = pos
        pos += len(para) + 1
        colon = para.find(":")
        if colon <= 0 or colon > 40:
            continue
        label = para[:colon].strip().lstrip("\"“'")
        words = label.split()
        rest = para[colon + 1:].strip()
        if not 1 <= len(words) <= 4 or len(rest.split()) < 3:
            continue
        if not all(w[:1].isupper() for w in words) or any(w.lower().strip(".'’s") in _NOT_SPEAKER_LABELS for w in words):
            continue
        if any(ch.isdigit() for ch in label):
            continue
        ls = start + para.index(label)
        span = doc.char_span(ls, ls + len(label), alignment_mode="expand")
        # A transcript's speaker label ("PENCE:") or a name ("Sanders:"), not a headline's kicker.
        if span is None or not (label.isupper() or any(
                e.label_ in ("PERSON", "ORG", "GPE", "NORP") and e.start <= span.start and span.end <= e.end for e in doc.ents)):
            continue
        cue = doc.char_span(start + colon, start + colon + 1, alignment_mode="expand")
        if span is None or cue is None or not len(span):
            continue
        content = _trim(text, start + colon + 1, start + len(para))
        if content[1] <= content[0]:
            continue
        out.append(_Draft("label", cue.start, cue.end, span.root, (span.start, span.end), [content],
                          sent_of[span.start], lemma="label"))
    return out


# ---------------------------------------------------------------------------------------
# Spans


def _np_range(head: Token, stop_at: Token | None = None) -> tuple[int, int]:
    """Token range of a speaker phrase: the head's subtree without relative clauses,
    trailing participial phrases and edge punctuation ("the pact, published by ..." -> "the pact")."""
    start, end = head.left_edge.i, head.i + 1
    for c in head.rights:
        if (stop_at is not None and c.i == stop_at.i) or c.dep_ in ("relcl", "advcl", "cc", "conj") or (c.dep_ == "acl" and _comma_before(c)):
            break
        if c.dep_ == "punct" and c.text not in (")", ",", "(") and c.text not in "’'":
            break
        if c.dep_ in ("prep", "npadvmod") and any(t.ent_type_ in ("DATE", "TIME") for t in c.subtree):
            break  # "The directorate on Monday dismissed ...": the date is not the speaker
        end = c.right_edge.i + 1
    doc = head.doc
    while end > start + 1 and (doc[end - 1].is_punct and doc[end - 1].text != ")" or doc[end - 1].is_space
                               or doc[end - 1].ent_type_ in ("DATE", "TIME") and end - 1 > head.i):
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space):
        start += 1
    # A parenthesis opened inside must close inside: "(NIS)".
    opened = sum(1 for t in doc[start:end] if t.text == "(") - sum(1 for t in doc[start:end] if t.text == ")")
    if opened > 0 and end < len(doc) and doc[end].text == ")":
        end += 1
    return start, end


def _comma_before(tok: Token) -> bool:
    return tok.left_edge.i > 0 and tok.doc[tok.left_edge.i - 1].text == ","


def _clause_range(tok: Token) -> tuple[int, int]:
    """Char range of a complement clause, without its complementizer ("that")."""
    doc = tok.doc
    start = tok.left_edge.i
    end = tok.right_edge.i + 1
    first = doc[start]
    if first.dep_ == "mark" and first.lower_ in ("that", "whether", "if") and first.head.i == tok.i and start < tok.i:
        start += 1
    return _trim(_text(doc), doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))


def _char_range(doc: Doc, start: int, end: int) -> tuple[int, int]:
    if end <= start:
        return (doc[start].idx, doc[start].idx) if start < len(doc) else (len(_text(doc)), len(_text(doc)))
    return _trim(_text(doc), doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Strip whitespace and dangling punctuation; keep a closing quote that balances an
    opening one inside the span (so mixed quotes stay balanced)."""
    while True:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e and text[s] in _TRAIL_PUNCT + ".":
            s += 1
            continue
        if e > s and text[e - 1] in _TRAIL_PUNCT + ".":
            e -= 1
            continue
        if e > s and text[e - 1] in "”\"»":
            segment = text[s:e - 1]
            opens = segment.count("“") + segment.count("«")
            closes = segment.count("”") + segment.count("»")
            straight = segment.count('"')
            if opens > closes or straight % 2 == 1:
                return s, e
            e -= 1
            continue
        if s < e and text[s] in "“\"«" and not any(c in text[s + 1:e] for c in "”\"»"):
            s += 1
            continue
        return s, e


def _balance(text: str, s: int, e: int) -> tuple[int, int]:
    """Take in a closing quote that follows the span after punctuation only
    ('would be the “first step to a world war,” The AP reported')."""
    seg = text[s:e]
    if seg.count("“") > seg.count("”"):
        k = e
        while k < len(text) and k < e + 3 and text[k] in ",.;:!? ":
            k += 1
        if k < len(text) and text[k] == "”":
            return s, k + 1
    return s, e


def _drop_trailing_aside(doc: Doc, s: int, e: int, quotes: list[Quote]) -> tuple[int, int]:
    """Cut a non-restrictive tail off a claim: "..., the existing military alliance that ...",
    "Scott, who has never faced ...", "..., engaging in what analysts described as ...".
    Those describe something the claim mentions; they are the writer's words, not the claim."""
    span = doc.char_span(s, e, alignment_mode="contract")
    if span is None or len(span) < 4:
        return s, e
    last = span.end - 1
    while last > span.start and doc[last].is_punct:
        last -= 1
    for t in span:
        if t.dep_ not in ("appos", "relcl", "advcl", "acl"):
            continue
        if t.dep_ in ("advcl", "acl") and t.tag_ != "VBG":
            continue
        lo = t.left_edge.i
        if lo <= span.start + 2 or doc[lo - 1].text != "," or t.right_edge.i < last:
            continue
        cut = doc[lo - 1].idx
        if any(q.start < cut < q.end for q in quotes):
            continue
        return _trim(_text(doc), s, cut)
    return s, e


def _unquote(text: str, s: int, e: int) -> tuple[int, int]:
    """A content that is one whole quotation loses its marks and trailing comma."""
    if e - s >= 4 and text.startswith("''", s) and text.endswith("''", s, e) and "''" not in text[s + 2:e - 2]:
        s, e = s + 2, e - 2
        while e > s and (text[e - 1] in ",;:" or text[e - 1].isspace()):
            e -= 1
        return s, e
    if e - s >= 2 and text[s] in "“\"«" and text[e - 1] in "”\"»":
        inner = text[s + 1:e - 1]
        if not any(c in inner for c in "“”«»\""):
            s, e = s + 1, e - 1
            while e > s and (text[e - 1] in ",;:" or text[e - 1].isspace()):
                e -= 1
    return s, e


def _sentence_index(doc: Doc) -> list[int]:
    """Token index -> sentence number."""
    return sentences(doc).of


# ---------------------------------------------------------------------------------------
# Quotes joining claims


def _attach_quotes(doc: Doc, drafts: list[_Draft], quotes: list[Quote], sent_of: dict[int, int]) -> None:
    text = _text(doc)
    drafts.sort(key=lambda d: d.cue_start)
    cue_chars = [doc[d.cue_start].idx for d in drafts]
    last: _Draft | None = None  # the claim whose quote may run on
    last_q: Quote | None = None  # the last quote given to a claim
    for q in quotes:
        if q.end - q.start < 2:
            continue
        q_tok = _token_at(doc, q.start + 1)
        if q_tok is None:
            continue
        q_sent = sent_of[q_tok.i]
        q_last = _token_at(doc, max(q.start, q.end - 2))
        q_end_sent = sent_of[q_last.i] if q_last is not None else q_sent
        words = len(text[q.start:q.end].split())
        owner = next((d for d in drafts for s, e in d.fragments if _overlap(q.start, q.end, s, e) > 0), None)
        if owner is not None:
            # A claim whose content lies in this quote takes the whole quote (a quote of
            # several sentences before "he said"), unless its cue is inside the quote.
            if not (q.start <= doc[owner.cue_start].idx < q.end):
                owner.fragments.append(_trim(text, q.start, q.end))
        else:
            # A colon lead-in waiting for its quote ("Caddell continued:", "X said:").
            owner = next((d for d in drafts if d.wants_quote and not d.fragments
                          and doc[d.cue_start].idx < q.start and q_sent - d.sent <= 1), None)
            if owner is None:
                # The other half of a split quote, or a quote in the cue's sentence.
                same = [d for d in drafts if q_sent - 1 <= d.sent <= q_end_sent + 1 and d.kind == "verb"
                        and _adjacent(doc, d, q)]
                if same:
                    owner = min(same, key=lambda d: abs(doc[d.cue_start].idx - q.start))
            if owner is None and last is not None and last_q is not None and words >= 2:
                # A quoted sentence continuing the last speaker's quote: later in the same
                # paragraph with no other cue in between, or the next paragraph after a
                # quote left open.
                same_para = (q.para == last_q.para and q.start >= last_q.end
                             and not any(last_q.end <= cue_chars[k] < q.start for k, d in enumerate(drafts)
                                         if d is not last and not _same_speaker(d, last))
                             and _quote_sentence(text, q))
                runs_on = not last_q.closed and q.para == last_q.para + 1 and _starts_paragraph(text, q.start)
                if same_para or runs_on:
                    owner = last
            if owner is None:
                continue
            owner.fragments.append(_trim(text, q.start, q.end))
        if owner.kind == "verb":
            last, last_q = owner, q
    for d in drafts:
        if d.wants_quote and not d.fragments:
            d.fragments = _next_paragraph(doc, d)
        d.fragments = _merge_fragments(d.fragments)


def _next_paragraph(doc: Doc, d: _Draft) -> list[tuple[int, int]]:
    """'The governor added:' at the end of a paragraph: the next paragraph is what he added."""
    text = _text(doc)
    colon = text.find(":", doc[d.cue_start].idx)
    if colon < 0:
        return []
    nl = text.find("\n", colon)
    if nl < 0 or text[colon + 1:nl].strip():
        return []
    start = nl
    while start < len(text) and text[start].isspace():
        start += 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    frag = _trim(text, start, end)
    return [frag] if frag[1] > frag[0] else []


def _same_speaker(a: _Draft, b: _Draft) -> bool:
    """'"A," DuVernay said, emphasizing ... "B."': a participle sharing the speaker token."""
    return a.speaker_head is not None and b.speaker_head is not None and a.speaker_head.i == b.speaker_head.i


def _quote_sentence(text: str, q: Quote) -> bool:
    """The quote stands as a sentence: it opens after sentence-final punctuation and is followed
    by the end of the paragraph or by another sentence."""
    j = q.start - 1
    while j >= 0 and text[j] in " \t\xa0":
        j -= 1
    if j >= 0 and text[j] not in ".!?\n”\"'…":
        return False
    k = q.end
    while k < len(text) and text[k] in " \t\xa0.,":
        k += 1
    return k >= len(text) or text[k] == "\n" or text[k].isupper() or text[k] in "“\"'"


def _starts_paragraph(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j < 0 or text[j] == "\n"


def _adjacent(doc: Doc, d: _Draft, q: Quote) -> bool:
    """Only punctuation (or, before a second half, "but" or "and") between the quote and the
    speaker-and-cue block (the halves of '"A," he said, "B."')."""
    lo, hi = d.cue_start, d.cue_end
    if d.speaker_range is not None:
        lo, hi = min(lo, d.speaker_range[0]), max(hi, d.speaker_range[1])
    # Objects, adverbs and time phrases of the cue belong to the block ("Schiff told Capital
    # Download on Wednesday").
    cue = doc[d.cue_start]
    for c in cue.rights:
        if c.left_edge.i == hi and c.dep_ in ("prep", "npadvmod", "advmod", "dobj", "dative", "prt"):
            hi = c.right_edge.i + 1
    block_start, block_end = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
    text = _text(doc)
    if q.end <= block_start:
        between = text[q.end:block_start]
    elif q.start >= block_end:
        between = text[block_end:q.start]
        if any(ch in ".!?" for ch in between):
            return False  # 'he said. "Next ..."' is a new sentence: a continuation, not a half
        # '"You know, I love Larry," he said, but "when it comes to ..."': a conjunction may
        # join the second half.
        words = "".join(ch if ch.isalnum() else " " for ch in between).split()
        if words in (["but"], ["and"]) and between.count("\n") == 0:
            return True
    else:
        return False
    return all(not ch.isalnum() for ch in between) and between.count("\n") == 0


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _overlap(a: int, b: int, c: int, d: int) -> int:
    return max(0, min(b, d) - max(a, c))


def _merge_fragments(frags: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(frags):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


# ---------------------------------------------------------------------------------------
# Chains, speakers, nesting


def _according_chains(drafts: list[_Draft]) -> None:
    """"X said ..., according to Yonhap": Yonhap is how we know X said it. A cue after the
    phrase only when the phrase covers it: in "The river fell, according to the weather
    service, though it said ...", the second claim is the service's own."""
    for a in drafts:
        if a.kind != "according":
            continue
        others = [d for d in drafts if d is not a and d.sent == a.sent and d.kind != "according" and not d.dropped
                  and (d.cue_start < a.cue_start or _cue_within(d, a))]
        if others:
            target = min(others, key=lambda d: abs(d.cue_start - a.cue_start))
            target.via.append(_via_of(a))
            target.fragments = _subtract(target.fragments, a.cut)
            a.dropped = True


def _cue_within(d: _Draft, a: _Draft) -> bool:
    """Whether d's cue lies in a's content (its fragments, or between them)."""
    if not a.fragments:
        return False
    lo, hi = min(s for s, _ in a.fragments), max(e for _, e in a.fragments)
    return lo <= d.speaker_head.doc[d.cue_start].idx < hi if d.speaker_head is not None else False


def _subtract(frags: list[tuple[int, int]], cut: tuple[int, int] | None) -> list[tuple[int, int]]:
    if cut is None:
        return frags
    out = []
    for s, e in frags:
        if cut[1] <= s or cut[0] >= e:
            out.append((s, e))
            continue
        if s < cut[0]:
            out.append((s, cut[0]))
        if cut[1] < e:
            out.append((cut[1], e))
    return out


def _via_of(d: _Draft) -> Via:
    doc = d.speaker_head.doc
    s, e = d.speaker_range
    span = doc[s:e]
    return Via(name=span.text, start=span.start_char, end=span.end_char)


def _resolve_speakers(doc: Doc, table: EntityTable, drafts: list[_Draft]) -> None:
    last: int | None = None
    for d in sorted(drafts, key=lambda d: d.cue_start):
        if d.speaker_head is None:
            continue
        d.cluster = resolve_mention(table, d.speaker_head, last)
        if d.cluster is None and not d.dropped and d.speaker_range is not None:
            d.cluster = described_source(table, d.speaker_head, *d.speaker_range)
        if d.cluster is not None and not d.dropped:
            last = d.cluster
            table.spoke.append(d.cluster)
        # A via recorded before speakers were known gets its entity's name now.
        for i, v in enumerate(d.via):
            head = _token_at(doc, v.start) if v.start is not None else None
            if head is not None:
                root = doc.char_span(v.start, v.end, alignment_mode="expand").root
                k = resolve_mention(table, root, None)
                if k is not None:
                    d.via[i] = Via(name=table.name(k), start=v.start, end=v.end, entity=table.entity_id(k))


def _citing_chains(doc: Doc, table: EntityTable, drafts: list[_Draft]) -> None:
    """"..., the Santa Fe Chronicle reported, citing two people familiar with the inquiry":
    the people cited are the source, and the paper is how the claim reached us (``via``)."""
    by_cue = {d.cue_start: d for d in drafts if not d.dropped and d.kind == "verb"}
    for c in drafts:
        if c.dropped or c.lemma != "cite" or not c.fragments:
            continue
        tok = doc[c.cue_start]
        if tok.tag_ != "VBG" or tok.dep_ not in ("advcl", "xcomp", "conj"):
            continue
        d = by_cue.get(tok.head.i)
        if d is None or d is c or d.lemma not in ("report", "say", "write", "tell") or d.speaker_head is None:
            continue
        obj = next((x for x in tok.children if x.dep_ == "dobj"), None)
        if obj is None:
            continue
        channel = _via_of(d)
        if d.cluster is not None:
            channel = Via(name=table.name(d.cluster), start=channel.start, end=channel.end,
                          entity=table.entity_id(d.cluster))
        d.via.insert(0, channel)
        d.speaker_head, d.speaker_range = obj, _np_range(obj)
        d.cluster = resolve_mention(table, obj, None)
        d.fragments = _subtract(d.fragments, (doc[tok.i - 1].idx if doc[tok.i - 1].text == "," else tok.idx,
                                              doc[tok.right_edge.i].idx + len(doc[tok.right_edge.i])))
        c.dropped = True


def _report_chains(doc: Doc, table: EntityTable, drafts: list[_Draft]) -> None:
    """"He has warned that ..., The Associated Press reported": the AP is the channel."""
    for a in drafts:
        if a.dropped or a.kind != "verb" or not a.fragments:
            continue
        medium = a.cluster is not None and table.type(a.cluster) == "MEDIA"
        if not (a.lemma == "report" or (medium and a.lemma in ("say", "report", "write", "tell"))):
            continue
        inner = [d for d in drafts if d is not a and not d.dropped and d.kind != "according" and _inside(doc, d, a)]
        if inner:
            for d in inner:
                d.via.append(_via_of(a) if a.cluster is None else Via(
                    name=table.name(a.cluster), start=_via_of(a).start, end=_via_of(a).end,
                    entity=table.entity_id(a.cluster)))
                d.via.extend(a.via)
            a.dropped = True


def _inside(doc: Doc, inner: _Draft, outer: _Draft) -> bool:
    """True when inner's cue lies inside outer's content."""
    c = doc[inner.cue_start].idx
    return any(s <= c < e for s, e in outer.fragments)


def _drop_nested(drafts: list[_Draft], doc: Doc) -> None:
    """A claim inside another claim's content is carried by the outer claim."""
    live = [d for d in drafts if not d.dropped]
    for d in live:
        for o in live:
            if o is d or o.dropped:
                continue
            if _inside(doc, d, o):
                d.dropped = True
                # "said she believed ...": the speaker's own belief hedges the outer claim.
                same = d.cluster is not None and d.cluster == o.cluster or (
                    d.speaker_head is not None and d.speaker_head.pos_ == "PRON")
                if same and d.lemma in lex.HEDGING_CUES:
                    o.hedges.append(doc[d.cue_start].text)
                break


# ---------------------------------------------------------------------------------------
# Output


def _finalize(doc: Doc, table: EntityTable, drafts: list[_Draft], quotes: list[Quote]) -> list[Attribution]:
    text = _text(doc)
    drafts.sort(key=lambda d: min(d.fragments[0][0], doc[d.cue_start].idx))
    times = doc._.claimscope_times or []
    quantities = doc._.claimscope_quantities or []
    out = []
    for k, d in enumerate(drafts):
        frags = [f for f in (_balance(text, *_trim(text, s, e)) for s, e in d.fragments) if f[1] > f[0]]
        if d.kind == "verb" and frags:
            frags[-1] = _drop_trailing_aside(doc, *frags[-1], quotes)
        if not frags:
            continue
        if len(frags) == 1:
            frags = [_unquote(text, *frags[0])]
        else:
            frags = [_unquote(text, s, e) for s, e in frags]
        s, e = frags[0][0], frags[-1][1]
        inside, total = _quoted_share(frags, quotes, text)
        if total == 0:
            continue
        kind = "direct" if inside == total else ("indirect" if inside == 0 else "mixed")
        if d.kind == "label":
            kind = "direct"  # a transcript line is verbatim speech
        if inside == total and len(frags) == 1 and text[frags[0][0] - 1: frags[0][0]] not in ("“", '"', "«", "'"):
            kind = "mixed" if _outside_words(text, frags[0], quotes) else "direct"
        content = Content(text[s:e], s, e, tuple(frags) if len(frags) > 1 else ())
        cue_span = doc[d.cue_start:d.cue_end]
        cue = Cue(cue_span.text, cue_span.start_char, cue_span.end_char)
        speaker = None
        if d.speaker_range is not None:
            sp = doc[d.speaker_range[0]:d.speaker_range[1]]
            speaker = Speaker(sp.text, sp.start_char, sp.end_char,
                              entity=table.entity_id(d.cluster), name=table.name(d.cluster))
        hedges = list(dict.fromkeys(d.hedges + _content_hedges(doc, frags)))
        negated = d.negated or _denies(doc, frags)
        q_ids = tuple(q.id for q in quantities if any(a <= q.start and q.end <= b for a, b in frags))
        t_ids = tuple(t.id for t in times if any(a <= t.start and t.end <= b for a, b in frags))
        said = _said_time(doc, d, times, frags)
        out.append(Attribution(
            id=f"a{k + 1}", type=kind, speaker=speaker, cue=cue, content=content,
            via=tuple(d.via), hedges=tuple(hedges), negated=negated,
            quantities=q_ids, times=t_ids, said_time=said,
        ))
    # Renumber after skips so ids run a1, a2, ...
    return [
        Attribution(**{**{f: getattr(a, f) for f in a.__dataclass_fields__}, "id": f"a{i + 1}"})
        for i, a in enumerate(out)
    ]


def _outside_words(text: str, frag: tuple[int, int], quotes: list[Quote]) -> bool:
    s, e = frag
    return any(text[i].isalnum() and not any(q.start <= i < q.end for q in quotes) for i in range(s, e))


def _content_hedges(doc: Doc, frags: list[tuple[int, int]]) -> list[str]:
    out = []
    for s, e in frags:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        for t in span:
            low = t.lower_
            if low in ("reportedly", "allegedly", "purportedly", "supposedly"):
                out.append(low)
            elif low == "estimated" and t.i > 0 and doc[t.i - 1].lower_ == "an":
                out.append("estimated")
    return out


def _denies(doc: Doc, frags: list[tuple[int, int]]) -> bool:
    """Content that denies: "have no evidence that ...", "is false", "did not happen"."""
    for s, e in frags:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        for t in span:
            low = t.lower_
            if low in lex.EVIDENCE_NOUNS and any(c.lower_ in ("no", "little") for c in t.children):
                return True
            if low in lex.EVIDENCE_NOUNS and any(c.dep_ == "neg" for c in t.head.children):
                return True
            if low in lex.FALSITY_WORDS and t.dep_ in ("acomp", "attr") and t.head.dep_ in ("ROOT", "ccomp", "relcl", "conj"):
                return True
            if t.lemma_.lower() in lex.DENIAL_VERBS and t.dep_ in ("ROOT", "ccomp") and t.head.i == t.i:
                return True
    return False


def _said_time(doc: Doc, d: _Draft, times, frags) -> str | None:
    """The time the cue's clause gives for the statement: "told ... on Thursday", "Last week, X said"."""
    cue = doc[d.cue_start]
    for t in times:
        if any(a <= t.start < b for a, b in frags):
            continue
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None or sentences(doc).index(span.root.i) != sentences(doc).index(cue.i):
            continue
        h = span.root
        for _ in range(3):
            if h.i == cue.i:
                return t.id
            if h.head.i == h.i:
                break
            h = h.head
    return None
