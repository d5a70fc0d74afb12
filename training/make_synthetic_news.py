"""Write generated Chinese regional-news-like documents (JSONL with id/text/date): :mod:`ner.scale.synthetic`.

    python training/make_synthetic_news.py -n 3000 -o training/output/synthetic_news.jsonl
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import List

from ner.scale.synthetic import generate


def main(argv: List[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=3000, help="number of documents")
    ap.add_argument("-o", "--output", type=Path, help="JSONL output (default: stdout)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--min-chars", type=int, default=300)
    ap.add_argument("--max-chars", type=int, default=1500)
    args = ap.parse_args(argv)
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    chars = 0
    for rec in generate(args.n, args.seed, args.min_chars, args.max_chars):
        chars += len(rec["text"])
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if args.output:
        out.close()
    print(f"{args.n} documents, {chars:,} characters", file=sys.stderr)


if __name__ == "__main__":
    main()
