"""Evaluate the relation extractor (rules only by default) on gold entities of a gold JSONL file.

Usage: python training/eval_relations_seed.py [GOLD.jsonl ...] [--model DIR] [--classifier] [--show]
Default input: the seed page (corpora/seed/gold.jsonl under the data root).
"""
from __future__ import annotations

import argparse
import sys
from typing import Any, Dict, List, Optional

from spacy.training import Example

from ner.components.relation_data import blank_char_nlp, gold_doc, read_gold_jsonl, strip_relations
from ner.components.relations import RelationExtractor
from ner.schema import RELATION_LABELS
from ner.scoring import doc_relation_tuples, score_relations
from ner.settings import data_root


def print_scores(scores: Dict[str, Any]) -> None:
    """A small table: micro rows, then strict and lenient per label."""
    for mode, name in (("", "strict"), ("lenient_", "lenient"), ("same_sentence_", "same-sentence")):
        print(
            f"{name:14s} P={scores[f'rel_{mode}micro_p']:.3f} R={scores[f'rel_{mode}micro_r']:.3f} "
            f"F={scores[f'rel_{mode}micro_f']:.3f}  (gold {scores[f'rel_{mode}n_gold']}, pred {scores[f'rel_{mode}n_pred']}, "
            f"correct {scores[f'rel_{mode}n_correct']})"
        )
    print(f"{'label':15s} {'strict P/R/F':>22s}   {'lenient P/R/F':>22s}  gold pred")
    for label in RELATION_LABELS:
        s = "/".join(f"{scores[f'rel_{label}_{k}']:.2f}" for k in "prf")
        l = "/".join(f"{scores[f'rel_lenient_{label}_{k}']:.2f}" for k in "prf")
        print(f"{label:15s} {s:>22s}   {l:>22s}  {scores[f'rel_{label}_n_gold']:4d} {scores[f'rel_{label}_n_pred']:4d}")


def main(argv: Optional[List[str]] = None) -> Dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("gold", nargs="*", help="gold JSONL files")
    ap.add_argument("--model", help="a saved relation_extractor directory (from training/train_relations.py)")
    ap.add_argument("--classifier", action="store_true", help="use the learned scorer (needs --model)")
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--show", action="store_true", help="print missed and wrong relations")
    args = ap.parse_args(argv)
    paths = args.gold or [data_root() / "corpora" / "seed" / "gold.jsonl"]
    nlp = blank_char_nlp()
    comp = RelationExtractor(nlp, "relation_extractor")
    if args.model:
        comp.from_disk(args.model)
    comp.use_classifier = bool(args.classifier)
    if args.threshold is not None:
        comp.threshold = args.threshold
    examples = []
    for rec in read_gold_jsonl(paths):
        ref = gold_doc(nlp, rec)
        pred = comp(strip_relations(ref))
        examples.append(Example(pred, ref))
        if args.show:
            _show(ref, pred)
    scores = score_relations(examples)
    print_scores(scores)
    return scores


def _show(ref: Any, pred: Any) -> None:
    text = ref.text
    g = {(l, h, t) for l, h, t, _ in doc_relation_tuples(ref)}
    p = {(l, h, t) for l, h, t, _ in doc_relation_tuples(pred)}
    sym = lambda s: s | {(l, t, h) for l, h, t in s if l == "PARTNERS_WITH"}  # noqa: E731
    rules = {(r.label, (r.head.start_char, r.head.end_char), (r.tail.start_char, r.tail.end_char)): r.rule for r in pred._.relations}
    for tag, rows in (("MISS", g - sym(p)), ("FALSE", p - sym(g))):
        for l, h, t in sorted(rows, key=lambda x: x[1]):
            ctx = text[max(0, min(h[0], t[0]) - 8) : max(h[1], t[1]) + 4].replace("\n", "/")
            print(f"{tag:5s} {l:14s} {text[h[0]:h[1]]!r} -> {text[t[0]:t[1]]!r} [{rules.get((l, h, t), '')}] | {ctx}")


if __name__ == "__main__":
    main(sys.argv[1:])
