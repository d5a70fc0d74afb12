"""Choose ``crf_ner``'s ``label_bias`` on the held-out fold of a ``train_crf.py --holdout-fold K`` run.

A CRF trained with L1/L2 penalties tags too little as entities when precision runs ahead of recall
(gold dev: P 0.82, R 0.71); a bias added to every tag of a label before decoding trades one for the
other. This script decodes the run's held-out gold texts (never trained on, not in its lexicon) and
MSRA dev with a grid of biases, all labels together and one label at a time, and prints strict micro F
per setting. Dev is not used. Usage::

    .venv/bin/python training/tune_label_bias.py training/output/tune/t5_lexdrop_biluo200 \\
        --also training/assets/msra_dev.spacy
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import spacy
from spacy.tokens import Doc

from ner.corpus.public import PUBLIC_LABELS
from ner.schema import ENTITY_LABELS
from ner.scoring import score_entity_sets
from train_crf import doc_ents, holdout_split, load_docs, load_training_docs

GRID = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)


def tagger(model_dir: Path) -> spacy.Language:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "xiang.char_tokenizer.v1"}}})
    nlp.add_pipe("crf_ner").initialize(model_path=model_dir)
    nlp.add_pipe("money_rules")
    return nlp


def micro_f(nlp: spacy.Language, docs: Sequence[Doc], labels: Sequence[str], bias: Dict[str, float]) -> Tuple[float, Dict[str, float]]:
    nlp.get_pipe("crf_ner").label_bias = bias
    gold = [[e for e in doc_ents(d) if e[2] in labels] for d in docs]
    pred = [[(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in labels] for doc in nlp.pipe(d.text for d in docs)]
    scores = score_entity_sets(gold, pred, labels=labels)
    return scores["ents_micro_f"], {k: v["f"] for k, v in scores["ents_per_type"].items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run", type=Path, help="a train_crf.py output trained with --holdout-fold")
    ap.add_argument("--also", type=Path, nargs="*", default=[], help="public sets scored on PERSON/LOC/ORG (e.g. msra_dev.spacy)")
    ap.add_argument("--grid", type=float, nargs="*", default=list(GRID))
    args = ap.parse_args()
    params = json.loads((args.run / "meta.json").read_text(encoding="utf-8"))["params"]
    if params.get("holdout_fold", -1) < 0:
        raise SystemExit(f"error: {args.run} was trained without --holdout-fold: it has no held-out texts")
    docs, sources = load_training_docs(Path(params["train"]), params.get("missing", "drop"))
    held, _, _ = holdout_split(docs, sources, params["holdout_fold"])
    sets: List[Tuple[str, List[Doc], Sequence[str]]] = [("holdout", held, ENTITY_LABELS)]
    sets += [(p.stem, load_docs(p), PUBLIC_LABELS) for p in args.also]
    nlp = tagger(args.run)
    print(f"{len(held)} held-out texts (fold {params['holdout_fold']}); micro F per set, then the holdout per label")
    print("| bias on | value | " + " | ".join(name for name, _, _ in sets) + " | " + " | ".join(ENTITY_LABELS) + " |")
    print("|---|---|" + "---|" * (len(sets) + len(ENTITY_LABELS)))
    for on in ["all", *[label for label in ENTITY_LABELS if label != "MONEY"]]:
        for value in args.grid:
            if on != "all" and value == 0.0:
                continue  # the same as "all" at 0
            bias = {label: value for label in ENTITY_LABELS} if on == "all" else {on: value}
            row = [micro_f(nlp, d, labels, bias) for _, d, labels in sets]
            per = row[0][1]
            print(f"| {on} | {value:g} | " + " | ".join(f"{f:.4f}" for f, _ in row) + " | "
                  + " | ".join(f"{per.get(label, 0.0):.3f}" for label in ENTITY_LABELS) + " |", flush=True)


if __name__ == "__main__":
    main()
