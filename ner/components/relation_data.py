"""Gold JSONL records (spec/GUIDELINES.md §3) as spaCy Docs with gold entities and relations.

Used by the relation training and evaluation scripts and by tests; reads plain dicts so it does not
depend on the corpus package.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..relation import Relation, set_relations


def read_gold_jsonl(paths: Union[str, Path, Iterable[Union[str, Path]]]) -> List[Dict[str, Any]]:
    """Records of one or more gold JSONL files (blank lines skipped)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out: List[Dict[str, Any]] = []
    for p in paths:
        for line in Path(p).read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line))
    return out


def gold_doc(nlp: Language, record: Dict[str, Any], *, relations: bool = True) -> Doc:
    """A doc of ``record["text"]`` (made by ``nlp.make_doc``) with the gold spans as ``doc.ents`` and,
    with ``relations``, the gold relations in ``doc._.relations``. Spans must align to tokens
    (always true with the character tokenizer); a misaligned span raises ``ValueError``."""
    doc = nlp.make_doc(record["text"])
    spans: Dict[str, Span] = {}
    for s in record.get("spans", []):
        span = doc.char_span(int(s["start"]), int(s["end"]), label=s["label"], alignment_mode="strict")
        if span is None:
            raise ValueError(f"{record.get('id')}: span {s.get('id')} {s['start']}-{s['end']} does not align to tokens")
        spans[s["id"]] = span
    doc.set_ents(sorted(spans.values(), key=lambda x: x.start))
    if relations:
        rels: List[Relation] = []
        for r in record.get("relations", []):
            attrs = r.get("attrs") or {}
            amount = spans.get(attrs["amount"]) if attrs.get("amount") else None
            rels.append(
                Relation(
                    label=r["label"],
                    head=spans[r["head"]],
                    tail=spans[r["tail"]],
                    amount=amount,
                    title=attrs.get("title"),
                    cross_sentence=bool(r.get("cross_sentence", False)),
                    rule="gold",
                )
            )
        set_relations(doc, rels)
    return doc


def strip_relations(doc: Doc) -> Doc:
    """A copy of ``doc`` with the same entities and no relations (the input of a prediction)."""
    out = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    out.set_ents([Span(out, e.start, e.end, label=e.label_) for e in doc.ents])
    return out


def relation_rows(doc: Doc) -> List[Tuple[str, str, str, Dict[str, Any], bool]]:
    """(label, head text, tail text, attrs, cross) rows of a doc's relations, for printing."""
    out = []
    for r in doc._.relations:
        attrs: Dict[str, Any] = {}
        if r.amount is not None:
            attrs["amount"] = r.amount.text
        if r.title:
            attrs["title"] = r.title
        out.append((r.label, r.head.text, r.tail.text, attrs, r.cross_sentence))
    return out


def blank_char_nlp() -> Language:
    """A blank Chinese pipeline with the project's character tokenizer (no pkuseg needed)."""
    import spacy

    from .. import tokenizer as _tokenizer  # noqa: F401  (registers xiang.char_tokenizer.v1)

    return spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "xiang.char_tokenizer.v1"}}})


__all__ = ["blank_char_nlp", "gold_doc", "read_gold_jsonl", "relation_rows", "strip_relations"]


def _main(argv: Optional[List[str]] = None) -> None:  # pragma: no cover - debugging aid
    import sys

    nlp = blank_char_nlp()
    for rec in read_gold_jsonl((argv or sys.argv[1:])[0]):
        doc = gold_doc(nlp, rec)
        for row in relation_rows(doc):
            print(*row, sep="\t")
