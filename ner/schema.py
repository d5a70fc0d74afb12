"""The one source of truth for entity labels and relation types (spec/GUIDELINES.md §1–2).

Every other module reads labels, relation types and their head/tail type rules from here.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import FrozenSet, Mapping, Tuple

#: The six entity labels, in the order of the guidelines' table.
ENTITY_LABELS: Tuple[str, ...] = ("PERSON", "ORG", "LOC", "PROGRAMME", "SECTOR", "MONEY")


@dataclass(frozen=True)
class RelationType:
    """A directed relation type with the entity labels its head and tail may carry."""

    label: str
    heads: FrozenSet[str]
    tails: FrozenSet[str]
    symmetric: bool = False
    #: attribute names this relation may carry ("amount" -> a MONEY span id, "title" -> a string)
    attrs: FrozenSet[str] = frozenset()

    def allows(self, head_label: str, tail_label: str) -> bool:
        """True when a head of ``head_label`` and a tail of ``tail_label`` fit this type."""
        return head_label in self.heads and tail_label in self.tails


def _rt(label: str, heads: str, tails: str, *, symmetric: bool = False, attrs: str = "") -> RelationType:
    return RelationType(
        label,
        frozenset(heads.split()),
        frozenset(tails.split()),
        symmetric,
        frozenset(attrs.split()),
    )


#: The eight relation types with their head -> tail constraints.
RELATION_TYPES: Mapping[str, RelationType] = {
    rt.label: rt
    for rt in (
        _rt("LENDS_TO", "ORG", "SECTOR ORG PERSON", attrs="amount"),
        _rt("OFFERS", "ORG LOC", "PROGRAMME"),
        _rt("PARTNERS_WITH", "ORG", "ORG", symmetric=True),
        _rt("HOLDS_POSITION", "PERSON", "ORG", attrs="title"),
        _rt("LOCATED_IN", "ORG LOC PROGRAMME", "LOC"),
        _rt("TARGETS", "PROGRAMME", "SECTOR ORG"),
        _rt("IN_SECTOR", "ORG", "SECTOR"),
        _rt("PART_OF", "ORG", "ORG"),
    )
}

RELATION_LABELS: Tuple[str, ...] = tuple(RELATION_TYPES)

#: Attribute name -> kind: "span" attributes name a span id (of the given label), "str" are strings.
ATTRIBUTE_KINDS: Mapping[str, Tuple[str, str]] = {"amount": ("span", "MONEY"), "title": ("str", "")}

#: Sentence-final punctuation of the guidelines (§2): relations within one of these are same-sentence.
SENTENCE_END: FrozenSet[str] = frozenset("。！？!?")


def relation_allowed(label: str, head_label: str, tail_label: str) -> bool:
    """True when ``label`` is a known relation type and the head/tail labels fit its rule."""
    rt = RELATION_TYPES.get(label)
    return rt is not None and rt.allows(head_label, tail_label)


@lru_cache(maxsize=1024)
def allowed_relations(head_label: str, tail_label: str) -> Tuple[str, ...]:
    """All relation types a (head, tail) label pair may carry, in schema order (cached: the relation
    scorer asks for every pair of entities in a sentence)."""
    return tuple(rt.label for rt in RELATION_TYPES.values() if rt.allows(head_label, tail_label))
