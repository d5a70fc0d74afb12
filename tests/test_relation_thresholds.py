"""Per-type thresholds of the relation scorer: choice by held-out F1, use at prediction, round trip."""
from __future__ import annotations

from pathlib import Path

import pytest

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


def test_held_out_micro_counts_unproposed_gold_and_types_without_threshold() -> None:
    from ner.components.relation_features import held_out_micro

    scored = {"A": [(0.9, 1), (0.6, 0), (0.4, 1)], "B": [(0.8, 0)]}
    # A at 0.5: one true, one false; the 0.4 gold and a third gold never proposed are misses; B has no threshold
    p, r, f = held_out_micro(scored, {"A": 3, "B": 1}, {"A": 0.5})
    assert (p, r) == (0.5, 0.25) and abs(f - 1 / 3) < 1e-9
    assert held_out_micro(scored, {"A": 3}, {}) == (0.0, 0.0, 0.0)


def test_train_relations_keeps_the_regularisation_with_the_best_held_out_micro_f(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``train_relations.py --C`` with several values cross-validates each and trains with the best one."""
    import importlib.util
    import json

    spec = importlib.util.spec_from_file_location("train_relations", Path(__file__).parents[1] / "training" / "train_relations.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    texts = ["湘江银行向小微企业发放贷款。", "岳麓银行向农户发放贷款。", "星沙银行向合作社发放贷款。",
             "湘潭银行向个体工商户发放贷款。", "株洲银行向种粮大户发放贷款。", "衡阳银行向养殖户发放贷款。"]
    gold = tmp_path / "gold.jsonl"
    with open(gold, "w", encoding="utf-8") as f:
        for k, t in enumerate(texts):
            bank, rest = t.split("向")
            borrower = rest.split("发放")[0]
            spans = [{"id": "T1", "start": 0, "end": len(bank), "label": "ORG", "text": bank},
                     {"id": "T2", "start": len(bank) + 1, "end": len(bank) + 1 + len(borrower), "label": "SECTOR", "text": borrower}]
            rels = [{"id": "R1", "label": "LENDS_TO", "head": "T1", "tail": "T2"}]
            f.write(json.dumps({"id": f"d{k}", "text": t, "spans": spans, "relations": rels}, ensure_ascii=False) + "\n")
    with pytest.raises(SystemExit):
        mod.train([str(gold)], C=[1.0, 0.1], cv=0)
    comp = mod.train([str(gold)], C=[1.0, 0.01], cv=3, min_micro_precision=0.5)
    out = capsys.readouterr().out
    assert "cv C=1  held-out micro" in out and "cv C=0.01  held-out micro" in out and "cv chose C=" in out
    assert comp.model is not None and comp.label_thresholds
