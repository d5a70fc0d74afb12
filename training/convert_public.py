"""Convert the public NER corpora to spaCy DocBins with character tokens (docs/CONVERTERS.md).

Writes ``<output>/<corpus>_<split>.spacy`` and ``<output>/counts.json`` and prints a markdown table:
sentences, characters, entities per label, sentences removed as test overlap, overlapping spans
dropped (CLUENER) and spans marked missing (``--partial``).

    python training/convert_public.py                       # all corpora, partial marking on
    python training/convert_public.py --no-partial --output training/assets/no_partial
    python training/convert_public.py --corpus msra --corpus weibo
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import List, Optional

from ner.corpus.converters import CORPORA, collect_test_keys, convert_all, people_daily_msra_test_overlap, report_table

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "assets"


def main(argv: Optional[List[str]] = None) -> int:
    """Run the conversion; return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="output directory (default training/assets/)")
    ap.add_argument("--data-root", default=None, help="data root holding corpora/ (default: see ner/settings.py)")
    ap.add_argument("--corpus", action="append", choices=CORPORA, help="convert only this corpus (repeatable)")
    ap.add_argument(
        "--partial",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="mark likely PROGRAMME/SECTOR/MONEY tokens as missing instead of O (default: on)",
    )
    args = ap.parse_args(argv)
    reports = convert_all(args.output, root=args.data_root, corpora=args.corpus, partial=args.partial)
    print(report_table(reports))
    summary = {
        r.name: {"sentences": r.sentences, "chars": r.chars, "entities": dict(r.entities), "stats": dict(r.stats)}
        for r in reports
    }
    if not args.corpus or "people_daily" in args.corpus:
        keys = collect_test_keys(args.data_root)["msra_test"]
        shared = people_daily_msra_test_overlap(args.data_root, keys)
        summary["people_daily_vs_msra_test"] = dict(shared)
        print(
            f"\nPeople's Daily 1998 vs MSRA test: {shared['paragraphs']} PD paragraphs equal an MSRA test "
            f"sentence (removed); {shared['sentences']} sentences (6+ chars) and {shared['clauses']} "
            "clauses (10+ chars) occur in both."
        )
    (args.output / "counts.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nwrote {len(reports)} DocBins and counts.json to {args.output} (partial={args.partial})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
