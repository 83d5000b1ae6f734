"""Time expressions (placeholder: being written)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("claimscope_times_v1")
def make_times(nlp: Language, name: str):
    return TimeTagger()


class TimeTagger:
    def __call__(self, doc: Doc) -> Doc:
        doc._.claimscope_times = []
        return doc
