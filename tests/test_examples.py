"""Gold documents -> spaCy Docs/Examples with character tokens, relations on the reference doc."""
from __future__ import annotations

from pathlib import Path

import pytest

from ner.corpus.examples import gold_to_doc, gold_to_example, make_nlp, read_docbin, write_docbin
from ner.corpus.gold import CorpusError, GoldDoc, GoldRelation, GoldSpan
from ner.corpus.standoff import load_documents
from ner.settings import data_root

# Self-written: a name cut by a stray space and a line break, as in PDF text.
TEXT = "衡阳银行向油茶 种植户发放贷款80万元。\n衡阳\n银行行长 赵明 表示。"


def _doc() -> GoldDoc:
    return GoldDoc(
        id="e1",
        text=TEXT,
        spans=[
            GoldSpan("T1", 0, 4, "ORG", "衡阳银行"),
            GoldSpan("T2", 5, 11, "SECTOR", "油茶 种植户"),
            GoldSpan("T3", 15, 19, "MONEY", "80万元"),
            GoldSpan("T4", 21, 26, "ORG", "衡阳\n银行"),
            GoldSpan("T5", 29, 31, "PERSON", "赵明"),
        ],
        relations=[
            GoldRelation("T1", "T2", "LENDS_TO", {"amount": "T3"}),
            GoldRelation("T5", "T4", "HOLDS_POSITION", {"title": "行长"}),
        ],
    )


def test_doc_has_char_tokens_ents_and_relations(tmp_path: Path) -> None:
    for s in _doc().spans:
        assert TEXT[s.start : s.end] == s.text
    nlp = make_nlp()
    doc = gold_to_doc(_doc(), nlp)
    assert doc.text == TEXT
    assert [(e.text, e.label_) for e in doc.ents] == [(s.text, s.label) for s in _doc().spans]
    rels = doc._.relations
    assert [(r.label, r.head.text, r.tail.text) for r in rels] == [
        ("LENDS_TO", "衡阳银行", "油茶 种植户"),
        ("HOLDS_POSITION", "赵明", "衡阳\n银行"),
    ]
    assert rels[0].amount is not None and rels[0].amount.text == "80万元" and rels[1].title == "行长"
    ex = gold_to_example(_doc(), nlp)
    assert len(ex.reference.ents) == 5 and len(ex.predicted.ents) == 0
    path = tmp_path / "train.spacy"
    write_docbin([doc], path)
    back = read_docbin(path, nlp)[0]
    assert [(e.start_char, e.end_char, e.label_) for e in back.ents] == [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    assert [r.key() for r in back._.relations] == [r.key() for r in rels]


def test_misaligned_span_is_an_error() -> None:
    doc = _doc()
    doc.spans[1] = GoldSpan("T2", 4, 11, "SECTOR", TEXT[4:11])  # starts on the character before
    gold_to_doc(doc)  # still aligned: 向 is a token of its own
    doc.spans[4] = GoldSpan("T5", 28, 31, "PERSON", TEXT[28:31])  # starts on the space
    with pytest.raises(CorpusError, match=r"\[e1\] span T5 28-31 PERSON ' 赵明' does not align"):
        gold_to_doc(doc)


SEED = data_root() / "corpora" / "seed" / "gold.jsonl"


@pytest.mark.skipif(not SEED.is_file(), reason="shared seed data not available")
def test_seed_gold_converts_without_loss() -> None:
    gold = load_documents([SEED])[0]
    doc = gold_to_doc(gold)
    assert len(doc.ents) == len(gold.spans) and len(doc._.relations) == len(gold.relations)
