"""The relation data model and the ``doc._.relations`` extension.

Relations are stored in ``doc.user_data`` as plain tuples of token offsets so that docs survive
``Doc.to_bytes`` / ``DocBin`` / multi-process ``nlp.pipe``; ``doc._.relations`` decodes them into
:class:`Relation` objects carrying real :class:`~spacy.tokens.Span` objects.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Tuple

from spacy.tokens import Doc, Span

USER_DATA_KEY = "xiang_relations"


@dataclass
class Relation:
    """One directed relation between two entity spans of a doc."""

    label: str
    head: Span
    tail: Span
    amount: Optional[Span] = None  # the MONEY span of a LENDS_TO
    title: Optional[str] = None  # the title of a HOLDS_POSITION, as written
    cross_sentence: bool = False
    rule: str = ""  # id of the rule (or model) that produced it
    score: float = 1.0
    evidence: Tuple[Tuple[int, int], ...] = field(default_factory=tuple)  # char offsets of sentences

    @property
    def attrs(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        if self.amount is not None:
            out["amount"] = self.amount
        if self.title:
            out["title"] = self.title
        return out

    def key(self) -> Tuple[str, int, int, int, int]:
        """Identity for de-duplication: label and the char offsets of head and tail."""
        return (self.label, self.head.start_char, self.head.end_char, self.tail.start_char, self.tail.end_char)


def _span_tuple(span: Optional[Span]) -> Optional[Tuple[int, int, str]]:
    return None if span is None else (span.start, span.end, span.label_)


def _span_from(doc: Doc, t: Optional[Iterable[Any]]) -> Optional[Span]:
    if t is None:
        return None
    start, end, label = t
    return Span(doc, int(start), int(end), label=str(label))


def encode(rel: Relation) -> Tuple[Any, ...]:
    return (
        rel.label,
        _span_tuple(rel.head),
        _span_tuple(rel.tail),
        _span_tuple(rel.amount),
        rel.title,
        bool(rel.cross_sentence),
        rel.rule,
        float(rel.score),
        [list(e) for e in rel.evidence],
    )


def decode(doc: Doc, row: Iterable[Any]) -> Relation:
    label, head, tail, amount, title, cross, rule, score, evidence = row
    return Relation(
        label=label,
        head=_span_from(doc, head),  # type: ignore[arg-type]
        tail=_span_from(doc, tail),  # type: ignore[arg-type]
        amount=_span_from(doc, amount),
        title=title,
        cross_sentence=bool(cross),
        rule=rule,
        score=float(score),
        evidence=tuple((int(a), int(b)) for a, b in evidence),
    )


def get_relations(doc: Doc) -> List[Relation]:
    return [decode(doc, row) for row in doc.user_data.get(USER_DATA_KEY, [])]


def set_relations(doc: Doc, relations: Iterable[Relation]) -> None:
    doc.user_data[USER_DATA_KEY] = [encode(r) for r in relations]


if not Doc.has_extension("relations"):
    Doc.set_extension("relations", getter=get_relations, setter=set_relations)
