"""Print the texts of selected articles for annotation: ``python training/print_articles.py --batch 2 --of 5``.

Reads ids from corpus/selection.jsonl and the texts from the data root; prints each as
``### id=<id>`` followed by the text. Batch k of n takes every n-th article starting at k.
"""
from __future__ import annotations

import argparse
import json

from ner.settings import data_root


def load_texts(rows: list[dict]) -> dict[str, str]:
    root = data_root()
    out: dict[str, str] = {}
    for src in sorted({r["source"] for r in rows}):
        if src.endswith(".jsonl"):
            with open(root / src, encoding="utf-8") as f:
                for line in f:
                    d = json.loads(line)
                    out[d["id"]] = d["text"]
        else:
            from ner.corpus.sources import get_text

            for r in rows:
                if r["source"] == src:
                    out[r["id"]] = get_text(src, r["id"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=0)
    ap.add_argument("--of", type=int, default=1)
    ap.add_argument("--ids", nargs="*")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open("corpus/selection.jsonl", encoding="utf-8")]
    if args.ids:
        rows = [r for r in rows if r["id"] in set(args.ids)]
    else:
        rows = rows[args.batch :: args.of]
    texts = load_texts(rows)
    for r in rows:
        print(f"### id={r['id']}\n{texts[r['id']]}\n")


if __name__ == "__main__":
    main()
