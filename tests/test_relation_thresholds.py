"""Per-type thresholds of the relation scorer: choice by held-out F1, use at prediction, round trip."""
from __future__ import annotations

from pathlib import Path

from ner.components.relation_data import blank_char_nlp
from ner.components.relation_features import choose_thresholds, choose_thresholds_micro
from ner.components.relations import RelationExtractor


def test_choose_thresholds_prefers_precise_threshold_with_best_f1() -> None:
    # two gold relations of type A are proposed with high scores, one negative scores 0.6
    scored = {"A": [(0.9, 1), (0.8, 1), (0.6, 0)], "B": [(0.4, 1), (0.35, 0)]}
    chosen = choose_thresholds(scored, {"A": 2, "B": 2}, min_precision=0.85)
    thr, p, r, f = chosen["A"]
    assert 0.6 < thr <= 0.8 and p == 1.0 and r == 1.0
    # B: one of two gold relations was never proposed, so recall is at most 0.5
    thr_b, p_b, r_b, _ = chosen["B"]
    assert r_b <= 0.5 and p_b == 1.0 and 0.35 < thr_b <= 0.4


def test_choose_thresholds_falls_back_to_best_f1_when_precision_unreachable() -> None:
    chosen = choose_thresholds({"A": [(0.9, 0), (0.8, 1)]}, {"A": 1}, min_precision=0.99)
    thr, p, r, f = chosen["A"]
    assert r == 1.0 and thr <= 0.8


def test_micro_thresholds_tighten_the_cheapest_type_first() -> None:
    # A: many gold relations, clean above 0.7, one negative at 0.5; B: few, with negatives up to 0.8.
    # Micro precision 0.9 is reached by tightening B (cheap in micro F), while A keeps its recall.
    scored = {
        "A": [(0.9, 1)] * 8 + [(0.5, 0)],
        "B": [(0.95, 1), (0.7, 1), (0.8, 0), (0.75, 0), (0.6, 0)],
    }
    n_gold = {"A": 8, "B": 2}
    loose = choose_thresholds(scored, n_gold, min_precision=0.0)
    chosen = choose_thresholds_micro(scored, n_gold, min_micro_precision=0.9)
    tp = sum(r * n_gold[k] for k, (_, _, r, _) in chosen.items())
    fp = sum(round(r * n_gold[k] / p) - r * n_gold[k] if p else 0 for k, (_, p, r, _) in chosen.items())
    assert tp / (tp + fp) >= 0.9
    assert chosen["A"][2] == 1.0, "A keeps its recall"
    assert chosen["B"][0] > loose["B"][0], "B is the one tightened"
    # an unreachable target stops at the highest thresholds instead of looping
    assert set(choose_thresholds_micro(scored, n_gold, min_micro_precision=1.01)) == {"A", "B"}


def test_label_thresholds_are_used_and_saved(tmp_path: Path) -> None:
    nlp = blank_char_nlp()
    comp = RelationExtractor(nlp, "relation_extractor", use_classifier=True, threshold=0.5, label_thresholds={"LENDS_TO": 0.9})
    assert comp.label_thresholds == {"LENDS_TO": 0.9}
    comp.to_disk(tmp_path / "rel")
    back = RelationExtractor(nlp, "relation_extractor").from_disk(tmp_path / "rel")
    assert back.label_thresholds == {"LENDS_TO": 0.9} and back.threshold == 0.5
    again = RelationExtractor(nlp, "relation_extractor").from_bytes(comp.to_bytes())
    assert again.label_thresholds == {"LENDS_TO": 0.9}


def test_factory_accepts_label_thresholds() -> None:
    nlp = blank_char_nlp()
    pipe = nlp.add_pipe("relation_extractor", config={"label_thresholds": {"OFFERS": 0.6}})
    assert pipe.label_thresholds == {"OFFERS": 0.6}
