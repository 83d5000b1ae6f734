"""Entities (placeholder: being written)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("claimscope_entities_v1")
def make_entities(nlp: Language, name: str):
    return EntityTagger()


class EntityTagger:
    def __call__(self, doc: Doc) -> Doc:
        doc._.claimscope_entities = None
        return doc
