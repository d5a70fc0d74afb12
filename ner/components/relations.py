"""Relation extractor (placeholder until the rule component lands; see issue 5)."""
from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .. import relation as _relation  # noqa: F401  (registers doc._.relations)


class RelationExtractor:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.relations = []
        return doc


@Language.factory("relation_extractor", assigns=["doc._.relations"], requires=["doc.ents"])
def make_relation_extractor(nlp: Language, name: str) -> RelationExtractor:
    return RelationExtractor(nlp, name)
