"""Gold documents -> spaCy ``Doc``s and ``Example``s with character tokens (for training and scoring).

Entities are set with ``doc.char_span(..., alignment_mode="strict")``: a span that does not fall on
token boundaries (it starts or ends on whitespace) raises :class:`CorpusError` naming the doc and
span; spans are never dropped silently. Gold relations go onto the reference doc through
:func:`ner.relation.set_relations`, so they survive ``DocBin`` (stored in ``user_data``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, List, Optional

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example

from ..relation import Relation, set_relations
from ..tokenizer import CharTokenizer
from .gold import CorpusError, GoldDoc, PathLike


def make_nlp() -> Language:
    """A blank Chinese pipeline with the character tokenizer (what gold docs are tokenised with)."""
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    return nlp


def gold_to_doc(gold: GoldDoc, nlp: Optional[Language] = None) -> Doc:
    """The reference ``Doc`` of ``gold``: character tokens, ``doc.ents`` and ``doc._.relations``."""
    nlp = nlp or make_nlp()
    doc = nlp.make_doc(gold.text)
    by_id = {}
    for s in gold.spans:
        span = doc.char_span(s.start, s.end, label=s.label, alignment_mode="strict")
        if span is None:
            raise CorpusError(
                f"{gold.where()}: [{gold.id}] span {s.id} {s.start}-{s.end} {s.label} "
                f"{gold.text[s.start:s.end]!r} does not align with character tokens "
                f"(does it start or end on whitespace?)"
            )
        by_id[s.id] = span
    try:
        doc.ents = sorted(by_id.values(), key=lambda sp: sp.start)
    except ValueError as err:
        raise CorpusError(f"{gold.where()}: [{gold.id}] cannot set entities: {err}") from err
    rels: List[Relation] = []
    for r in gold.relations:
        missing = [sid for sid in (r.head, r.tail, r.attrs.get("amount")) if sid and sid not in by_id]
        if missing:
            raise CorpusError(f"{gold.where()}: [{gold.id}] relation {r.head} {r.label} {r.tail}: dangling span id(s) {missing}")
        amount: Optional[Span] = by_id[r.attrs["amount"]] if r.attrs.get("amount") else None
        rels.append(
            Relation(
                label=r.label,
                head=by_id[r.head],
                tail=by_id[r.tail],
                amount=amount,
                title=r.attrs.get("title"),
                cross_sentence=r.cross_sentence,
                rule="gold",
            )
        )
    set_relations(doc, rels)
    doc.user_data["xiang_doc_id"] = gold.id
    return doc


def gold_to_example(gold: GoldDoc, nlp: Optional[Language] = None) -> Example:
    """An ``Example`` whose predicted doc is the bare tokenised text and whose reference is the gold doc."""
    nlp = nlp or make_nlp()
    return Example(nlp.make_doc(gold.text), gold_to_doc(gold, nlp))


def docs_from_gold(golds: Iterable[GoldDoc], nlp: Optional[Language] = None) -> List[Doc]:
    """Reference docs of many gold documents (one shared pipeline)."""
    nlp = nlp or make_nlp()
    return [gold_to_doc(g, nlp) for g in golds]


def examples_from_gold(golds: Iterable[GoldDoc], nlp: Optional[Language] = None) -> List[Example]:
    """Examples of many gold documents (one shared pipeline)."""
    nlp = nlp or make_nlp()
    return [gold_to_example(g, nlp) for g in golds]


def write_docbin(docs: Iterable[Doc], path: PathLike, *, attrs: Optional[List[str]] = None) -> None:
    """Save docs (with ``user_data``, hence relations) to a ``.spacy`` file (``attrs``: DocBin's default when None)."""
    db = DocBin(attrs=attrs, store_user_data=True) if attrs is not None else DocBin(store_user_data=True)
    for doc in docs:
        db.add(doc)
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(p)


def read_docbin(path: PathLike, nlp: Optional[Language] = None) -> List[Doc]:
    """Load docs written by :func:`write_docbin`."""
    nlp = nlp or make_nlp()
    return list(DocBin().from_disk(Path(path)).get_docs(nlp.vocab))
