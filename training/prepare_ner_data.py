"""Build the NER training and dev corpora (DocBins) from the public corpora and the gold corpus.

    python training/prepare_ner_data.py [--gold corpus/gold.jsonl] [--upsample 4] [--out training/assets]

Writes ``ner_train/`` (MSRA train minus a fixed dev sample, plus the gold train split repeated
``--upsample`` times, since the public corpora never mark PROGRAMME/SECTOR/MONEY and the gold corpus
is small) and ``ner_dev/`` (the gold dev split, incl. the seed page) as directories of ``.spacy``
files, the form spaCy's corpus reader takes. Public DocBins come from training/convert_public.py.
"""
from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from ner.corpus.examples import docs_from_gold, make_nlp, write_docbin
from ner.corpus.gold import write_gold
from ner.corpus.standoff import load_documents
from ner.corpus.stats import load_split
from ner.settings import corpus_path

SEED_GOLD = "corpora/seed/gold.jsonl"
MSRA_DEV_SIZE = 2000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", nargs="*", default=["corpus/gold.jsonl"])
    ap.add_argument("--upsample", type=int, default=6)
    ap.add_argument("--public", nargs="*", default=["msra_train"], help="public DocBins (names in --out)")
    ap.add_argument("--out", type=Path, default=Path("training/assets"))
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    nlp = make_nlp()
    split = load_split()
    golds = load_documents([*args.gold, str(corpus_path(SEED_GOLD))])
    train_ids, dev_ids = set(split["train"]), set(split["dev"])
    args.out.mkdir(parents=True, exist_ok=True)
    # full gold JSONL (with text) for the relation scorer; kept in the git-ignored assets folder
    write_gold([g for g in golds if g.id in train_ids], args.out / "gold_train.jsonl")
    write_gold([g for g in golds if g.id in dev_ids], args.out / "gold_dev.jsonl")
    gold_train = docs_from_gold([g for g in golds if g.id in train_ids], nlp)
    gold_dev = docs_from_gold([g for g in golds if g.id in dev_ids], nlp)
    for name in ("ner_train", "ner_dev"):
        shutil.rmtree(args.out / name, ignore_errors=True)
    for k in range(args.upsample):
        write_docbin(gold_train, args.out / "ner_train" / f"gold_train_{k}.spacy")
    write_docbin(gold_dev, args.out / "ner_dev" / "gold_dev.spacy")
    write_docbin(gold_dev, args.out / "gold_dev.spacy")
    write_docbin(gold_train, args.out / "gold_train.spacy")
    blank = spacy.blank("zh")
    for name in args.public:
        docs = list(DocBin().from_disk(args.out / f"{name}.spacy").get_docs(blank.vocab))
        idx = list(range(len(docs)))
        random.Random(args.seed).shuffle(idx)
        held = set(idx[:MSRA_DEV_SIZE]) if name == "msra_train" else set()
        write_docbin([d for i, d in enumerate(docs) if i not in held], args.out / "ner_train" / f"{name}.spacy")
        if held:
            write_docbin([docs[i] for i in sorted(held)], args.out / "msra_dev.spacy")
    print(f"gold train {len(gold_train)} docs x{args.upsample}, gold dev {len(gold_dev)} docs; public {args.public}")


if __name__ == "__main__":
    main()
