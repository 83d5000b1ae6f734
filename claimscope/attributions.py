"""Attributions (placeholder: being written)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("claimscope_attributions_v1")
def make_attributions(nlp: Language, name: str):
    return AttributionTagger()


class AttributionTagger:
    def __call__(self, doc: Doc) -> Doc:
        doc._.claimscope_attributions = []
        return doc
