"""Write the fixed train/dev split: ``python training/make_split.py [--from FILE...] [-o corpus/split.json]``.

Ids come from corpus/selection.jsonl, ``seed-page`` and the ids in any gold/stand-off files given
with ``--from``. Ids already in the existing split file keep their split; new ids go to dev when
the SHA-256 of the id falls in the lowest 20 % (see :mod:`ner.corpus.stats`), ``seed-page`` always.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional, Sequence

from ner.corpus.gold import CorpusError, iter_jsonl
from ner.corpus.sources import SEED_ID, selection
from ner.corpus.stats import SPLIT_PATH, load_split, make_split, write_split


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="files", nargs="*", default=[], help="gold or stand-off JSONL files")
    ap.add_argument("-o", "--output", default=str(SPLIT_PATH))
    ap.add_argument("--fresh", action="store_true", help="ignore the existing split file")
    args = ap.parse_args(argv)
    ids: List[str] = [*selection(), SEED_ID]
    try:
        for path in args.files:
            ids += [rec["id"] for _, rec in iter_jsonl(path) if isinstance(rec, dict) and "id" in rec]
        previous = load_split(args.output) if Path(args.output).is_file() and not args.fresh else None
    except CorpusError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    split = make_split(ids, previous)
    write_split(split, args.output)
    print(f"{args.output}: train {len(split['train'])}, dev {len(split['dev'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
