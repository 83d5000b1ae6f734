"""Quantities (placeholder: being written)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("claimscope_quantities_v1")
def make_quantities(nlp: Language, name: str):
    return QuantityTagger()


class QuantityTagger:
    def __call__(self, doc: Doc) -> Doc:
        doc._.claimscope_quantities = []
        return doc
