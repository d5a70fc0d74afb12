"""Train the relation extractor's learned scorer from gold JSONL and save the component.

Usage:
  python training/train_relations.py GOLD.jsonl [MORE.jsonl ...] -o OUT_DIR [--dev DEV.jsonl] [--threshold 0.5] [--cv 5]
         [--C 0.3 0.1 0.05] [--train-ids training/relation_train_ids.json]

Reads the gold files (spec/GUIDELINES.md §3) through ``ner.corpus.gold.read_gold`` when available,
else with ``json`` directly; builds docs with the gold entities and relations; fits the scorer over
rule candidates plus all schema-allowed same-sentence pairs; writes the component directory
(``cfg.json``, ``rules.jsonl``, ``model/model.json`` + ``model.npz``), loadable with
``RelationExtractor.from_disk`` or copied into a pipeline's ``relation_extractor`` folder.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from spacy.training import Example

from ner.components.relation_data import blank_char_nlp, gold_doc, read_gold_jsonl, strip_relations
from ner.components.relation_features import cross_validated_choice
from ner.components.relations import RelationExtractor
from ner.scoring import score_relations


def load_records(paths: List[str]) -> List[Dict[str, Any]]:
    """Gold records as dicts; validated by the corpus reader when it is importable."""
    try:
        from ner.corpus.gold import read_gold  # type: ignore[attr-defined]
    except Exception:  # pragma: no cover - corpus package not there yet
        return read_gold_jsonl(paths)
    out: List[Dict[str, Any]] = []
    for p in paths:
        for d in read_gold(p):
            out.append({"id": d.id, "text": d.text, "spans": [s.to_dict() for s in d.spans], "relations": [r.to_dict() for r in d.relations]})
    return out


def train(
    paths: List[str], out: Optional[str] = None, *, dev: Optional[List[str]] = None, threshold: float = 0.5,
    C: Union[float, Sequence[float]] = 1.0,
    cv: int = 0, min_precision: float = 0.85, min_micro_precision: Optional[float] = None, train_ids: Optional[List[str]] = None,
    max_pair_chars: int = 60,
) -> RelationExtractor:
    """Fit the scorer on ``paths`` and (optionally) save the component to ``out``; prints dev scores.
    With ``cv`` > 1, per-type thresholds are chosen by ``cv``-fold cross-validation on ``paths``
    (never on dev): the best held-out F1 with precision >= ``min_precision`` per type, or with
    ``min_micro_precision`` the best held-out micro F1 whose micro precision reaches it; given several
    values of ``C``, the one whose thresholds reach the best held-out micro F1 is kept. ``train_ids``
    keeps only those documents of ``paths`` (an error names any id that is not there). ``max_pair_chars``:
    how far apart (in characters) two entities of one sentence may be to make a candidate pair."""
    nlp = blank_char_nlp()
    records = load_records(paths)
    if train_ids is not None:
        have = {r["id"] for r in records}
        missing = sorted(set(train_ids) - have)
        if missing:
            raise SystemExit(f"--train-ids: {len(missing)} id(s) not in {', '.join(paths)}: {', '.join(missing[:5])}")
        keep = set(train_ids)
        records = [r for r in records if r["id"] in keep]
    docs = [gold_doc(nlp, r) for r in records]
    comp = RelationExtractor(nlp, "relation_extractor", use_classifier=True, threshold=threshold, max_pair_chars=max_pair_chars)
    grid = [float(C)] if isinstance(C, (int, float)) else [float(c) for c in C]
    if len(grid) > 1 and cv <= 1:
        raise SystemExit("several values of --C need --cv K (K > 1) to choose between them")
    if cv > 1:
        data = comp.training_data(docs)
        best: Optional[Tuple[float, float, Dict[str, Tuple[float, float, float, float]]]] = None
        for c in grid:
            chosen, (mp, mr, mf) = cross_validated_choice(data, comp.rules, folds=cv, C=c, min_precision=min_precision,
                                                          min_micro_precision=min_micro_precision)
            print(f"cv C={c:g}  held-out micro P={mp:.3f} R={mr:.3f} F={mf:.3f}")
            if best is None or mf > best[1]:
                best = (c, mf, chosen)
        assert best is not None
        C_used, _, chosen = best
        if len(grid) > 1:
            print(f"cv chose C={C_used:g}")
        for label, (thr, p, r, f) in sorted(chosen.items()):
            print(f"cv {label:15s} threshold {thr:.2f}  held-out P={p:.3f} R={r:.3f} F={f:.3f}")
        comp.label_thresholds = {label: v[0] for label, v in chosen.items()}
    else:
        C_used = grid[0]
    stats = comp.train(docs, C=C_used)
    print(f"trained on {len(docs)} docs: {stats}")
    for name, dpaths in (("train", paths), ("dev", dev or [])):
        if not dpaths:
            continue
        refs = [gold_doc(nlp, r) for r in load_records(dpaths)]
        for use in (False, True):
            comp.use_classifier = use
            s = score_relations([Example(comp(strip_relations(d)), d) for d in refs])
            print(f"{name} {'rules+classifier' if use else 'rules only':17s} P={s['rel_micro_p']:.3f} R={s['rel_micro_r']:.3f} F={s['rel_micro_f']:.3f}")
    comp.use_classifier = True
    if out:
        comp.to_disk(out)
        print(f"saved to {out}")
    return comp


def main(argv: Optional[List[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="+")
    ap.add_argument("-o", "--output")
    ap.add_argument("--dev", nargs="*", default=[])
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--C", type=float, nargs="+", default=[1.0],
                    help="inverse L2 strength of the scorer; several values: the one with the best held-out micro F1 (needs --cv)")
    ap.add_argument("--cv", type=int, default=0, help="choose per-type thresholds by K-fold cross-validation on the training data")
    ap.add_argument("--min-precision", type=float, default=0.85, help="per-type held-out precision the thresholds must reach")
    ap.add_argument("--min-micro-precision", type=float, default=None,
                    help="instead: held-out micro precision the thresholds must reach together (best micro F1)")
    ap.add_argument("--train-ids", help="a JSON file whose 'train' list names the documents of GOLD to train on")
    ap.add_argument("--max-pair-chars", type=int, default=60, help="same-sentence entities at most this many characters apart make candidate pairs")
    a = ap.parse_args(argv)
    ids = None
    if a.train_ids:
        with open(a.train_ids, encoding="utf-8") as f:
            ids = json.load(f)["train"]
    train(a.gold, a.output, dev=a.dev, threshold=a.threshold, C=a.C, cv=a.cv, min_precision=a.min_precision,
          min_micro_precision=a.min_micro_precision, train_ids=ids, max_pair_chars=a.max_pair_chars)


if __name__ == "__main__":
    main(sys.argv[1:])
