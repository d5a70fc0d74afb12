"""Scorers (placeholder until issue 5)."""
from __future__ import annotations
from typing import Any, Callable, Dict, Iterable
from spacy.util import registry


@registry.scorers("xiang.relation_scorer.v1")
def make_relation_scorer() -> Callable[..., Dict[str, Any]]:
    def score(examples: Iterable[Any], **kwargs: Any) -> Dict[str, Any]:
        return {}
    return score
