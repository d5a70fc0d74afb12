"""Relation and entity scorers on hand-made examples (ner.scoring)."""
from __future__ import annotations

import pytest
from spacy.training import Example

from ner.components.relation_data import blank_char_nlp, gold_doc
from ner.scoring import make_relation_scorer, score_entities, score_entity_sets, score_relation_sets, score_relations


def test_strict_micro_and_per_label() -> None:
    gold = [
        ("LENDS_TO", (0, 4), (10, 14), True),
        ("OFFERS", (0, 4), (20, 24), True),
        ("LOCATED_IN", (30, 33), (40, 42), False),
    ]
    pred = [
        ("LENDS_TO", (0, 4), (10, 14), True),  # correct
        ("OFFERS", (0, 4), (20, 23), True),  # tail overlaps only: lenient hit
        ("TARGETS", (20, 24), (10, 14), True),  # wrong
    ]
    s = score_relation_sets(gold, pred)
    assert s["rel_micro_p"] == pytest.approx(1 / 3)
    assert s["rel_micro_r"] == pytest.approx(1 / 3)
    assert s["rel_micro_f"] == pytest.approx(1 / 3)
    assert s["rel_lenient_micro_p"] == pytest.approx(2 / 3)
    assert s["rel_lenient_micro_r"] == pytest.approx(2 / 3)
    assert s["rel_LENDS_TO_f"] == 1.0
    assert s["rel_OFFERS_f"] == 0.0 and s["rel_lenient_OFFERS_f"] == 1.0
    assert s["rel_TARGETS_p"] == 0.0 and s["rel_LOCATED_IN_r"] == 0.0
    # same-sentence only: gold has 2, pred has 3
    assert s["rel_same_sentence_micro_p"] == pytest.approx(1 / 3)
    assert s["rel_same_sentence_micro_r"] == pytest.approx(1 / 2)
    assert s["rel_same_sentence_micro_f"] == pytest.approx(0.4)


def test_partners_with_matches_in_either_direction() -> None:
    gold = [("PARTNERS_WITH", (0, 4), (5, 9), True), ("PART_OF", (0, 4), (5, 9), True)]
    pred = [("PARTNERS_WITH", (5, 9), (0, 4), True), ("PART_OF", (5, 9), (0, 4), True)]
    s = score_relation_sets(gold, pred)
    assert s["rel_PARTNERS_WITH_f"] == 1.0
    assert s["rel_PART_OF_f"] == 0.0  # directed types are not symmetric
    assert s["rel_micro_f"] == pytest.approx(0.5)


def test_one_to_one_matching_and_duplicates() -> None:
    gold = [("LENDS_TO", (0, 4), (10, 14), True)]
    pred = [("LENDS_TO", (0, 4), (10, 14), True), ("LENDS_TO", (0, 4), (10, 14), True), ("LENDS_TO", (1, 4), (10, 13), True)]
    s = score_relation_sets(gold, pred)
    # the duplicate is dropped; the overlapping one cannot reuse the matched gold relation
    assert s["rel_n_pred"] == 2 and s["rel_n_correct"] == 1
    assert s["rel_lenient_n_correct"] == 1


def test_several_documents_and_empty() -> None:
    s = score_relation_sets([[("OFFERS", (0, 2), (3, 5), True)], []], [[], [("OFFERS", (0, 2), (3, 5), True)]])
    assert s["rel_micro_p"] == 0.0 and s["rel_micro_r"] == 0.0 and s["rel_micro_f"] == 0.0
    e = score_relation_sets([], [])
    assert e["rel_micro_f"] == 0.0 and e["rel_n_gold"] == 0


def _record() -> dict:
    text = "长沙银行联合湘江新区推出科创贷。双方为科技企业提供贷款。"
    spans = [
        {"id": "T1", "start": 0, "end": 4, "label": "ORG"},
        {"id": "T2", "start": 6, "end": 10, "label": "LOC"},
        {"id": "T3", "start": 12, "end": 15, "label": "PROGRAMME"},
        {"id": "T4", "start": 19, "end": 23, "label": "SECTOR"},
    ]
    for s in spans:
        s["text"] = text[s["start"] : s["end"]]
    rels = [
        {"head": "T1", "tail": "T3", "label": "OFFERS"},
        {"head": "T2", "tail": "T3", "label": "OFFERS"},
        {"head": "T1", "tail": "T4", "label": "LENDS_TO", "cross_sentence": True},
    ]
    return {"id": "t", "text": text, "spans": spans, "relations": rels}


def test_score_relations_on_examples() -> None:
    nlp = blank_char_nlp()
    ref = gold_doc(nlp, _record())
    rec = _record()
    rec["relations"] = [rec["relations"][0], {"head": "T3", "tail": "T4", "label": "TARGETS"}]
    pred = gold_doc(nlp, rec)
    s = score_relations([Example(pred, ref)])
    assert s["rel_micro_p"] == 0.5 and s["rel_micro_r"] == pytest.approx(1 / 3)
    # the cross-sentence gold LENDS_TO and the cross-sentence predicted TARGETS drop out
    assert s["rel_same_sentence_micro_p"] == 1.0 and s["rel_same_sentence_micro_r"] == 0.5
    assert make_relation_scorer()([Example(pred, ref)]) == s


def test_entity_scores() -> None:
    gold = [[(0, 4, "ORG"), (6, 10, "LOC"), (12, 15, "PROGRAMME")]]
    pred = [[(0, 4, "ORG"), (6, 10, "ORG"), (12, 14, "PROGRAMME")]]
    s = score_entity_sets(gold, pred)
    assert s["ents_micro_p"] == pytest.approx(1 / 3) and s["ents_micro_r"] == pytest.approx(1 / 3)
    assert s["ents_ORG_p"] == 0.5 and s["ents_ORG_r"] == 1.0 and s["ents_LOC_r"] == 0.0
    nlp = blank_char_nlp()
    ref = gold_doc(nlp, _record())
    pred_doc = nlp.make_doc(ref.text)
    pred_doc.set_ents([pred_doc.char_span(0, 4, label="ORG")])
    e = score_entities([Example(pred_doc, ref)])
    assert e["ents_micro_p"] == 1.0 and e["ents_micro_r"] == 0.25 and e["ents_f"] == e["ents_micro_f"]
