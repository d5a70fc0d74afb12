"""Train the character CRF baseline (issue 6) on the NER training DocBins and score it on dev.

    python training/train_crf.py [--train training/assets/ner_train] [--dev training/assets/ner_dev]
        [--output training/output/crf] [--c1 0.1] [--c2 0.01] [--max-iterations 100]
        [--scheme bio|biluo] [--missing drop|o] [--sample N] [--min-freq 0]

Reads the same ``.spacy`` files as the spaCy NER (training/prepare_ner_data.py: MSRA train minus the
2,000-sentence dev sample, plus the gold train split repeated 6 times), one CRF sequence per doc,
features from ``ner.baselines.crf.char_features``. A CRF has no notion of a *missing* label, so the
MSRA characters that convert_public.py marked missing (likely PROGRAMME/SECTOR/MONEY) either drop
their sentence (``--missing drop``, the default) or count as O (``--missing o``). ``--sample N``
trains on a random N of the docs (seeded). Writes ``OUTPUT/model.crfsuite`` and ``OUTPUT/meta.json``
(parameters, data sizes, times, dev scores), and prints strict P/R/F per label on dev.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import List, Tuple

import spacy
from spacy.tokens import Doc, DocBin

from ner.baselines.crf import SCHEMES, CRFTagger, spans_to_tags, train
from ner.schema import ENTITY_LABELS
from ner.scoring import score_entity_sets

Ent = Tuple[int, int, str]


def spacy_files(path: Path) -> List[Path]:
    files = sorted(path.rglob("*.spacy")) if path.is_dir() else [path]
    if not files:
        raise SystemExit(f"error: no .spacy files under {path}")
    return files


def load_docs(path: Path) -> List[Doc]:
    vocab = spacy.blank("zh").vocab
    docs: List[Doc] = []
    for f in spacy_files(path):
        docs += list(DocBin().from_disk(f).get_docs(vocab))
    return docs


def has_missing(doc: Doc) -> bool:
    """Does any non-space token have an unknown entity annotation (``ent_iob == 0``)?"""
    return any(t.ent_iob == 0 and not t.is_space for t in doc)


def doc_ents(doc: Doc) -> List[Ent]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, default=Path("training/assets/ner_train"))
    ap.add_argument("--dev", type=Path, default=Path("training/assets/ner_dev"))
    ap.add_argument("--output", type=Path, default=Path("training/output/crf"))
    ap.add_argument("--c1", type=float, default=0.1, help="L1 penalty")
    ap.add_argument("--c2", type=float, default=0.01, help="L2 penalty")
    ap.add_argument("--max-iterations", type=int, default=100)
    ap.add_argument("--min-freq", type=float, default=0, help="drop features seen fewer times")
    ap.add_argument("--scheme", choices=SCHEMES, default="bio")
    ap.add_argument("--missing", choices=("drop", "o"), default="drop", help="docs with missing labels: drop them, or read missing as O")
    ap.add_argument("--sample", type=int, default=0, help="train on a random N docs (0: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()

    t0 = time.perf_counter()
    docs = load_docs(args.train)
    n_all = len(docs)
    n_missing = sum(1 for d in docs if has_missing(d))
    if args.missing == "drop":
        docs = [d for d in docs if not has_missing(d)]
    if args.sample and args.sample < len(docs):
        docs = random.Random(args.seed).sample(docs, args.sample)
    data = [(d.text, spans_to_tags(len(d.text), doc_ents(d), args.scheme)) for d in docs]
    n_chars = sum(len(t) for t, _ in data)
    print(f"train: {n_all} docs from {args.train}, {n_missing} with missing labels ({args.missing}); "
          f"training on {len(data)} docs, {n_chars:,} characters", file=sys.stderr)
    del docs
    t1 = time.perf_counter()
    model_path = args.output / "model.crfsuite"
    train(data, model_path, c1=args.c1, c2=args.c2, max_iterations=args.max_iterations,
          min_freq=args.min_freq, verbose=not args.quiet)
    t2 = time.perf_counter()

    tagger = CRFTagger(model_path)
    dev_docs = load_docs(args.dev)
    gold = [doc_ents(d) for d in dev_docs]
    t3 = time.perf_counter()
    pred = [tagger(d.text) for d in dev_docs]
    t4 = time.perf_counter()
    dev_chars = sum(len(d.text) for d in dev_docs)
    scores = score_entity_sets(gold, pred, labels=ENTITY_LABELS)
    print(f"\ndev ({args.dev}, {len(dev_docs)} docs), strict P / R / F:")
    for label, s in scores["ents_per_type"].items():
        print(f"  {label:10s} {s['p']:.3f} / {s['r']:.3f} / {s['f']:.3f}")
    print(f"  {'micro':10s} {scores['ents_micro_p']:.3f} / {scores['ents_micro_r']:.3f} / {scores['ents_micro_f']:.3f}")
    print(f"train {t2 - t1:.0f} s (data {t1 - t0:.0f} s); dev tagging {dev_chars / (t4 - t3):,.0f} chars/s; "
          f"model {model_path} ({model_path.stat().st_size / 2**20:.1f} MiB)")
    meta = {
        "params": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "train_docs": len(data), "train_chars": n_chars, "train_docs_in_files": n_all, "docs_with_missing": n_missing,
        "train_seconds": round(t2 - t1, 1), "dev_docs": len(dev_docs),
        "dev": {k: v for k, v in scores.items() if k.startswith("ents_micro") or k == "ents_per_type"},
    }
    (args.output / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
